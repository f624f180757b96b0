import crypto from 'node:crypto';
import { DataSource } from 'typeorm';
import { TestClock } from '../../../src/clock/clock';
import { openDatabase } from '../../../src/db/data-source';
import { getMail, listMail, MAIL_LIMITS, MailLogger, MailSender, MailSenderOptions, queueMail, QueueMailInput } from '../../../src/mail';
import { createMailjetTransport } from '../../../src/mail/mailjet-transport';
import { createTestDatabase, TestDatabase, testDbKinds } from '../../support/db';
import { MailjetStandIn } from '../../support/mailjet-stand-in';

const PDF_BASE64 = Buffer.from('%PDF-1.7\n限期改正指令书\n%%EOF').toString('base64');

function sampleMail(overrides: Partial<QueueMailInput> = {}): QueueMailInput {
  return {
    to: [{ email: 'employer@example.cn', name: '河南某建筑有限公司' }],
    subject: '限期改正指令书 郑人社监〔2026〕0001号',
    textBody: '请于收到本指令书之日起十五日内改正。',
    htmlBody: '<p>请于收到本指令书之日起十五日内改正。</p>',
    attachments: [{ filename: '限期改正指令书.pdf', contentType: 'application/pdf', base64: PDF_BASE64 }],
    purpose: 'notice_to_party',
    caseId: 'case-1',
    ...overrides,
  };
}

function recordingLogger(): MailLogger & { entries: Array<{ level: string; msg?: string; obj: object }> } {
  const entries: Array<{ level: string; msg?: string; obj: object }> = [];
  const at = (level: string) => (obj: object, msg?: string) => { entries.push({ level, obj, msg }); };
  return { entries, info: at('info'), warn: at('warn'), error: at('error') };
}

describe.each(testDbKinds())('mail outbox and sender on %s', (kind) => {
  let db: TestDatabase;
  let standIn: MailjetStandIn;
  let clock: TestClock;
  const others: DataSource[] = [];

  beforeEach(async () => {
    db = await createTestDatabase(kind, 'mail');
    standIn = await new MailjetStandIn().start();
    clock = new TestClock();
  });

  afterEach(async () => {
    for (const ds of others.splice(0)) if (ds.isInitialized) await ds.destroy();
    await standIn.stop();
    await db.close();
  });

  function sender(overrides: Partial<MailSenderOptions> = {}, ds: DataSource = db.ds): MailSender {
    return new MailSender({
      dataSource: ds, clock, credentials: standIn.credentials, apiUrl: standIn.url,
      from: { email: 'noreply@inspection.example.cn', name: '劳动保障监察支队' },
      logger: recordingLogger(), requestTimeoutMs: 2000, random: () => 0.5, pollIntervalMs: 20,
      ...overrides,
    });
  }

  const queue = (input: Partial<QueueMailInput> = {}) => db.ds.transaction((em) => queueMail(em, sampleMail(input), clock));

  /** Runs the sender, moving the clock past every back-off, until nothing is due. */
  async function drain(s: MailSender, rounds = 30): Promise<void> {
    for (let i = 0; i < rounds; i++) {
      const r = await s.runOnce();
      const pending = (await listMail(db.ds.manager, { state: 'pending' })).length;
      if (r.leased === 0 && pending === 0) return;
      if (r.leased === 0) clock.advance('PT2H');
    }
  }

  it('queues nothing when the step that queued the mail rolls back', async () => {
    await expect(db.ds.transaction(async (em) => {
      await queueMail(em, sampleMail(), clock);
      throw new Error('the step failed');
    })).rejects.toThrow('the step failed');
    expect(await listMail(db.ds.manager)).toEqual([]);
  });

  it('queues one mail for an idempotency key used twice', async () => {
    const a = await queue({ idempotencyKey: 'case-1:police_reminder:1' });
    const b = await queue({ idempotencyKey: 'case-1:police_reminder:1' });
    const c = await db.ds.transaction(async (em) => {
      const first = await queueMail(em, sampleMail({ idempotencyKey: 'k2' }), clock);
      expect(await queueMail(em, sampleMail({ idempotencyKey: 'k2' }), clock)).toBe(first);
      return first;
    });
    expect(b).toBe(a);
    expect((await listMail(db.ds.manager)).map((m) => m.id).sort()).toEqual([a, c].sort());
  });

  it('sends a mail with its PDF and records Mailjet message ids', async () => {
    const id = await queue();
    const summary = (await listMail(db.ds.manager, { caseId: 'case-1' }))[0];
    expect(summary).toMatchObject({ id, state: 'pending', attachments: [{ filename: '限期改正指令书.pdf', contentType: 'application/pdf' }] });
    expect(JSON.stringify(summary)).not.toContain(PDF_BASE64);

    const before = clock.now().getTime();
    const result = await sender().runOnce();
    expect(result).toMatchObject({ leased: 1, sent: 1 });
    const [accepted] = standIn.accepted;
    expect(accepted).toMatchObject({ customId: id, to: ['employer@example.cn'], subject: sampleMail().subject });
    expect(accepted.attachments).toEqual([{ filename: '限期改正指令书.pdf', contentType: 'application/pdf', base64: PDF_BASE64 }]);
    const mail = await getMail(db.ds.manager, id);
    expect(mail).toMatchObject({ state: 'sent', attempts: 1, lastError: null });
    // MessageIDs beyond 2^53 survive exactly.
    expect(mail!.providerMessageIds).toEqual([{ email: 'employer@example.cn', messageId: accepted.messageId, messageUuid: accepted.messageUuid }]);
    expect(mail!.sentAt!.getTime()).toBeGreaterThanOrEqual(before);
    expect(mail!.sentAt!.getTime()).toBeLessThanOrEqual(clock.now().getTime());
    expect(mail!.attachmentContents[0].base64).toBe(PDF_BASE64);
    expect(await sender().runOnce()).toMatchObject({ leased: 0 });
  });

  it('honours Retry-After on 429, then sends', async () => {
    const id = await queue();
    standIn.failNext({ kind: 'status', status: 429, retryAfterSeconds: 120 });
    const s = sender();
    const before = clock.now().getTime();
    expect(await s.runOnce()).toMatchObject({ retried: 1 });
    const waiting = await getMail(db.ds.manager, id);
    expect(waiting).toMatchObject({ state: 'pending', attempts: 1 });
    expect(waiting!.lastError).toContain('429');
    expect(waiting!.nextAttemptAt!.getTime() - before).toBeGreaterThanOrEqual(120_000);
    clock.advance('PT1M');
    expect(await s.runOnce()).toMatchObject({ leased: 0 });
    clock.advance('PT2M');
    expect(await s.runOnce()).toMatchObject({ sent: 1 });
    expect(standIn.accepted).toHaveLength(1);
  });

  it('retries 5xx with growing back-off', async () => {
    const id = await queue();
    standIn.failNext({ kind: 'status', status: 500 }, { kind: 'status', status: 503 });
    const s = sender();
    const delays: number[] = [];
    for (let i = 0; i < 2; i++) {
      const now = clock.now().getTime();
      expect(await s.runOnce()).toMatchObject({ retried: 1 });
      const mail = await getMail(db.ds.manager, id);
      delays.push(mail!.nextAttemptAt!.getTime() - now);
      expect(await s.runOnce()).toMatchObject({ leased: 0 });
      clock.setOffset(clock.offset + delays[i]);
    }
    expect(delays[0]).toBeGreaterThanOrEqual(15_000);
    expect(delays[1]).toBeGreaterThan(delays[0]);
    expect(await s.runOnce()).toMatchObject({ sent: 1 });
    expect(await getMail(db.ds.manager, id)).toMatchObject({ state: 'sent', attempts: 3 });
    expect(standIn.requests).toBe(3);
    expect(standIn.accepted).toHaveLength(1);
  });

  it('retries after a timeout, checking first that Mailjet did not take the mail', async () => {
    const lost = await queue({ caseId: 'lost' });
    standIn.failNext({ kind: 'hang' });
    const s = sender();
    expect(await s.runOnce()).toMatchObject({ retried: 1 });
    const mail = await getMail(db.ds.manager, lost);
    expect(mail).toMatchObject({ state: 'pending', outcomeUnknown: true });
    expect(mail!.lastError).toMatch(/ECONNABORTED|timeout/i);
    await drain(s);
    expect(await getMail(db.ds.manager, lost)).toMatchObject({ state: 'sent', outcomeUnknown: false });
    expect(standIn.countsByCustomId().get(lost)).toBe(1);
  });

  it('does not send again a mail Mailjet accepted before the answer was lost', async () => {
    const id = await queue();
    standIn.failNext({ kind: 'accept-then-hang' });
    const s = sender();
    expect(await s.runOnce()).toMatchObject({ retried: 1 });
    expect(standIn.accepted).toHaveLength(1);
    clock.advance('PT2H');
    expect(await s.runOnce()).toMatchObject({ reconciled: 1, sent: 0 });
    const mail = await getMail(db.ds.manager, id);
    expect(mail).toMatchObject({ state: 'sent' });
    expect(mail!.providerMessageIds[0].messageId).toBe(standIn.accepted[0].messageId);
    expect(standIn.countsByCustomId().get(id)).toBe(1);
  });

  it('marks a mail Mailjet refuses with 400 as failed, with the reason', async () => {
    const id = await queue();
    standIn.failNext({ kind: 'bad-request', message: '"employer@example.cn" is an invalid email address.' });
    const s = sender();
    expect(await s.runOnce()).toMatchObject({ failed: 1 });
    const mail = await getMail(db.ds.manager, id);
    expect(mail!.state).toBe('failed');
    expect(mail!.lastError).toContain('HTTP 400');
    expect(mail!.lastError).toContain('is an invalid email address');
    clock.advance('P1D');
    expect(await s.runOnce()).toMatchObject({ leased: 0 });
  });

  it('marks mail failed when the credentials are wrong', async () => {
    const id = await queue();
    expect(await sender({ credentials: { apiKey: 'test-key', apiSecret: 'wrong' } }).runOnce()).toMatchObject({ failed: 1 });
    expect((await getMail(db.ds.manager, id))!.lastError).toContain('HTTP 401');
    expect(standIn.accepted).toHaveLength(0);
  });

  it('delivers every mail exactly once when the stand-in goes down and up while mail is pending', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await queue({ caseId: `case-${i}`, idempotencyKey: `down-up-${i}` }));
    const s = sender({ batchSize: 4 });
    expect(await s.runOnce()).toMatchObject({ sent: 4 });
    // Down with a request in flight, then down for a whole round.
    standIn.failNext({ kind: 'hang' });
    const inFlight = s.runOnce();
    while (standIn.requests < 5) await new Promise((r) => setTimeout(r, 5));
    await standIn.stop();
    expect(await inFlight).toMatchObject({ leased: 4, retried: 4 });
    clock.advance('PT2H');
    expect(await s.runOnce()).toMatchObject({ retried: 4 });
    await standIn.start();
    await drain(s);
    const mails = await listMail(db.ds.manager);
    expect(mails.map((m) => m.state)).toEqual(Array(12).fill('sent'));
    const counts = standIn.countsByCustomId();
    expect(ids.map((id) => counts.get(id))).toEqual(Array(12).fill(1));
    expect(standIn.accepted).toHaveLength(12);
  });

  it('takes over mail whose sender died mid-send without sending it twice', async () => {
    const delivered = await queue({ caseId: 'a' });
    const notDelivered = await queue({ caseId: 'b' });
    // The dead sender had reached Mailjet with the first mail and nothing else.
    const transport = createMailjetTransport({ credentials: standIn.credentials, apiUrl: standIn.url, timeoutMs: 10_000, now: () => clock.now() });
    const sent = await transport.send({ customId: delivered, from: { email: 'noreply@inspection.example.cn' }, to: [{ email: 'employer@example.cn' }], subject: 's', textBody: 't', htmlBody: null, attachments: [] });
    expect(sent.kind).toBe('sent');
    const leaseUntil = clock.now().getTime() + 60_000;
    await db.ds.query(`UPDATE mail_outbox SET state = 'sending', lease_token = 'dead', lease_until = ?, attempts = 1`, [leaseUntil]);
    const s = sender();
    expect(await s.runOnce()).toMatchObject({ leased: 0 });
    clock.advance('PT2M');
    expect(await s.runOnce()).toMatchObject({ leased: 2, reconciled: 1, sent: 1 });
    expect(standIn.countsByCustomId().get(delivered)).toBe(1);
    expect(standIn.countsByCustomId().get(notDelivered)).toBe(1);
  });

  it('keeps mail readable and marked unsent without credentials, and sends it once they exist', async () => {
    const id = await queue();
    const logger = recordingLogger();
    const idle = sender({ credentials: null, logger });
    expect(idle.configured).toBe(false);
    expect(await idle.runOnce()).toMatchObject({ unsent: 1, leased: 0 });
    await queue({ caseId: 'case-2' });
    expect(await idle.runOnce()).toMatchObject({ unsent: 1 });
    expect(logger.entries.filter((e) => /credentials/.test(e.msg ?? ''))).toHaveLength(1);
    expect(await listMail(db.ds.manager, { state: 'unsent_no_credentials' })).toHaveLength(2);
    expect(await getMail(db.ds.manager, id)).toMatchObject({ state: 'unsent_no_credentials', textBody: sampleMail().textBody });
    expect(standIn.requests).toBe(0);
    expect(await sender().runOnce()).toMatchObject({ sent: 2 });
  });

  it('sends each mail once with two senders polling at the same time', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(await queue({ caseId: `c${i}` }));
    const second = db.databaseUrl ? await openDatabase({ databaseUrl: db.databaseUrl }) : await openDatabase({ sqlitePath: db.sqlitePath });
    others.push(second);
    const a = sender({ batchSize: 3 });
    const b = sender({ batchSize: 3 }, second);
    const totals = { a: 0, b: 0 };
    const loop = async (s: MailSender, name: 'a' | 'b') => {
      for (;;) {
        const r = await s.runOnce();
        totals[name] += r.sent;
        if (r.leased === 0) return;
      }
    };
    await Promise.all([loop(a, 'a'), loop(b, 'b')]);
    expect(totals.a + totals.b).toBe(30);
    const counts = standIn.countsByCustomId();
    expect(ids.map((id) => counts.get(id))).toEqual(Array(30).fill(1));
    expect((await listMail(db.ds.manager, { state: 'sent' })).length).toBe(30);
  });

  it('stores and sends an attachment close to the size limit', async () => {
    const bytes = crypto.randomBytes(MAIL_LIMITS.attachmentBytesTotal - 1024);
    const id = await queue({ attachments: [{ filename: 'scan.pdf', contentType: 'application/pdf', base64: bytes.toString('base64') }] });
    expect(await sender({ requestTimeoutMs: 10_000 }).runOnce()).toMatchObject({ sent: 1 });
    expect(Buffer.from(standIn.accepted[0].attachments[0].base64, 'base64').equals(bytes)).toBe(true);
    expect((await listMail(db.ds.manager))[0].attachments).toEqual([{ filename: 'scan.pdf', contentType: 'application/pdf', bytes: bytes.length }]);
    expect((await getMail(db.ds.manager, id))!.state).toBe('sent');
  });

  // Two writers on one SQLite file serialise on its lock, so the race only exists on MariaDB.
  (kind === 'mariadb' ? it : it.skip)('queues one mail when two steps with the same key commit at the same time', async () => {
    const second = await openDatabase({ databaseUrl: db.databaseUrl });
    others.push(second);
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const first = db.ds.transaction(async (em) => {
      const id = await queueMail(em, sampleMail({ idempotencyKey: 'race' }), clock);
      await gate;
      return id;
    });
    await new Promise((r) => setTimeout(r, 50));
    const other = second.transaction((em) => queueMail(em, sampleMail({ idempotencyKey: 'race' }), clock));
    await new Promise((r) => setTimeout(r, 100));
    release();
    const [a, b] = await Promise.all([first, other]);
    expect(b).toBe(a);
    expect(await listMail(db.ds.manager)).toHaveLength(1);
  });

  it('polls with start() and stops cleanly', async () => {
    // The sender gets its own data source, as in the service (see the note in sender.ts on SQLite).
    const own = db.databaseUrl ? await openDatabase({ databaseUrl: db.databaseUrl }) : await openDatabase({ sqlitePath: db.sqlitePath });
    others.push(own);
    const s = sender({}, own);
    s.start();
    try {
      const id = await queue();
      for (let i = 0; i < 200 && (await getMail(db.ds.manager, id))!.state !== 'sent'; i++) await new Promise((r) => setTimeout(r, 10));
      expect((await getMail(db.ds.manager, id))!.state).toBe('sent');
    } finally {
      await s.stop();
    }
    const after = await s.runOnce(); // still usable by hand after stop()
    expect(after.leased).toBe(0);
  });

  it('hands back leased mail it has not sent when stopped mid-batch', async () => {
    const own = db.databaseUrl ? await openDatabase({ databaseUrl: db.databaseUrl }) : await openDatabase({ sqlitePath: db.sqlitePath });
    others.push(own);
    for (let i = 0; i < 3; i++) await queue({ caseId: `s${i}` });
    standIn.failNext({ kind: 'hang' });
    const s = sender({ batchSize: 3 }, own);
    s.start();
    while (standIn.requests < 1) await new Promise((r) => setTimeout(r, 5));
    await s.stop();
    const mails = await listMail(db.ds.manager);
    expect(mails.map((m) => m.state)).toEqual(['pending', 'pending', 'pending']);
    expect(mails.map((m) => m.attempts).sort()).toEqual([0, 0, 1]);
    expect(standIn.requests).toBe(1);
  });
});
