import { EntityManager } from 'typeorm';
import { AppError } from '../../../src/errors';
import { MAIL_LIMITS, queueMail, QueueMailInput } from '../../../src/mail';

// Validation happens before any database work: a manager that is touched fails the test.
const untouchable = new Proxy({}, { get: () => { throw new Error('the database must not be used'); } }) as EntityManager;

const valid: QueueMailInput = {
  to: [{ email: 'police@example.cn', name: '公安局经侦支队' }],
  subject: '涉嫌犯罪案件移送书',
  textBody: '请查收。',
  purpose: 'police_reminder',
};

async function problems(input: unknown): Promise<Array<{ path?: string; message: string }>> {
  try {
    await queueMail(untouchable, input as QueueMailInput);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('VALIDATION_FAILED');
    return (e as AppError).details as Array<{ path?: string; message: string }>;
  }
  throw new Error('expected a validation error');
}

describe('queueMail validation', () => {
  it('refuses bad addresses and empty recipient lists', async () => {
    expect((await problems({ ...valid, to: [{ email: 'not an address' }] })).map((p) => p.path)).toEqual(['to.0.email']);
    expect((await problems({ ...valid, to: [] })).map((p) => p.path)).toEqual(['to']);
    const many = Array.from({ length: MAIL_LIMITS.recipients + 1 }, (_, i) => ({ email: `p${i}@example.cn` }));
    expect((await problems({ ...valid, to: many })).map((p) => p.path)).toEqual(['to']);
  });

  it('limits the subject and requires a body and a purpose', async () => {
    expect((await problems({ ...valid, subject: '字'.repeat(256) })).map((p) => p.path)).toEqual(['subject']);
    expect((await problems({ ...valid, subject: '   ' })).map((p) => p.path)).toEqual(['subject']);
    expect((await problems({ ...valid, textBody: '' })).map((p) => p.path)).toEqual(['textBody']);
    expect((await problems({ ...valid, purpose: 'Notice To Party' })).map((p) => p.path)).toEqual(['purpose']);
  });

  it('checks attachments: base64, filename, type and total size', async () => {
    const pdf = { filename: 'a.pdf', contentType: 'application/pdf', base64: Buffer.from('%PDF').toString('base64') };
    expect((await problems({ ...valid, attachments: [{ ...pdf, base64: 'not base64!' }] })).map((p) => p.path)).toEqual(['attachments.0.base64']);
    expect((await problems({ ...valid, attachments: [{ ...pdf, filename: '../etc/passwd' }] })).map((p) => p.path)).toEqual(['attachments.0.filename']);
    expect((await problems({ ...valid, attachments: [{ ...pdf, contentType: 'pdf' }] })).map((p) => p.path)).toEqual(['attachments.0.contentType']);
    const big = Buffer.alloc(MAIL_LIMITS.attachmentBytesTotal / 2 + 1).toString('base64');
    const out = await problems({ ...valid, attachments: [{ ...pdf, base64: big }, { ...pdf, base64: big }] });
    expect(out).toEqual([{ path: 'attachments', message: expect.stringContaining('limit') }]);
  });
});
