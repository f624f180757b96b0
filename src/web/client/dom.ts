/** Small DOM helpers: elements from attributes and children, and how dates and money read in Chinese. */

type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (typeof v === 'function') node.addEventListener(k.replace(/^on/, ''), v);
    else if (v === true) node.setAttribute(k, '');
    else node.setAttribute(k, String(v));
  }
  append(node, children);
  return node;
}

function append(node: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(node, c);
    else node.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

let idCounter = 0;
/** A unique id for label/field pairs built in loops. */
export function uid(prefix = 'f'): string {
  return `${prefix}-${++idCounter}`;
}

const CHINA = 'Asia/Shanghai';
const dateTimeFmt = new Intl.DateTimeFormat('zh-CN', { timeZone: CHINA, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
const dateFmt = new Intl.DateTimeFormat('zh-CN', { timeZone: CHINA, year: 'numeric', month: '2-digit', day: '2-digit' });

function toDate(v: string | number | Date | null | undefined): Date | null {
  if (v === null || v === undefined || v === '') return null;
  const d = v instanceof Date ? v : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Beijing time, whatever the browser's zone: deadlines are legal dates in China. */
export function fmtDateTime(v: string | number | Date | null | undefined): string {
  const d = toDate(v);
  return d ? dateTimeFmt.format(d) : '—';
}

export function fmtDate(v: string | number | Date | null | undefined): string {
  const d = toDate(v);
  return d ? dateFmt.format(d) : '—';
}

/** The China calendar day of an instant, as YYYY-MM-DD. */
export function chinaDay(v: number | Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: CHINA, year: 'numeric', month: '2-digit', day: '2-digit' }).format(toDate(v)!);
  return parts;
}

/** Now as a value for <input type="datetime-local"> in Beijing time. */
export function chinaLocalInputNow(): string {
  // Swedish writes dates as ISO does (2026-12-06 15:04); the time zone does the offset.
  const parts = new Intl.DateTimeFormat('sv-SE', { timeZone: CHINA, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date());
  return parts.replace(' ', 'T');
}

/** Beijing's offset, the one place the browser writes it: China has one zone and no daylight saving. */
const CHINA_OFFSET = '+08:00';

/** A datetime-local value read as Beijing time, with its offset (what the API expects). */
export function chinaLocalToIso(v: string): string {
  return `${v.length === 16 ? v + ':00' : v}${CHINA_OFFSET}`;
}

/** The first instant of a China calendar day (YYYY-MM-DD), as ISO text with its offset. */
export function chinaDayStartIso(day: string): string {
  return `${day}T00:00:00${CHINA_OFFSET}`;
}

/** The last second of a China calendar day (YYYY-MM-DD), as ISO text with its offset. */
export function chinaDayEndIso(day: string): string {
  return `${day}T23:59:59${CHINA_OFFSET}`;
}

/** Today in China as YYYY-MM-DD, whatever the browser's zone. */
export function chinaToday(): string {
  return chinaDay(new Date());
}

/** A time as people in the office read it: 2026年12月6日 15:04 (China time). */
export function fmtLongDateTime(v: string | number | Date): string {
  return new Date(v).toLocaleString('zh-CN', { timeZone: CHINA, year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function fmtYuan(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  return `¥${v.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** Moves focus to a page's heading so keyboard and screen-reader users start at the new content. */
export function focusHeading(root: HTMLElement): void {
  const h = root.querySelector('h1');
  if (h) {
    h.setAttribute('tabindex', '-1');
    h.focus({ preventScroll: false });
  }
}
