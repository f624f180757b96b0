/**
 * 外部单位联系方式: the one address the office keeps for each outside body (police liaison, court,
 * arbitration commission, social insurance audit, the supervisors' mailbox). Mail to a body with no
 * address is not sent, so an unset one says so.
 */
import { api, get } from '../api';
import { el, fmtDateTime } from '../dom';
import { clearErrors, field, input } from '../fields';
import { CONTACT_ROLE_LABELS, label } from '../labels';
import { currentRender, type PageContext } from '../router';
import { adminNav, showDone, showRefusal } from './admin-common';

interface Contact { role: string; name: string | null; email: string | null; configured: boolean; updatedBy: string | null; updatedByName: string | null; updatedAt: number | null }

export async function showContacts({ main }: PageContext): Promise<void> {
  const seq = currentRender();
  const contacts = (await get<{ items: Contact[] }>('/api/contacts')).items;
  if (seq !== currentRender()) return;

  const cards = contacts.map((c) => {
    const status = el('p', { class: 'status', role: 'status' });
    const name = input({ id: `contact-${c.role}-name`, value: c.name ?? '', maxlength: 200 });
    const email = input({ id: `contact-${c.role}-email`, type: 'email', value: c.email ?? '', maxlength: 254 });
    const updated = el('p', { class: 'muted' }, c.configured ? `最近修改：${c.updatedByName ?? '—'}，${fmtDateTime(c.updatedAt)}` : '尚未设置：发往该单位的邮件不会发送。');
    const form = el('form', { novalidate: true, 'data-contact': c.role, 'aria-label': label(CONTACT_ROLE_LABELS, c.role) },
      el('h2', {}, label(CONTACT_ROLE_LABELS, c.role)),
      updated,
      el('div', { class: 'grid' },
        field('单位或联系人名称', name, { path: 'name', required: true }),
        field('电子邮箱', email, { path: 'email', required: true })),
      el('div', { class: 'form-actions' }, el('button', { type: 'submit', class: 'primary' }, '保存')),
      status);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearErrors(form);
      try {
        const saved = await api<Contact>('PUT', `/api/contacts/${encodeURIComponent(c.role)}`, { name: name.value, email: email.value.trim() });
        updated.textContent = `最近修改：${saved.updatedByName ?? '—'}，${fmtDateTime(saved.updatedAt)}`;
        showDone(status, '已保存。');
      } catch (e) {
        showRefusal(form, status, e);
      }
    });
    return el('section', { class: 'card' }, form);
  });

  main.replaceChildren(
    el('section', { class: 'card' },
      el('h1', { id: 'admin-title' }, '外部单位联系方式'),
      adminNav('/admin/contacts'),
      el('p', { class: 'muted' }, '移送、告知和督办邮件按这里的地址发送。工作人员的邮箱在“用户和角色”中设置。')),
    ...cards);
}
