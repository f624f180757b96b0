import { ApiError, post } from '../api';
import { el } from '../dom';

export function showLogin(main: HTMLElement, onLoggedIn: () => Promise<void>, message = ''): void {
  const error = el('p', { class: 'error', role: 'alert', id: 'login-error' }, message);
  const username = el('input', { id: 'username', name: 'username', autocomplete: 'username', required: true });
  const password = el('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = el('button', { class: 'primary', type: 'submit' }, '登录');
  const form = el('form', { class: 'card login', 'aria-labelledby': 'login-title', novalidate: true },
    el('h1', { id: 'login-title' }, '登录'),
    el('label', { for: 'username' }, '用户名'), username,
    el('label', { for: 'password' }, '密码'), password,
    submit, error);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!username.value.trim() || !password.value) {
      error.textContent = '请输入用户名和密码。';
      (username.value.trim() ? password : username).focus();
      return;
    }
    submit.disabled = true;
    try {
      await post('/api/session', { username: username.value.trim(), password: password.value });
      await onLoggedIn();
    } catch (e) {
      const code = e instanceof ApiError ? e.code : '';
      error.textContent = code === 'LOGIN_LOCKED' ? '登录失败次数过多，请稍后再试。'
        : code === 'BAD_CREDENTIALS' ? '用户名或密码错误。'
          : '登录失败：' + (e instanceof Error ? e.message : String(e));
      password.select();
    } finally {
      submit.disabled = false;
    }
  });
  main.replaceChildren(form);
  username.focus();
}
