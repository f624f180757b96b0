/**
 * Lists written as xlsx straight to the response: exceljs's streaming WorkbookWriter commits each row
 * as it comes, so a 100,000-row export holds one page of rows in memory, not a workbook. Every cell is
 * text; a text a spreadsheet would read as a formula (beginning with = + - @, or a tab or carriage
 * return before one) gets a leading apostrophe, so a name like "=HYPERLINK(…)" typed into a file cannot
 * run in whoever opens the export (CSV/xlsx injection).
 */
import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Text that cannot start a formula in Excel, WPS or LibreOffice. */
export function neutralise(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * The Content-Disposition of a download with a Chinese file name (RFC 6266 / 5987), with a plain
 * `filename` first for clients that read only that one.
 */
export function attachment(fileName: string): string {
  // The plain name only when the Chinese one is plain ASCII already; otherwise a neutral one.
  const plain = /^[\w.-]+$/.test(fileName) ? fileName : 'export.xlsx';
  return `attachment; filename="${plain}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export interface XlsxSheet {
  name: string;
  headers: string[];
  /** Rows of cell texts, in order; read as they are written. */
  rows: AsyncIterable<string[]>;
}

/** Writes the sheet to `out` and ends it; the promise settles when the file is complete. */
export async function writeXlsx(out: NodeJS.WritableStream, sheet: XlsxSheet): Promise<void> {
  // Inline strings and no shared-strings table: nothing has to be held until the end.
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out as unknown as import('stream').Stream, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(sheet.name);
  // Text format by column (one style for the column, not one per cell).
  ws.columns = sheet.headers.map(() => ({ width: 18, style: { numFmt: '@' } }));
  const head = ws.addRow(sheet.headers);
  head.font = { bold: true };
  head.commit();
  for await (const values of sheet.rows) ws.addRow(values.map(neutralise)).commit();
  ws.commit();
  await wb.commit();
}

/**
 * The sheet as a stream for a response body. A failure after the first bytes cannot become an error
 * answer any more: the stream is destroyed, so the client sees a broken download rather than a file
 * that looks complete.
 */
export function xlsxStream(sheet: XlsxSheet, onError: (e: unknown) => void): Readable {
  const out = new PassThrough();
  writeXlsx(out, sheet).catch((e: unknown) => { onError(e); out.destroy(e instanceof Error ? e : new Error(String(e))); });
  return out;
}

/** The whole file in memory, for tests and the benchmark's size figure. */
export async function xlsxBuffer(sheet: XlsxSheet): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => { out.on('end', resolve); out.on('error', reject); });
  await writeXlsx(out, sheet);
  await ended;
  return Buffer.concat(chunks);
}
