/**
 * The warning rules over the data. Complaints (seed 004's figures, kept in the legal-rules registry):
 * within the look-back period, one wage-arrears complaint gives yellow, the registry's number of them
 * orange, and a single complaint reaching the arrears amount or more than the registry's number of
 * workers red. Credit (seed 001's A/B/C supervision; seed 004's blacklist): an employer whose latest
 * final grade is C, and one listed on the arrears blacklist, get the colours the office sets
 * (WARNING_COLOUR_GRADE_C, WARNING_COLOUR_LISTED). The strongest colour wins; every reason is kept.
 *
 * One employer is evaluated when an event concerns it (a complaint registered, a case closed, a
 * grading finalised or changed, a listing decided: see rule-runner.ts); a full run evaluates every
 * employer with grouped reads. Either way a warning is opened only for facts newer than the employer's
 * last closed warning, so a closed warning is not raised again by what it already dealt with.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../audit/audit';
import type { LegalRules } from '../config/legal-rules';
import type { Settings } from '../config/settings';
import { inTransaction } from '../db/data-source';
import { addMonths, chinaDate, startOfChinaDay } from '../deadlines/china-time';
import { Colour, colourRank } from './model';
import { findEmployerPlace } from './grids';
import { openWarning, OpenedWarning, WarningEngine } from './warnings';

/** What the rules look at for one employer. */
export interface EmployerFacts {
  employerId: string;
  /** Wage-arrears complaints within the look-back period, the largest amount and number of workers of one. */
  arrearsComplaints: number;
  maxOwedFen: number;
  maxWorkers: number;
  /** The latest final credit grade, its year and when it was decided (epoch ms). */
  grade?: { grade: string; year: number; at: number } | null;
  /** When the employer was put on the arrears blacklist, while it is listed. */
  listedAt?: number | null;
  /** The newest fact counted, epoch ms. */
  latestAt: number;
}

export interface RuleFinding {
  colour: Colour;
  reasons: string[];
}

/** The colours the office gives the credit facts (settings). */
export interface CreditColours {
  gradeC: Colour;
  listed: Colour;
}

export function creditColours(settings: Pick<Settings, 'WARNING_COLOUR_GRADE_C' | 'WARNING_COLOUR_LISTED'>): CreditColours {
  return { gradeC: settings.WARNING_COLOUR_GRADE_C, listed: settings.WARNING_COLOUR_LISTED };
}

const stronger = (a: Colour | null, b: Colour): Colour => (a === null || colourRank(b) > colourRank(a) ? b : a);

/** The colour the rules give, with the reasons in the users' words; null when no rule applies. */
export function evaluateFacts(f: EmployerFacts, rules: LegalRules, colours: CreditColours): RuleFinding | null {
  let colour: Colour | null = null;
  const reasons: string[] = [];
  if (f.arrearsComplaints >= 1) {
    const months = rules['warning.lookback'].value;
    const amount = rules['warning.minArrearsAmount'].value;
    const complaints = rules['warning.minComplaints'].value;
    const workers = rules['warning.maxWorkers'].value;
    reasons.push(`近${months}个月内欠薪投诉${f.arrearsComplaints}次`);
    colour = 'yellow';
    if (f.arrearsComplaints >= complaints) {
      colour = 'orange';
      reasons.push(`一年内被投诉${complaints}次以上`);
    }
    if (f.maxOwedFen >= amount * 100) {
      colour = 'red';
      reasons.push(`一次性拖欠工资达${amount.toLocaleString('zh-CN')}元以上`);
    }
    if (f.maxWorkers > workers) {
      colour = 'red';
      reasons.push(`一次性拖欠人数超过${workers}人`);
    }
  }
  if (f.grade?.grade === 'C') {
    colour = stronger(colour, colours.gradeC);
    reasons.push(`${f.grade.year}年度劳动保障守法诚信等级评为C级`);
  }
  if (f.listedAt) {
    colour = stronger(colour, colours.listed);
    reasons.push('已列入拖欠农民工工资失信联合惩戒对象名单');
  }
  return colour === null ? null : { colour, reasons };
}

/** The start of the look-back period at `now`: the same day so many months back, from its first instant. */
export function lookbackStart(rules: LegalRules, now: number): number {
  return startOfChinaDay(addMonths(chinaDate(now), -rules['warning.lookback'].value)).getTime();
}

type Row = Record<string, unknown>;

/** Employers whose warnings a full run opens in one transaction. */
const FULL_RUN_BATCH = 100;

const FACTS_SELECT = `SELECT employer_id, COUNT(*) AS n, MAX(COALESCE(total_owed, 0)) AS owed, MAX(workers_count) AS workers, MAX(received_at) AS latest
  FROM cases WHERE wage_arrears = 1 AND received_at >= ? AND employer_id IS NOT NULL`;

function toFacts(r: Row): EmployerFacts {
  return { employerId: String(r.employer_id), arrearsComplaints: Number(r.n), maxOwedFen: Number(r.owed), maxWorkers: Number(r.workers), latestAt: Number(r.latest) };
}

/** The employer's latest final grade: the newest year wins, as in credit/grading.ts currentGrade. */
const GRADES_SELECT = "SELECT employer_id, final_grade, year, decided_at FROM credit_grades WHERE state = 'final'";
const LISTED_SELECT = "SELECT employer_id, MAX(listed_at) AS listed_at FROM credit_listings WHERE state = 'listed'";

/** Adds the credit facts to an employer's facts (or makes them, for one with no complaint). */
function withCredit(f: EmployerFacts | undefined, employerId: string, grade: Row | undefined, listed: Row | undefined): EmployerFacts {
  const out: EmployerFacts = f ?? { employerId, arrearsComplaints: 0, maxOwedFen: 0, maxWorkers: 0, latestAt: 0 };
  if (grade) {
    out.grade = { grade: String(grade.final_grade), year: Number(grade.year), at: Number(grade.decided_at ?? 0) };
    out.latestAt = Math.max(out.latestAt, out.grade.at);
  }
  if (listed && listed.listed_at !== null) {
    out.listedAt = Number(listed.listed_at);
    out.latestAt = Math.max(out.latestAt, out.listedAt);
  }
  return out;
}

export async function employerFacts(em: EntityManager, employerId: string, since: number): Promise<EmployerFacts | null> {
  const rows: Row[] = await em.query(`${FACTS_SELECT} AND employer_id = ? GROUP BY employer_id`, [since, employerId]);
  const [grade] = (await em.query(`${GRADES_SELECT} AND employer_id = ? ORDER BY year DESC LIMIT 1`, [employerId])) as Row[];
  const [listed] = (await em.query(`${LISTED_SELECT} AND employer_id = ? GROUP BY employer_id`, [employerId])) as Row[];
  if (!rows[0] && !grade && !listed) return null;
  return withCredit(rows[0] ? toFacts(rows[0]) : undefined, employerId, grade, listed);
}

/** Whether a warning is due: no open one as strong, and facts newer than the last closed one. */
async function shouldOpen(em: EntityManager, f: EmployerFacts, finding: RuleFinding): Promise<boolean> {
  const rows: Row[] = await em.query(
    "SELECT state, colour, closed_at FROM warnings WHERE employer_id = ? AND (state = 'open' OR closed_at IS NOT NULL) ORDER BY opened_at DESC LIMIT 1", [f.employerId]);
  const last = rows[0];
  if (!last) return true;
  if (last.state === 'open') return colourRank(finding.colour) > colourRank(String(last.colour) as Colour);
  return f.latestAt > Number(last.closed_at);
}

export interface RuleContext {
  engine: WarningEngine;
  rules: LegalRules;
  colours: CreditColours;
  actor: Actor;
  now: Date;
}

/** Re-evaluates one employer in the caller's transaction; answers what was done, if anything. */
export async function evaluateEmployer(em: EntityManager, ctx: RuleContext, employerId: string): Promise<OpenedWarning | null> {
  const facts = await employerFacts(em, employerId, lookbackStart(ctx.rules, ctx.now.getTime()));
  if (!facts) return null;
  const finding = evaluateFacts(facts, ctx.rules, ctx.colours);
  if (!finding || !(await shouldOpen(em, facts, finding))) return null;
  // An employer not yet placed in a grid has no one to handle a warning: it waits on the unplaced list.
  if (!(await findEmployerPlace(em, employerId))) return null;
  return openWarning(em, ctx.engine, { employerId, colour: finding.colour, source: 'rule', reasons: finding.reasons }, ctx.actor, ctx.now);
}

export interface FullRunResult {
  employersEvaluated: number;
  employersWithFindings: number;
  opened: number;
  raised: number;
  seconds: number;
}

/**
 * Every employer of the office: grouped reads of the look-back period's complaints, the final grades
 * and the listings, and one of the latest warning per employer, then a transaction per employer that needs a warning opened or raised.
 */
export async function runAllRules(ds: DataSource, ctx: RuleContext, officeId: string): Promise<FullRunResult> {
  const started = Date.now();
  const since = lookbackStart(ctx.rules, ctx.now.getTime());
  const complaints: Row[] = await ds.query(`${FACTS_SELECT} AND office_id = ? GROUP BY employer_id`, [since, officeId]);
  const latestGrade = new Map<string, Row>();
  for (const g of (await ds.query(`${GRADES_SELECT} AND office_id = ?`, [officeId])) as Row[]) {
    const prev = latestGrade.get(String(g.employer_id));
    if (!prev || Number(g.year) > Number(prev.year)) latestGrade.set(String(g.employer_id), g);
  }
  const listed = new Map(((await ds.query(`${LISTED_SELECT} AND office_id = ? GROUP BY employer_id`, [officeId])) as Row[]).map((l) => [String(l.employer_id), l]));
  const byEmployer = new Map(complaints.map((r) => [String(r.employer_id), toFacts(r)]));
  const facts: EmployerFacts[] = [...new Set([...byEmployer.keys(), ...latestGrade.keys(), ...listed.keys()])]
    .map((id) => withCredit(byEmployer.get(id), id, latestGrade.get(id), listed.get(id)));
  // The latest warning of each employer, reduced here: one sequential read instead of a correlated subquery.
  const warnings: Row[] = await ds.query('SELECT employer_id, state, colour, closed_at, opened_at FROM warnings WHERE office_id = ?', [officeId]);
  const lastOf = new Map<string, Row>();
  for (const w of warnings) {
    const prev = lastOf.get(String(w.employer_id));
    if (!prev || Number(w.opened_at) > Number(prev.opened_at)) lastOf.set(String(w.employer_id), w);
  }
  const employers: Row[] = await ds.query('SELECT COUNT(*) AS n FROM employers WHERE office_id = ?', [officeId]);
  let opened = 0;
  let raised = 0;
  let withFindings = 0;
  const due: { employerId: string; finding: RuleFinding }[] = [];
  for (const f of facts) {
    const finding = evaluateFacts(f, ctx.rules, ctx.colours);
    if (!finding) continue;
    withFindings++;
    const last = lastOf.get(f.employerId);
    const isDue = !last || (last.state === 'open' ? colourRank(finding.colour) > colourRank(String(last.colour) as Colour) : f.latestAt > Number(last.closed_at));
    if (isDue) due.push({ employerId: f.employerId, finding });
  }
  // Warnings are opened in batches of transactions: each opening starts its lifecycle in the same one.
  for (let i = 0; i < due.length; i += FULL_RUN_BATCH) {
    const batch = due.slice(i, i + FULL_RUN_BATCH);
    const effects = await inTransaction(ds, async (em) => {
      const out: string[] = [];
      for (const d of batch) {
        if (!(await findEmployerPlace(em, d.employerId))) continue;
        out.push((await openWarning(em, ctx.engine, { employerId: d.employerId, colour: d.finding.colour, source: 'rule', reasons: d.finding.reasons }, ctx.actor, ctx.now)).effect);
      }
      return out;
    }, { batched: true });
    opened += effects.filter((e) => e === 'opened').length;
    raised += effects.filter((e) => e === 'raised').length;
  }
  return { employersEvaluated: Number(employers[0].n), employersWithFindings: withFindings, opened, raised, seconds: (Date.now() - started) / 1000 };
}
