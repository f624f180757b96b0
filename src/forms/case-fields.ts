/**
 * Form fields checked against the case, not only for their kind: the service form's 送达日期 must not
 * be before the served document was issued nor after today plus SERVICE_DATE_DAYS_AHEAD — the same
 * rule the case page's service record and the service step apply (src/documents/service-date.ts), so
 * a date the step would refuse is refused here, beside the field, before the task is completed.
 */
import { parseInstant } from '../cases/case-deadlines';
import { checkServiceDate } from '../documents/service-date';

export interface CaseFieldContext {
  /** The task's form. */
  formId: string | null;
  /** The task's variables: the documents issued so far and the one issued last. */
  taskVariables: Record<string, unknown>;
  now: number;
  serviceDateDaysAhead: number;
}

interface IssuedEntry { id?: unknown; issuedAt?: unknown; title?: unknown }

/** The document a service task serves: the one issued last, as its variables name it. */
function servedDocument(vars: Record<string, unknown>): IssuedEntry | null {
  const last = vars.lastDocument as { documentType?: unknown } | undefined;
  const documents = vars.documents as Record<string, IssuedEntry> | undefined;
  if (!documents || typeof last?.documentType !== 'string') return null;
  return documents[last.documentType] ?? null;
}

/** Why the value does not fit the case, in Chinese, or null. */
export function caseFieldProblem(key: string, value: unknown, ctx: CaseFieldContext): string | null {
  if (ctx.formId === 'service-record' && key === 'servedAt' && value !== null && value !== undefined) {
    const doc = servedDocument(ctx.taskVariables);
    const checked = checkServiceDate(value, {
      issuedAt: parseInstant(doc?.issuedAt), documentTitle: typeof doc?.title === 'string' ? doc.title : null, now: ctx.now, daysAhead: ctx.serviceDateDaysAhead,
    });
    return checked.ok ? null : checked.message;
  }
  return null;
}
