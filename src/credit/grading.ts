/**
 * A/B/C grading (企业劳动保障守法诚信等级评价办法, 人社部 2016): every year each employer's grade is
 * proposed from the previous year's record — A: no violation found; B: a violation found but none of
 * C's; C: violations found as often as the rule `credit.violationsForC`, a mass or extreme incident,
 * child labour, refusing an order to pay, or criminal liability. Each grade carries the records that
 * justify it. Proposed grades become final once reviewed; `currentGrade` is what patrols and draws read.
 */
import crypto from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { LegalRules } from '../config/legal-rules';

export type Grade = 'A' | 'B' | 'C';

/** One record of the employer's year as the grading reads it. */
export interface GradingRecord {
  kind: 'case' | 'listing';
  id: string;
  /** Case number, or the listing's ground in words. */
  label: string;
  /** Case outcome (src/cases/close-case.ts), or the listing's ground. */
  outcome: string;
  /** The case's claim categories. */
  categories: string[];
}

export interface GradeReason { kind: 'case' | 'listing'; id: string; text: string }
export interface ProposedGrade { grade: Grade; reasons: GradeReason[] }

/** Outcomes in which the office found a violation. */
const VIOLATION_FOUND = new Set(['corrected', 'penalty', 'no-penalty', 'handling-decision', 'referred-to-police']);

export function proposeGrade(records: readonly GradingRecord[], rules: Pick<LegalRules, 'credit.violationsForC'>): ProposedGrade {
  const violations = records.filter((r) => r.kind === 'case' && VIOLATION_FOUND.has(r.outcome));
  const c: GradeReason[] = [];
  const threshold = rules['credit.violationsForC'].value;
  if (violations.length >= threshold) {
    c.push(...violations.map((r) => ({ kind: r.kind, id: r.id, text: `${r.label}：查处违法行为（年度内共${violations.length}次，达到${threshold}次）` })));
  }
  for (const r of violations) {
    if (r.categories.includes('child-labour')) c.push({ kind: 'case', id: r.id, text: `${r.label}：使用童工` });
    if (r.outcome === 'referred-to-police') c.push({ kind: 'case', id: r.id, text: `${r.label}：拒不支付劳动报酬，移送公安机关追究刑事责任` });
  }
  for (const r of records.filter((x) => x.kind === 'listing')) {
    c.push({ kind: 'listing', id: r.id, text: r.outcome === 'mass-incident' ? `${r.label}：因拖欠工资引发群体性、极端事件` : `${r.label}：经责令支付逾期拒不支付` });
  }
  if (c.length) return { grade: 'C', reasons: c };
  if (violations.length) return { grade: 'B', reasons: violations.map((r) => ({ kind: 'case', id: r.id, text: `${r.label}：查处违法行为` })) };
  return { grade: 'A', reasons: [] };
}

const yearBounds = (year: number) => [Date.parse(`${year}-01-01T00:00:00+08:00`), Date.parse(`${year + 1}-01-01T00:00:00+08:00`)] as const;

/**
 * The records of every employer of the office for `year`: cases closed in it, listings proposed in
 * it. Two grouped reads over indexed columns, whatever the number of employers.
 */
export async function gradingRecords(em: EntityManager, officeId: string, year: number): Promise<Map<string, GradingRecord[]>> {
  const [from, to] = yearBounds(year);
  const out = new Map<string, GradingRecord[]>();
  const add = (employerId: string, r: GradingRecord) => {
    const list = out.get(employerId);
    if (list) list.push(r);
    else out.set(employerId, [r]);
  };
  const cases: { id: string; employer_id: string; case_number: string; outcome: string | null; categories: string | null }[] = await em.query(
    `SELECT c.id, c.employer_id, c.case_number, c.outcome, (SELECT GROUP_CONCAT(DISTINCT k.category) FROM case_claims k WHERE k.case_id = c.id) AS categories
       FROM cases c WHERE c.office_id = ? AND c.employer_id IS NOT NULL AND c.closed_at >= ? AND c.closed_at < ?`, [officeId, from, to]);
  for (const c of cases) add(c.employer_id, { kind: 'case', id: c.id, label: `案件${c.case_number}`, outcome: c.outcome ?? '', categories: (c.categories ?? '').split(',').filter(Boolean) });
  const listings: { id: string; employer_id: string; ground: string }[] = await em.query(
    "SELECT id, employer_id, ground FROM credit_listings WHERE office_id = ? AND state IN ('listed', 'removed') AND listed_at >= ? AND listed_at < ?", [officeId, from, to]);
  for (const l of listings) add(l.employer_id, { kind: 'listing', id: l.id, label: '列入拖欠农民工工资失信联合惩戒对象名单', outcome: l.ground, categories: [] });
  return out;
}

/** Proposes the grade of every employer of the office for `year` from its record; a year already proposed is left as it is. */
export async function proposeGrades(em: EntityManager, officeId: string, year: number, rules: LegalRules, now: number): Promise<{ A: number; B: number; C: number }> {
  const records = await gradingRecords(em, officeId, year);
  const employers: { id: string; grid_id: string | null }[] = await em.query(
    'SELECT e.id, e.grid_id FROM employers e WHERE e.office_id = ? AND NOT EXISTS (SELECT 1 FROM credit_grades g WHERE g.employer_id = e.id AND g.year = ?)', [officeId, year]);
  const counts = { A: 0, B: 0, C: 0 };
  for (const e of employers) {
    const p = proposeGrade(records.get(e.id) ?? [], rules);
    counts[p.grade]++;
    await em.query(
      "INSERT INTO credit_grades (id, office_id, employer_id, grid_id, year, proposed_grade, final_grade, reasons_json, state, decided_by, decided_at, created_at) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, 'proposed', NULL, NULL, ?)",
      [crypto.randomUUID(), officeId, e.id, e.grid_id, year, p.grade, JSON.stringify(p.reasons), now]);
  }
  return counts;
}

/** The employer's grade in force: the final grade of its latest graded year, or null when never graded. */
export async function currentGrade(em: EntityManager, employerId: string): Promise<{ grade: Grade; year: number } | null> {
  const rows: { final_grade: Grade; year: number | string }[] = await em.query(
    "SELECT final_grade, year FROM credit_grades WHERE employer_id = ? AND state = 'final' ORDER BY year DESC LIMIT 1", [employerId]);
  return rows[0] ? { grade: rows[0].final_grade, year: Number(rows[0].year) } : null;
}
