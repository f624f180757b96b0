/** What every admin console page shares: its row of section links, and how a save's outcome is shown. */
import { ApiError, explain } from '../api';
import { el } from '../dom';
import { showApiErrors } from '../fields';

const SECTIONS: [string, string][] = [
  ['/admin/users', '用户和角色'], ['/admin/grids', '网格'], ['/admin/contacts', '外部单位联系方式'],
  ['/admin/calendar', '节假日安排'], ['/admin/levels', '服务时限'],
];

/** The console's own navigation, the current section marked. */
export function adminNav(current: string): HTMLElement {
  return el('nav', { class: 'admin-nav', 'aria-label': '系统管理' },
    SECTIONS.map(([href, text]) => el('a', { href, 'aria-current': href === current ? 'page' : null }, text)));
}

/** Shows an API refusal: each validation detail beside its field, the rest (or the reason) in `status`. */
export function showRefusal(form: HTMLElement, status: HTMLElement, e: unknown, fieldErrors: Record<string, [string, string]> = {}): void {
  status.className = 'message error';
  if (e instanceof ApiError && fieldErrors[e.code]) {
    const [path, message] = fieldErrors[e.code];
    showApiErrors(form, [{ path, message }]);
    status.textContent = message;
    return;
  }
  if (e instanceof ApiError && e.details.length) {
    const rest = showApiErrors(form, e.details);
    status.textContent = '请按提示修改后再保存。' + rest.map((d) => d.message).join('；');
    return;
  }
  status.textContent = explain(e);
}

export function showDone(status: HTMLElement, text: string): void {
  status.className = 'message ok';
  status.textContent = text;
}
