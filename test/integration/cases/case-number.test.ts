/** Case numbers: per office and year, no gaps and no duplicates when many are taken at once. */
import { inTransaction } from '../../../src/db/data-source';
import { nextCaseNumber } from '../../../src/cases/case-number';
import { seedDemoData } from '../../../src/demo/seed';
import { createTestDatabase, TestDatabase, testDbKinds } from '../../support/db';

jest.setTimeout(60_000);

describe.each(testDbKinds())('case numbers (%s)', (kind) => {
  let db: TestDatabase;
  let officeId: string;
  beforeAll(async () => {
    db = await createTestDatabase(kind, 'case-number');
    await seedDemoData(db.ds, new Date());
    officeId = (await db.ds.query('SELECT id FROM offices'))[0].id;
  });
  afterAll(async () => db?.close());

  it('hands out 1…n without gaps or duplicates under concurrency, and gives back a rolled-back number', async () => {
    const at = Date.parse('2026-06-01T10:00:00+08:00');
    const taken = await Promise.all(Array.from({ length: 24 }, () => inTransaction(db.ds, (em) => nextCaseNumber(em, officeId, at))));
    expect(taken.map((n) => n.sequence).sort((a, b) => a - b)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(new Set(taken.map((n) => n.caseNumber)).size).toBe(24);
    await expect(inTransaction(db.ds, async (em) => {
      await nextCaseNumber(em, officeId, at);
      throw new Error('registration failed');
    })).rejects.toThrow('registration failed');
    const next = await inTransaction(db.ds, (em) => nextCaseNumber(em, officeId, at));
    expect(next.sequence).toBe(25);
    const newYear = await inTransaction(db.ds, (em) => nextCaseNumber(em, officeId, Date.parse('2027-01-01T00:30:00+08:00')));
    expect(newYear).toMatchObject({ year: 2027, sequence: 1 });
    // New Year's Eve in UTC is already the new year in China.
    const edge = await inTransaction(db.ds, (em) => nextCaseNumber(em, officeId, Date.parse('2027-12-31T17:00:00Z')));
    expect(edge.year).toBe(2028);
  });
});
