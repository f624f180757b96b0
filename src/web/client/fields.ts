/**
 * Form fields with their label, hint and error beside them. Each field carries the API path it fills
 * (`complainants.0.name`), so a VALIDATION_FAILED answer puts each message next to its own field.
 */
import type { ErrorDetail } from './api';
import { el, uid } from './dom';

export type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

export function field(labelText: string, control: Control, opts: { path?: string; hint?: string; required?: boolean; wide?: boolean } = {}): HTMLElement {
  if (!control.id) control.id = uid('fld');
  const errId = control.id + '-err';
  const hintId = control.id + '-hint';
  if (opts.path) control.dataset.path = opts.path;
  if (opts.required) control.setAttribute('aria-required', 'true');
  control.setAttribute('aria-describedby', [opts.hint ? hintId : '', errId].filter(Boolean).join(' '));
  return el('div', { class: 'field' + (opts.wide ? ' wide' : '') },
    el('label', { for: control.id }, labelText, opts.required ? el('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    control,
    opts.hint ? el('p', { class: 'hint', id: hintId }, opts.hint) : null,
    el('p', { class: 'field-error', id: errId, 'aria-live': 'polite' }));
}

export function input(attrs: Record<string, string | number | boolean | undefined> = {}): HTMLInputElement {
  return el('input', { type: 'text', ...attrs });
}

export function select(options: [string, string][], attrs: Record<string, string | boolean | undefined> = {}): HTMLSelectElement {
  return el('select', attrs, options.map(([v, t]) => el('option', { value: v }, t)));
}

export function setError(control: Control, message: string): void {
  const err = document.getElementById(control.id + '-err');
  if (err) err.textContent = message;
  if (message) control.setAttribute('aria-invalid', 'true');
  else control.removeAttribute('aria-invalid');
}

export function clearErrors(root: HTMLElement): void {
  for (const c of root.querySelectorAll<Control>('[aria-invalid]')) setError(c, '');
  for (const p of root.querySelectorAll('.field-error')) p.textContent = '';
}

/** Server messages are written for developers; these read better at the window. */
function chineseMessage(message: string): string {
  if (/required|expected .*received undefined|Invalid input/i.test(message)) return '必填';
  if (/Too small.*>=1 characters|at least 1|too_small/i.test(message)) return '必填';
  if (/email/i.test(message)) return '电子邮箱格式不正确';
  if (/YYYY-MM-DD|date/i.test(message)) return '日期格式不正确';
  if (/decimals/.test(message)) return '金额最多两位小数（分）';
  if (/future|after now/.test(message)) return '不能晚于当前时间';
  if (/[\u4e00-\u9fff]/.test(message)) return message;
  return '填写有误：' + message;
}

/** Shows each API validation detail next to its field; answers the details no field claimed. */
export function showApiErrors(root: HTMLElement, details: ErrorDetail[]): ErrorDetail[] {
  const rest: ErrorDetail[] = [];
  let first: Control | null = null;
  for (const d of details) {
    const path = d.path.replace(/^body\./, '');
    const control = root.querySelector<Control>(`[data-path="${CSS.escape(path)}"]`)
      ?? root.querySelector<Control>(`[data-path^="${CSS.escape(path + '.')}"]`);
    if (control) {
      setError(control, chineseMessage(d.message));
      first ??= control;
    } else rest.push(d);
  }
  first?.focus();
  return rest;
}
