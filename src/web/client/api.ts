/** Calls to the JSON API; every error arrives as {error: {code, message, details}} and becomes an ApiError. */

export interface ErrorDetail {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details: ErrorDetail[] = []) {
    super(message);
    this.name = 'ApiError';
  }
}

export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  // The server takes writes only as JSON, even empty ones (a form post from another site carries none).
  if (body === undefined && ['POST', 'PUT', 'PATCH'].includes(method.toUpperCase())) body = {};
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: body === undefined ? { Accept: 'application/json' } : { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'NETWORK', '无法连接服务，请检查网络后重试。');
  }
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) {
    const e = (data as { error?: { code?: string; message?: string; details?: ErrorDetail[] } } | null)?.error;
    throw new ApiError(res.status, e?.code ?? 'HTTP_' + res.status, e?.message ?? res.statusText, Array.isArray(e?.details) ? e.details : []);
  }
  return data as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body: unknown = {}) => api<T>('POST', path, body);

export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? '?' + s : '';
}

/** What a person should read for an API refusal; the server's English message is only the fallback. */
export function explain(e: unknown): string {
  // A browser or library error is in English and means nothing to the user: say what to do, keep it in the console.
  if (!(e instanceof ApiError)) {
    console.error(e);
    return '操作失败，请刷新页面后重试。';
  }
  switch (e.code) {
    case 'NETWORK': return e.message;
    case 'UNAUTHENTICATED': return '登录已过期，请重新登录。';
    case 'FORBIDDEN': return '您的角色无权进行此操作。';
    case 'TASK_ALREADY_COMPLETED': return '该任务已由他人办理完成，无需再次提交。';
    case 'TASK_ALREADY_CLAIMED': return '该任务刚刚已被其他人领取。';
    case 'TASK_CANCELED': return '该任务已因流程变化被取消。';
    case 'VALIDATION_FAILED': return '填写的内容有误，请按提示修改。';
    case 'PAYLOAD_TOO_LARGE': return '提交的内容过大。';
    case 'INTERNAL': return '服务内部错误，请稍后重试（' + e.message + '）';
  }
  if (e.status === 404) return '记录不存在，或不在您的管辖范围内。';
  if (e.status === 409) return '数据已被他人更改，请刷新后重试。';
  return '操作失败：' + e.message;
}
