import fs from 'node:fs';
import path from 'node:path';
import { documentTypeIds, documentTypes, sampleContext, type DocumentType } from '../../../src/documents/document-types';
import { parseMarkup, MarkupError } from '../../../src/documents/markup';
import { renderHtml } from '../../../src/documents/render-html';
import { renderPdf } from '../../../src/documents/render-pdf';
import { TemplateInvalid, checkTemplate, fillTemplate } from '../../../src/documents/template-engine';
import { extractPdfText } from './pdf-text';

const templatesDir = path.join(__dirname, '../../../templates');
const shipped = (t: DocumentType) => fs.readFileSync(path.join(templatesDir, t.templateFile), 'utf8');
const types = documentTypeIds.map((id) => documentTypes[id] as DocumentType);
const ISSUED_AT = Date.UTC(2026, 10, 21, 2, 0);
const squash = (s: string) => s.replace(/\s+/g, '');

async function pdfOf(t: DocumentType, data: Record<string, unknown>, compress = false) {
  return renderPdf(parseMarkup(fillTemplate(shipped(t), data, sampleContext)), { title: t.title, issuedAt: ISSUED_AT, compress });
}

describe('shipped templates', () => {
  it('cover every document type, one file each', () => {
    expect(types).toHaveLength(34);
    const files = fs.readdirSync(templatesDir).filter((f) => f.endsWith('.hbs')).sort();
    expect(files).toEqual(types.map((t) => t.templateFile).sort());
  });

  it.each(types.map((t) => [t.id, t] as const))('%s passes the template check and renders HTML and PDF from its sample', async (_id, t) => {
    const body = shipped(t);
    expect(() => checkTemplate(t, body)).not.toThrow();
    const data = t.schema.parse(t.sample) as Record<string, unknown>;
    const html = renderHtml(t.title, body, data, sampleContext);
    expect(html).toContain('<!DOCTYPE html>');
    expect(html).toContain(sampleContext.document.number);
    expect(html).toContain(sampleContext.office.name);
    // Nothing a template failed to fill: a missing value prints as a blank to write in, never as these.
    expect(html.replace(/<[^>]*>/g, ' ')).not.toMatch(/undefined|NaN|\[object Object\]|\{\{|。。/);
    const { pdf, missingCharacters } = await pdfOf(t, data);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(missingCharacters).toEqual([]);
    const text = squash(extractPdfText(pdf));
    expect(text).toContain(squash(sampleContext.document.number));
    expect(text).toContain(squash(sampleContext.office.name));
    // the title as the template writes it (some add 劳动保障监察 or 行政处罚 before the type's short title)
    expect(text).toContain(squash(t.title).replace(/^劳动保障监察/, ''));
  });
});

/** Hostile values, each put into every string field whose schema accepts it. */
const SHORT = `<script>alert(1)</script>{{x}}"double"'single'&amp;𠮷`;
const LONG = `𠮷${'张'.repeat(480)}<b>"'{{x}}</b>${'李'.repeat(9)}`;

function hostile(t: DocumentType): { data: Record<string, unknown>; used: string[] } {
  const data = structuredClone(t.schema.parse(t.sample)) as Record<string, unknown>;
  const used = new Set<string>();
  const visit = (holder: Record<string, unknown> | unknown[], key: string | number) => {
    const v = (holder as Record<string, unknown>)[key as string];
    if (typeof v === 'string') {
      for (const candidate of [LONG, SHORT]) {
        (holder as Record<string, unknown>)[key as string] = candidate;
        if (t.schema.safeParse(data).success) { used.add(candidate); return; }
      }
      (holder as Record<string, unknown>)[key as string] = v;
    } else if (Array.isArray(v)) v.forEach((_, i) => visit(v, i));
    else if (v && typeof v === 'object') for (const k of Object.keys(v)) visit(v as Record<string, unknown>, k);
  };
  for (const k of Object.keys(data)) visit(data, k);
  return { data, used: [...used] };
}

describe('hostile text', () => {
  it.each(types.map((t) => [t.id, t] as const))('%s shows it literally in HTML and PDF and never as markup', async (_id, t) => {
    const { data, used } = hostile(t);
    expect(used).toContain(SHORT);
    const html = renderHtml(t.title, shipped(t), data, sampleContext);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;{{x}}&quot;double&quot;&#x27;single&#x27;&amp;amp;𠮷');
    const { pdf, missingCharacters } = await pdfOf(t, data);
    expect(missingCharacters).toEqual([]);
    // A value may run across a page break: the page number (—2—) printed between its parts is not part of it.
    const text = squash(extractPdfText(pdf)).replace(/—\d+—/g, '');
    for (const v of used) expect(text).toContain(squash(v));
  });

  it('draws characters no font has as 〓 and reports them', async () => {
    const t = documentTypes['arbitration-notice'] as DocumentType;
    const { pdf, missingCharacters } = await pdfOf(t, { ...t.schema.parse(t.sample), recipient: '王\u{30000}明' });
    expect(missingCharacters).toEqual(['\u{30000}']);
    expect(extractPdfText(pdf)).toContain('王〓明');
  });

  it('draws 𠮷 from the fallback font, embedded beside the main one', async () => {
    const t = documentTypes['arbitration-notice'] as DocumentType;
    const { pdf } = await pdfOf(t, { ...t.schema.parse(t.sample), recipient: '𠮷田' });
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSerifSC-Regular/);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSerifJP-Regular/);
    expect(extractPdfText(pdf)).toContain('𠮷田');
  });
});

describe('deterministic PDF', () => {
  it('gives the same bytes for the same data and issue time, compressed or not', async () => {
    const t = documentTypes['penalty-decision'] as DocumentType;
    const data = t.schema.parse(t.sample) as Record<string, unknown>;
    for (const compress of [true, false]) {
      const a = await pdfOf(t, data, compress);
      const b = await pdfOf(t, data, compress);
      expect(a.pdf.equals(b.pdf)).toBe(true);
    }
    // rendering other documents in between (warming font caches with other glyphs) changes nothing
    const before = (await pdfOf(t, data)).pdf;
    const h = documentTypes['complaint-register'] as DocumentType;
    await pdfOf(h, hostile(h).data);
    expect((await pdfOf(t, data)).pdf.equals(before)).toBe(true);
    const other = await renderPdf(parseMarkup(fillTemplate(shipped(t), data, sampleContext)), { title: t.title, issuedAt: ISSUED_AT + 86_400_000 });
    expect(other.pdf.equals((await pdfOf(t, data, true)).pdf)).toBe(false);
  });
});

describe('template check', () => {
  const t = documentTypes['order-to-correct'] as DocumentType;
  const refused = (body: string): string => {
    try {
      checkTemplate(t, body);
    } catch (e) {
      expect(e).toBeInstanceOf(TemplateInvalid);
      return (e as Error).message;
    }
    throw new Error('template was accepted');
  };

  it('accepts fields of the type, nested fields, list items and helpers', () => {
    expect(() => checkTemplate(t, '<p>{{party.name}} {{date deadline}} {{#each workers}}{{inc @index}}{{name}}{{money amount}}{{../party.name}}{{/each}} {{#if party.phone}}{{party.phone}}{{else}}无{{/if}} {{#with remedies}}{{court}}{{/with}} {{office.name}}{{document.number}}</p>')).not.toThrow();
  });
  it('refuses a template that does not compile', () => {
    expect(refused('<p>{{#if facts}}unclosed</p>')).toMatch(/does not compile/);
    expect(refused('<p>{{facts</p>')).toMatch(/does not compile/);
  });
  it('refuses fields the type does not provide, with their names', () => {
    expect(refused('<p>{{salary}}</p>')).toMatch(/"salary" is not provided/);
    expect(refused('<p>{{party.bogus}}</p>')).toMatch(/"party.bogus"/);
    expect(refused('<p>{{#each workers}}{{facts}}{{/each}}</p>')).toMatch(/"facts" is not provided/);
    expect(refused('<p>{{date nothing}}</p>')).toMatch(/"nothing"/);
    expect(refused('<p>{{party}}</p>')).toMatch(/group of fields/);
  });
  it('refuses raw output, which would bypass escaping', () => {
    expect(refused('<p>{{{facts}}}</p>')).toMatch(/raw output/);
    expect(refused('<p>{{& facts}}</p>')).toMatch(/raw output/);
  });
  it('refuses unknown helpers, partials and markup outside the document vocabulary', () => {
    expect(refused('<p>{{lookup party "name"}}</p>')).toMatch(/unknown helper/);
    expect(refused('<p>{{> header}}</p>')).toMatch(/partials/);
    expect(refused('<script>alert(1)</script>')).toMatch(/<script> is not allowed/);
    expect(refused('<p onclick="x">{{facts}}</p>')).toMatch(/attribute onclick/);
    expect(refused('<p>{{facts}}')).toMatch(/not closed/);
    expect(refused('<p class="{{party.name}}">x</p>')).toMatch(/inside a tag/);
    expect(refused('<p>{{facts}}</p>{{#if party.phone}}<iframe></iframe>{{/if}}')).toMatch(/<iframe> is not allowed/);
    expect(refused('{{#if party.phone}}<p>{{/if}}{{facts}}</p>')).toMatch(/\{\{#if\}\}, <p> is not closed/);
  });
});

describe('markup', () => {
  it('parses the vocabulary into blocks and decodes escaped values', () => {
    const blocks = parseMarkup('<header><div class="office">局</div><h1>标题</h1><div class="number">号</div></header><p>甲&lt;b&gt;<strong>乙</strong><br>丙</p><table data-widths="1,2"><tr><th>键</th><td>值</td></tr></table><div class="seal"><p>局</p></div>');
    expect(blocks.map((b) => b.kind)).toEqual(['office', 'title', 'number', 'rule', 'paragraph', 'table', 'seal']);
    expect(blocks[4]).toEqual({ kind: 'paragraph', align: 'indent', content: [
      { kind: 'text', text: '甲<b>', bold: false, underline: false }, { kind: 'text', text: '乙', bold: true, underline: false },
      { kind: 'break' }, { kind: 'text', text: '丙', bold: false, underline: false },
    ] });
  });
  it('refuses mismatched tags and bad widths', () => {
    expect(() => parseMarkup('<p><strong>x</p></strong>')).toThrow(MarkupError);
    expect(() => parseMarkup('<table data-widths="1"><tr><td>a</td><td>b</td></tr></table>')).toThrow(/data-widths/);
  });
});
