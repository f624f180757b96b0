/**
 * A local stand-in for Mailjet's Send API v3.1 (and the message lookup by CustomID), close enough for
 * node-mailjet: basic auth, body validation, Mailjet-shaped answers and errors. Tests script failures
 * (hang, 429, 5xx, 400, accept-then-hang), stop and restart it on the same port, and read back every
 * accepted message to check that nothing was lost or sent twice.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import { AddressInfo, Socket } from 'node:net';

export interface AcceptedMessage {
  messageId: string;
  messageUuid: string;
  customId: string;
  from: string;
  to: string[];
  subject: string;
  textPart?: string;
  htmlPart?: string;
  attachments: Array<{ filename: string; contentType: string; base64: string }>;
  at: number;
}

/** What the next send request gets instead of the normal answer. */
export type ScriptedFailure =
  | { kind: 'hang' }
  /** Accept and record the message, then never answer: the sender cannot know it was sent. */
  | { kind: 'accept-then-hang' }
  | { kind: 'status'; status: 429; retryAfterSeconds?: number }
  | { kind: 'status'; status: 500 | 502 | 503 | 504 }
  | { kind: 'bad-request'; message?: string };

export interface StandInOptions {
  apiKey?: string;
  apiSecret?: string;
}

const FIRST_MESSAGE_ID = 576460752303423488n; // beyond 2^53, as Mailjet's are

export class MailjetStandIn {
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly accepted: AcceptedMessage[] = [];
  /** Every send request that reached the stand-in, answered or not. */
  requests = 0;
  private server: http.Server | null = null;
  private sockets = new Set<Socket>();
  private script: ScriptedFailure[] = [];
  private port = 0;
  private nextId = FIRST_MESSAGE_ID;

  constructor(opts: StandInOptions = {}) {
    this.apiKey = opts.apiKey ?? 'test-key';
    this.apiSecret = opts.apiSecret ?? 'test-secret';
  }

  get url(): string {
    if (!this.port) throw new Error('the stand-in has not been started');
    return `http://127.0.0.1:${this.port}`;
  }

  get credentials(): { apiKey: string; apiSecret: string } {
    return { apiKey: this.apiKey, apiSecret: this.apiSecret };
  }

  /** Queues failures for the next send requests, in order. */
  failNext(...failures: ScriptedFailure[]): void {
    this.script.push(...failures);
  }

  /** Starts on a random port the first time, on the same port after a stop. */
  async start(): Promise<this> {
    if (this.server) return this;
    const server = http.createServer((req, res) => void this.handle(req, res));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  /** Stops listening and drops open connections, hanging requests included. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Accepted messages per CustomID, for "exactly once" assertions. */
  countsByCustomId(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const m of this.accepted) counts.set(m.customId, (counts.get(m.customId) ?? 0) + 1);
    return counts;
  }

  private authorised(req: http.IncomingMessage): boolean {
    const header = req.headers.authorization ?? '';
    const m = /^Basic (.+)$/.exec(header);
    if (!m) return false;
    return Buffer.from(m[1], 'base64').toString('utf8') === `${this.apiKey}:${this.apiSecret}`;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    // node-mailjet may send an absolute-form target; only the path matters.
    const url = new URL(req.url ?? '/', 'http://stand-in');
    if (!this.authorised(req)) {
      return json(res, 401, {
        ErrorIdentifier: crypto.randomUUID(), StatusCode: 401,
        ErrorMessage: 'API key authentication/authorization failure. You may be unauthorized to access the API or your API key may be expired. Visit API keys management section to check your keys.',
      });
    }
    if (req.method === 'POST' && url.pathname === '/v3.1/send') return this.send(raw, res);
    if (req.method === 'GET' && url.pathname.toLowerCase() === '/v3/rest/message') return this.lookup(url, res);
    return json(res, 404, { ErrorInfo: '', ErrorMessage: 'Object not found', StatusCode: 404 });
  }

  private send(raw: string, res: http.ServerResponse): void {
    this.requests += 1;
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return json(res, 400, { ErrorIdentifier: crypto.randomUUID(), StatusCode: 400, ErrorMessage: 'Malformed JSON, please review the syntax and properties types.' });
    }
    const failure = this.script.shift();
    if (failure?.kind === 'hang') return; // never answered; the socket closes on stop()
    if (failure?.kind === 'status') {
      if (failure.status === 429) {
        if (failure.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(failure.retryAfterSeconds));
        return json(res, 429, { ErrorIdentifier: crypto.randomUUID(), StatusCode: 429, ErrorMessage: 'Too many requests' });
      }
      return json(res, failure.status, { ErrorIdentifier: crypto.randomUUID(), StatusCode: failure.status, ErrorMessage: 'Internal server error' });
    }
    const problems = validate(body);
    if (failure?.kind === 'bad-request') problems.unshift({ code: 'mj-0013', message: failure.message ?? '"nobody@invalid" is an invalid email address.', related: ['To[0].Email'] });
    const messages = (body as { Messages?: unknown[] }).Messages;
    if (problems.length || !Array.isArray(messages)) {
      return json(res, 400, {
        Messages: [{
          Status: 'error',
          Errors: problems.map((p) => ({
            ErrorIdentifier: crypto.randomUUID(), ErrorCode: p.code, StatusCode: 400, ErrorMessage: p.message, ErrorRelatedTo: p.related,
          })),
        }],
      });
    }
    const answers = messages.map((m) => this.accept(m as SendMessage));
    const text = JSON.stringify({ Messages: answers });
    if (failure?.kind === 'accept-then-hang') return;
    // MessageIDs go out as bare integers beyond 2^53, like Mailjet's.
    json(res, 200, text.replace(/"MessageID":"(\d+)"/g, '"MessageID":$1'));
  }

  private accept(m: SendMessage) {
    const to = m.To.map((t) => {
      const messageId = (this.nextId++).toString();
      return { Email: t.Email, MessageUUID: crypto.randomUUID(), MessageID: messageId, MessageHref: `https://api.mailjet.com/v3/REST/message/${messageId}` };
    });
    for (const t of to) {
      this.accepted.push({
        messageId: t.MessageID, messageUuid: t.MessageUUID, customId: m.CustomID ?? '', from: m.From.Email, to: [t.Email],
        subject: m.Subject ?? '', textPart: m.TextPart, htmlPart: m.HTMLPart,
        attachments: (m.Attachments ?? []).map((a) => ({ filename: a.Filename, contentType: a.ContentType, base64: a.Base64Content })),
        at: Date.now(),
      });
    }
    return { Status: 'success', CustomID: m.CustomID ?? '', To: to, Cc: [], Bcc: [] };
  }

  private lookup(url: URL, res: http.ServerResponse): void {
    const customId = url.searchParams.get('CustomID');
    const found = this.accepted.filter((m) => customId === null || m.customId === customId);
    const text = JSON.stringify({
      Count: found.length, Total: found.length,
      Data: found.map((m) => ({ ID: m.messageId, CustomID: m.customId, ContactAlt: m.to[0], Status: 'sent' })),
    });
    json(res, 200, text.replace(/"ID":"(\d+)"/g, '"ID":$1'));
  }
}

interface SendMessage {
  From: { Email: string; Name?: string };
  To: Array<{ Email: string; Name?: string }>;
  Subject?: string;
  TextPart?: string;
  HTMLPart?: string;
  CustomID?: string;
  Attachments?: Array<{ ContentType: string; Filename: string; Base64Content: string }>;
}

interface Problem { code: string; message: string; related: string[] }

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function validate(body: unknown): Problem[] {
  const problems: Problem[] = [];
  const messages = (body as { Messages?: unknown })?.Messages;
  if (!Array.isArray(messages) || messages.length === 0 || messages.length > 50) {
    return [{ code: 'send-0001', message: 'Messages must be a list of 1 to 50 messages.', related: ['Messages'] }];
  }
  messages.forEach((raw, i) => {
    const m = raw as Partial<SendMessage>;
    const at = (p: string) => `Messages[${i}].${p}`;
    if (!m.From || typeof m.From.Email !== 'string' || !EMAIL.test(m.From.Email)) {
      problems.push({ code: 'mj-0013', message: 'From.Email is not a valid email address.', related: [at('From.Email')] });
    }
    if (!Array.isArray(m.To) || m.To.length === 0) {
      problems.push({ code: 'mj-0003', message: 'At least one recipient is required.', related: [at('To')] });
    } else {
      m.To.forEach((t, j) => {
        if (typeof t?.Email !== 'string' || !EMAIL.test(t.Email)) {
          problems.push({ code: 'mj-0013', message: `"${String(t?.Email)}" is an invalid email address.`, related: [at(`To[${j}].Email`)] });
        }
      });
    }
    if (!m.TextPart && !m.HTMLPart) problems.push({ code: 'mj-0004', message: 'TextPart or HTMLPart is required.', related: [at('TextPart')] });
    if (m.Subject !== undefined && typeof m.Subject !== 'string') problems.push({ code: 'send-0003', message: 'Subject must be a string.', related: [at('Subject')] });
    (m.Attachments ?? []).forEach((a, j) => {
      if (!a?.Filename || !a.ContentType || typeof a.Base64Content !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(a.Base64Content)) {
        problems.push({ code: 'send-0008', message: 'Attachment needs Filename, ContentType and base64 Base64Content.', related: [at(`Attachments[${j}]`)] });
      }
    });
  });
  return problems;
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
