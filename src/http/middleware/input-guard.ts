/**
 * Refuses hostile JSON shapes before any route runs: bodies nested deeper than anything the API takes
 * (a recursive JSON.stringify further on would overflow the stack and answer 500), bodies with more
 * keys and array items than any form or command needs (one request of 20,000 variables would exceed
 * SQLite's bound parameters), and keys that reach object prototypes (`__proto__`, `constructor`,
 * `prototype`). The walk is iterative so that checking a deep body cannot itself overflow.
 */
import { AppError, ErrorDetail, errors } from '../../errors';
import type { AppContext } from '../context';

/** Deepest nesting of objects and arrays any request needs (forms nest a few levels). */
export const MAX_DEPTH = 32;
/** Keys plus array items in one request; strings and numbers do not count. */
export const MAX_ENTRIES = 2_000;
/**
 * A complaint may name up to 2,000 workers (src/cases/model.ts), each an object of a few fields; its
 * workers are stored one row at a time, so the larger count is safe there.
 */
const ENTRY_LIMITS: [RegExp, number][] = [[/^\/api\/complaints$/, 20_000]];

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface ShapeProblem {
  code: 'BODY_TOO_DEEP' | 'BODY_TOO_MANY_KEYS' | 'BODY_FORBIDDEN_KEY';
  path: string;
}

/** The first problem of a parsed JSON value, or null. `root` names it in paths (`body`, `query`). */
export function inspectShape(value: unknown, root: string, maxEntries = MAX_ENTRIES, maxDepth = MAX_DEPTH): ShapeProblem | null {
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: value, path: root, depth: 0 }];
  let entries = 0;
  while (stack.length) {
    const { v, path, depth } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= maxDepth) return { code: 'BODY_TOO_DEEP', path };
    if (Array.isArray(v)) {
      entries += v.length;
      if (entries > maxEntries) return { code: 'BODY_TOO_MANY_KEYS', path };
      for (let i = 0; i < v.length; i++) stack.push({ v: v[i], path: `${path}.${i}`, depth: depth + 1 });
      continue;
    }
    // Own keys only: JSON.parse makes `__proto__` an own property, which Object.keys lists.
    const keys = Object.keys(v);
    entries += keys.length;
    if (entries > maxEntries) return { code: 'BODY_TOO_MANY_KEYS', path };
    for (const k of keys) {
      if (FORBIDDEN_KEYS.has(k)) return { code: 'BODY_FORBIDDEN_KEY', path: `${path}.${k}` };
      stack.push({ v: (v as Record<string, unknown>)[k], path: `${path}.${k}`, depth: depth + 1 });
    }
  }
  return null;
}

export function shapeError(p: ShapeProblem, maxEntries = MAX_ENTRIES): AppError {
  const details = [{ path: p.path, message: p.code === 'BODY_FORBIDDEN_KEY' ? 'forbidden key' : p.code === 'BODY_TOO_DEEP' ? `nested deeper than ${MAX_DEPTH} levels` : `more than ${maxEntries} keys and items` }];
  switch (p.code) {
    case 'BODY_TOO_DEEP':
      return errors.badRequest(p.code, `The request is nested deeper than ${MAX_DEPTH} levels.`, details);
    case 'BODY_TOO_MANY_KEYS':
      return errors.badRequest(p.code, `The request holds more than ${maxEntries} keys and array items.`, details);
    default:
      return errors.badRequest(p.code, `The request uses a forbidden key (${p.path}).`, details);
  }
}

export function entryLimitFor(path: string): number {
  return ENTRY_LIMITS.find(([re]) => re.test(path))?.[1] ?? MAX_ENTRIES;
}

/**
 * The JSON body parser refuses `__proto__` (and `constructor.prototype`) itself, without saying where;
 * this finds the path in the raw text it kept, for the answer's details.
 */
export function forbiddenKeyErrorFromRaw(raw: unknown): AppError {
  let problem: ShapeProblem | null = null;
  if (typeof raw === 'string') {
    try {
      problem = inspectShape(JSON.parse(raw), 'body', Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    } catch {
      problem = null;
    }
  }
  return shapeError(problem?.code === 'BODY_FORBIDDEN_KEY' ? problem : { code: 'BODY_FORBIDDEN_KEY', path: 'body' });
}

/**
 * Characters no legal document or record should hold, because they hide or reorder what a reader
 * sees: C0 controls other than tab and line breaks, DEL, C1 controls, the bidirectional overrides and
 * isolates (which can make "应付 1000 元" display as something else), and lone surrogates (no
 * character at all; MySQL would cut the text there).
 */
const UNSAFE_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Every string (and key) of a parsed JSON value holding an unsafe character, up to `max`. */
export function unsafeTextPaths(value: unknown, root: string, max = 20): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const stack: { v: unknown; path: string }[] = [{ v: value, path: root }];
  while (stack.length && out.length < max) {
    const { v, path } = stack.pop()!;
    if (typeof v === 'string') {
      const m = UNSAFE_TEXT.exec(v);
      if (m) out.push({ path, message: `holds a control, direction-override or broken character (U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})` });
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    for (const [k, child] of Object.entries(v)) {
      const childPath = `${path}.${k}`;
      if (UNSAFE_TEXT.test(k)) out.push({ path: childPath, message: 'the key holds a control, direction-override or broken character' });
      else stack.push({ v: child, path: childPath });
    }
  }
  return out;
}

/** Mounted right after the body parser: checks the parsed body and the query. */
export function inputGuard() {
  return async (ctx: AppContext, next: () => Promise<unknown>) => {
    if (ctx.path.startsWith('/api')) {
      const limit = entryLimitFor(ctx.path);
      const inQuery = inspectShape(ctx.query, 'query', limit);
      if (inQuery) throw shapeError(inQuery, limit);
      const body = (ctx.request as { body?: unknown }).body;
      const inBody = inspectShape(body, 'body', limit);
      if (inBody) throw shapeError(inBody, limit);
      const unsafe = [...unsafeTextPaths(ctx.query, 'query'), ...unsafeTextPaths(body, 'body')];
      if (unsafe.length) throw errors.validation(`Invalid text (${unsafe.slice(0, 3).map((d) => d.path).join(', ')}).`, unsafe);
    }
    await next();
  };
}
