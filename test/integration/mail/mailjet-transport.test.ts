import { createMailjetTransport, OutboundMail } from '../../../src/mail/mailjet-transport';
import { MailjetStandIn } from '../../support/mailjet-stand-in';

const mail = (customId: string): OutboundMail => ({
  customId, from: { email: 'noreply@inspection.example.cn', name: '监察支队' }, to: [{ email: 'a@example.cn' }, { email: 'b@example.cn', name: '乙' }],
  subject: '听证通知书', textBody: '<script>alert(1)</script>', htmlBody: null, attachments: [],
});

describe('node-mailjet against the Mailjet stand-in', () => {
  let standIn: MailjetStandIn;
  beforeEach(async () => { standIn = await new MailjetStandIn().start(); });
  afterEach(() => standIn.stop());
  // Answered requests get a timeout no loaded machine reaches; only the hanging one is cut short on purpose.
  const transport = (timeoutMs = 10_000, credentials = standIn.credentials) =>
    createMailjetTransport({ credentials, apiUrl: standIn.url, timeoutMs, now: () => new Date() });

  it('sends through Send API v3.1 and reads back one message id per recipient', async () => {
    const out = await transport().send(mail('m1'));
    expect(out.kind).toBe('sent');
    const ids = out.kind === 'sent' ? out.messageIds : [];
    expect(ids.map((i) => i.email)).toEqual(['a@example.cn', 'b@example.cn']);
    expect(ids.map((i) => i.messageId)).toEqual(standIn.accepted.map((m) => m.messageId));
    expect(BigInt(ids[0].messageId)).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
    expect(standIn.accepted[0]).toMatchObject({ customId: 'm1', textPart: '<script>alert(1)</script>', from: 'noreply@inspection.example.cn' });
    expect((await transport().findByCustomId('m1')).map((m) => m.messageId)).toEqual(ids.map((i) => i.messageId));
    expect(await transport().findByCustomId('other')).toEqual([]);
  });

  it('classifies the stand-in’s failures', async () => {
    standIn.failNext({ kind: 'hang' }, { kind: 'status', status: 503 }, { kind: 'status', status: 429, retryAfterSeconds: 7 }, { kind: 'bad-request' });
    expect(await transport(300).send(mail('x'))).toMatchObject({ kind: 'retry', outcomeUnknown: true });
    expect(await transport().send(mail('x'))).toMatchObject({ kind: 'retry', status: 503, outcomeUnknown: false });
    expect(await transport().send(mail('x'))).toMatchObject({ kind: 'retry', status: 429, retryAfterMs: 7_000 });
    expect(await transport().send(mail('x'))).toMatchObject({ kind: 'refused', status: 400 });
    expect(await transport(undefined, { apiKey: 'test-key', apiSecret: 'nope' }).send(mail('x'))).toMatchObject({ kind: 'refused', status: 401 });
    expect(standIn.accepted).toEqual([]);
  });

  it('knows a stopped stand-in never got the mail, and reaches it again on the same port', async () => {
    const url = standIn.url;
    await standIn.stop();
    expect(await transport().send(mail('y'))).toMatchObject({ kind: 'retry', outcomeUnknown: false });
    await standIn.start();
    expect(standIn.url).toBe(url);
    expect(await transport().send(mail('y'))).toMatchObject({ kind: 'sent' });
  });
});
