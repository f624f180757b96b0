/**
 * Delivers the outbox through Mailjet.
 *
 * A sender leases a batch of due mail (state `sending`, a lease token and an expiry, committed before
 * any HTTP call), sends each mail with its outbox id as Mailjet's CustomID, and records the outcome
 * under the same token. Several senders may run at once, in one process or several: a row is leased
 * by one of them at a time. A sender that dies mid-send leaves its rows leased; once the lease has
 * expired another sender takes them over.
 *
 * Delivery is at least once, with one window: if Mailjet accepts a message and the process dies (or
 * the answer is lost to a timeout) before the outcome is committed, we cannot know it was sent. Such
 * a mail is flagged `outcome_unknown`, and before sending it again the sender asks Mailjet for
 * messages with its CustomID; only if none is found is it sent again. Mailjet's message list can lag
 * behind the Send API by a few seconds, so a duplicate stays possible when the lookup runs that soon;
 * the back-off makes this unlikely, not impossible.
 *
 * On SQLite, TypeORM shares one connection among all users of a DataSource, so a statement of the
 * sender could land inside another component's open transaction (and be rolled back with it); the
 * sender's writes therefore queue on the data source's shared transaction lock.
 */
import { sqliteTransactionLock } from '../db/data-source';
import crypto from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../clock/clock';
import { BackoffPolicy, DEFAULT_BACKOFF, retryDelayMs } from './backoff';
import { createMailjetTransport, MailjetCredentials, MailTransport, SendOutcome } from './mailjet-transport';
import { MailAddress, MailAttachment, ProviderMessageId } from './types';

/** The subset of pino's logger the sender uses. */
export interface MailLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface MailSenderOptions {
  dataSource: DataSource;
  clock: Clock;
  /** Without credentials nothing is sent: due mail is marked `unsent_no_credentials`. */
  credentials?: MailjetCredentials | null;
  /** Mailjet base URL; https://api.mailjet.com when absent. */
  apiUrl?: string;
  from: MailAddress;
  logger: MailLogger;
  /** Replaces the Mailjet transport (unit tests). */
  transport?: MailTransport;
  pollIntervalMs?: number;
  batchSize?: number;
  /** How long a leased mail stays with its sender; must exceed the request timeout. */
  leaseMs?: number;
  requestTimeoutMs?: number;
  /** Attempts before a transiently failing mail is given up as failed. */
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  random?: () => number;
}

export interface SendRunResult {
  leased: number;
  sent: number;
  /** Found already accepted by Mailjet under its CustomID, so not sent again. */
  reconciled: number;
  retried: number;
  failed: number;
  /** Marked unsent because no credentials are configured. */
  unsent: number;
}

interface LeasedRow {
  id: string;
  to_json: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  attachments: string | null;
  attempts: number | string;
  outcome_unknown: number | string;
}

const DUE = `((state IN ('pending', 'unsent_no_credentials') AND next_attempt_at <= ?) OR (state = 'sending' AND lease_until <= ?))`;

export class MailSender {
  private readonly ds: DataSource;
  private readonly clock: Clock;
  private readonly logger: MailLogger;
  private readonly transport: MailTransport | null;
  private readonly from: MailAddress;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly backoff: BackoffPolicy;
  private readonly random: () => number;
  private readonly mysql: boolean;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = true;
  private saidNoCredentials = false;
  private stopping = false;

  constructor(opts: MailSenderOptions) {
    this.ds = opts.dataSource;
    this.clock = opts.clock;
    this.logger = opts.logger;
    this.from = opts.from;
    this.pollIntervalMs = opts.pollIntervalMs ?? 5_000;
    this.batchSize = opts.batchSize ?? 20;
    const requestTimeoutMs = opts.requestTimeoutMs ?? 30_000;
    this.leaseMs = opts.leaseMs ?? Math.max(5 * 60_000, requestTimeoutMs * 4);
    this.maxAttempts = opts.maxAttempts ?? 12;
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.random = opts.random ?? Math.random;
    this.mysql = this.ds.options.type === 'mysql';
    if (opts.transport) this.transport = opts.transport;
    else if (opts.credentials?.apiKey && opts.credentials.apiSecret) {
      this.transport = createMailjetTransport({
        credentials: opts.credentials, apiUrl: opts.apiUrl, timeoutMs: requestTimeoutMs, now: () => this.clock.now(),
      });
    } else this.transport = null;
  }

  /** Whether this sender can deliver at all. */
  get configured(): boolean {
    return this.transport !== null;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.runOnce()
        .catch((err) => this.logger.error({ err }, 'mail sender run failed'))
        .finally(() => {
          this.running = null;
          if (!this.stopped) this.timer = setTimeout(tick, this.pollIntervalMs);
        });
    };
    tick();
  }

  /**
   * Stops polling and waits for the mail in flight; mail leased but not yet sent is handed back at
   * once rather than left until its lease expires.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.stopping = true;
    try {
      await this.running;
    } finally {
      this.stopping = false;
    }
  }

  /** One poll: lease due mail, send it, record the outcomes. */
  async runOnce(): Promise<SendRunResult> {
    const result: SendRunResult = { leased: 0, sent: 0, reconciled: 0, retried: 0, failed: 0, unsent: 0 };
    if (!this.transport) {
      result.unsent = await this.markUnsent();
      return result;
    }
    const token = crypto.randomUUID();
    const rows = await this.lease(token);
    result.leased = rows.length;
    for (const row of rows) {
      if (this.stopping) {
        await this.handBack(row.id, token);
        continue;
      }
      // Later rows of a batch wait for earlier sends: renew the lease right before each send, so a
      // lease never lapses while its mail is in flight unless one send outlasts a whole lease.
      if (!(await this.renewLease(row.id, token))) continue;
      const outcome = await this.deliver(row);
      const recorded = await this.record(row, token, outcome);
      if (recorded) result[recorded] += 1;
    }
    return result;
  }

  private async markUnsent(): Promise<number> {
    if (!this.saidNoCredentials) {
      this.saidNoCredentials = true;
      this.logger.warn({}, 'Mailjet credentials are not configured: mail stays in the outbox, marked unsent');
    }
    return this.execute(`UPDATE mail_outbox SET state = 'unsent_no_credentials' WHERE state = 'pending'`, []);
  }

  /**
   * Leases up to batchSize due rows under `token`. MySQL/MariaDB skip rows another sender holds locked;
   * SQLite has one writer at a time, so a single UPDATE is atomic there. The outer re-check of the due
   * condition keeps a row from being leased twice when two UPDATEs chose it from the same snapshot.
   * A row taken over from an expired lease may have reached Mailjet: it is flagged outcome_unknown.
   */
  private async lease(token: string): Promise<LeasedRow[]> {
    const now = this.clock.now().getTime();
    const leaseUntil = now + this.leaseMs;
    // MySQL applies SET assignments left to right: outcome_unknown must read the old state.
    const set = `SET outcome_unknown = CASE WHEN state = 'sending' THEN 1 ELSE outcome_unknown END,
      state = 'sending', lease_token = ?, lease_until = ?, attempts = attempts + 1`;
    if (this.mysql) {
      await this.ds.transaction(async (em: EntityManager) => {
        const ids: Array<{ id: string }> = await em.query(
          `SELECT id FROM mail_outbox WHERE ${DUE} ORDER BY next_attempt_at, created_at LIMIT ${this.batchSize} FOR UPDATE SKIP LOCKED`,
          [now, now],
        );
        if (!ids.length) return;
        await em.query(`UPDATE mail_outbox ${set} WHERE id IN (${ids.map(() => '?').join(', ')}) AND ${DUE}`,
          [token, leaseUntil, ...ids.map((r) => r.id), now, now]);
      });
    } else {
      // One statement, so no explicit transaction: SQLite runs it atomically under its write lock.
      await this.exclusive(() => this.ds.query(
        `UPDATE mail_outbox ${set} WHERE id IN (SELECT id FROM mail_outbox WHERE ${DUE} ORDER BY next_attempt_at, created_at LIMIT ${this.batchSize}) AND ${DUE}`,
        [token, leaseUntil, now, now, now, now],
      ));
    }
    return this.ds.query(
      `SELECT id, to_json, subject, text_body, html_body, attachments, attempts, outcome_unknown FROM mail_outbox
       WHERE lease_token = ? AND state = 'sending' ORDER BY next_attempt_at, created_at`,
      [token],
    );
  }

  /** Returns an unsent leased mail to the queue, as if this attempt had not been made. */
  private async handBack(id: string, token: string): Promise<void> {
    await this.execute(
      `UPDATE mail_outbox SET state = 'pending', attempts = attempts - 1, lease_token = NULL, lease_until = NULL
       WHERE id = ? AND lease_token = ? AND state = 'sending'`,
      [id, token],
    );
  }

  private async renewLease(id: string, token: string): Promise<boolean> {
    const renewed = await this.execute(
      `UPDATE mail_outbox SET lease_until = ? WHERE id = ? AND lease_token = ? AND state = 'sending'`,
      [this.clock.now().getTime() + this.leaseMs, id, token],
    );
    if (!renewed) this.logger.warn({ mailId: id }, 'mail lease lost before sending; another sender has it');
    return renewed > 0;
  }

  private async deliver(row: LeasedRow): Promise<SendOutcome | { kind: 'reconciled'; messageIds: ProviderMessageId[] }> {
    const transport = this.transport as MailTransport;
    if (Number(row.outcome_unknown) === 1) {
      try {
        const found = await transport.findByCustomId(row.id);
        if (found.length) return { kind: 'reconciled', messageIds: found };
      } catch (err) {
        return { kind: 'retry', error: `could not ask Mailjet whether an earlier attempt was accepted: ${(err as Error).message}`, outcomeUnknown: true };
      }
    }
    try {
      return await transport.send({
        customId: row.id,
        from: this.from,
        to: JSON.parse(row.to_json) as MailAddress[],
        subject: row.subject,
        textBody: row.text_body,
        htmlBody: row.html_body,
        attachments: row.attachments ? (JSON.parse(row.attachments) as MailAttachment[]) : [],
      });
    } catch (err) {
      // A transport that throws has not told us what happened to the message.
      return { kind: 'retry', error: `unexpected: ${(err as Error).message}`, outcomeUnknown: true };
    }
  }

  private async record(
    row: LeasedRow, token: string, outcome: SendOutcome | { kind: 'reconciled'; messageIds: ProviderMessageId[] },
  ): Promise<'sent' | 'reconciled' | 'retried' | 'failed' | null> {
    const now = this.clock.now().getTime();
    const attempts = Number(row.attempts);
    let sql: string;
    let params: unknown[];
    let counted: 'sent' | 'reconciled' | 'retried' | 'failed';
    if (outcome.kind === 'sent' || outcome.kind === 'reconciled') {
      sql = `UPDATE mail_outbox SET state = 'sent', sent_at = ?, provider_message_ids = ?, last_error = NULL, outcome_unknown = 0,
        lease_token = NULL, lease_until = NULL WHERE id = ? AND lease_token = ?`;
      params = [now, JSON.stringify(outcome.messageIds), row.id, token];
      counted = outcome.kind === 'sent' ? 'sent' : 'reconciled';
    } else if (outcome.kind === 'retry' && attempts < this.maxAttempts) {
      const next = now + retryDelayMs(attempts, this.backoff, this.random, outcome.retryAfterMs);
      sql = `UPDATE mail_outbox SET state = 'pending', next_attempt_at = ?, last_error = ?, outcome_unknown = ?,
        lease_token = NULL, lease_until = NULL WHERE id = ? AND lease_token = ?`;
      params = [next, outcome.error, outcome.outcomeUnknown ? 1 : 0, row.id, token];
      counted = 'retried';
    } else {
      const error = outcome.kind === 'retry' ? `gave up after ${attempts} attempts; last: ${outcome.error}` : outcome.error;
      sql = `UPDATE mail_outbox SET state = 'failed', last_error = ?, lease_token = NULL, lease_until = NULL
        WHERE id = ? AND lease_token = ?`;
      params = [error, row.id, token];
      counted = 'failed';
    }
    const affected = await this.execute(sql, params);
    const log = { mailId: row.id, attempts, outcome: outcome.kind, ...(outcome.kind === 'sent' || outcome.kind === 'reconciled' ? { messageIds: outcome.messageIds } : { error: outcome.error }) };
    if (!affected) {
      // The lease expired mid-send and another sender took the mail over; its outcome stands.
      this.logger.warn(log, 'mail lease lost before its outcome was recorded');
      return null;
    }
    if (counted === 'failed') this.logger.error(log, 'mail failed');
    else if (counted === 'retried') this.logger.warn(log, 'mail attempt failed; will retry');
    else this.logger.info(log, counted === 'sent' ? 'mail sent' : 'mail found already accepted by Mailjet; not sent again');
    return counted;
  }

  /** Runs one statement on its own and returns the number of rows it changed. */
  private async execute(sql: string, params: unknown[]): Promise<number> {
    return this.exclusive(async () => {
      const qr = this.ds.createQueryRunner();
      try {
        return (await qr.query(sql, params, true)).affected ?? 0;
      } finally {
        await qr.release();
      }
    });
  }

  /**
   * On SQLite the data source has one connection: a statement issued while another module's
   * transaction is open would join that transaction. Writes queue behind the shared lock instead.
   */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    return this.mysql ? work() : sqliteTransactionLock(this.ds).run(work);
  }
}
