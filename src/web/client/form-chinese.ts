/**
 * form-js in Simplified Chinese. Its date picker is flatpickr, which takes a global locale (months,
 * weekdays, 今天); the words form-js writes itself — the "Select" and "Search" placeholders of its
 * choice fields, the date and time placeholders spelled in English letters (mm/dd/yyyy, hh:mm) — are
 * not configurable, so they are replaced in the rendered form as form-js draws them. The date format
 * itself follows the browser's language: 2027/2/26 in a Chinese browser, which is what the office's
 * browsers are.
 */
import flatpickr from 'flatpickr';
import { Mandarin } from 'flatpickr/dist/l10n/zh.js';

flatpickr.localize(Mandarin);

/** An example date in the format the date fields expect in this browser (如 2027/2/26). */
function dateExample(): string {
  return `如 ${new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'numeric', day: 'numeric' }).format(new Date(2027, 1, 26))}`;
}

const PLACEHOLDERS: [RegExp, () => string][] = [
  [/^Search$/, () => '输入以筛选'],
  [/^[dmy]{1,4}([./-][dmy]{1,4}){2}$/i, dateExample],
  [/^hh:mm( --)?$/, () => '如 14:30'],
];

function localize(root: ParentNode): void {
  // The text node is changed in place: form-js (preact) keeps it and writes the chosen label into it later.
  for (const d of root.querySelectorAll<HTMLElement>('.fjs-select-display')) {
    for (const n of d.childNodes) if (n.nodeType === Node.TEXT_NODE && (n as Text).data === 'Select') (n as Text).data = '请选择';
  }
  for (const input of root.querySelectorAll<HTMLInputElement>('input[placeholder]')) {
    for (const [re, to] of PLACEHOLDERS) if (re.test(input.placeholder)) input.placeholder = to();
  }
}

/** Keeps the form-js form under `host` in Chinese as it renders and re-renders; returns a stop function. */
export function keepFormChinese(host: HTMLElement): () => void {
  localize(host);
  const observer = new MutationObserver(() => localize(host));
  observer.observe(host, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['placeholder'] });
  return () => observer.disconnect();
}
