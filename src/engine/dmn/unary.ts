/**
 * FEEL unary tests, the input entries of a decision table ('"a","b"', '>= 500', '[1..5]', 'not(3)', '-').
 * feelin parses them with its own grammar; its parse tree marks what it cannot read, which the check
 * reports, so a broken cell is refused at deployment instead of failing a case later.
 */
import { parseUnaryTests, unaryTest } from 'feelin';
import { FeelError, toPlain } from '../feel/feel';

const checked = new Map<string, string | null>();

/** null when the unary tests parse, else a message. */
export function checkUnaryTestsSyntax(text: string): string | null {
  const hit = checked.get(text);
  if (hit !== undefined) return hit;
  let problem: string | null = null;
  try {
    parseUnaryTests(text, {}, undefined).iterate({
      enter(node) {
        if (problem) return false;
        if (node.type.isError) {
          problem = `unexpected '${text.slice(node.from, Math.max(node.to, node.from + 1)) || 'end'}' at column ${node.from + 1}`;
          return false;
        }
        return undefined;
      },
    });
  } catch (e) {
    problem = (e as Error).message;
  }
  if (checked.size > 5000) checked.clear();
  checked.set(text, problem);
  return problem;
}

/** Whether the input value passes the entry; '-' and an empty entry match anything. */
export function matchesEntry(entry: string, value: unknown, context: Record<string, unknown>): boolean {
  if (entry === '' || entry === '-') return true;
  let result: unknown;
  try {
    result = unaryTest(entry, { ...context, '?': value }).value;
  } catch (e) {
    throw new FeelError('evaluation', entry, `The unary test '${entry}' failed: ${(e as Error).message}`);
  }
  return toPlain(result) === true;
}

/** '"high","medium","low"' → ['"high"', '"medium"', '"low"']: the list of an output's allowed values. */
export function splitFeelList(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(text.slice(start).trim());
  return out.filter(Boolean);
}
