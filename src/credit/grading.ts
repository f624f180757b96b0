/**
 * A/B/C grading (企业劳动保障守法诚信等级评价办法, 人社部 2016): every year each employer's grade is
 * proposed from the year's record — cases closed, patrols done, listings on the wage-arrears list —
 * by the criteria of grading-criteria.ts: A no violation found; B a violation but none of C's; C
 * violations found as often as the rule `credit.violationsForC`, a mass or extreme incident, child
 * labour, refusing an order, decision or penalty, or criminal liability. Each grade carries the
 * records that justify it and the criterion each one meets. Proposed grades become final once the
 * run (credit-grading-run.ts) has been reviewed and its objections decided; `currentGrade` is what
 * patrols and draws read.
 */
import crypto from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { LegalRules } from '../config/legal-rules';
import { startOfChinaDay } from '../deadlines/china-time';
import { GRADING_CRITERIA, type CriterionId } from './grading-criteria';

export type Grade = 'A' | 'B' | 'C';
export const GRADES: readonly Grade[] = ['A', 'B', 'C'];

/** One record of the employer's year as the grading reads it. */
export interface GradingRecord {
  kind: 'case' | 'listing' | 'patrol';
  id: string;
  /** Case number, the listing in words, or the patrol in words. */
  label: string;
  /** Case outcome (src/cases/close-case.ts), the listing's ground, or the patrol's outcome. */
  outcome: string;
  /** The case's claim categories. */
  categories: string[];
  /** A case whose penalty decision went to court for enforcement; a patrol whose order was found not obeyed. */
  refused?: boolean;
}

export interface GradeReason { kind: GradingRecord['kind']; id: string; text: string; criterion: CriterionId }
export interface ProposedGrade { grade: Grade; reasons: GradeReason[] }

/** Outcomes in which the office found a violation. */
const VIOLATION_FOUND = ['corrected', 'penalty', 'no-penalty', 'handling-decision', 'referred-to-police'];
const VIOLATION_FOUND_SET = new Set(VIOLATION_FOUND);

const isViolation = (r: GradingRecord) => (r.kind === 'case' && VIOLATION_FOUND_SET.has(r.outcome)) || (r.kind === 'patrol' && r.outcome === 'order');

export function proposeGrade(records: readonly GradingRecord[], rules: Pick<LegalRules, 'credit.violationsForC'>): ProposedGrade {
  const violations = records.filter(isViolation);
  const c: GradeReason[] = [];
  const threshold = rules['credit.violationsForC'].value;
  const reason = (r: GradingRecord, criterion: CriterionId, text: string): GradeReason => ({ kind: r.kind, id: r.id, text: `${r.label}：${text}`, criterion });
  if (violations.length >= threshold) {
    c.push(...violations.map((r) => reason(r, 'repeated', `查处违法行为（年度内共${violations.length}次，达到${threshold}次）`)));
  }
  for (const r of violations) {
    if (r.categories.includes('child-labour')) c.push(reason(r, 'child-or-forced-labour', '使用童工'));
    if (r.kind === 'case' && r.outcome === 'referred-to-police') c.push(reason(r, 'criminal', '拒不支付劳动报酬，移送公安机关追究刑事责任'));
    if (r.refused) c.push(reason(r, 'refused-order', r.kind === 'case' ? '拒不履行行政处罚决定，申请人民法院强制执行' : '现场责令改正，复查时仍未改正'));
  }
  for (const r of records.filter((x) => x.kind === 'listing')) {
    c.push(r.outcome === 'mass-incident' ? reason(r, 'mass-incident', '因拖欠工资引发群体性、极端事件') : reason(r, 'refused-order', '经责令支付逾期拒不支付'));
  }
  if (c.length) return { grade: 'C', reasons: c };
  if (violations.length) return { grade: 'B', reasons: violations.map((r) => reason(r, 'violation', '查处违法行为')) };
  return { grade: 'A', reasons: [] };
}

/** The criterion's label, for the page and the documents. */
export const criterionLabel = (id: CriterionId): string => GRADING_CRITERIA[id].label;

const yearBounds = (year: number) => [startOfChinaDay(`${year}-01-01`).getTime(), startOfChinaDay(`${year + 1}-01-01`).getTime()] as const;

/**
 * The records of every employer of the office for `year`: cases closed in it with a violation found,
 * patrols of its months that ordered a correction, listings made in it. Three reads over indexed
 * ranges (cases by office and closing time, patrols by office and month, listings by office), so the
 * cost follows the year's records, not the whole history.
 */
export async function gradingRecords(em: EntityManager, officeId: string, year: number): Promise<Map<string, GradingRecord[]>> {
  const [from, to] = yearBounds(year);
  const out = new Map<string, GradingRecord[]>();
  const add = (employerId: string, r: GradingRecord) => {
    const list = out.get(employerId);
    if (list) list.push(r);
    else out.set(employerId, [r]);
  };
  const cases: { id: string; employer_id: string; case_number: string; outcome: string; child: number | string; enforced: number | string }[] = await em.query(
    `SELECT c.id, c.employer_id, c.case_number, c.outcome,
            CASE WHEN EXISTS (SELECT 1 FROM case_claims k WHERE k.case_id = c.id AND k.category = 'child-labour') THEN 1 ELSE 0 END AS child,
            CASE WHEN c.outcome = 'penalty' AND EXISTS (SELECT 1 FROM documents d WHERE d.case_id = c.id AND d.type_id = 'enforcement-application') THEN 1 ELSE 0 END AS enforced
       FROM cases c
      WHERE c.office_id = ? AND c.closed_at >= ? AND c.closed_at < ? AND c.employer_id IS NOT NULL
        AND c.outcome IN (${VIOLATION_FOUND.map(() => '?').join(', ')})`, [officeId, from, to, ...VIOLATION_FOUND]);
  for (const c of cases) {
    add(c.employer_id, {
      kind: 'case', id: c.id, label: `案件${c.case_number}`, outcome: c.outcome, categories: Number(c.child) === 1 ? ['child-labour'] : [], refused: Number(c.enforced) === 1,
    });
  }
  const patrols: { id: string; employer_id: string; period: string; follow_up_result: string | null }[] = await em.query(
    `SELECT p.id, p.employer_id, p.period, p.follow_up_result FROM patrols p
      WHERE p.office_id = ? AND p.period >= ? AND p.period <= ? AND p.state = 'done' AND p.outcome = 'order'`, [officeId, `${year}-01`, `${year}-12`]);
  for (const p of patrols) {
    add(p.employer_id, { kind: 'patrol', id: p.id, label: `${p.period.slice(0, 4)}年${Number(p.period.slice(5, 7))}月日常巡查`, outcome: 'order', categories: [], refused: p.follow_up_result === 'not-corrected' });
  }
  const listings: { id: string; employer_id: string; ground: string }[] = await em.query(
    "SELECT id, employer_id, ground FROM credit_listings WHERE office_id = ? AND state IN ('listed', 'removed') AND listed_at >= ? AND listed_at < ?", [officeId, from, to]);
  for (const l of listings) add(l.employer_id, { kind: 'listing', id: l.id, label: '列入拖欠农民工工资失信联合惩戒对象名单', outcome: l.ground, categories: [] });
  return out;
}

/** Rows per INSERT: 9 bound parameters a row, well below SQLite's 32,766 and MariaDB's packet size. */
const BATCH = 1000;

/**
 * Proposes the grade of every employer of the office for `year` from its record, in the caller's
 * transaction (a crash leaves either the whole year proposed or none of it); a year already proposed
 * is left as it is. Rows are written in multi-row INSERTs of BATCH.
 */
export async function proposeGrades(em: EntityManager, officeId: string, year: number, rules: LegalRules, now: number, runId: string | null = null): Promise<{ A: number; B: number; C: number }> {
  const records = await gradingRecords(em, officeId, year);
  const employers: { id: string; grid_id: string | null }[] = await em.query(
    'SELECT e.id, e.grid_id FROM employers e WHERE e.office_id = ? AND NOT EXISTS (SELECT 1 FROM credit_grades g WHERE g.employer_id = e.id AND g.year = ?)', [officeId, year]);
  const counts = { A: 0, B: 0, C: 0 };
  for (let i = 0; i < employers.length; i += BATCH) {
    const params: unknown[] = [];
    const rows: string[] = [];
    for (const e of employers.slice(i, i + BATCH)) {
      const p = proposeGrade(records.get(e.id) ?? [], rules);
      counts[p.grade]++;
      rows.push("(?, ?, ?, ?, ?, ?, NULL, ?, 'proposed', NULL, NULL, ?, ?)");
      params.push(crypto.randomUUID(), officeId, e.id, e.grid_id, year, p.grade, JSON.stringify(p.reasons), now, runId);
    }
    await em.query(
      `INSERT INTO credit_grades (id, office_id, employer_id, grid_id, year, proposed_grade, final_grade, reasons_json, state, decided_by, decided_at, created_at, run_id) VALUES ${rows.join(', ')}`,
      params);
  }
  return counts;
}

/** The employer's grade in force: the final grade of its latest graded year, or null when never graded. */
export async function currentGrade(em: EntityManager, employerId: string): Promise<{ grade: Grade; year: number } | null> {
  const rows: { final_grade: Grade; year: number | string }[] = await em.query(
    "SELECT final_grade, year FROM credit_grades WHERE employer_id = ? AND state = 'final' ORDER BY year DESC LIMIT 1", [employerId]);
  return rows[0] ? { grade: rows[0].final_grade, year: Number(rows[0].year) } : null;
}
