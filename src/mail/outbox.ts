/**
 * The durable mail outbox: mail is written in the transaction of the step that causes it, so a step
 * that rolls back sends nothing and a committed step never loses its mail. The sender (sender.ts)
 * delivers it later.
 */
import crypto from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Clock, systemClock } from '../clock/clock';
import { errors } from '../errors';
import {
  decodedBase64Bytes, MAIL_STATES, MailAddress, MailAttachment, MailAttachmentInfo, MailRecord, MailState,
  MailSummary, ProviderMessageId, queueMailSchema, QueueMailInput,
} from './types';

const SUMMARY_COLUMNS = `id, office_id, case_id, document_id, to_json, subject, purpose, state, attempts, next_attempt_at,
  last_error, provider_message_ids, attachments_meta, created_at, sent_at`;

function isMysqlManager(em: EntityManager): boolean {
  return em.connection.options.type === 'mysql';
}

function isUniqueViolation(e: unknown): boolean {
  const driverError = (e as { driverError?: { code?: string } }).driverError;
  return driverError?.code === 'ER_DUP_ENTRY' || driverError?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

async function findByIdempotencyKey(em: EntityManager, key: string, latest: boolean): Promise<string | null> {
  // After a duplicate-key error on MySQL only a locking read sees the row the other transaction committed.
  const lock = latest && isMysqlManager(em) ? ' FOR UPDATE' : '';
  const rows: Array<{ id: string }> = await em.query(`SELECT id FROM mail_outbox WHERE idempotency_key = ?${lock}`, [key]);
  return rows[0]?.id ?? null;
}

/**
 * Queues a mail in the caller's transaction and returns its id. With an idempotency key that is
 * already queued, returns the existing mail's id and writes nothing: a step delivered twice queues
 * one mail.
 */
export async function queueMail(em: EntityManager, input: QueueMailInput, clock: Clock = systemClock): Promise<string> {
  const parsed = queueMailSchema.safeParse(input);
  if (!parsed.success) {
    throw errors.validation('The mail is not valid.', parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  const mail = parsed.data;
  if (mail.idempotencyKey) {
    const existing = await findByIdempotencyKey(em, mail.idempotencyKey, false);
    if (existing) return existing;
  }
  const id = crypto.randomUUID();
  const now = clock.now().getTime();
  const meta: MailAttachmentInfo[] = mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, bytes: decodedBase64Bytes(a.base64) }));
  try {
    await em.query(
      `INSERT INTO mail_outbox (id, office_id, case_id, document_id, to_json, subject, text_body, html_body, attachments,
         attachments_meta, purpose, idempotency_key, state, attempts, next_attempt_at, outcome_unknown, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, 0, ?)`,
      [id, mail.officeId ?? null, mail.caseId ?? null, mail.documentId ?? null, JSON.stringify(mail.to), mail.subject,
        mail.textBody, mail.htmlBody ?? null, mail.attachments.length ? JSON.stringify(mail.attachments) : null,
        JSON.stringify(meta), mail.purpose, mail.idempotencyKey ?? null, now, now],
    );
  } catch (e) {
    // A concurrent step with the same key committed first: its mail is the one.
    if (mail.idempotencyKey && isUniqueViolation(e)) {
      const existing = await findByIdempotencyKey(em, mail.idempotencyKey, true);
      if (existing) return existing;
    }
    throw e;
  }
  return id;
}

type Row = Record<string, unknown>;

const ms = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(Number(v)));
const json = <T>(v: unknown, fallback: T): T => (typeof v === 'string' && v.length ? (JSON.parse(v) as T) : fallback);
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function toSummary(r: Row): MailSummary {
  const state = String(r.state) as MailState;
  return {
    id: String(r.id),
    officeId: strOrNull(r.office_id),
    caseId: strOrNull(r.case_id),
    documentId: strOrNull(r.document_id),
    to: json<MailAddress[]>(r.to_json, []),
    subject: String(r.subject),
    purpose: String(r.purpose),
    state,
    attempts: Number(r.attempts),
    nextAttemptAt: state === 'sent' || state === 'failed' ? null : ms(r.next_attempt_at),
    lastError: strOrNull(r.last_error),
    providerMessageIds: json<ProviderMessageId[]>(r.provider_message_ids, []),
    attachments: json<MailAttachmentInfo[]>(r.attachments_meta, []),
    createdAt: new Date(Number(r.created_at)),
    sentAt: ms(r.sent_at),
  };
}

export interface ListMailFilter {
  caseId?: string;
  state?: MailState;
  /** At most this many, newest first; 100 by default, 500 at most. */
  limit?: number;
}

/** Mail for the UI and API, newest first, without bodies or attachment content. */
export async function listMail(em: EntityManager, filter: ListMailFilter = {}): Promise<MailSummary[]> {
  if (filter.state && !MAIL_STATES.includes(filter.state)) {
    throw errors.validation('Unknown mail state.', [{ path: 'state', message: `one of ${MAIL_STATES.join(', ')}` }]);
  }
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.caseId) { where.push('case_id = ?'); params.push(filter.caseId); }
  if (filter.state) { where.push('state = ?'); params.push(filter.state); }
  const limit = Math.min(Math.max(Math.trunc(filter.limit ?? 100), 1), 500);
  const rows: Row[] = await em.query(
    `SELECT ${SUMMARY_COLUMNS} FROM mail_outbox ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
     ORDER BY created_at DESC, id DESC LIMIT ${limit}`,
    params,
  );
  return rows.map(toSummary);
}

/** One mail with its bodies and attachments, or null. */
export async function getMail(em: EntityManager, id: string): Promise<MailRecord | null> {
  const rows: Row[] = await em.query(
    `SELECT ${SUMMARY_COLUMNS}, text_body, html_body, attachments, idempotency_key, outcome_unknown FROM mail_outbox WHERE id = ?`,
    [id],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    ...toSummary(r),
    textBody: String(r.text_body),
    htmlBody: strOrNull(r.html_body),
    idempotencyKey: strOrNull(r.idempotency_key),
    outcomeUnknown: Number(r.outcome_unknown) === 1,
    attachmentContents: json<MailAttachment[]>(r.attachments, []),
  };
}

/**
 * Puts a failed mail back in the queue (after its address was corrected, or credentials were fixed).
 * Mail already sent or in flight is refused: sending it again would duplicate it.
 */
export async function requeueMail(em: EntityManager, id: string, clock: Clock = systemClock): Promise<void> {
  const rows: Array<{ state: string }> = await em.query('SELECT state FROM mail_outbox WHERE id = ?', [id]);
  if (!rows[0]) throw errors.notFound('mail', id);
  if (rows[0].state !== 'failed') {
    throw errors.conflict('MAIL_NOT_FAILED', `Only failed mail can be queued again; this one is ${rows[0].state}.`);
  }
  await em.query(
    `UPDATE mail_outbox SET state = 'pending', attempts = 0, next_attempt_at = ?, last_error = NULL WHERE id = ? AND state = 'failed'`,
    [clock.now().getTime(), id],
  );
}
