/**
 * What a user may hand a process when completing a task: the values of the task's form fields, each
 * of the field's type. Anything else — a key the form does not have (`caseId`, another case's number),
 * an object where the form has a text field — is refused before the engine sees it, because later
 * steps and workers act on these variables.
 */
import { RECORD_IDENTITY_VARIABLES } from '../workers/system-variables';
import type { ErrorDetail } from '../errors';
import { caseFieldProblem, type CaseFieldContext } from './case-fields';

interface FormComponent {
  type?: string;
  key?: string;
  values?: { value?: unknown }[];
  /** Choices read from the data under this key (src/forms/dynamic-choices.ts). */
  valuesKey?: string;
  subtype?: string;
  validate?: { maxLength?: number };
  /** Shown to this task's user as recorded by an earlier step (a handler's opinion on an approval): not theirs to change. */
  readonly?: unknown;
  components?: FormComponent[];
}

/** Longest text a form field takes when its schema sets no maxLength: a long investigation record. */
const TEXT_LIMIT = 20_000;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,3})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?$/;

/** A real calendar day between 1990 and 2100 (2026-02-30 is not). */
export function isCalendarDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1990 || y > 2100) return false;
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function fieldsOf(components: FormComponent[] | undefined, out = new Map<string, FormComponent>()): Map<string, FormComponent> {
  for (const c of components ?? []) {
    if (c.key) out.set(c.key, c);
    if (c.components) fieldsOf(c.components, out);
  }
  return out;
}

/** The values a choice field allows: its own list, or the case's choices for its `valuesKey`; null when unknown. */
function allowedValues(f: FormComponent, dynamic: Record<string, { value: string }[]>): unknown[] | null {
  if (Array.isArray(f.values)) return f.values.map((v) => v.value);
  if (f.valuesKey && dynamic[f.valuesKey]) return dynamic[f.valuesKey].map((c) => c.value);
  return null;
}

/** Why `value` does not fit the field, or null when it does. Empty (null) is left to the form's own required check. */
function misfit(f: FormComponent, value: unknown, dynamic: Record<string, { value: string }[]>): string | null {
  if (value === null) return null;
  switch (f.type) {
    case 'textfield':
    case 'textarea': {
      if (typeof value !== 'string') return 'expected text';
      const max = Math.min(f.validate?.maxLength ?? TEXT_LIMIT, TEXT_LIMIT);
      return value.length > max ? `longer than ${max} characters` : null;
    }
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'expected a number';
    case 'checkbox':
      return typeof value === 'boolean' ? null : 'expected true or false';
    case 'radio':
    case 'select': {
      const allowed = allowedValues(f, dynamic);
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return 'expected one of the choices';
      return allowed && !allowed.includes(value) ? 'not one of the choices' : null;
    }
    case 'checklist':
    case 'taglist': {
      if (!Array.isArray(value)) return 'expected a list of choices';
      const allowed = allowedValues(f, dynamic);
      return value.every((v) => (typeof v === 'string' || typeof v === 'number') && (!allowed || allowed.includes(v))) ? null : 'not one of the choices';
    }
    case 'datetime': {
      if (typeof value !== 'string') return 'expected a date';
      if (f.subtype === 'time') return TIME.test(value) ? null : 'expected a time';
      if (f.subtype === 'datetime') {
        const m = DATETIME.exec(value);
        return m && isCalendarDate(m[1]) ? null : 'expected a date and time';
      }
      return isCalendarDate(value) ? null : 'expected a real calendar date (YYYY-MM-DD)';
    }
    default:
      // Other keyed fields (e.g. hidden values) take scalars only.
      return value === null || ['string', 'number', 'boolean'].includes(typeof value) ? null : 'expected a single value';
  }
}

/**
 * The problems of a submission against a form-js schema, each with its path (`body.variables.x`).
 * A task without a form takes no variables.
 */
export function checkSubmission(
  schema: { components?: unknown } | null, variables: Record<string, unknown>, dynamic: Record<string, { value: string }[]> = {}, caseContext?: CaseFieldContext,
): ErrorDetail[] {
  const fields = fieldsOf(schema ? (schema.components as FormComponent[] | undefined) : []);
  const problems: ErrorDetail[] = [];
  for (const [key, value] of Object.entries(variables)) {
    const f = fields.get(key);
    if (!f) {
      problems.push({ path: `body.variables.${key}`, message: schema ? 'not a field of this task\'s form' : 'this task has no form and takes no variables' });
      continue;
    }
    if (RECORD_IDENTITY_VARIABLES.has(key)) {
      // A form edited to carry such a field still may not point the case's jobs at another record.
      problems.push({ path: `body.variables.${key}`, message: 'names the record the process acts on: set by the service, not by a form' });
      continue;
    }
    if (f.readonly === true) {
      problems.push({ path: `body.variables.${key}`, message: 'a read-only field of this form: it shows what an earlier step recorded and is not changed here' });
      continue;
    }
    // A value of the right kind is then checked against the case (a service date against the document served).
    const why = misfit(f, value, dynamic) ?? (caseContext ? caseFieldProblem(key, value, caseContext) : null);
    if (why) problems.push({ path: `body.variables.${key}`, message: why });
  }
  return problems;
}
