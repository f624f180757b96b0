/**
 * The legal-rules registry is the one place a legal period, threshold or office target is written:
 * every rule it declares is read somewhere in the product (src/, the diagrams, forms, templates, the
 * service levels), and no diagram label, form text or template states a figure of its own — where a
 * figure is not a rule it is listed below with the reason.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { DEFAULT_LEGAL_RULES } from '../../../src/config/legal-rules';
import { DEFAULT_SERVICE_LEVELS, SERVICE_LEVEL_SPECS } from '../../../src/supervision/service-levels';

const ROOT = path.join(__dirname, '../../..');
const REGISTRY = path.join(ROOT, 'src/config/legal-rules.ts');

function filesUnder(dir: string, ext: string[]): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p, ext));
    else if (ext.some((x) => e.name.endsWith(x))) out.push(p);
  }
  return out;
}

/** The string literals of a TypeScript file: a rule named in a comment is not read. */
function stringLiterals(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const out: string[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) out.push(n.text);
    else if (ts.isTemplateExpression(n)) out.push(n.head.text, ...n.templateSpans.map((s) => s.literal.text));
    ts.forEachChild(n, visit);
  };
  visit(source);
  return out;
}

const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), 'utf8');
const rel = (file: string) => path.relative(ROOT, file);

/** A figure with a unit of time: 3日, 60个工作日, 24小时, 三日, 五个工作日, 2年 (Arabic, full-width or Chinese numerals). */
const FIGURE = /(?:[0-9０-９]+|[一二三四五六七八九十百两]+)\s*个?\s*(?:工作日|日|天|小时|个月|周年|年)/g;

/**
 * Figures that are not rules of the registry, each with why it stays a literal. `file` and `text`
 * name the occurrence (`text` is the matched figure); an entry nothing matches fails too.
 */
const NOT_RULES: { file: string; text: string; reason: string }[] = [
  { file: 'forms/archive.form', text: '30年', reason: 'an archive retention class (文书档案保管期限) offered as a choice, not a period the case runs on' },
  { file: 'forms/archive.form', text: '10年', reason: 'an archive retention class (文书档案保管期限) offered as a choice, not a period the case runs on' },
  { file: 'templates/arbitration-notice.hbs', text: '一年', reason: 'the arbitration limitation (劳动争议调解仲裁法 第27条) quoted to the party: the arbitration commission applies it, the office tracks no deadline on it' },
  { file: 'templates/order-to-correct.hbs', text: '三日', reason: 'the office’s request to report on the correction, written into the order as its own wording; no deadline is computed from it' },
];

interface Found { file: string; text: string; where: string }

function figuresIn(file: string, where: string, text: string): Found[] {
  return [...text.matchAll(FIGURE)].map((m) => ({ file, text: m[0].replace(/\s+/g, ''), where: `${where}: …${text.slice(Math.max(0, m.index! - 12), m.index! + m[0].length + 8)}…` }));
}

function xmlText(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#10;/g, '\n').replace(/&amp;/g, '&');
}

/** Labels of a diagram: every `name` attribute, documentation and text annotations. */
function diagramFigures(file: string): Found[] {
  const xml = fs.readFileSync(file, 'utf8');
  const out: Found[] = [];
  for (const m of xml.matchAll(/\sname="([^"]*)"/g)) out.push(...figuresIn(rel(file), 'name', xmlText(m[1])));
  for (const m of xml.matchAll(/<bpmn:(documentation|text)>([\s\S]*?)<\/bpmn:\1>/g)) out.push(...figuresIn(rel(file), m[1], xmlText(m[2])));
  return out;
}

/** What a form shows: labels, texts, descriptions, placeholders, option labels. */
function formFigures(file: string): Found[] {
  const out: Found[] = [];
  const walk = (v: unknown, key: string) => {
    if (typeof v === 'string') {
      if (['label', 'text', 'description', 'placeholder', 'title'].includes(key)) out.push(...figuresIn(rel(file), key, v));
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(JSON.parse(fs.readFileSync(file, 'utf8')), '');
  return out;
}

/** A template's text, without its Handlebars comments (they cite the law for the template's editor). */
function templateFigures(file: string): Found[] {
  const text = fs.readFileSync(file, 'utf8').replace(/\{\{!--[\s\S]*?--\}\}/g, '').replace(/\{\{![\s\S]*?\}\}/g, '');
  return figuresIn(rel(file), 'text', text);
}

describe('the legal-rules registry', () => {
  const ids = Object.keys(DEFAULT_LEGAL_RULES);

  it('declares each rule once, with its default, unit and source', () => {
    const text = fs.readFileSync(REGISTRY, 'utf8');
    for (const id of ids) {
      const r = DEFAULT_LEGAL_RULES[id as keyof typeof DEFAULT_LEGAL_RULES];
      expect([id, typeof r.value, typeof r.unit, r.source.length > 0]).toEqual([id, 'number', 'string', true]);
      expect([id, text.split(`'${id}':`).length - 1]).toEqual([id, 1]);
    }
  });

  it('has no rule that nothing reads', () => {
    const literals = new Set<string>();
    for (const f of filesUnder(path.join(ROOT, 'src'), ['.ts', '.tsx'])) if (f !== REGISTRY) for (const s of stringLiterals(f)) literals.add(s);
    const texts = [
      ...filesUnder(path.join(ROOT, 'workflows'), ['.bpmn']), ...filesUnder(path.join(ROOT, 'forms'), ['.form']),
      ...filesUnder(path.join(ROOT, 'templates'), ['.hbs']), ...(fs.existsSync(path.join(ROOT, 'decisions')) ? filesUnder(path.join(ROOT, 'decisions'), ['.dmn']) : []),
    ].map((f) => fs.readFileSync(f, 'utf8'));
    const unread = ids.filter((id) => !literals.has(id) && !texts.some((t) => new RegExp(`["'\`]${id.replace(/\./g, '\\.')}["'\`]`).test(t)));
    expect(unread).toEqual([]);
  });

  it('is what the service levels name for legal periods and office targets, never figures of their own', () => {
    for (const l of SERVICE_LEVEL_SPECS) {
      expect([l.id, [...l.title.matchAll(FIGURE)].map((m) => m[0])]).toEqual([l.id, []]);
      // A statutory deadline brings its own date; the span a level keeps for it is the rule's.
      if (l.appliesTo.subject === 'deadline') expect([l.id, 'rule' in l.deadline]).toEqual([l.id, true]);
    }
    const investigation = DEFAULT_SERVICE_LEVELS.find((l) => l.id === 'statutory-investigation')!;
    expect(investigation.deadline).toEqual({ count: DEFAULT_LEGAL_RULES['investigation.limit'].value, unit: DEFAULT_LEGAL_RULES['investigation.limit'].unit });
    expect(investigation.goal).toEqual({ count: DEFAULT_LEGAL_RULES['investigation.warning'].value, unit: 'workingDays' });
  });

  it('leaves no figure written as a literal in a diagram label, form text or template', () => {
    const found: Found[] = [
      ...filesUnder(path.join(ROOT, 'workflows'), ['.bpmn']).flatMap(diagramFigures),
      ...filesUnder(path.join(ROOT, 'forms'), ['.form']).flatMap(formFigures),
      ...filesUnder(path.join(ROOT, 'templates'), ['.hbs']).flatMap(templateFigures),
    ];
    const allowed = (f: Found) => NOT_RULES.some((a) => a.file === f.file && a.text === f.text);
    expect(found.filter((f) => !allowed(f)).map((f) => `${f.file} ${f.where}`)).toEqual([]);
    // An exception nothing needs any more goes.
    expect(NOT_RULES.filter((a) => !found.some((f) => f.file === a.file && f.text === a.text)).map((a) => `${a.file} ${a.text}`)).toEqual([]);
    for (const a of NOT_RULES) expect(a.reason.length).toBeGreaterThan(20);
  });

  it('catches a figure in a label, and a rule nothing reads, when there is one', () => {
    expect(figuresIn('x.bpmn', 'name', '计算审批期限（3日）').map((f) => f.text)).toEqual(['3日']);
    expect(figuresIn('x.hbs', 'text', '自接到投诉之日起五个工作日内').map((f) => f.text)).toEqual(['五个工作日']);
    expect(figuresIn('x.form', 'text', '批准后24 小时内；调查期限：{{deadlines.investigation.limit.dueAt}}').map((f) => f.text)).toEqual(['24小时']);
    expect(figuresIn('x.hbs', 'text', '在{{remedies.reconsiderationDays}}日内（第95条）')).toEqual([]);
    expect(read('src/config/legal-rules.ts')).toContain("'service.publicNotice'");
  });
});
