// A change and its audit entry commit together: when the audit entry cannot be written, the change
// is not written either and the client gets an internal error that does not leak the cause.
import { rowCounts, startTestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';

const mockAudit = { fail: false };
jest.mock('../../../src/audit/audit', () => {
  const real = jest.requireActual('../../../src/audit/audit');
  return {
    ...real,
    recordAudit: (...args: unknown[]) => (mockAudit.fail ? Promise.reject(new Error('disk full')) : real.recordAudit(...args)),
  };
});

describe.each(testDbKinds())('audit atomicity on %s', (kind) => {
  it('writes nothing when the audit entry fails', async () => {
    const t = await startTestApp(kind, 'audit_atomic');
    try {
      const intake = await t.login('intake');
      const grid = (await intake.get('/api/grids')).body.items.find((g: { code: string }) => g.code === 'RM-02');
      const before = await rowCounts(t.db);
      mockAudit.fail = true;
      const failed = await intake.post('/api/employers').send({ name: '不应保存的单位', address: '某路', gridId: grid.id });
      mockAudit.fail = false;
      expect(failed.status).toBe(500);
      expect(failed.body.error.code).toBe('INTERNAL');
      expect(failed.body.error.message).not.toContain('disk full');
      expect(await rowCounts(t.db)).toEqual(before);
      const ok = await intake.post('/api/employers').send({ name: '应保存的单位', address: '某路', gridId: grid.id });
      expect(ok.status).toBe(201);
      expect((await rowCounts(t.db)).employers).toBe(before.employers + 1);
    } finally {
      await t.close();
    }
  });
});
