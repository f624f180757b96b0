/**
 * FEEL for the embedded engine, evaluated with `feelin`.
 *
 * Values in and out are plain JSON-like JavaScript: FEEL dates, times, date-times and durations come
 * back as ISO-8601 strings (Zeebe stores them as strings in variables too):
 *   date            → '2026-10-13'
 *   date and time   → '2026-10-13T09:00:00+08:00' (named zones resolved to their offset; 'Z' for UTC;
 *                     a local date-time without zone stays '2026-10-13T09:00:00')
 *   time            → '09:00:00' (with its offset when it has one)
 *   duration        → 'P3D', 'PT2H', 'P1Y2M'
 * Ranges become their FEEL text ('[1..5]'); functions become null.
 *
 * feelin has no public "compile" step (its interpreter is not exported and parsing depends on the
 * variable names in scope), so the cache keeps what can be reused per expression text: the syntax
 * check, the names the expression refers to, and the value of expressions that use no variables.
 * Evaluation is then given only the variables the expression names; feelin copies and wraps the
 * whole context on every call, which dominates the cost for instances with many variables.
 */
import {
  dateAndTime,
  evaluate,
  FeelDate,
  FeelDateTime,
  FeelDuration,
  FeelTime,
  isFunction,
  isRange,
  parseExpression,
  type Warning,
} from 'feelin';
import type { Expr } from '../model/types';
import { chinaDate } from '../../deadlines/china-time';

export type FeelValue = null | string | number | boolean | FeelValue[] | { [key: string]: FeelValue };

export type FeelErrorKind = 'syntax' | 'evaluation' | 'type';

/** A FEEL expression that cannot be parsed, fails while evaluating, or gives the wrong type. The runtime raises an incident. */
export class FeelError extends Error {
  constructor(
    readonly kind: FeelErrorKind,
    readonly expression: string,
    message: string,
  ) {
    super(message);
    this.name = 'FeelError';
  }
}

export function isFeelError(e: unknown): e is FeelError {
  return e instanceof FeelError;
}

export interface FeelResult {
  value: FeelValue;
  /** feelin's warnings, e.g. NO_VARIABLE_FOUND when a name is not in scope (the value is then null). */
  warnings: { type: string; message: string }[];
}

export interface FeelOptions {
  /** The service clock's current time, so that FEEL's now() and today() follow it (tests move it). */
  now?: Date;
}

interface CompiledFeel {
  syntaxError: string | null;
  /** Every identifier and variable name in the expression: the context keys it may read. */
  names: Set<string>;
  /** Present when the expression reads no variables and calls nothing time-dependent. */
  constant?: FeelResult;
}

const CACHE_LIMIT = 5000;
const cache = new Map<string, CompiledFeel>();

/** Built-ins whose value changes between calls, so expressions using them are never constant. */
const VOLATILE_FUNCTIONS = new Set(['now', 'today', 'random number']);

function compile(text: string): CompiledFeel {
  const hit = cache.get(text);
  if (hit) return hit;
  const compiled = analyse(text);
  if (cache.size >= CACHE_LIMIT) {
    // Map keeps insertion order: drop the oldest entry.
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(text, compiled);
  return compiled;
}

function analyse(text: string): CompiledFeel {
  const names = new Set<string>();
  if (text.trim() === '') return { syntaxError: 'empty expression', names };
  let syntaxError: string | null = null;
  let readsVariables = false;
  const tree = parseExpression(text, {}, undefined);
  tree.iterate({
    enter(node) {
      if (syntaxError) return false;
      if (node.type.isError) {
        syntaxError = describeSyntaxError(text, node.from, node.to);
        return false;
      }
      // feelin reads `a >== 5` as `a >= (= 5)`: a unary test is only valid after `in`.
      if (node.name === 'SimplePositiveUnaryTest' && node.node.firstChild?.name === 'CompareOp' && node.node.parent?.name !== 'PositiveUnaryTest') {
        const op = node.node.firstChild;
        syntaxError = `unexpected '${text.slice(op.from, op.to)}' at column ${op.from + 1}: a comparison needs a value on both sides`;
        return false;
      }
      if (node.name === 'VariableName' || node.name === 'Identifier' || node.name === 'Name') {
        const name = text.slice(node.from, node.to);
        names.add(name);
        if (node.name === 'VariableName') {
          const parent = node.node.parent;
          const isCallee = parent?.name === 'FunctionInvocation' && parent.firstChild?.from === node.from;
          if (!isCallee || VOLATILE_FUNCTIONS.has(name)) readsVariables = true;
        }
      }
      return undefined;
    },
  });
  if (syntaxError) return { syntaxError, names };
  const compiled: CompiledFeel = { syntaxError: null, names };
  if (!readsVariables) {
    try {
      compiled.constant = run(text, {});
    } catch {
      // Left to fail again (with its message) when it is evaluated.
    }
  }
  return compiled;
}

function describeSyntaxError(text: string, from: number, to: number): string {
  const column = from + 1;
  if (from >= text.length) return `unexpected end of expression`;
  const token = text.slice(from, Math.max(to, from + 1));
  return `unexpected '${token}' at column ${column}`;
}

/**
 * Syntax check of FEEL text (without Zeebe's leading '='): null when it parses, else a message.
 * feelin's evaluator accepts some broken input (`amount >== 5`) and only fails at run time, so
 * this walks the parse tree for error nodes instead of relying on evaluate().
 */
export function checkFeelSyntax(text: string): string | null {
  return compile(text).syntaxError;
}

/** Syntax check of a Zeebe-style expression: FEEL when it starts with '=', otherwise a literal (always fine). */
export function checkExprSyntax(expr: Expr): string | null {
  return isFeelExpr(expr) ? checkFeelSyntax(feelText(expr)) : null;
}

export function isFeelExpr(expr: Expr): boolean {
  return expr.startsWith('=');
}

/** The FEEL text of an '=' expression. */
export function feelText(expr: Expr): string {
  return isFeelExpr(expr) ? expr.slice(1) : expr;
}

/** Evaluates FEEL text (no leading '='); throws FeelError on a syntax or evaluation failure. */
export function evaluateFeel(text: string, context: Record<string, unknown> = {}, options: FeelOptions = {}): FeelValue {
  return evaluateFeelDetailed(text, context, options).value;
}

export function evaluateFeelDetailed(text: string, context: Record<string, unknown> = {}, options: FeelOptions = {}): FeelResult {
  const compiled = compile(text);
  if (compiled.syntaxError) throw new FeelError('syntax', text, `FEEL syntax error in '${text}': ${compiled.syntaxError}`);
  if (compiled.constant) return cloneResult(compiled.constant);
  return run(text, scopeFor(compiled, context, options));
}

/**
 * Zeebe's convention: '=…' is FEEL, anything else is the literal string itself.
 */
export function evaluateExpr(expr: Expr, context: Record<string, unknown> = {}, options: FeelOptions = {}): FeelValue {
  return isFeelExpr(expr) ? evaluateFeel(feelText(expr), context, options) : expr;
}

/** A sequence-flow condition: must give a boolean, as in Zeebe (null or another type is an incident). */
export function evaluateCondition(text: string, context: Record<string, unknown>, options: FeelOptions = {}): boolean {
  const value = evaluateFeel(text, context, options);
  if (typeof value !== 'boolean') {
    throw new FeelError('type', text, `Expected the condition '${text}' to give a boolean, but it gave ${describeValue(value)}.`);
  }
  return value;
}

/** An expression that must give a string (job type, message name, called process id …). */
export function evaluateString(expr: Expr, context: Record<string, unknown>, options: FeelOptions = {}): string {
  const value = evaluateExpr(expr, context, options);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && isFeelExpr(expr)) return String(value); // Zeebe accepts numbers as correlation keys
  throw new FeelError('type', expr, `Expected '${expr}' to give a string, but it gave ${describeValue(value)}.`);
}

/** An expression giving a list of strings: 'a, b' as a literal, or FEEL giving a list or a comma-separated string. */
export function evaluateStringList(expr: Expr, context: Record<string, unknown>, options: FeelOptions = {}): string[] {
  const value = evaluateExpr(expr, context, options);
  if (value === null) return [];
  if (typeof value === 'string') return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  throw new FeelError('type', expr, `Expected '${expr}' to give a list of strings, but it gave ${describeValue(value)}.`);
}

function describeValue(value: FeelValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a context';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function scopeFor(compiled: CompiledFeel, context: Record<string, unknown>, options: FeelOptions): Record<string, unknown> {
  const scope: Record<string, unknown> = {};
  for (const key of Object.keys(context)) {
    // Names with spaces or operator characters change how FEEL tokenises, so they always go in.
    if (compiled.names.has(key) || !/^[A-Za-z_$][\w$]*$/.test(key)) scope[key] = context[key];
  }
  if (options.now) {
    const now = options.now;
    if (compiled.names.has('now') && !('now' in scope)) scope.now = () => dateAndTime(now.toISOString());
    if (compiled.names.has('today') && !('today' in scope)) {
      scope.today = () => dateOnly(now);
    }
  }
  return scope;
}

function dateOnly(now: Date): FeelDate {
  // The office's calendar day: the service runs in China Standard Time (UTC+8, no daylight saving).
  return evaluate(`date("${chinaDate(now)}")`).value as FeelDate;
}

function run(text: string, scope: Record<string, unknown>): FeelResult {
  let result: { value: unknown; warnings: Warning[] };
  try {
    result = evaluate(text, scope);
  } catch (e) {
    throw new FeelError('evaluation', text, `FEEL evaluation of '${text}' failed: ${(e as Error).message}`);
  }
  return {
    value: toPlain(result.value),
    warnings: result.warnings.map((w) => ({ type: w.type, message: w.message })),
  };
}

function cloneResult(r: FeelResult): FeelResult {
  const value = r.value !== null && typeof r.value === 'object' ? structuredClone(r.value) : r.value;
  return { value, warnings: r.warnings.slice() };
}

/** Converts feelin's values to JSON-like JavaScript (see the file comment). */
export function toPlain(value: unknown): FeelValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value instanceof FeelDuration || value instanceof FeelDate || value instanceof FeelTime) return value.toString();
  if (value instanceof FeelDateTime) return dateTimeToIso(value);
  if (isRange(value)) return String(value);
  if (isFunction(value) || typeof value === 'function') return null;
  if (Array.isArray(value)) return value.map(toPlain);
  if (typeof value === 'object') {
    const out: Record<string, FeelValue> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = toPlain(v);
    return out;
  }
  return null;
}

function dateTimeToIso(value: FeelDateTime): string {
  const zone = value.zone;
  if (zone === null) return value.toString();
  if (zone === 'UTC' || zone === 'Z') return value.unwrap().toString() + 'Z';
  if (/^[+-]\d\d:\d\d$/.test(zone)) return value.unwrap().toString() + zone;
  return value.unwrap().toZonedDateTime(zone).toString({ timeZoneName: 'never' });
}

/** For tests and diagnostics. */
export function feelCacheSize(): number {
  return cache.size;
}
