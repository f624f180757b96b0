/**
 * The HTML of a document: the template's markup in a page with a print stylesheet for A4. Fonts are
 * named by family only (the PDF embeds its own); the markup is the same the PDF is laid out from.
 */
import type { DocumentContext } from './document-types';
import { fillTemplate } from './template-engine';

export const FONT_STACK = `'Noto Serif SC', 'Source Han Serif SC', 'Noto Serif JP', 'SimSun', 'Songti SC', serif`;

const STYLE = `
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
html { background: #eee; }
body { font-family: ${FONT_STACK}; font-size: 16pt; line-height: 1.6; color: #000; margin: 0; }
article.document { background: #fff; width: 156mm; min-height: 225mm; margin: 12mm auto; padding: 37mm 26mm 35mm 28mm; box-sizing: content-box; }
.office { text-align: center; color: #c00; font-size: 22pt; font-weight: bold; letter-spacing: 0.1em; }
h1 { text-align: center; font-size: 22pt; font-weight: bold; margin: 0.4em 0; }
.number { text-align: right; margin-bottom: 0.3em; }
header { border-bottom: 2px solid #c00; margin-bottom: 1em; padding-bottom: 0.3em; }
h2 { font-size: 16pt; font-weight: bold; margin: 0.6em 0 0.2em; }
p { margin: 0; text-indent: 2em; overflow-wrap: anywhere; }
p.left, p.center, p.right, .seal p, td p, th p { text-indent: 0; }
p.center { text-align: center; }
p.right { text-align: right; }
hr { border: 0; border-top: 1px solid #000; margin: 0.6em 0; }
table { width: 100%; border-collapse: collapse; margin: 0.4em 0; table-layout: fixed; font-size: 12pt; }
th, td { border: 1px solid #000; padding: 2mm; vertical-align: top; text-align: left; overflow-wrap: anywhere; }
th { font-weight: bold; }
.seal { margin: 2em 0 0 auto; width: 60%; text-align: center; position: relative; min-height: 42mm; }
.seal::before { content: '（印章）'; position: absolute; left: 50%; top: 0; transform: translateX(-50%); width: 42mm; height: 42mm; border: 1px dashed #c00; border-radius: 50%; color: #c00; font-size: 10pt; display: flex; align-items: flex-start; justify-content: center; padding-top: 3mm; box-sizing: border-box; }
.seal p { position: relative; padding-top: 0; }
.seal p:first-child { padding-top: 14mm; }
.note { font-size: 11pt; margin-top: 2em; border-top: 1px solid #000; padding-top: 0.3em; }
@media print {
  html { background: none; }
  article.document { width: auto; min-height: 0; margin: 0; padding: 0; }
  table, tr, .seal { page-break-inside: avoid; }
}
`;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Wraps the template's markup in a complete page. */
export function htmlPage(title: string, markup: string): string {
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<article class="document">
${markup.trim()}
</article>
</body>
</html>
`;
}

export function renderHtml(title: string, body: string, data: Record<string, unknown>, context: DocumentContext): string {
  return htmlPage(title, fillTemplate(body, data, context));
}
