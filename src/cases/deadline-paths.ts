/**
 * The process variable `deadlines` nests by the deadline's dotted id (src/config/legal-rules.ts,
 * "Deadline ids"): `police.decision` lives at `deadlines.police.decision`, so diagrams read
 * `deadlines.police.decision.dueAt`. These read, write and list deadlines by id without the caller
 * walking the nesting. A deadline is the object that carries `dueAt`; anything else is a level of ids.
 */

type Tree = Record<string, unknown>;

const isObject = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);
const isDeadline = (v: unknown): boolean => isObject(v) && 'dueAt' in v;

/** The deadline named `id`, or undefined. */
export function deadlineAt<T = Tree>(deadlines: unknown, id: string): T | undefined {
  let node: unknown = deadlines;
  for (const part of id.split('.')) {
    if (!isObject(node) || isDeadline(node) || !Object.hasOwn(node, part)) return undefined;
    node = node[part];
  }
  return isDeadline(node) ? (node as T) : undefined;
}

/** A copy of `deadlines` with `id` set to `value`; the levels on the way are copied, not shared. */
export function withDeadline(deadlines: unknown, id: string, value: unknown): Tree {
  const parts = id.split('.');
  const root: Tree = isObject(deadlines) ? { ...deadlines } : {};
  let node = root;
  for (const part of parts.slice(0, -1)) {
    const next: unknown = node[part];
    node[part] = isObject(next) && !isDeadline(next) ? { ...next } : {};
    node = node[part] as Tree;
  }
  node[parts[parts.length - 1]] = value;
  return root;
}

/** Every deadline with its dotted id, in the order they were set. */
export function listDeadlines<T = Tree>(deadlines: unknown, prefix = ''): [string, T][] {
  if (!isObject(deadlines)) return [];
  const out: [string, T][] = [];
  for (const [key, v] of Object.entries(deadlines)) {
    const id = prefix ? `${prefix}.${key}` : key;
    if (isDeadline(v)) out.push([id, v as T]);
    else if (isObject(v)) out.push(...listDeadlines<T>(v, id));
  }
  return out;
}
