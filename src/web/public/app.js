// The browser UI. Every permission is checked again by the server; this only chooses what to show.
'use strict';

const ROLE_NAMES = { intake: '窗口受理', handler: '监察员', legal: '法制审核', supervisor: '大队长/科长', admin: '系统管理员' };

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children.flat()) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
    credentials: 'same-origin',
  });
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) {
    const err = new Error((data && data.error && data.error.message) || res.statusText);
    err.status = res.status;
    err.code = data && data.error && data.error.code;
    throw err;
  }
  return data;
}

function showLogin(message) {
  nav.replaceChildren();
  who.replaceChildren();
  const error = el('p', { class: 'error', role: 'alert', id: 'login-error' }, message || '');
  const form = el('form', { class: 'card login', 'aria-labelledby': 'login-title' },
    el('h1', { id: 'login-title' }, '登录'),
    el('label', { for: 'username' }, '用户名'),
    el('input', { id: 'username', name: 'username', autocomplete: 'username', required: '' }),
    el('label', { for: 'password' }, '密码'),
    el('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: '' }),
    el('button', { class: 'primary', type: 'submit' }, '登录'),
    error);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await api('POST', '/api/session', { username: form.username.value.trim(), password: form.password.value });
      await start();
    } catch (e) {
      error.textContent = e.code === 'LOGIN_LOCKED' ? '登录失败次数过多，请稍后再试。' : e.code === 'BAD_CREDENTIALS' ? '用户名或密码错误。' : '登录失败：' + e.message;
    }
  });
  main.replaceChildren(form);
  form.username.focus();
}

async function showHome(me) {
  const grids = (await api('GET', '/api/grids')).items;
  const employers = (await api('GET', '/api/employers?limit=50')).items;
  const gridName = new Map(grids.map((g) => [g.id, g.name]));
  const mine = grids.filter((g) => me.gridIds.includes(g.id)).map((g) => g.name);
  main.replaceChildren(
    el('section', { class: 'card', 'aria-labelledby': 'home-title' },
      el('h1', { id: 'home-title' }, `${me.displayName}，您好`),
      el('p', {}, '单位：', me.office ? me.office.name : '—'),
      el('p', { id: 'roles' }, '角色：', me.roles.map((r) => el('span', { class: 'tag', 'data-role': r }, ROLE_NAMES[r] || r))),
      el('p', {}, '网格：', mine.length ? mine.join('、') : '全单位')),
    el('section', { class: 'card', 'aria-labelledby': 'employers-title' },
      el('h2', { id: 'employers-title' }, '用人单位（一户一档）'),
      el('table', { id: 'employers' },
        el('thead', {}, el('tr', {}, el('th', {}, '单位名称'), el('th', {}, '统一社会信用代码'), el('th', {}, '网格'), el('th', {}, '地址'))),
        el('tbody', {}, employers.map((e) => el('tr', {}, el('td', {}, e.name), el('td', {}, e.creditCode || '—'), el('td', {}, gridName.get(e.gridId) || ''), el('td', {}, e.address)))))));
}

async function start() {
  let me;
  try {
    me = await api('GET', '/api/session');
  } catch (e) {
    if (e.status === 401) return showLogin();
    main.replaceChildren(el('p', { class: 'error' }, '无法连接服务：' + e.message));
    return;
  }
  who.replaceChildren(`${me.displayName}（${me.roles.map((r) => ROLE_NAMES[r] || r).join('、')}）`, ' ',
    el('button', { class: 'link', type: 'button', id: 'logout', onclick: async () => { await api('DELETE', '/api/session'); showLogin('已退出。'); } }, '退出'));
  nav.replaceChildren(el('a', { href: '/' }, '首页'));
  await showHome(me);
}

start();
