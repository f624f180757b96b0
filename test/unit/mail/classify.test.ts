import { classifyMailjetError } from '../../../src/mail/mailjet-transport';

const now = new Date('2026-11-21T10:00:00Z');
const httpError = (statusCode: number, data: unknown = {}, headers: Record<string, string> = {}) =>
  Object.assign(new Error(`Unsuccessful: Status Code: "${statusCode}"`), { statusCode, response: { status: statusCode, headers, data } });

describe('classifyMailjetError', () => {
  it('retries 429 and honours Retry-After', () => {
    expect(classifyMailjetError(httpError(429, {}, { 'retry-after': '90' }), now))
      .toMatchObject({ kind: 'retry', status: 429, retryAfterMs: 90_000, outcomeUnknown: false });
    expect(classifyMailjetError(httpError(429), now)).toMatchObject({ kind: 'retry', retryAfterMs: undefined });
  });

  it('retries 5xx; only a gateway timeout leaves the outcome open', () => {
    expect(classifyMailjetError(httpError(500), now)).toMatchObject({ kind: 'retry', outcomeUnknown: false });
    expect(classifyMailjetError(httpError(503), now)).toMatchObject({ kind: 'retry', outcomeUnknown: false });
    expect(classifyMailjetError(httpError(504), now)).toMatchObject({ kind: 'retry', outcomeUnknown: true });
  });

  it('refuses other 4xx with Mailjet’s reasons', () => {
    const body = { Messages: [{ Status: 'error', Errors: [{ ErrorCode: 'mj-0013', ErrorMessage: '"x@y" is an invalid email address.', ErrorRelatedTo: ['To[0].Email'], StatusCode: 400 }] }] };
    const out = classifyMailjetError(httpError(400, body), now);
    expect(out).toMatchObject({ kind: 'refused', status: 400 });
    expect(out.kind === 'refused' && out.error).toBe('HTTP 400: mj-0013 "x@y" is an invalid email address. (To[0].Email)');
    expect(classifyMailjetError(httpError(401, { ErrorMessage: 'API key authentication/authorization failure.' }), now))
      .toMatchObject({ kind: 'refused', error: 'HTTP 401: API key authentication/authorization failure.' });
  });

  it('knows a refused connection never reached Mailjet, and a timeout may have', () => {
    expect(classifyMailjetError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), now))
      .toMatchObject({ kind: 'retry', outcomeUnknown: false });
    expect(classifyMailjetError(Object.assign(new Error('timeout of 400ms exceeded'), { code: 'ECONNABORTED' }), now))
      .toMatchObject({ kind: 'retry', outcomeUnknown: true });
    expect(classifyMailjetError(new Error('something else'), now)).toMatchObject({ kind: 'retry', outcomeUnknown: true });
  });
});
