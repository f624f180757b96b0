/**
 * The restricted markup that document templates produce. One template serves both outputs: the HTML
 * view shows it as it is, and the PDF layout reads the same markup through this parser, so an edit
 * to a template changes both alike. Anything outside the small vocabulary below is refused, which
 * also means a template cannot smuggle in scripts, styles or links.
 */

export type Inline =
  | { kind: 'text'; text: string; bold: boolean; underline: boolean }
  | { kind: 'break' };

export interface Cell { header: boolean; colspan: number; content: Inline[] }

export type Block =
  | { kind: 'office'; content: Inline[] }
  | { kind: 'title'; content: Inline[] }
  | { kind: 'number'; content: Inline[] }
  | { kind: 'heading'; content: Inline[] }
  | { kind: 'paragraph'; align: 'indent' | 'left' | 'center' | 'right'; content: Inline[] }
  | { kind: 'note'; content: Inline[] }
  | { kind: 'rule'; header: boolean }
  | { kind: 'table'; widths: number[] | null; rows: Cell[][] }
  | { kind: 'seal'; lines: Inline[][] };

/** Tags and the classes each accepts; `''` is the tag without a class. */
const BLOCK_TAGS: Record<string, string[]> = {
  header: [''],
  div: ['office', 'number', 'note', 'seal', 'body'],
  h1: [''],
  h2: [''],
  p: ['', 'left', 'center', 'right'],
  hr: [''],
  table: [''],
  tr: [''],
  th: [''],
  td: [''],
};
const INLINE_TAGS = new Set(['strong', 'u', 'br']);
const VOID_TAGS = new Set(['br', 'hr']);
const ATTRIBUTES: Record<string, Set<string>> = {
  table: new Set(['data-widths']),
  th: new Set(['colspan']),
  td: new Set(['colspan']),
};

export class MarkupError extends Error {}

interface Node { tag: string; attrs: Record<string, string>; children: (Node | string)[] }

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (m, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(cp) && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    const v = ENTITIES[e];
    if (v === undefined) throw new MarkupError(`unknown character reference ${m}`);
    return v;
  });
}

/** Parses the markup into a tree, refusing tags, classes and attributes outside the vocabulary. */
function parseTree(html: string): Node {
  const root: Node = { tag: '#root', attrs: {}, children: [] };
  const stack: Node[] = [root];
  const re = /<!--[\s\S]*?-->|<\/([a-z0-9]+)\s*>|<([a-z0-9]+)((?:\s+[a-z-]+="[^"<>]*")*)\s*\/?>|<|[^<]+/gi;
  let m: RegExpExecArray | null;
  while ((m = re.exec(html))) {
    const top = stack[stack.length - 1]!;
    if (m[0].startsWith('<!--')) continue;
    if (m[1]) {
      const tag = m[1].toLowerCase();
      if (top.tag !== tag) throw new MarkupError(`</${tag}> does not close <${top.tag}>`);
      stack.pop();
    } else if (m[2]) {
      const tag = m[2].toLowerCase();
      if (!(tag in BLOCK_TAGS) && !INLINE_TAGS.has(tag)) throw new MarkupError(`tag <${tag}> is not allowed`);
      const attrs: Record<string, string> = {};
      for (const a of (m[3] ?? '').matchAll(/([a-z-]+)="([^"]*)"/gi)) attrs[a[1]!.toLowerCase()] = decodeEntities(a[2]!);
      for (const name of Object.keys(attrs)) {
        if (name === 'class') {
          if (!(BLOCK_TAGS[tag] ?? ['']).includes(attrs[name]!)) throw new MarkupError(`class "${attrs[name]}" is not allowed on <${tag}>`);
        } else if (!ATTRIBUTES[tag]?.has(name)) {
          throw new MarkupError(`attribute ${name} is not allowed on <${tag}>`);
        }
      }
      const node: Node = { tag, attrs, children: [] };
      top.children.push(node);
      if (!VOID_TAGS.has(tag) && !m[0].endsWith('/>')) stack.push(node);
    } else if (m[0] === '<') {
      throw new MarkupError('a "<" that starts no allowed tag');
    } else {
      top.children.push(decodeEntities(m[0]));
    }
  }
  if (stack.length > 1) throw new MarkupError(`<${stack[stack.length - 1]!.tag}> is never closed`);
  return root;
}

/** Collapses whitespace as a browser would, so both outputs break lines alike. */
function inlines(children: (Node | string)[], bold = false, underline = false, out: Inline[] = []): Inline[] {
  for (const c of children) {
    if (typeof c === 'string') {
      const text = c.replace(/[ \t\r\n]+/g, ' ');
      if (text) out.push({ kind: 'text', text, bold, underline });
    } else if (c.tag === 'br') {
      out.push({ kind: 'break' });
    } else if (c.tag === 'strong' || c.tag === 'u') {
      inlines(c.children, bold || c.tag === 'strong', underline || c.tag === 'u', out);
    } else {
      throw new MarkupError(`<${c.tag}> cannot stand inside text`);
    }
  }
  return trim(out);
}

function trim(content: Inline[]): Inline[] {
  const out = content.slice();
  const first = out[0];
  if (first?.kind === 'text') out[0] = { ...first, text: first.text.replace(/^ +/, '') };
  const lastIndex = out.length - 1;
  const last = out[lastIndex];
  if (last?.kind === 'text') out[lastIndex] = { ...last, text: last.text.replace(/ +$/, '') };
  return out.filter((i) => i.kind !== 'text' || i.text !== '');
}

function onlyElements(children: (Node | string)[], where: string): Node[] {
  const out: Node[] = [];
  for (const c of children) {
    if (typeof c === 'string') {
      if (c.trim()) throw new MarkupError(`text "${c.trim().slice(0, 20)}" must stand inside a paragraph, not directly in ${where}`);
    } else out.push(c);
  }
  return out;
}

function blocks(children: (Node | string)[], where: string, out: Block[] = []): Block[] {
  for (const n of onlyElements(children, where)) {
    const cls = n.attrs['class'] ?? '';
    switch (n.tag) {
      case 'header':
        blocks(n.children, '<header>', out);
        out.push({ kind: 'rule', header: true });
        break;
      case 'div':
        if (cls === 'office' || cls === 'number' || cls === 'note') out.push({ kind: cls, content: inlines(n.children) });
        else if (cls === 'seal') out.push({ kind: 'seal', lines: onlyElements(n.children, '<div class="seal">').map((p) => {
          if (p.tag !== 'p') throw new MarkupError('<div class="seal"> holds <p> lines only');
          return inlines(p.children);
        }) });
        else if (cls === 'body') blocks(n.children, '<div class="body">', out);
        else throw new MarkupError('<div> needs a class');
        break;
      case 'h1': out.push({ kind: 'title', content: inlines(n.children) }); break;
      case 'h2': out.push({ kind: 'heading', content: inlines(n.children) }); break;
      case 'p': out.push({ kind: 'paragraph', align: (cls || 'indent') as 'indent', content: inlines(n.children) }); break;
      case 'hr': out.push({ kind: 'rule', header: false }); break;
      case 'table': out.push(table(n)); break;
      default: throw new MarkupError(`<${n.tag}> cannot stand in ${where}`);
    }
  }
  return out;
}

function table(n: Node): Block {
  const widthsAttr = n.attrs['data-widths'];
  let widths: number[] | null = null;
  if (widthsAttr !== undefined) {
    widths = widthsAttr.split(',').map((w) => Number(w.trim()));
    if (widths.some((w) => !(w > 0))) throw new MarkupError('data-widths takes positive numbers separated by commas');
  }
  const rows = onlyElements(n.children, '<table>').map((tr) => {
    if (tr.tag !== 'tr') throw new MarkupError('<table> holds <tr> rows only');
    return onlyElements(tr.children, '<tr>').map((cell): Cell => {
      if (cell.tag !== 'th' && cell.tag !== 'td') throw new MarkupError('<tr> holds <th> and <td> cells only');
      const colspan = cell.attrs['colspan'] ? Number(cell.attrs['colspan']) : 1;
      if (!Number.isInteger(colspan) || colspan < 1 || colspan > 12) throw new MarkupError('colspan must be a whole number from 1 to 12');
      return { header: cell.tag === 'th', colspan, content: inlines(cell.children) };
    });
  });
  const columns = Math.max(0, ...rows.map((r) => r.reduce((s, c) => s + c.colspan, 0)));
  if (widths && widths.length !== columns) throw new MarkupError(`data-widths names ${widths.length} columns, the rows have ${columns}`);
  return { kind: 'table', widths, rows };
}

/** Parses rendered template output into layout blocks; throws MarkupError with the reason. */
export function parseMarkup(html: string): Block[] {
  return blocks(parseTree(html).children, 'the document');
}
