/**
 * The variables an incident's message asks the user to correct, and how a corrected value is checked
 * — as the form that first took it checks it. A bad-data message ends in `请更正<label>后重试` (or 请填写); the
 * label names the field here. Anything else is not repaired from the case page.
 */
import { checkServiceDate, SERVICE_DATE_FIX } from '../documents/service-date';
import { isCalendarDate } from '../forms/submission';
import { parseInstant } from '../cases/case-deadlines';

export interface RepairContext {
  /** The instance's variables where the incident happened. */
  variables: Record<string, unknown>;
  /** The failed step's document type header is not visible here: the served document is the one issued last. */
  now: number;
  serviceDateDaysAhead: number;
}

export interface RepairableField {
  variable: string;
  label: string;
  /** How the case page asks for it. */
  input: 'date' | 'text';
  /** Why the value is refused, in Chinese, or null. */
  check(value: unknown, ctx: RepairContext): string | null;
}

const FIELDS: RepairableField[] = [
  {
    variable: 'servedAt', label: '送达日期', input: 'date',
    check(value, ctx) {
      if (typeof value !== 'string' || !isCalendarDate(value)) return '请填写有效的日期';
      const last = ctx.variables.lastDocument as { documentType?: unknown } | undefined;
      const documents = ctx.variables.documents as Record<string, { issuedAt?: unknown; title?: unknown }> | undefined;
      const doc = typeof last?.documentType === 'string' ? documents?.[last.documentType] : undefined;
      const r = checkServiceDate(value, { issuedAt: parseInstant(doc?.issuedAt), documentTitle: typeof doc?.title === 'string' ? doc.title : null, now: ctx.now, daysAhead: ctx.serviceDateDaysAhead });
      return r.ok ? null : r.message;
    },
  },
  {
    variable: 'noticeUnservedReason', label: '未送达原因', input: 'text',
    check(value) {
      if (typeof value !== 'string' || !value.trim()) return '请写明未能送达的原因';
      return value.length > 500 ? '未送达原因不超过 500 字' : null;
    },
  },
];

// The service-date message is made where the rule lives; the label must agree with it.
if (!SERVICE_DATE_FIX.includes(FIELDS[0].label)) throw new Error('the service-date message does not name 送达日期');

/** The field an incident message asks to correct, or null. */
export function repairableField(errorMessage: string): RepairableField | null {
  const m = /请(?:更正|填写)(.+?)后重试/.exec(errorMessage);
  return m ? FIELDS.find((f) => f.label === m[1]) ?? null : null;
}
