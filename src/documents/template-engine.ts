/**
 * Compiling, checking and filling document templates. Templates run in their own Handlebars
 * environment with a fixed set of helpers; every value goes through Handlebars' escaping, since
 * raw output (`{{{ }}}`, `{{& }}`) is refused when a template is saved.
 */
import crypto from 'node:crypto';
import Handlebars from 'handlebars';
import type { z } from 'zod';
import { MarkupError, parseMarkup, type Block } from './markup';
import { contextSchema, type DocumentContext, type DocumentType } from './document-types';

const hb = Handlebars.create();

const pad = (n: number) => String(n).padStart(2, '0');

/** YYYY-MM-DD → 2026年11月20日 (leading zeros dropped, as official documents write dates). */
function formatDate(v: unknown): string {
  if (typeof v !== 'string') return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(v);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : v;
}

export const helpers: Record<string, (...args: unknown[]) => string | number> = {
  date: (v) => formatDate(v),
  datetime: (v) => {
    if (typeof v !== 'string') return '';
    const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})/.exec(v);
    return m ? `${formatDate(m[1])} ${Number(m[2])}时${pad(Number(m[3]))}分` : v;
  },
  /** Amounts in 元 with thousands separators and two decimals. */
  money: (v) => (typeof v === 'number' && Number.isFinite(v)
    ? v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : ''),
  /** 1-based numbering of list items from @index. */
  inc: (v) => (typeof v === 'number' ? v + 1 : ''),
};
for (const [name, fn] of Object.entries(helpers)) {
  // Handlebars passes its options object last; the helpers take exactly one value.
  hb.registerHelper(name, (value: unknown) => fn(value));
}
const BLOCK_HELPERS = new Set(['if', 'unless', 'each', 'with']);

export interface TemplateProblem { message: string; line?: number; column?: number }

export class TemplateInvalid extends Error {
  constructor(readonly problems: TemplateProblem[]) {
    super(problems.map((p) => (p.line ? `line ${p.line}: ` : '') + p.message).join('; '));
  }
}

/** The shape of a document's data as templates see it, derived from its zod schema. */
type FieldNode = { kind: 'object'; fields: Record<string, FieldNode> } | { kind: 'array'; element: FieldNode } | { kind: 'scalar' };

function fieldTree(schema: z.ZodType): FieldNode {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  switch (def.type) {
    case 'optional': case 'nullable': case 'default': case 'readonly': case 'catch': case 'prefault': case 'nonoptional':
      return fieldTree(def['innerType'] as z.ZodType);
    case 'pipe':
      return fieldTree(def['out'] as z.ZodType);
    case 'object': {
      const fields: Record<string, FieldNode> = {};
      for (const [k, v] of Object.entries(def['shape'] as Record<string, z.ZodType>)) fields[k] = fieldTree(v);
      return { kind: 'object', fields };
    }
    case 'array':
      return { kind: 'array', element: fieldTree(def['element'] as z.ZodType) };
    default:
      return { kind: 'scalar' };
  }
}

const trees = new WeakMap<DocumentType, FieldNode>();
function typeTree(type: DocumentType): FieldNode {
  let t = trees.get(type);
  if (!t) {
    const own = fieldTree(type.schema);
    const common = fieldTree(contextSchema);
    if (own.kind !== 'object' || common.kind !== 'object') throw new Error('document schemas are objects');
    t = { kind: 'object', fields: { ...own.fields, ...common.fields } };
    trees.set(type, t);
  }
  return t;
}

type Hbs = hbs.AST.Node;
type Loc = { start: { line: number; column: number } } | undefined;

/** Walks the template's syntax tree and lists every field, helper or construct its type does not allow. */
function checkAst(program: hbs.AST.Program, root: FieldNode): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const at = (loc: Loc, message: string) => problems.push({ message, line: loc?.start.line, column: loc?.start.column });

  const resolve = (p: hbs.AST.PathExpression, scopes: FieldNode[]): FieldNode | null => {
    if (p.data) {
      const head = p.parts[0];
      if (p.parts.length === 1 && ['index', 'first', 'last', 'key'].includes(head ?? '')) return { kind: 'scalar' };
      if (head === 'root') return walk(p, root, p.parts.slice(1));
      at(p.loc, `@${p.parts.join('.')} is not available`);
      return null;
    }
    if (p.depth >= scopes.length) { at(p.loc, `"${p.original}" reaches above the document`); return null; }
    return walk(p, scopes[scopes.length - 1 - p.depth]!, p.parts);
  };
  const walk = (p: hbs.AST.PathExpression, from: FieldNode, parts: string[]): FieldNode | null => {
    let node = from;
    for (const part of parts) {
      if (node.kind === 'object' && Object.prototype.hasOwnProperty.call(node.fields, part)) node = node.fields[part]!;
      else if (node.kind === 'array' && part === 'length') node = { kind: 'scalar' };
      else { at(p.loc, `field "${p.original}" is not provided by this document type`); return null; }
    }
    return node;
  };
  const value = (e: hbs.AST.Expression, scopes: FieldNode[]): FieldNode | null => {
    if (e.type === 'PathExpression') return resolve(e as hbs.AST.PathExpression, scopes);
    if (e.type === 'SubExpression') {
      const s = e as hbs.AST.SubExpression;
      call(s.path, s.params, s.hash, s.loc, scopes);
      return { kind: 'scalar' };
    }
    return { kind: 'scalar' };
  };
  const call = (path: hbs.AST.Expression, params: hbs.AST.Expression[], hash: hbs.AST.Hash | undefined, loc: Loc, scopes: FieldNode[]) => {
    const name = (path as hbs.AST.PathExpression).original;
    if (path.type !== 'PathExpression' || !Object.prototype.hasOwnProperty.call(helpers, name)) {
      at(loc, `unknown helper "${String(name)}"; helpers are ${Object.keys(helpers).join(', ')}`);
      return;
    }
    if (params.length !== 1 || (hash && hash.pairs.length)) at(loc, `helper "${name}" takes exactly one value`);
    for (const p of params) value(p, scopes);
  };
  const visit = (node: Hbs, scopes: FieldNode[]): void => {
    switch (node.type) {
      case 'Program':
        for (const s of (node as hbs.AST.Program).body) visit(s, scopes);
        return;
      case 'ContentStatement': case 'CommentStatement':
        return;
      case 'MustacheStatement': {
        const m = node as hbs.AST.MustacheStatement;
        if (!m.escaped) at(m.loc, 'raw output ({{{ }}} or {{& }}) is not allowed: every value must be escaped');
        if (m.params.length || (m.hash && m.hash.pairs.length)) call(m.path, m.params, m.hash, m.loc, scopes);
        else if (m.path.type === 'PathExpression') {
          const p = m.path as hbs.AST.PathExpression;
          if (!p.data && Object.prototype.hasOwnProperty.call(helpers, p.original)) at(m.loc, `helper "${p.original}" needs a value`);
          else {
            const f = resolve(p, scopes);
            if (f && f.kind !== 'scalar') at(m.loc, `"${p.original}" is a ${f.kind === 'array' ? 'list' : 'group of fields'}; name one of its fields`);
          }
        } else at(m.loc, 'only fields and helpers can be output');
        return;
      }
      case 'BlockStatement': {
        const b = node as hbs.AST.BlockStatement;
        const name = (b.path as hbs.AST.PathExpression).original;
        if (b.path.type !== 'PathExpression' || !BLOCK_HELPERS.has(name)) {
          at(b.loc, `unknown block "${String(name)}"; blocks are ${[...BLOCK_HELPERS].join(', ')}`);
          return;
        }
        if (b.params.length !== 1 || (b.hash && b.hash.pairs.length)) { at(b.loc, `{{#${name}}} takes exactly one value`); return; }
        const subject = value(b.params[0]!, scopes);
        let inner = scopes;
        if (name === 'each') {
          if (subject && subject.kind !== 'array') at(b.loc, `{{#each}} needs a list`);
          inner = [...scopes, subject?.kind === 'array' ? subject.element : { kind: 'scalar' }];
        } else if (name === 'with') {
          if (subject && subject.kind !== 'object') at(b.loc, `{{#with}} needs a group of fields`);
          inner = [...scopes, subject ?? { kind: 'scalar' }];
        }
        if (b.program.blockParams?.length || b.inverse?.blockParams?.length) at(b.loc, 'block parameters (as |x|) are not supported');
        visit(b.program, inner);
        if (b.inverse) visit(b.inverse, scopes);
        return;
      }
      case 'PartialStatement': case 'PartialBlockStatement':
        at((node as hbs.AST.PartialStatement).loc, 'partials ({{> }}) are not supported');
        return;
      default:
        at((node as { loc?: Loc }).loc, `${node.type} is not supported`);
    }
  };
  visit(program, [root]);
  return problems;
}

/**
 * Values may stand only between tags, and each {{#block}} must close the tags it opens: otherwise data
 * other than the sample could produce markup the PDF layout refuses, at issue time instead of now.
 */
function checkStructure(program: hbs.AST.Program, where = 'the template'): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  let flat = '';
  for (const node of program.body) {
    if (node.type === 'ContentStatement') flat += (node as hbs.AST.ContentStatement).value;
    else if (node.type === 'MustacheStatement') flat += '\u0000';
    else if (node.type === 'BlockStatement') {
      const b = node as hbs.AST.BlockStatement;
      flat += '\u0000';
      const name = `{{#${(b.path as hbs.AST.PathExpression).original}}}`;
      problems.push(...checkStructure(b.program, name));
      if (b.inverse) problems.push(...checkStructure(b.inverse, `the {{else}} of ${name}`));
    }
  }
  if (/<[^<>]*\u0000/.test(flat)) problems.push({ message: `in ${where}, a value or block stands inside a tag; put values between tags` });
  const stack: string[] = [];
  for (const m of flat.matchAll(/<(\/?)([a-z0-9]+)[^>]*?(\/?)>/gi)) {
    const tag = m[2]!.toLowerCase();
    if (m[3] || tag === 'br' || tag === 'hr') continue;
    if (!m[1]) stack.push(tag);
    else if (stack.pop() !== tag) { problems.push({ message: `in ${where}, </${tag}> does not close the tag opened there` }); return problems; }
  }
  if (stack.length) problems.push({ message: `in ${where}, <${stack[stack.length - 1]}> is not closed` });
  return problems;
}

/** The template's markup with every branch of every block laid side by side and values as "x", to check tags no sample reaches. */
function flatten(program: hbs.AST.Program): string {
  let out = '';
  for (const node of program.body) {
    if (node.type === 'ContentStatement') out += (node as hbs.AST.ContentStatement).value;
    else if (node.type === 'MustacheStatement') out += 'x';
    else if (node.type === 'BlockStatement') {
      const b = node as hbs.AST.BlockStatement;
      out += flatten(b.program) + (b.inverse ? flatten(b.inverse) : '');
    }
  }
  return out;
}

/** Refuses a template that does not parse, names fields its type lacks, outputs raw values, or produces markup the PDF layout cannot read. */
export function checkTemplate(type: DocumentType, body: string): void {
  let ast: hbs.AST.Program;
  try {
    ast = hb.parse(body);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const line = /line (\d+)/.exec(msg);
    throw new TemplateInvalid([{ message: `the template does not compile: ${msg.split('\n')[0]}`, line: line ? Number(line[1]) : undefined }]);
  }
  const problems = [...checkAst(ast, typeTree(type)), ...checkStructure(ast)];
  if (problems.length) throw new TemplateInvalid(problems);
  try {
    parseMarkup(flatten(ast));
  } catch (e) {
    if (e instanceof MarkupError) throw new TemplateInvalid([{ message: `markup: ${e.message}` }]);
    throw e;
  }
  let html: string;
  try {
    html = fillTemplate(body, type.sample as Record<string, unknown>, sampleLike());
  } catch (e) {
    throw new TemplateInvalid([{ message: `the template does not compile: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` }]);
  }
  try {
    parseMarkup(html);
  } catch (e) {
    if (e instanceof MarkupError) throw new TemplateInvalid([{ message: `markup: ${e.message}` }]);
    throw e;
  }
}

function sampleLike(): DocumentContext {
  return { office: { name: '某某人力资源和社会保障局' }, document: { number: '某人社监〔2026〕0001号', issueDate: '2026年1月1日' } };
}

const compiled = new Map<string, HandlebarsTemplateDelegate>();
const COMPILED_MAX = 200;

function compile(body: string): HandlebarsTemplateDelegate {
  const key = crypto.createHash('sha256').update(body).digest('hex');
  let fn = compiled.get(key);
  if (!fn) {
    fn = hb.compile(body, { knownHelpers: Object.fromEntries(Object.keys(helpers).map((h) => [h, true])), knownHelpersOnly: true, noEscape: false });
    if (compiled.size >= COMPILED_MAX) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, fn);
  }
  return fn;
}

/** The template's output for the data: restricted markup with every value escaped. */
export function fillTemplate(body: string, data: Record<string, unknown>, context: DocumentContext): string {
  return compile(body)({ ...data, ...context }, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
}

export function layoutBlocks(markup: string): Block[] {
  return parseMarkup(markup);
}
