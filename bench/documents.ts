/**
 * Rendering speed of official documents: PDFs per second and p95 per document for the longest
 * template (the one whose sample fills the most text), against rendering its HTML alone in the
 * same run. Target: p95 under 250 ms on one core. Usage: tsx bench/documents.ts [iterations]
 */
import { percentile } from './support';
import fs from 'node:fs';
import path from 'node:path';
import { documentTypeIds, documentTypes, sampleContext, type DocumentType } from '../src/documents/document-types';
import { parseMarkup } from '../src/documents/markup';
import { htmlPage } from '../src/documents/render-html';
import { renderPdf } from '../src/documents/render-pdf';
import { fillTemplate } from '../src/documents/template-engine';

const iterations = Number(process.argv[2] ?? 200);
const ISSUED_AT = Date.UTC(2026, 10, 21, 2, 0);

function bodyOf(t: DocumentType): string {
  return fs.readFileSync(path.join(__dirname, '..', 'templates', t.templateFile), 'utf8');
}


async function main(): Promise<void> {
  const candidates = documentTypeIds.map((id) => {
    const t = documentTypes[id] as DocumentType;
    const data = t.schema.parse(t.sample) as Record<string, unknown>;
    return { t, data, body: bodyOf(t), size: fillTemplate(bodyOf(t), data, sampleContext).replace(/<[^>]*>|\s+/g, '').length };
  });
  const { t, data, body, size } = candidates.sort((a, b) => b.size - a.size)[0]!;

  const html = () => htmlPage(t.title, fillTemplate(body, data, sampleContext));
  const pdf = async () => (await renderPdf(parseMarkup(fillTemplate(body, data, sampleContext)), { title: t.title, issuedAt: ISSUED_AT })).pdf;

  const coldStart = performance.now();
  const first = await pdf();
  const cold = performance.now() - coldStart;
  for (let i = 0; i < 10; i++) { await pdf(); html(); }

  const pdfTimes: number[] = [];
  const pdfStart = performance.now();
  for (let i = 0; i < iterations; i++) {
    const s = performance.now();
    await pdf();
    pdfTimes.push(performance.now() - s);
  }
  const pdfTotal = performance.now() - pdfStart;

  const htmlTimes: number[] = [];
  const htmlStart = performance.now();
  for (let i = 0; i < iterations; i++) {
    const s = performance.now();
    html();
    htmlTimes.push(performance.now() - s);
  }
  const htmlTotal = performance.now() - htmlStart;

  pdfTimes.sort((a, b) => a - b);
  htmlTimes.sort((a, b) => a - b);
  const pdfP95 = percentile(pdfTimes, 95);
  const htmlP95 = percentile(htmlTimes, 95);
  const line = (k: string, v: string) => console.log(`${k.padEnd(28)}${v}`);
  line('document type', `${t.id} (${t.title}), ${size} characters of text, PDF ${first.length} bytes`);
  line('iterations', String(iterations));
  line('first PDF (fonts loading)', `${cold.toFixed(1)} ms`);
  line('PDF per second', (iterations / (pdfTotal / 1000)).toFixed(1));
  line('PDF p50 / p95 / max', `${percentile(pdfTimes, 50).toFixed(2)} / ${pdfP95.toFixed(2)} / ${pdfTimes.at(-1)!.toFixed(2)} ms`);
  line('HTML per second', (iterations / (htmlTotal / 1000)).toFixed(1));
  line('HTML p50 / p95', `${percentile(htmlTimes, 50).toFixed(3)} / ${htmlP95.toFixed(3)} ms`);
  line('PDF / HTML (p95)', `${(pdfP95 / htmlP95).toFixed(1)}x`);
  line('PDF / HTML (throughput)', `${(pdfTotal / htmlTotal).toFixed(1)}x`);
  line('target p95 < 250 ms', pdfP95 < 250 ? 'met' : 'MISSED');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
