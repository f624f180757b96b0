/**
 * Employers' written-review submissions imported from a spreadsheet (xlsx or csv, as the office's
 * collection form or another system exports them), read by the employer register's reader
 * (src/employers/spreadsheet.ts). One pass checks every row and reports each it would refuse and why —
 * credit code missing or failing its check, the same code twice, an employer not in this review or no
 * longer awaiting its submission, a formula cell, a number that is not one, figures that contradict each
 * other — and which it would record; nothing is written unless the import is confirmed. Confirmed rows are
 * recorded as window entries are (each hands its lifecycle the submission), a batch per transaction.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import type { Actor } from '../audit/audit';
import { recordAudit } from '../audit/audit';
import { authorize } from '../auth/policy';
import type { Principal } from '../auth/principal';
import { checkCreditCode, normalizeCreditCode } from '../cases/credit-code';
import { inTransaction } from '../db/data-source';
import type { WorkflowEngine } from '../engine/port';
import { readSheet, UnreadableFile, type Sheet } from '../employers/spreadsheet';
import { AppError, errors } from '../errors';
import { recordSubmission, submissionProblems, submissionSchema, WORKING_HOURS, type ReviewEmployerRow, type ReviewRow, type Submission } from './written-review';

export const reviewImportSchema = z.strictObject({
  fileName: z.string().trim().min(1).max(255),
  contentBase64: z.string().min(1).regex(/^[A-Za-z0-9+/=\r\n]+$/, 'base64'),
  /** false (the default): a dry run that only reports. */
  confirm: z.boolean().default(false),
});

type Column = 'creditCode' | 'name' | keyof Submission;

/** Header texts accepted for each column. */
const COLUMN_NAMES: Record<Column, string[]> = {
  creditCode: ['统一社会信用代码', '社会信用代码', '信用代码'],
  name: ['单位名称', '用人单位名称', '企业名称'],
  headcount: ['职工人数', '从业人数', '用工人数'],
  contractsSigned: ['签订劳动合同人数', '签订书面劳动合同人数'],
  wagesPaid: ['工资总额（元）', '全年工资总额（元）', '工资总额'],
  wagePayDay: ['工资支付日', '每月工资支付日'],
  workingHoursSystem: ['工时制度'],
  socialInsuranceParticipants: ['参保人数', '参加社会保险人数'],
  migrantWorkers: ['农民工人数'],
  migrantWagesOwed: ['拖欠农民工工资（元）', '拖欠农民工工资'],
  note: ['备注', '说明'],
};
const LABEL: Record<Column, string> = Object.fromEntries(Object.entries(COLUMN_NAMES).map(([k, v]) => [k, v[0]])) as Record<Column, string>;
const REQUIRED: Column[] = ['creditCode', 'headcount', 'contractsSigned', 'wagesPaid', 'wagePayDay', 'workingHoursSystem', 'socialInsuranceParticipants', 'migrantWorkers', 'migrantWagesOwed'];
const normal = (h: string) => h.replace(/\s+/g, '').replace(/[()]/g, (c) => (c === '(' ? '（' : '）'));
const HOURS_WORDS: [RegExp, (typeof WORKING_HOURS)[number]][] = [[/综合/, 'comprehensive'], [/不定时/, 'flexible'], [/标准/, 'standard']];

export interface ReviewImportRow {
  row: number;
  creditCode: string | null;
  name: string | null;
  action: 'record' | 'refused';
  reasons?: string[];
  reviewEmployerId?: string;
}

export interface ReviewImportReport {
  fileName: string;
  confirmed: boolean;
  rows: number;
  counts: { record: number; refused: number };
  refused: ReviewImportRow[];
  /** The rows recorded (or that would be), up to 500. */
  accepted: ReviewImportRow[];
}

interface Planned extends ReviewImportRow { submission?: Submission; target?: ReviewEmployerRow }

function mapColumns(headers: string[]): Map<number, Column> {
  const map = new Map<number, Column>();
  const problems: { path: string; message: string }[] = [];
  headers.forEach((h, i) => {
    const key = (Object.keys(COLUMN_NAMES) as Column[]).find((k) => COLUMN_NAMES[k].map(normal).includes(normal(h)));
    if (key && ![...map.values()].includes(key)) map.set(i, key);
  });
  for (const k of REQUIRED) if (![...map.values()].includes(k)) problems.push({ path: `columns.${LABEL[k]}`, message: `缺少“${LABEL[k]}”列（可用列名：${COLUMN_NAMES[k].join('、')}）` });
  if (problems.length) throw errors.badRequest('IMPORT_COLUMNS', 'The file does not have the columns of a written-review submission.', problems);
  return map;
}

function numberOf(text: string, label: string, integer: boolean, reasons: string[]): number | undefined {
  const v = Number(text.replace(/,/g, ''));
  if (text === '' || !Number.isFinite(v) || v < 0 || (integer && !Number.isInteger(v))) {
    reasons.push(`“${label}”应为${integer ? '非负整数' : '非负数'}，实为“${text.slice(0, 40)}”`);
    return undefined;
  }
  return v;
}

async function plan(em: EntityManager, review: ReviewRow, sheet: Sheet): Promise<Planned[]> {
  const map = mapColumns(sheet.headers);
  const inReview: (ReviewEmployerRow & { credit_code: string | null })[] = await em.query(
    'SELECT w.*, e.credit_code FROM written_review_employers w JOIN employers e ON e.id = w.employer_id WHERE w.review_id = ? AND e.credit_code IS NOT NULL', [review.id]);
  const byCode = new Map(inReview.map((r) => [String(r.credit_code), r]));
  const firstRow = new Map<string, number>();
  const out: Planned[] = [];
  for (const r of sheet.rows) {
    const reasons: string[] = [];
    const raw: Partial<Record<Column, string>> = {};
    for (const [i, key] of map) {
      const cell = r.cells[i] ?? { text: '', formula: false };
      if (cell.formula) reasons.push(`“${LABEL[key]}”是公式或以 = + - @ 开头，不予导入`);
      else raw[key] = cell.text;
    }
    const code = raw.creditCode ? normalizeCreditCode(raw.creditCode) : null;
    const name = raw.name || null;
    if (!code) { if (!reasons.some((x) => x.includes('统一社会信用代码'))) reasons.push('缺少统一社会信用代码'); } else {
      const check = checkCreditCode(code);
      if (!check.ok) reasons.push(check.reason);
      else if (firstRow.has(code)) reasons.push(`统一社会信用代码与第${firstRow.get(code)}行重复`);
      else firstRow.set(code, r.row);
    }
    const s: Record<string, unknown> = {};
    for (const k of ['headcount', 'contractsSigned', 'wagePayDay', 'socialInsuranceParticipants', 'migrantWorkers'] as const) if (raw[k] !== undefined) s[k] = numberOf(raw[k]!, LABEL[k], true, reasons);
    for (const k of ['wagesPaid', 'migrantWagesOwed'] as const) if (raw[k] !== undefined) s[k] = numberOf(raw[k]!, LABEL[k], false, reasons);
    if (raw.workingHoursSystem !== undefined) {
      const h = HOURS_WORDS.find(([re]) => re.test(raw.workingHoursSystem!));
      if (h) s.workingHoursSystem = h[1]; else reasons.push(`“工时制度”应为标准工时制、综合计算工时制或不定时工作制，实为“${raw.workingHoursSystem.slice(0, 40)}”`);
    }
    if (raw.note) s.note = raw.note;
    let submission: Submission | undefined;
    if (!reasons.length) {
      const parsed = submissionSchema.safeParse(s);
      if (!parsed.success) reasons.push(...parsed.error.issues.map((i) => `“${LABEL[i.path[0] as Column] ?? String(i.path[0])}”不符合要求`));
      else {
        submission = parsed.data;
        reasons.push(...submissionProblems(submission).map((p) => p.message));
      }
    }
    const target = code ? byCode.get(code) : undefined;
    if (code && !target && !reasons.some((x) => x.includes('统一社会信用代码'))) reasons.push('该单位不在本年度书面审查范围内');
    if (target && !['notified', 'reminded'].includes(target.state)) {
      reasons.push(target.state === 'enrolled' ? '书面审查通知书尚未发出' : target.result === 'not-submitted' ? '已记为未报送，不能再导入' : '该单位已经报送');
    }
    if (reasons.length) out.push({ row: r.row, creditCode: code, name, action: 'refused', reasons });
    else out.push({ row: r.row, creditCode: code, name, action: 'record', reviewEmployerId: target!.id, submission, target });
  }
  return out;
}

const CONFIRM_BATCH = 200;

/** Checks the file against the review and, when `confirm` is set, records the rows it accepts. */
export async function importSubmissions(ds: DataSource, engine: WorkflowEngine, p: Principal, actor: Actor, review: ReviewRow, input: z.output<typeof reviewImportSchema>, maxRows: number, now: () => number): Promise<ReviewImportReport> {
  authorize(p, 'writtenReviews.import');
  let sheet: Sheet;
  try {
    sheet = await readSheet(input.fileName, Buffer.from(input.contentBase64, 'base64'), maxRows);
  } catch (e) {
    if (e instanceof UnreadableFile) throw errors.badRequest('IMPORT_UNREADABLE', `The file cannot be read: ${e.message}.`, [{ path: 'body.contentBase64', message: e.message }]);
    throw e;
  }
  if (sheet.rows.length > maxRows) throw errors.badRequest('IMPORT_TOO_MANY_ROWS', `The file has more than ${maxRows} rows; split it.`, [{ path: 'body.contentBase64', message: `more than ${maxRows} rows`, limit: maxRows }]);
  if (!sheet.rows.length) throw errors.badRequest('IMPORT_EMPTY', 'The file has no data rows.', [{ path: 'body.contentBase64', message: 'no data rows' }]);
  const rows = await plan(ds.manager, review, sheet);
  if (input.confirm) {
    const accepted = rows.filter((r) => r.action === 'record');
    for (let i = 0; i < accepted.length; i += CONFIRM_BATCH) {
      await inTransaction(ds, async (em) => {
        for (const r of accepted.slice(i, i + CONFIRM_BATCH)) {
          try {
            await recordSubmission(em, engine, actor, r.target!, r.submission!, 'import', now());
          } catch (e) {
            // Entered at the window since the dry run: refused before anything of the row was written.
            if (!(e instanceof AppError && e.code === 'WRITTEN_REVIEW_NOT_AWAITING')) throw e;
            Object.assign(r, { action: 'refused', reasons: ['该单位已经报送'] });
          }
        }
      });
    }
    await inTransaction(ds, (em) => recordAudit(em, actor, new Date(now()), {
      action: 'written-review.import', entityType: 'written_review', entityId: review.id,
      after: { fileName: input.fileName, recorded: rows.filter((r) => r.action === 'record').length, refused: rows.filter((r) => r.action === 'refused').length },
    }));
  }
  const strip = ({ row, creditCode, name, action, reasons, reviewEmployerId }: Planned): ReviewImportRow => ({ row, creditCode, name, action, ...(reasons ? { reasons } : {}), ...(reviewEmployerId ? { reviewEmployerId } : {}) });
  return {
    fileName: input.fileName, confirmed: input.confirm, rows: rows.length,
    counts: { record: rows.filter((r) => r.action === 'record').length, refused: rows.filter((r) => r.action === 'refused').length },
    refused: rows.filter((r) => r.action === 'refused').map(strip),
    accepted: rows.filter((r) => r.action === 'record').slice(0, 500).map(strip),
  };
}
