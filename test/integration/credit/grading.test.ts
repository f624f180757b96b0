/**
 * A grading run over the office's employers on SQLite and MariaDB: from cases closed in the year, one
 * employer of each grade with the records that justify it, the year kept once, and the grade in force
 * only once final.
 */
import crypto from 'node:crypto';
import { createTestDatabase, testDbKinds, type TestDatabase } from '../../support/db';
import { seedDemoData } from '../../../src/demo/seed';
import { loadLegalRules } from '../../../src/config/legal-rules';
import { currentGrade, proposeGrades } from '../../../src/credit/grading';

jest.setTimeout(120_000);

describe.each(testDbKinds())('a grading run (%s)', (kind) => {
  let db: TestDatabase;
  const closedIn2026 = Date.parse('2026-06-01T10:00:00+08:00');
  let seq = 0;

  async function closedCase(officeId: string, employerId: string, outcome: string, category = 'wage-arrears', closedAt = closedIn2026): Promise<string> {
    const id = crypto.randomUUID();
    seq++;
    await db.ds.query(
      `INSERT INTO cases (id, office_id, grid_id, employer_id, case_number, year, sequence, kind, channel, received_at, status, outcome, summary,
        total_owed, workers_count, wage_arrears, closed_at, created_by, created_at, updated_at)
       VALUES (?, ?, NULL, ?, ?, 2026, ?, 'complaint', 'window', ?, 'closed', ?, '投诉', NULL, 1, 1, ?, 'intake', ?, ?)`,
      [id, officeId, employerId, `GR-2026-${String(seq).padStart(6, '0')}`, 9000 + seq, closedAt, outcome, closedAt, closedAt, closedAt]);
    await db.ds.query("INSERT INTO case_claims (id, case_id, position, category, description, amount) VALUES (?, ?, 0, ?, '事项', NULL)", [crypto.randomUUID(), id, category]);
    return id;
  }

  beforeAll(async () => {
    db = await createTestDatabase(kind, 'credit-grading');
    await seedDemoData(db.ds, new Date('2027-01-05T09:00:00+08:00'));
  });
  afterAll(async () => db?.close());

  it('grades one employer of each grade from the year before, with its records, and keeps the year once', async () => {
    const employers: { id: string; office_id: string }[] = await db.ds.query('SELECT id, office_id FROM employers ORDER BY name');
    expect(employers.length).toBeGreaterThanOrEqual(3);
    const [a, b, c] = employers;
    const officeId = a.office_id;
    await closedCase(officeId, a.id, 'no-violation');
    const bCase = await closedCase(officeId, b.id, 'corrected');
    const cCase = await closedCase(officeId, c.id, 'corrected', 'child-labour');
    // Closed the year after: not part of 2026's record.
    await closedCase(officeId, b.id, 'penalty', 'wage-arrears', Date.parse('2027-01-02T10:00:00+08:00'));
    const rules = loadLegalRules().rules;
    const counts = await proposeGrades(db.ds.manager, officeId, 2026, rules, Date.now());
    expect(counts.A + counts.B + counts.C).toBe(employers.filter((e) => e.office_id === officeId).length);
    const grade = async (id: string) => (await db.ds.query('SELECT proposed_grade, reasons_json FROM credit_grades WHERE employer_id = ? AND year = 2026', [id]))[0];
    expect((await grade(a.id)).proposed_grade).toBe('A');
    expect((await grade(b.id)).proposed_grade).toBe('B');
    expect(JSON.parse((await grade(b.id)).reasons_json)).toEqual([expect.objectContaining({ id: bCase })]);
    expect((await grade(c.id)).proposed_grade).toBe('C');
    expect(JSON.parse((await grade(c.id)).reasons_json)[0]).toMatchObject({ id: cCase, text: expect.stringContaining('使用童工') });
    // A second run of the same year proposes nothing again.
    expect(await proposeGrades(db.ds.manager, officeId, 2026, rules, Date.now())).toEqual({ A: 0, B: 0, C: 0 });
    // The grade is in force only once final.
    expect(await currentGrade(db.ds.manager, c.id)).toBeNull();
    await db.ds.query("UPDATE credit_grades SET state = 'final', final_grade = proposed_grade WHERE employer_id = ?", [c.id]);
    expect(await currentGrade(db.ds.manager, c.id)).toEqual({ grade: 'C', year: 2026 });
  });
});
