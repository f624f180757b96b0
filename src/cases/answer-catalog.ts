/**
 * The outside answers a case's processes wait for (messages correlated by the case number), with what
 * each carries: the fields of the small form on the case page, and the check of what the API accepts.
 * One entry per message name of workflows/*.bpmn (workflows/README.md lists the variables each
 * diagram reads). A known message carries these fields and no others.
 */
import type { ErrorDetail } from '../errors';

export type AnswerField =
  | { key: string; label: string; type: 'datetime'; required: boolean }
  | { key: string; label: string; type: 'text'; required: boolean; maxLength: number }
  | { key: string; label: string; type: 'amount'; required: boolean }
  | { key: string; label: string; type: 'choice'; required: boolean; choices: { value: string; label: string }[] };

export interface AnswerKind {
  message: string;
  /** What the user records, as the case page's action names it. */
  label: string;
  /** Who gives the answer, for the form's heading. */
  from: string;
  fields: AnswerField[];
}

const at = (key: string, label: string): AnswerField => ({ key, label, type: 'datetime', required: true });
const text = (key: string, label: string, required = false, maxLength = 2000): AnswerField => ({ key, label, type: 'text', required, maxLength });
const choice = (key: string, label: string, choices: [string, string][]): AnswerField =>
  ({ key, label, type: 'choice', required: true, choices: choices.map(([value, l]) => ({ value, label: l })) });

export const ANSWER_KINDS: readonly AnswerKind[] = [
  { message: 'materials-completed', label: '登记补正材料已提交', from: '投诉人', fields: [at('materialsCompletedAt', '收到补正材料时间'), text('materialsNote', '补正内容')] },
  { message: 'correction-reported', label: '登记用人单位报告已改正', from: '用人单位', fields: [at('correctionReportedAt', '收到改正报告时间'), text('correctionNote', '改正情况', true)] },
  { message: 'employer-absconded', label: '报告用人单位逃匿', from: '承办监察员', fields: [at('abscondedAt', '发现逃匿时间'), text('abscondNote', '逃匿情况', true)] },
  { message: 'hearing-requested', label: '登记当事人要求听证', from: '当事人', fields: [at('hearingRequestedAt', '收到听证申请时间')] },
  { message: 'fine-paid', label: '登记罚款已缴纳', from: '当事人', fields: [at('paidAt', '缴纳时间'), { key: 'paidAmount', label: '缴纳金额（元）', type: 'amount', required: true }, text('paymentReceiptNumber', '缴款凭证号', false, 100)] },
  { message: 'enforcement-concluded', label: '登记强制执行结果', from: '人民法院', fields: [at('enforcementConcludedAt', '收到执行结果时间'), text('enforcementResult', '执行结果', true)] },
  {
    message: 'police-decision', label: '登记公安机关立案决定', from: '公安机关',
    fields: [choice('policeDecision', '决定', [['accepted', '立案'], ['refused', '不予立案']]), at('policeDecisionAt', '收到决定时间'),
      text('policeDecisionNumber', '文书编号', true, 100), text('policeDecisionReason', '理由（不予立案时填写）')],
  },
  {
    message: 'police-reconsideration-answer', label: '登记公安机关复议决定', from: '公安机关',
    fields: [choice('reconsiderationResult', '复议决定', [['accepted', '撤销原决定，予以立案'], ['upheld', '维持不予立案']]), at('reconsiderationAnsweredAt', '收到复议决定时间'),
      text('reconsiderationNumber', '文书编号', false, 100)],
  },
  {
    message: 'court-ruling', label: '登记人民法院保全裁定', from: '人民法院',
    fields: [choice('courtRuling', '裁定', [['granted', '准予保全'], ['rejected', '驳回申请']]), at('rulingAt', '收到裁定时间'), text('rulingNumber', '裁定书编号', true, 100)],
  },
  {
    message: 'suit-filed', label: '登记已起诉或申请仲裁', from: '劳动者',
    fields: [choice('suitType', '方式', [['lawsuit', '向人民法院起诉'], ['arbitration', '申请劳动争议仲裁']]), at('suitFiledAt', '起诉或申请时间')],
  },
];

const byMessage = new Map(ANSWER_KINDS.map((k) => [k.message, k]));

export function answerKind(message: string): AnswerKind | undefined {
  return byMessage.get(message);
}

const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,3})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

function misfit(f: AnswerField, v: unknown, now: number): string | null {
  if (v === undefined || v === null || v === '') return f.required ? 'required' : null;
  switch (f.type) {
    case 'datetime': {
      if (typeof v !== 'string' || !DATETIME.test(v) || Number.isNaN(Date.parse(v))) return 'expected a date and time with its offset';
      const d = new Date(Date.parse(v));
      const [y, m, day] = v.slice(0, 10).split('-').map(Number);
      // 2027-02-30T… parses to March: refuse what is not a real day.
      if (y < 1990 || m < 1 || m > 12 || day < 1 || day > 31 || new Date(Date.UTC(y, m - 1, day)).getUTCDate() !== day) return 'not a real date';
      return d.getTime() > now + 86_400_000 ? 'in the future' : null;
    }
    case 'text':
      return typeof v === 'string' && v.length <= f.maxLength ? null : `expected text of at most ${f.maxLength} characters`;
    case 'amount':
      // 0.29 * 100 is 28.999999999999996 in floating point: compare with a tolerance, not exactly.
      return typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1e10 && Math.abs(Math.round(v * 100) - v * 100) < 1e-6 ? null : 'expected an amount in yuan (at most two decimals)';
    case 'choice':
      return typeof v === 'string' && f.choices.some((c) => c.value === v) ? null : 'not one of the choices';
  }
}

/** The problems of a known message's variables against its fields; unknown keys are refused. */
export function checkAnswer(kind: AnswerKind, variables: Record<string, unknown>, now: number): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const known = new Set(kind.fields.map((f) => f.key));
  // Completed materials may also carry the corrected complaint (src/cases/outside-answer.ts checks its employer).
  if (kind.message === 'materials-completed') known.add('complaint');
  for (const key of Object.keys(variables)) {
    if (!known.has(key)) problems.push({ path: `body.variables.${key}`, message: `not a field of ${kind.message}` });
  }
  for (const f of kind.fields) {
    const why = misfit(f, variables[f.key], now);
    if (why) problems.push({ path: `body.variables.${f.key}`, message: why });
  }
  return problems;
}
