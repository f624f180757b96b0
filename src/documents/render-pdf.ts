/**
 * PDF of a document, laid out with pdfkit from the same template markup as the HTML (see markup.ts):
 * one template, so the two outputs cannot drift apart, and no browser. The layout follows GB/T 9704
 * for A4 (margins 37/26/35/28 mm, 三号 body text with 2-character first-line indent, 二号 title, red
 * office line), with a small line breaker of its own: CJK text breaks between any two characters,
 * Latin words stay whole, closing punctuation hangs rather than starting a line.
 *
 * Each character is drawn with the first embedded font that has it (fonts.ts); runs of characters
 * in the same font are drawn together. The output is byte-identical for the same input: creation
 * and modification dates come from the issue date and pdfkit derives the file ID from them.
 */
import PDFDocument from 'pdfkit';
import type { Block, Cell, Inline } from './markup';
import { PLACEHOLDER, fontFor, getFont, type FontKey, type LoadedFont } from './fonts';

const MM = 72 / 25.4;
const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = { top: 37 * MM, right: 26 * MM, bottom: 35 * MM, left: 28 * MM };
const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const BOTTOM = PAGE.height - MARGIN.bottom;
const BODY_SIZE = 16; // 三号
const BODY_LINE = 28.35; // 22 lines to the page, as GB/T 9704 sets
const TITLE_SIZE = 22; // 二号
const TABLE_SIZE = 12; // 小四
const TABLE_LINE = 19;
const NOTE_SIZE = 10.5;
const CELL_PAD = 2.5 * MM;
const RED = '#cc0000';

export interface PdfOptions {
  /** Document title and number for the PDF's metadata. */
  title: string;
  /** The issue time: becomes the PDF's creation and modification date, which fixes its file ID. */
  issuedAt: number;
  /** Uncompressed streams, for inspecting the output in tests. */
  compress?: boolean;
}

export interface PdfResult {
  pdf: Buffer;
  /** Characters no embedded font has, drawn as 〓. */
  missingCharacters: string[];
}

interface Unit {
  text: string;
  font: LoadedFont;
  width: number;
  size: number;
  underline: boolean;
  space: boolean;
  /** ASCII word that may be cut only when it is wider than a whole line. */
  word: boolean;
}
type Line = Unit[];

const CLOSING = new Set([...'，。、；：？！）》」』”’〉】〕…—·%,.;:?!)]}']);
const OPENING = new Set([...'（《「『“‘〈【〔([{']);

class Layout {
  readonly missing = new Set<string>();
  y = MARGIN.top;
  pages = 1;

  constructor(readonly doc: PDFKit.PDFDocument) {}

  /** Splits inline content into measured units, each in the font that has its glyphs. */
  units(content: Inline[], size: number, bold: boolean): (Unit | 'break')[] {
    const out: (Unit | 'break')[] = [];
    for (const item of content) {
      if (item.kind === 'break') { out.push('break'); continue; }
      const b = bold || item.bold;
      for (const m of item.text.matchAll(/[\x21-\x7e]+| +|[\s\S]/gu)) {
        let text = m[0];
        if (/^\s$/u.test(text)) text = ' ';
        const space = text[0] === ' ';
        const word = /^[\x21-\x7e]+$/.test(text);
        if (word) {
          // printable ASCII is in the main font
          const font = fontFor(0x41, b)!;
          out.push({ text, font, width: this.measure(font, text, size), size, underline: item.underline, space, word });
          continue;
        }
        if (space) {
          const font = fontFor(0x20, b)!;
          out.push({ text, font, width: this.measure(font, text, size), size, underline: item.underline, space, word: false });
          continue;
        }
        const cp = text.codePointAt(0)!;
        let font = fontFor(cp, b);
        if (!font) {
          this.missing.add(text);
          font = getFont(b ? 'scBold' : 'sc');
          text = PLACEHOLDER;
        }
        out.push({ text, font, width: this.measure(font, text, size), size, underline: item.underline, space: false, word: false });
      }
    }
    return out;
  }

  measure(font: LoadedFont, text: string, size: number): number {
    let w = 0;
    for (const ch of text) w += font.advance(ch.codePointAt(0)!);
    return (w * size) / 1000;
  }

  /** Breaks units into lines no wider than `width` (the first line `firstWidth`). */
  lines(units: (Unit | 'break')[], width: number, firstWidth = width): Line[] {
    const lines: Line[] = [];
    let line: Line = [];
    let x = 0;
    const limit = () => (lines.length === 0 ? firstWidth : width);
    const push = () => {
      while (line.length && line[line.length - 1]!.space) line.pop();
      lines.push(line);
      line = [];
      x = 0;
    };
    const queue = units.slice();
    while (queue.length) {
      const u = queue.shift()!;
      if (u === 'break') { push(); continue; }
      if (u.space && line.length === 0) continue;
      if (x + u.width <= limit() + 0.01 || (line.length === 0 && (!u.word || u.width <= width))) {
        line.push(u); x += u.width; continue;
      }
      if (!u.space && CLOSING.has(u.text) && line.length) { line.push(u); x += u.width; continue; }
      if (u.word && u.width > width) {
        // a word longer than a line is cut where the line ends
        const chars = [...u.text];
        const room = limit() - x;
        let take = 0; let w = 0;
        while (take < chars.length) {
          const cw = this.measure(u.font, chars[take]!, u.size);
          if (w + cw > room && (take > 0 || line.length)) break;
          w += cw; take++;
        }
        if (take > 0) line.push({ ...u, text: chars.slice(0, take).join(''), width: w });
        push();
        const rest = chars.slice(take).join('');
        if (rest) queue.unshift({ ...u, text: rest, width: u.width - w });
        continue;
      }
      if (u.space) { push(); continue; }
      // an opening bracket does not end a line: carry it over
      const carried: Unit[] = [];
      while (line.length > 1 && OPENING.has(line[line.length - 1]!.text)) carried.unshift(line.pop()!);
      push();
      for (const c of carried) { line.push(c); x += c.width; }
      line.push(u); x += u.width;
    }
    if (line.length || lines.length === 0) push();
    return lines;
  }

  lineWidth(line: Line): number {
    return line.reduce((s, u) => s + u.width, 0);
  }

  /** Draws one line with its baseline `ascentPad` below `top`, merging units of the same font into runs. */
  drawLine(line: Line, x: number, top: number, size: number, lineHeight: number, color = '#000000'): void {
    const baseline = top + (lineHeight - size) / 2 + size * 0.88;
    let i = 0;
    while (i < line.length) {
      const first = line[i]!;
      let text = first.text; let w = first.width; let j = i + 1;
      while (j < line.length && line[j]!.font === first.font && line[j]!.underline === first.underline) {
        text += line[j]!.text; w += line[j]!.width; j++;
      }
      this.doc.font(first.font.key).fontSize(size).fillColor(color)
        .text(text, x, baseline - (first.font.ascent * size) / 1000, { lineBreak: false, features: [] });
      if (first.underline && text.trim()) {
        this.doc.save().lineWidth(0.6).strokeColor(color).moveTo(x, baseline + size * 0.15).lineTo(x + w, baseline + size * 0.15).stroke().restore();
      }
      x += w; i = j;
    }
  }

  newPage(): void {
    this.doc.addPage();
    this.pages++;
    this.y = MARGIN.top;
    this.pageNumber();
  }

  /** Page number in the GB/T 9704 form "— 1 —", drawn first so that text running across pages stays contiguous in the file. */
  pageNumber(): void {
    const units = this.units([{ kind: 'text', text: `— ${this.pages} —`, bold: false, underline: false }], 14, false);
    const line = this.lines(units, CONTENT_WIDTH)[0]!;
    this.drawLine(line, MARGIN.left + (CONTENT_WIDTH - this.lineWidth(line)) / 2, BOTTOM + 7 * MM, 14, 20);
  }

  ensure(height: number): void {
    if (this.y + height > BOTTOM + 0.01 && this.y > MARGIN.top) this.newPage();
  }

  text(content: Inline[], opts: { size: number; lineHeight: number; align: 'left' | 'center' | 'right' | 'indent'; bold?: boolean; color?: string; x?: number; width?: number }): void {
    const x0 = opts.x ?? MARGIN.left;
    const width = opts.width ?? CONTENT_WIDTH;
    const indent = opts.align === 'indent' ? opts.size * 2 : 0;
    const lines = this.lines(this.units(content, opts.size, opts.bold ?? false), width, width - indent);
    // short paragraphs are not split across pages
    if (lines.length <= 3) this.ensure(lines.length * opts.lineHeight);
    lines.forEach((line, i) => {
      this.ensure(opts.lineHeight);
      const w = this.lineWidth(line);
      const x = opts.align === 'center' ? x0 + (width - w) / 2
        : opts.align === 'right' ? x0 + width - w
          : x0 + (i === 0 ? indent : 0);
      this.drawLine(line, x, this.y, opts.size, opts.lineHeight, opts.color);
      this.y += opts.lineHeight;
    });
  }

  block(b: Block): void {
    switch (b.kind) {
      case 'office':
        this.text(b.content, { size: TITLE_SIZE, lineHeight: TITLE_SIZE * 1.5, align: 'center', bold: true, color: RED });
        break;
      case 'title':
        this.text(b.content, { size: TITLE_SIZE, lineHeight: TITLE_SIZE * 1.5, align: 'center', bold: true });
        break;
      case 'number':
        this.text(b.content, { size: BODY_SIZE, lineHeight: BODY_LINE, align: 'right' });
        break;
      case 'heading':
        this.ensure(BODY_LINE * 3); // with the start of its section
        this.text(b.content, { size: BODY_SIZE, lineHeight: BODY_LINE, align: 'left', bold: true });
        break;
      case 'paragraph':
        this.text(b.content, { size: BODY_SIZE, lineHeight: BODY_LINE, align: b.align });
        break;
      case 'note': {
        const lines = this.lines(this.units(b.content, NOTE_SIZE, false), CONTENT_WIDTH).length;
        this.ensure(8 + lines * NOTE_SIZE * 1.6);
        this.y += 5;
        this.doc.save().lineWidth(0.5).strokeColor('#000000').moveTo(MARGIN.left, this.y).lineTo(MARGIN.left + CONTENT_WIDTH, this.y).stroke().restore();
        this.y += 3;
        this.text(b.content, { size: NOTE_SIZE, lineHeight: NOTE_SIZE * 1.6, align: 'left' });
        break;
      }
      case 'rule': {
        this.ensure(8);
        const y = this.y + 3;
        this.doc.save().lineWidth(b.header ? 1.5 : 0.6).strokeColor(b.header ? RED : '#000000')
          .moveTo(MARGIN.left, y).lineTo(MARGIN.left + CONTENT_WIDTH, y).stroke().restore();
        this.y += b.header ? 14 : 8;
        break;
      }
      case 'table':
        this.table(b.widths, b.rows);
        break;
      case 'seal':
        this.seal(b.lines);
        break;
    }
  }

  table(widthsIn: number[] | null, rows: Cell[][]): void {
    const columns = Math.max(1, ...rows.map((r) => r.reduce((s, c) => s + c.colspan, 0)));
    const weights = widthsIn ?? Array.from({ length: columns }, () => 1);
    const total = weights.reduce((a, b) => a + b, 0);
    const colX: number[] = [MARGIN.left];
    for (const w of weights) colX.push(colX[colX.length - 1]! + (w / total) * CONTENT_WIDTH);
    this.y += 4;
    for (const row of rows) {
      let col = 0;
      const cells = row.map((c) => {
        const x = colX[Math.min(col, columns)]!;
        const right = colX[Math.min(col + c.colspan, columns)]!;
        col += c.colspan;
        const lines = this.lines(this.units(c.content, TABLE_SIZE, c.header), right - x - 2 * CELL_PAD);
        return { x, width: right - x, lines };
      });
      // a row taller than the space left continues on the next page, cells and borders alike
      let offset = 0;
      const tallest = Math.max(...cells.map((c) => c.lines.length));
      // a row that fits on one page is not split
      const rowHeight = tallest * TABLE_LINE + 2 * CELL_PAD;
      if (this.y + rowHeight > BOTTOM && rowHeight <= BOTTOM - MARGIN.top) this.newPage();
      while (offset < tallest || offset === 0) {
        const room = Math.floor((BOTTOM - this.y - 2 * CELL_PAD) / TABLE_LINE);
        if (room < Math.min(2, tallest - offset) && this.y > MARGIN.top) { this.newPage(); continue; }
        const take = Math.max(1, Math.min(room, tallest - offset));
        const height = take * TABLE_LINE + 2 * CELL_PAD;
        for (const c of cells) {
          this.doc.save().lineWidth(0.6).strokeColor('#000000').rect(c.x, this.y, c.width, height).stroke().restore();
          c.lines.slice(offset, offset + take).forEach((line, i) => {
            this.drawLine(line, c.x + CELL_PAD, this.y + CELL_PAD + i * TABLE_LINE, TABLE_SIZE, TABLE_LINE);
          });
        }
        this.y += height;
        offset += take;
        if (offset < tallest) this.newPage();
      }
    }
    this.y += 6;
  }

  /** The signature area: office and date right of centre, over a dashed circle where the seal goes. */
  seal(lines: Inline[][]): void {
    const width = CONTENT_WIDTH * 0.6;
    const x = MARGIN.left + CONTENT_WIDTH - width;
    const radius = 21 * MM;
    const laid = lines.map((l) => this.lines(this.units(l, BODY_SIZE, false), width));
    const textHeight = laid.reduce((s, l) => s + l.length, 0) * BODY_LINE;
    const top = this.y + BODY_LINE / 2;
    const needed = BODY_LINE / 2 + Math.max(2 * radius, 14 * MM + textHeight);
    if (needed <= BOTTOM - MARGIN.top) this.ensure(needed);
    const circleTop = this.y === MARGIN.top ? this.y : top;
    const cx = x + width / 2;
    this.doc.save().lineWidth(0.8).dash(3, { space: 3 }).strokeColor(RED).circle(cx, circleTop + radius, radius).stroke().undash().restore();
    this.doc.font('sc').fontSize(9).fillColor(RED).text('（印章）', cx - 18, circleTop + 8, { lineBreak: false });
    this.y = circleTop + 14 * MM;
    for (const l of laid) {
      for (const line of l) {
        this.ensure(BODY_LINE);
        this.drawLine(line, x + (width - this.lineWidth(line)) / 2, this.y, BODY_SIZE, BODY_LINE);
        this.y += BODY_LINE;
      }
    }
    this.y = Math.max(this.y, circleTop + 2 * radius) + 6;
  }
}

function pdfDate(ms: number): Date {
  // Whole seconds: the PDF date format has no finer unit, and the file ID hashes the Date's milliseconds.
  return new Date(Math.floor(ms / 1000) * 1000);
}

/** Lays out the blocks on A4 pages and returns the PDF bytes. */
export function renderPdf(blocks: Block[], opts: PdfOptions): Promise<PdfResult> {
  const date = pdfDate(opts.issuedAt);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 0, right: 0, bottom: 0, left: 0 },
    compress: opts.compress ?? true,
    autoFirstPage: true,
    lang: 'zh-CN',
    displayTitle: true,
    info: { Title: opts.title, Producer: 'labour-inspection-cases', Creator: 'labour-inspection-cases', CreationDate: date, ModDate: date },
  });
  for (const key of ['sc', 'scBold', 'extB'] as FontKey[]) {
    doc.registerFont(key, getFont(key).font as unknown as Buffer);
  }
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const layout = new Layout(doc);
  layout.pageNumber();
  for (const b of blocks) layout.block(b);
  doc.end();
  return done.then((pdf) => ({ pdf, missingCharacters: [...layout.missing] }));
}
