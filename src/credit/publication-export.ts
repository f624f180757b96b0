/**
 * The published lists as xlsx: a draw's results (双随机抽查结果) and a quarter's major violations
 * (令29号). Cells are text and neutralised against formulas as the employer export does.
 */
import ExcelJS from 'exceljs';
import type { DrawView } from './draws';
import type { PublicationView } from './publications';

/** Text that cannot start a formula in Excel, WPS or LibreOffice (CSV/xlsx injection). */
const neutralise = (text: string): string => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

async function workbook(sheet: string, headers: string[], rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheet);
  ws.columns = headers.map(() => ({ width: 20, style: { numFmt: '@' } }));
  ws.addRow(headers).font = { bold: true };
  for (const r of rows) ws.addRow(r.map(neutralise));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function drawXlsx(d: DrawView): Promise<Buffer> {
  return workbook('抽查结果', ['序号', '用人单位', '统一社会信用代码', '所属网格', '检查人员', '抽查结果', '说明', '检查结束日期', '案件编号'],
    d.results.map((r) => [String(r.position), r.employerName, r.creditCode ?? '', r.gridName ?? '', r.inspectors.map((i) => i.name).join('、'), r.outcomeLabel ?? '未录入', r.note ?? '', r.endedOn ?? '', r.caseNumber ?? '']));
}

export function publicationXlsx(p: PublicationView): Promise<Buffer> {
  return workbook('重大违法行为社会公布', ['序号', '违法主体名称', '统一社会信用代码', '法定代表人', '主要违法事实', '查处情况', '公布情形'],
    p.entries.filter((e) => e.included).map((e, i) => [String(i + 1), e.name, e.creditCode ?? '', e.legalRepresentative ?? '', e.facts, e.handling, e.criterionLabel]));
}
