import { el } from '../dom';

/** The same page for "no such record" and "not yours to see": the server does not tell them apart either. */
export function showNotFound(main: HTMLElement, message = '页面不存在。'): void {
  main.replaceChildren(el('section', { class: 'card', id: 'not-found', 'aria-labelledby': 'nf-title' },
    el('h1', { id: 'nf-title' }, '未找到'),
    el('p', { role: 'alert' }, message),
    el('p', {}, el('a', { href: '/' }, '返回首页'), '　', el('a', { href: '/inbox' }, '我的待办'))));
}
