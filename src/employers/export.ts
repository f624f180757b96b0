/**
 * The employer list as an xlsx file, one row per file the user may see, with Chinese headers and
 * labels. Cells are written as text; a text that a spreadsheet would read as a formula (beginning with
 * = + - @, or a tab or carriage return before one) is neutralised with a leading apostrophe, so a name
 * like "=HYPERLINK(…)" typed into a file cannot run in whoever opens the export (CSV/xlsx injection).
 */
import ExcelJS from 'exceljs';
import { EntityManager } from 'typeorm';
import { Principal } from '../auth/principal';
import { FIELDS } from './fields';
import { EmployerView, listEmployers } from './queries';
import type { ListEmployersInput } from './schemas';

/** Text that cannot start a formula in Excel, WPS or LibreOffice. */
export function neutralise(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** A field's value as the export writes it: labels for choices, 是/否, yuan for amounts. */
function cellText(f: (typeof FIELDS)[number], v: unknown): string {
  if (v === null || v === undefined) return '';
  if (f.kind === 'bool') return v ? '是' : '否';
  if (f.kind === 'enum') return f.options?.[String(v)] ?? String(v);
  if (f.kind === 'fen') return (Number(v) / 100).toFixed(2);
  return String(v);
}

const EXPORTED = FIELDS.filter((f) => f.key !== 'gridId' && f.key !== 'responsibleStaffId');

/** The rows of the export, in list order, a thousand at a time (the list's own rule of who sees what). */
async function* rowsOf(em: EntityManager, p: Principal, q: Omit<ListEmployersInput, 'cursor' | 'limit'>): AsyncGenerator<EmployerView> {
  let cursor: string | undefined;
  do {
    const page = await listEmployers(em, p, { ...q, cursor, limit: 1000 });
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

export async function exportEmployersXlsx(em: EntityManager, p: Principal, q: Omit<ListEmployersInput, 'cursor' | 'limit'>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('用人单位名册');
  const headers = ['所属网格', ...EXPORTED.map((f) => f.label), '档案完整'];
  // Text format by column (one style for the column, not one per cell, which costs a style object each).
  ws.columns = headers.map(() => ({ width: 18, style: { numFmt: '@' } }));
  ws.addRow(headers).font = { bold: true };
  for await (const e of rowsOf(em, p, q)) {
    const values = [e.gridName ?? '未划入网格', ...EXPORTED.map((f) => cellText(f, e[f.key])), e.fileComplete ? '是' : '否'];
    // Text cells: a spreadsheet shows the apostrophe-prefixed value as text and never evaluates it.
    ws.addRow(values.map(neutralise));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
