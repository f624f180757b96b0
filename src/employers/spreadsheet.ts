/**
 * Reading a register file into rows of text: xlsx (exceljs) or csv (UTF-8 with or without BOM, or
 * GB18030 as Chinese government systems export it). A formula cell is kept as a marker, so the import
 * can refuse its row instead of trusting a value computed by someone's spreadsheet.
 */
import ExcelJS from 'exceljs';

export interface SheetCell {
  text: string;
  /** The cell held a formula (xlsx), or text a spreadsheet would run as one (csv). */
  formula: boolean;
}

export interface Sheet {
  headers: string[];
  /** Data rows with their 1-based row numbers in the file. */
  rows: { row: number; cells: SheetCell[] }[];
}

export class UnreadableFile extends Error {}

const isXlsx = (b: Buffer) => b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/** Text a spreadsheet would evaluate: = + @ always, - unless it is a plain number. */
export function looksLikeFormula(text: string): boolean {
  if (/^[=+@\t\r]/.test(text)) return true;
  return text.startsWith('-') && !/^-\d+(\.\d+)?$/.test(text);
}

function xlsxCell(v: ExcelJS.CellValue): SheetCell {
  if (v === null || v === undefined) return { text: '', formula: false };
  if (typeof v === 'string') return { text: v.trim(), formula: false };
  if (typeof v === 'number' || typeof v === 'boolean') return { text: String(v), formula: false };
  if (v instanceof Date) return { text: v.toISOString().slice(0, 10), formula: false };
  const o = v as unknown as Record<string, unknown>;
  if ('formula' in o || 'sharedFormula' in o) return { text: String(o.result ?? ''), formula: true };
  if (Array.isArray(o.richText)) return { text: (o.richText as { text: string }[]).map((r) => r.text).join('').trim(), formula: false };
  if ('text' in o) return { text: String(o.text).trim(), formula: false };
  if ('error' in o) return { text: String(o.error), formula: true };
  return { text: String(v), formula: false };
}

async function readXlsx(b: Buffer, maxRows: number): Promise<Sheet> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(b as unknown as ArrayBuffer);
  } catch {
    throw new UnreadableFile('not a readable xlsx workbook');
  }
  const ws = wb.worksheets.find((w) => w.actualRowCount > 0);
  if (!ws) return { headers: [], rows: [] };
  const all: { row: number; cells: SheetCell[] }[] = [];
  let tooMany = false;
  // actualColumnCount walks the whole sheet each time it is read: once, not per row.
  const columns = ws.actualColumnCount;
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    if (all.length > maxRows + 1) { tooMany = true; return; }
    const cells: SheetCell[] = [];
    for (let c = 1; c <= columns; c++) cells.push(xlsxCell(row.getCell(c).value));
    if (cells.some((x) => x.text !== '')) all.push({ row: n, cells });
  });
  const [head, ...rows] = all;
  if (tooMany) rows.length = maxRows + 1;
  return { headers: (head?.cells ?? []).map((c) => c.text), rows };
}

function decodeText(b: Buffer): string {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return b.subarray(3).toString('utf8');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return new TextDecoder('gb18030').decode(b);
  }
}

/** RFC 4180 fields: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false; else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += ch;
  }
  if (quoted) throw new UnreadableFile('a quoted field is not closed');
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

function readCsv(b: Buffer, maxRows: number): Sheet {
  const text = decodeText(b);
  if (text.includes('\u0000')) throw new UnreadableFile('binary content in a csv file');
  const all = parseCsv(text).map((cells, i) => ({ row: i + 1, cells })).filter((r) => r.cells.some((c) => c.trim() !== ''));
  const [head, ...rows] = all;
  return {
    headers: (head?.cells ?? []).map((c) => c.trim()),
    rows: rows.slice(0, maxRows + 1).map((r) => ({ row: r.row, cells: r.cells.map((c) => ({ text: c.trim(), formula: looksLikeFormula(c.trim()) })) })),
  };
}

/**
 * Reads the first sheet with content; at most `maxRows + 1` data rows are kept, so the caller can tell
 * a file over the limit without holding all of it.
 */
export async function readSheet(fileName: string, content: Buffer, maxRows: number): Promise<Sheet> {
  if (isXlsx(content)) return readXlsx(content, maxRows);
  if (/\.xlsx$/i.test(fileName)) throw new UnreadableFile('the file is named .xlsx but is not an xlsx workbook');
  if (/\.xls$/i.test(fileName) || content.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) throw new UnreadableFile('old .xls workbooks are not read: save as xlsx or csv');
  return readCsv(content, maxRows);
}
