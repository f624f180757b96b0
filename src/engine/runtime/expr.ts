/**
 * Expression evaluation for the runtime, over src/engine/feel: '=expr' is FEEL, anything else a
 * literal (Zeebe's convention). Failures become incidents, so they surface as ExprError.
 */
import { FeelError, evaluateCondition, evaluateExpr, evaluateFeel } from '../feel/feel';

export class ExprError extends Error {}

function wrap<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof FeelError) throw new ExprError(e.message);
    throw e;
  }
}

const at = (now?: number) => (now === undefined ? {} : { now: new Date(now) });

/** Evaluates FEEL text written without the leading '='. */
export function feel(source: string, context: Record<string, unknown>, now?: number): unknown {
  return wrap(() => evaluateFeel(source, context, at(now)));
}

/** A sequence-flow condition: true, false, or an incident for anything else (as in Zeebe). */
export function condition(source: string, context: Record<string, unknown>, now?: number): boolean {
  return wrap(() => evaluateCondition(source, context, at(now)));
}

export function expr(value: string, context: Record<string, unknown>, now?: number): unknown {
  return wrap(() => evaluateExpr(value, context, at(now)));
}

export function exprString(value: string, context: Record<string, unknown>, what: string, now?: number): string {
  const v = expr(value, context, now);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new ExprError(`Expected ${what} '${value}' to give a string, but it gave ${v === null ? 'null' : typeof v}.`);
}
