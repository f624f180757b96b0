/**
 * Mailjet's Send API v3.1 through node-mailjet, reduced to what the sender needs: send one message and
 * say whether the outcome is success, a transient failure (with whether the message may nevertheless
 * have been accepted) or a refusal; and find messages already accepted under a CustomID.
 */
import Mailjet, { SendEmailV3_1 } from 'node-mailjet';
import { parseRetryAfter } from './backoff';
import { MailAddress, MailAttachment, ProviderMessageId } from './types';

export interface OutboundMail {
  /** The outbox id, sent as Mailjet's CustomID so an uncertain attempt can be looked up later. */
  customId: string;
  from: MailAddress;
  to: MailAddress[];
  subject: string;
  textBody: string;
  htmlBody: string | null;
  attachments: MailAttachment[];
}

export type SendOutcome =
  | { kind: 'sent'; messageIds: ProviderMessageId[] }
  | { kind: 'retry'; error: string; status?: number; retryAfterMs?: number; outcomeUnknown: boolean }
  | { kind: 'refused'; error: string; status?: number };

export interface MailTransport {
  send(mail: OutboundMail): Promise<SendOutcome>;
  /** Messages Mailjet knows under this CustomID; throws when Mailjet cannot be asked. */
  findByCustomId(customId: string): Promise<ProviderMessageId[]>;
}

export interface MailjetCredentials {
  apiKey: string;
  apiSecret: string;
}

export interface MailjetTransportOptions {
  credentials: MailjetCredentials;
  /** Base URL such as https://api.mailjet.com (the default); http:// is for local stand-ins. */
  apiUrl?: string;
  timeoutMs: number;
  now: () => Date;
}

/** Network failures where the request certainly never reached Mailjet. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

interface MailjetError {
  statusCode?: number;
  code?: string;
  message?: string;
  response?: { headers?: Record<string, unknown>; data?: unknown };
  ErrorMessage?: string;
}

/** MessageIDs exceed 2^53: node-mailjet parses them with json-bigint, so they arrive as strings or BigNumbers. */
function idString(v: unknown): string {
  return typeof v === 'object' && v !== null ? (v as { toFixed(): string }).toFixed() : String(v);
}

function mailjetErrors(data: unknown): string | undefined {
  const messages = (data as { Messages?: Array<{ Errors?: Array<{ ErrorMessage?: string; ErrorRelatedTo?: string[]; ErrorCode?: string }> }> })?.Messages;
  const errs = messages?.flatMap((m) => m.Errors ?? []) ?? [];
  if (!errs.length) {
    const top = (data as { ErrorMessage?: string })?.ErrorMessage;
    return typeof top === 'string' ? top : undefined;
  }
  return errs.map((e) => `${e.ErrorCode ?? ''} ${e.ErrorMessage ?? ''}${e.ErrorRelatedTo?.length ? ` (${e.ErrorRelatedTo.join(', ')})` : ''}`.trim()).join('; ');
}

/** Turns what node-mailjet throws into the sender's outcome. Exported for unit tests. */
export function classifyMailjetError(err: unknown, now: Date): SendOutcome {
  const e = (err ?? {}) as MailjetError;
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  if (status !== undefined) {
    const detail = mailjetErrors(e.response?.data) ?? e.ErrorMessage ?? e.message ?? 'no detail';
    const error = `HTTP ${status}: ${detail}`.slice(0, 2000);
    if (status === 429) {
      return { kind: 'retry', status, error, outcomeUnknown: false, retryAfterMs: parseRetryAfter(e.response?.headers?.['retry-after'], now) };
    }
    // A gateway timeout may hide an accepted message; other 5xx mean Mailjet did not take it.
    if (status >= 500) return { kind: 'retry', status, error, outcomeUnknown: status === 504 };
    if (status >= 400) return { kind: 'refused', status, error };
    return { kind: 'retry', status, error, outcomeUnknown: true };
  }
  const code = e.code ?? 'UNKNOWN';
  const error = `${code}: ${e.message ?? String(err)}`.slice(0, 2000);
  return { kind: 'retry', error, outcomeUnknown: !NOT_CONNECTED.has(code) };
}

/**
 * node-mailjet always builds https:// URLs from its `host` setting. For an http:// base URL (a local
 * stand-in) the request's URL is rewritten per request, leaving the library and other clients alone.
 */
function baseUrlParts(apiUrl: string | undefined): { host: string; plainHttp: boolean } {
  if (!apiUrl) return { host: 'api.mailjet.com', plainHttp: false };
  const url = new URL(apiUrl);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`Mailjet API URL must be http(s): ${apiUrl}`);
  const path = url.pathname.replace(/\/+$/, '');
  return { host: url.host + path, plainHttp: url.protocol === 'http:' };
}

export function createMailjetTransport(opts: MailjetTransportOptions): MailTransport {
  const { host, plainHttp } = baseUrlParts(opts.apiUrl);
  const client = Mailjet.apiConnect(opts.credentials.apiKey, opts.credentials.apiSecret, {
    config: { host },
    options: { timeout: opts.timeoutMs },
  });

  function request(method: 'post' | 'get', resource: string, version: 'v3' | 'v3.1') {
    const req = method === 'post' ? client.post(resource, { version }) : client.get(resource, { version });
    if (plainHttp) {
      const target = req as unknown as { buildFullUrl(): string };
      const original = target.buildFullUrl.bind(req);
      target.buildFullUrl = () => original().replace(/^https:\/\//, 'http://');
    }
    return req;
  }

  return {
    async send(mail) {
      const message: SendEmailV3_1.Message = {
        From: { Email: mail.from.email, ...(mail.from.name ? { Name: mail.from.name } : {}) },
        To: mail.to.map((t) => ({ Email: t.email, ...(t.name ? { Name: t.name } : {}) })),
        Subject: mail.subject,
        TextPart: mail.textBody,
        ...(mail.htmlBody ? { HTMLPart: mail.htmlBody } : {}),
        ...(mail.attachments.length
          ? { Attachments: mail.attachments.map((a) => ({ ContentType: a.contentType, Filename: a.filename, Base64Content: a.base64 })) }
          : {}),
        CustomID: mail.customId,
      };
      let body: SendEmailV3_1.Response;
      try {
        const res = await request('post', 'send', 'v3.1').request<SendEmailV3_1.Body>({ Messages: [message] });
        body = res.body as unknown as SendEmailV3_1.Response;
      } catch (err) {
        return classifyMailjetError(err, opts.now());
      }
      const result = body?.Messages?.[0];
      if (!result || result.Status !== 'success') {
        return { kind: 'refused', error: `Mailjet did not accept the message: ${mailjetErrors(body) ?? JSON.stringify(body).slice(0, 500)}` };
      }
      const messageIds = [...(result.To ?? []), ...(result.Cc ?? []), ...(result.Bcc ?? [])].map((t) => ({
        email: t.Email, messageId: idString(t.MessageID), ...(t.MessageUUID ? { messageUuid: t.MessageUUID } : {}),
      }));
      return { kind: 'sent', messageIds };
    },

    async findByCustomId(customId) {
      const res = await request('get', 'message', 'v3').request({}, { CustomID: customId });
      const data = (res.body as { Data?: Array<{ ID: unknown; ContactAlt?: string }> }).Data ?? [];
      return data.map((m) => ({ email: m.ContactAlt ?? '', messageId: idString(m.ID) }));
    },
  };
}
