/**
 * Import of employer registers (the market-registration system's 企业名册, the social-insurance
 * system's 参保单位名册) from xlsx or csv. One pass checks every row and reports each one it would
 * refuse and why — credit code missing or failing its GB 32100-2015 check character, the same code twice
 * in the file, a formula cell, a bad number, a new employer without an address — and what it would
 * create or change; nothing is written unless the import is confirmed. Rows match files on file by
 * credit code, so importing the same register again changes nothing, and a newer register changes only
 * the fields that differ, each change in the file's history.
 */
import { EntityManager } from 'typeorm';
import { z } from 'zod';
import { Actor, recordAudit } from '../audit/audit';
import { authorize } from '../auth/policy';
import { Principal } from '../auth/principal';
import { checkCreditCode, normalizeCreditCode } from '../cases/credit-code';
import { Employer } from '../db/entities';
import { errors } from '../errors';
import { listAddressRules, placeAddress } from '../org/address-rules';
import { createEmployer } from './commands';
import { EmployerFieldKey, FIELD_BY_KEY, FieldValue, OWNERSHIP, readField, SCALE } from './fields';
import { Collector, FieldChanges, recordFields } from './file-record';
import { readSheet, Sheet, UnreadableFile } from './spreadsheet';

export const importSchema = z.strictObject({
  fileName: z.string().trim().min(1).max(255),
  contentBase64: z.string().min(1).regex(/^[A-Za-z0-9+/=\r\n]+$/, 'base64'),
  /** false (the default): a dry run that only reports. */
  confirm: z.boolean().default(false),
});

type ImportedKey = 'creditCode' | 'name' | 'legalRepresentative' | 'address' | 'phone' | 'industry' | 'ownership' | 'scale' | 'headcount' | 'migrantWorkers' | 'contractsSigned' | 'socialInsuranceParticipants';

/** Header texts of the registers this office receives, for each field. */
const COLUMN_NAMES: Record<ImportedKey, string[]> = {
  creditCode: ['统一社会信用代码', '社会信用代码', '信用代码', '统一代码'],
  name: ['单位名称', '企业名称', '用人单位名称', '名称', '参保单位名称'],
  legalRepresentative: ['法定代表人', '法定代表人（负责人）', '法定代表人(负责人)', '负责人', '法人代表'],
  address: ['用工地址', '经营地址', '住所', '地址', '经营场所', '单位地址', '住所（经营场所）'],
  phone: ['联系电话', '单位电话', '电话'],
  industry: ['行业', '所属行业', '行业门类', '行业类别'],
  ownership: ['经济类型', '企业类型', '经济性质', '单位类型'],
  scale: ['企业规模', '规模'],
  headcount: ['职工人数', '从业人数', '用工人数', '员工人数'],
  migrantWorkers: ['农民工人数'],
  contractsSigned: ['签订劳动合同人数', '签订书面劳动合同人数'],
  socialInsuranceParticipants: ['参保人数', '参加社会保险人数', '缴费人数', '在职参保人数'],
};
const REQUIRED_COLUMNS: ImportedKey[] = ['creditCode', 'name'];
const normalHeader = (h: string) => h.replace(/\s+/g, '').replace(/[()]/g, (c) => (c === '(' ? '（' : '）'));

/** Words in an ownership text and the class they mean; the first match wins, anything else is 其他. */
const OWNERSHIP_WORDS: [RegExp, keyof typeof OWNERSHIP][] = [
  [/港|澳|台/, 'hmt'], [/外商|外资|中外/, 'foreign'], [/个体/, 'individual'], [/国有/, 'state'], [/集体/, 'collective'],
  [/股份/, 'joint-stock'], [/私营|民营|自然人|有限责任/, 'private'], [/事业/, 'institution'],
];
const SCALE_WORDS: [RegExp, keyof typeof SCALE][] = [[/微/, 'micro'], [/小/, 'small'], [/中/, 'medium'], [/大/, 'large']];

export interface RowReport {
  row: number;
  creditCode: string | null;
  name: string | null;
  action: 'create' | 'update' | 'unchanged' | 'refused';
  reasons?: string[];
  /** Fields a create sets or an update changes. */
  fields?: EmployerFieldKey[];
  /** For a create: the grid an address rule places it in, or null (unplaced). */
  gridId?: string | null;
}

export interface ImportReport {
  fileName: string;
  confirmed: boolean;
  rows: number;
  columns: { mapped: Record<string, EmployerFieldKey>; ignored: string[] };
  counts: { create: number; update: number; unchanged: number; refused: number };
  /** Every refused row with its reasons. */
  refused: RowReport[];
  /** The rows that would be (or were) created or changed, up to 500. */
  changes: RowReport[];
}

interface PlannedRow extends RowReport {
  values: FieldChanges;
  existing?: Employer;
}

function mapColumns(headers: string[]): { map: Map<number, ImportedKey>; ignored: string[]; problems: { path: string; message: string }[] } {
  const map = new Map<number, ImportedKey>();
  const ignored: string[] = [];
  const problems: { path: string; message: string }[] = [];
  const seen = new Map<ImportedKey, string>();
  headers.forEach((h, i) => {
    const key = (Object.keys(COLUMN_NAMES) as ImportedKey[]).find((k) => COLUMN_NAMES[k].map(normalHeader).includes(normalHeader(h)));
    if (!key) { if (h) ignored.push(h); return; }
    if (seen.has(key)) { problems.push({ path: `columns.${h}`, message: `两列都表示“${FIELD_BY_KEY.get(key)!.label}”：“${seen.get(key)}”和“${h}”` }); return; }
    seen.set(key, h);
    map.set(i, key);
  });
  for (const k of REQUIRED_COLUMNS) {
    if (!seen.has(k)) problems.push({ path: `columns.${FIELD_BY_KEY.get(k)!.label}`, message: `缺少“${FIELD_BY_KEY.get(k)!.label}”列（可用列名：${COLUMN_NAMES[k].join('、')}）` });
  }
  return { map, ignored, problems };
}

/** The row's value for a field, checked; a reason when it is refused. */
function parseValue(key: ImportedKey, text: string): { value: FieldValue } | { reason: string } {
  const def = FIELD_BY_KEY.get(key)!;
  if (text === '') return { value: null };
  if (def.kind === 'int') {
    const n = Number(text.replace(/,/g, ''));
    if (!Number.isInteger(n) || n < 0 || n > (def.max ?? 1_000_000)) return { reason: `“${def.label}”应为不大于${def.max ?? 1_000_000}的非负整数，实为“${text.slice(0, 40)}”` };
    return { value: n };
  }
  if (key === 'ownership') return { value: OWNERSHIP_WORDS.find(([re]) => re.test(text))?.[1] ?? 'other' };
  if (key === 'scale') {
    const s = SCALE_WORDS.find(([re]) => re.test(text));
    return s ? { value: s[1] } : { reason: `“${def.label}”应为大型、中型、小型或微型，实为“${text.slice(0, 40)}”` };
  }
  if (text.length > (def.max ?? 200)) return { reason: `“${def.label}”超过${def.max}个字符` };
  return { value: text };
}

async function plan(em: EntityManager, p: Principal, sheet: Sheet): Promise<{ rows: PlannedRow[]; columns: ImportReport['columns'] }> {
  const { map, ignored, problems } = mapColumns(sheet.headers);
  if (problems.length) throw errors.badRequest('IMPORT_COLUMNS', 'The file does not have the columns of an employer register.', problems);
  // The files the register names, read by credit code a thousand at a time: the cost follows the file, not the office.
  const codeColumn = [...map].find(([, k]) => k === 'creditCode')![0];
  const codes = [...new Set(sheet.rows.map((r) => r.cells[codeColumn]?.text ? normalizeCreditCode(r.cells[codeColumn].text) : '').filter(Boolean))];
  const existing = new Map<string, Employer>();
  for (let i = 0; i < codes.length; i += 1000) {
    const part = codes.slice(i, i + 1000);
    for (const e of await em.createQueryBuilder(Employer, 'e').where('e.office_id = :o AND e.credit_code IN (:...codes)', { o: p.officeId, codes: part }).getMany()) existing.set(e.creditCode!, e);
  }
  const rules = await listAddressRules(em, p.officeId);
  const firstRowOf = new Map<string, number>();
  const rows: PlannedRow[] = [];
  for (const r of sheet.rows) {
    const reasons: string[] = [];
    const values: FieldChanges = {};
    for (const [i, key] of map) {
      const cell = r.cells[i] ?? { text: '', formula: false };
      if (cell.formula) { reasons.push(`“${FIELD_BY_KEY.get(key)!.label}”是公式或以 = + - @ 开头，不予导入`); continue; }
      const parsed = key === 'creditCode' ? { value: cell.text ? normalizeCreditCode(cell.text) : null } : parseValue(key, cell.text);
      if ('reason' in parsed) reasons.push(parsed.reason);
      else if (parsed.value !== null) values[key] = parsed.value;
    }
    const code = (values.creditCode as string | undefined) ?? null;
    if (!code && !reasons.some((x) => x.includes('统一社会信用代码'))) reasons.push('缺少统一社会信用代码');
    if (code) {
      const check = checkCreditCode(code);
      if (!check.ok) reasons.push(check.reason);
      else if (firstRowOf.has(code)) reasons.push(`统一社会信用代码与第${firstRowOf.get(code)}行重复`);
      else firstRowOf.set(code, r.row);
    }
    if (!values.name && !reasons.some((x) => x.includes('单位名称'))) reasons.push('缺少单位名称');
    const name = (values.name as string | undefined) ?? null;
    if (reasons.length) { rows.push({ row: r.row, creditCode: code, name, action: 'refused', reasons, values }); continue; }
    const file = existing.get(code!);
    if (!file) {
      if (!values.address) { rows.push({ row: r.row, creditCode: code, name, action: 'refused', reasons: ['新单位缺少用工地址'], values }); continue; }
      const placed = placeAddress(rules, String(values.address));
      rows.push({ row: r.row, creditCode: code, name, action: 'create', fields: Object.keys(values) as EmployerFieldKey[], gridId: placed.gridId, values });
      continue;
    }
    const changed = (Object.keys(values) as EmployerFieldKey[]).filter((k) => String(readField(file, k)) !== String(values[k]));
    const diff: FieldChanges = Object.fromEntries(changed.map((k) => [k, values[k]]));
    rows.push({ row: r.row, creditCode: code, name, action: changed.length ? 'update' : 'unchanged', fields: changed, values: diff, existing: file });
  }
  return { rows, columns: { mapped: Object.fromEntries([...map].map(([i, k]) => [sheet.headers[i], k])), ignored } };
}

/** Checks the file and, when `confirm` is set, writes the rows it accepts; returns the report either way. */
export async function importEmployers(em: EntityManager, p: Principal, actor: Actor, now: Date, input: z.infer<typeof importSchema>, maxRows: number): Promise<ImportReport> {
  authorize(p, 'employers.import');
  const content = Buffer.from(input.contentBase64, 'base64');
  let sheet: Sheet;
  try {
    sheet = await readSheet(input.fileName, content, maxRows);
  } catch (e) {
    if (e instanceof UnreadableFile) throw errors.badRequest('IMPORT_UNREADABLE', `The file cannot be read: ${e.message}.`, [{ path: 'body.contentBase64', message: e.message }]);
    throw e;
  }
  if (sheet.rows.length > maxRows) {
    throw errors.badRequest('IMPORT_TOO_MANY_ROWS', `The file has more than ${maxRows} rows; split it.`, [{ path: 'body.contentBase64', message: `more than ${maxRows} rows`, limit: maxRows }]);
  }
  if (!sheet.rows.length) throw errors.badRequest('IMPORT_EMPTY', 'The file has no data rows.', [{ path: 'body.contentBase64', message: 'no data rows' }]);
  const { rows, columns } = await plan(em, p, sheet);
  if (input.confirm) {
    const who: Collector = { userId: p.userId, name: p.displayName, source: 'import', collectedAt: now.getTime() };
    for (const r of rows) {
      if (r.action === 'update') await recordFields(em, r.existing!, r.values, who, now.getTime());
      if (r.action === 'create') {
        const { creditCode, name, address, ...rest } = r.values as Record<string, FieldValue>;
        const created = await createEmployer(em, p, actor, now, { name: String(name), address: String(address), creditCode: String(creditCode), ...(rest as object) });
        // createEmployer marks the values as entered by the person; the register is their source.
        await em.query("UPDATE employer_fields SET source = 'import' WHERE employer_id = ?", [created.id]);
        await em.query("UPDATE employer_changes SET source = 'import' WHERE employer_id = ?", [created.id]);
      }
    }
  }
  const count = (a: RowReport['action']) => rows.filter((r) => r.action === a).length;
  const report: ImportReport = {
    fileName: input.fileName, confirmed: input.confirm, rows: rows.length, columns,
    counts: { create: count('create'), update: count('update'), unchanged: count('unchanged'), refused: count('refused') },
    refused: rows.filter((r) => r.action === 'refused').map(({ row, creditCode, name, action, reasons }) => ({ row, creditCode, name, action, reasons })),
    changes: rows.filter((r) => r.action === 'create' || r.action === 'update').slice(0, 500).map(({ row, creditCode, name, action, fields, gridId }) => ({ row, creditCode, name, action, fields, gridId })),
  };
  if (input.confirm) {
    await recordAudit(em, actor, now, { action: 'employer.import', entityType: 'office', entityId: p.officeId, after: { fileName: input.fileName, ...report.counts } });
  }
  return report;
}
