/**
 * Text of an uncompressed pdfkit PDF, read the way a PDF text extractor does: each font's ToUnicode
 * map turns the glyph ids shown by TJ operators back into characters. Text the PDF does not draw
 * cannot appear here, so tests can compare against it.
 */
export function extractPdfText(pdf: Buffer): string {
  const s = pdf.toString('latin1');
  const objects = new Map<string, string>();
  for (const m of s.matchAll(/(\d+) 0 obj\n([\s\S]*?)\nendobj/g)) objects.set(m[1]!, m[2]!);
  const streamOf = (obj: string) => /stream\n([\s\S]*?)\nendstream/.exec(obj)?.[1] ?? '';

  const fontMaps = new Map<string, Map<number, string>>();
  for (const m of s.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
    if (fontMaps.has(m[1]!)) continue;
    const font = objects.get(m[2]!) ?? '';
    const toUnicode = /\/ToUnicode (\d+) 0 R/.exec(font);
    const map = new Map<number, string>();
    if (toUnicode) {
      const cmap = Buffer.from(streamOf(objects.get(toUnicode[1]!) ?? ''), 'latin1').toString('latin1');
      for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
        for (const r of block[1]!.matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>\s*(\[[^\]]*\]|<[0-9a-f ]+>)/gi)) {
          const start = parseInt(r[1]!, 16); const end = parseInt(r[2]!, 16);
          if (r[3]!.startsWith('[')) {
            [...r[3]!.matchAll(/<([0-9a-f ]+)>/gi)].forEach((u, i) => map.set(start + i, utf16(u[1]!)));
          } else {
            const base = utf16(r[3]!.slice(1, -1));
            for (let g = start; g <= end; g++) map.set(g, base.slice(0, -1) + String.fromCharCode(base.charCodeAt(base.length - 1) + g - start));
          }
        }
      }
      for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
        for (const c of block[1]!.matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>/gi)) map.set(parseInt(c[1]!, 16), utf16(c[2]!));
      }
    }
    fontMaps.set(m[1]!, map);
  }

  let out = '';
  for (const obj of objects.values()) {
    const content = streamOf(obj);
    if (!/ Tf\n/.test(content)) continue;
    let current = new Map<number, string>();
    for (const op of content.matchAll(/\/(F\d+) [\d.]+ Tf|\[([^\]]*)\] TJ/g)) {
      if (op[1]) { current = fontMaps.get(op[1]) ?? new Map(); continue; }
      for (const hex of op[2]!.matchAll(/<([0-9a-f]*)>/gi)) {
        for (let i = 0; i < hex[1]!.length; i += 4) {
          const gid = parseInt(hex[1]!.slice(i, i + 4), 16);
          out += current.get(gid) ?? '\ufffd';
        }
      }
    }
    out += '\n';
  }
  return out;
}

function utf16(spaced: string): string {
  const hex = spaced.replace(/\s+/g, '');
  const units: number[] = [];
  for (let i = 0; i < hex.length; i += 4) units.push(parseInt(hex.slice(i, i + 4), 16));
  return String.fromCharCode(...units);
}
