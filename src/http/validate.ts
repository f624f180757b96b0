/** Validation of request bodies, queries and route parameters with zod; unknown fields are refused. */
import { z } from 'zod';
import { ErrorDetail, errors } from '../errors';

export function parseInput<T extends z.ZodTypeAny>(schema: T, value: unknown, where: 'body' | 'query' | 'params'): z.output<T> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const details: ErrorDetail[] = [];
  for (const issue of result.error.issues) {
    const base = [where, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) details.push({ path: `${base}.${key}`, message: 'unknown field' });
    } else {
      details.push({ path: base, message: issue.message });
    }
  }
  const summary = details.slice(0, 5).map((d) => `${d.path}: ${d.message}`).join('; ');
  throw errors.validation(`Invalid request (${summary}${details.length > 5 ? '; …' : ''}).`, details);
}

/** Route ids: UUIDs for our records, numeric keys for engine objects. */
export const uuidParam = z.strictObject({ id: z.string().uuid() });
export const keyParam = z.strictObject({ key: z.string().regex(/^\d{1,19}$/, 'a numeric key') });
