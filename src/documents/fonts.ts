/**
 * The fonts embedded in document PDFs, all shipped in npm packages so that a fresh machine renders
 * without network access:
 * - Noto Serif SC (思源宋体) regular and bold, the face of the documents;
 * - Noto Serif JP as fallback for CJK Extension B characters (e.g. 𠮷 U+20BB7, 𡈽 U+2123D) that
 *   appear in names and that the SC font lacks; it covers the few hundred Ext-B characters of
 *   JIS X 0213, so a character in neither font is drawn as 〓 and reported.
 * Parsed fonts are cached for the process: parsing a 15 MB font per document would dominate the cost.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The part of a fontkit font this module and pdfkit use. */
export interface FontkitFont {
  postscriptName: string;
  unitsPerEm: number;
  ascent: number;
  descent: number;
  hasGlyphForCodePoint(cp: number): boolean;
  glyphForCodePoint(cp: number): { advanceWidth: number };
  layout(text: string, features?: unknown): unknown;
}

// fontkit is pdfkit's own font parser; loading fonts through it lets pdfkit embed the parsed object.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fontkit = require('fontkit') as { create(buf: Buffer): FontkitFont };

export type FontKey = 'sc' | 'scBold' | 'extB';

const FILES: Record<FontKey, string> = {
  sc: '@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf',
  scBold: '@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf',
  extB: '@expo-google-fonts/noto-serif-jp/400Regular/NotoSerifJP_400Regular.ttf',
};

/** Drawn for a character no embedded font has: the geta mark, the typesetter's sign for a missing character. */
export const PLACEHOLDER = '〓';

export interface LoadedFont {
  key: FontKey;
  font: FontkitFont;
  /** Ascent in thousandths of the font size, for aligning baselines across fonts. */
  ascent: number;
  has(cp: number): boolean;
  /** Advance of one character in thousandths of the font size. */
  advance(cp: number): number;
}

function load(key: FontKey): LoadedFont {
  const file = require.resolve(FILES[key], { paths: [path.join(__dirname, '..', '..')] });
  const font = fontkit.create(fs.readFileSync(file));
  const scale = 1000 / font.unitsPerEm;
  const hasCache = new Map<number, boolean>();
  const advCache = new Map<number, number>();
  return {
    key,
    font,
    ascent: font.ascent * scale,
    has(cp) {
      let v = hasCache.get(cp);
      if (v === undefined) hasCache.set(cp, (v = font.hasGlyphForCodePoint(cp)));
      return v;
    },
    advance(cp) {
      let v = advCache.get(cp);
      if (v === undefined) advCache.set(cp, (v = font.glyphForCodePoint(cp).advanceWidth * scale));
      return v;
    },
  };
}

const loaded = new Map<FontKey, LoadedFont>();

export function getFont(key: FontKey): LoadedFont {
  let f = loaded.get(key);
  if (!f) loaded.set(key, (f = load(key)));
  return f;
}

/** The font that draws a code point: the document face, else the Ext-B fallback, else none. */
export function fontFor(cp: number, bold: boolean): LoadedFont | null {
  const main = getFont(bold ? 'scBold' : 'sc');
  if (main.has(cp)) return main;
  const fallback = getFont('extB');
  return fallback.has(cp) ? fallback : null;
}
