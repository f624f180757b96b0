/**
 * The warning rules over the data (seed 004's figures, kept in the legal-rules registry): within the
 * look-back period, one wage-arrears complaint gives yellow, the registry's number of them orange, and a
 * single complaint reaching the arrears amount or more than the registry's number of workers red.
 *
 * One employer is evaluated when an event concerns it (a complaint registered, a case closed: see
 * rule-runner.ts); a full run evaluates every employer with one grouped read of the cases. Either way
 * a warning is opened only for facts newer than the employer's last closed warning, so a closed
 * warning is not raised again by the complaints it already dealt with.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../audit/audit';
import type { LegalRules } from '../config/legal-rules';
import { inTransaction } from '../db/data-source';
import { addMonths, chinaDate, startOfChinaDay } from '../deadlines/china-time';
import { Colour, colourRank } from './model';
import { findEmployerPlace } from './grids';
import { openWarning, OpenedWarning, WarningEngine } from './warnings';

/** What the rules look at for one employer: its wage-arrears complaints within the look-back period. */
export interface EmployerFacts {
  employerId: string;
  arrearsComplaints: number;
  maxOwedFen: number;
  maxWorkers: number;
  /** The latest complaint counted, epoch ms. */
  latestAt: number;
}

export interface RuleFinding {
  colour: Colour;
  reasons: string[];
}

/** The colour the rules give, with the reasons in the users' words; null when no rule applies. */
export function evaluateFacts(f: EmployerFacts, rules: LegalRules): RuleFinding | null {
  if (f.arrearsComplaints < 1) return null;
  const months = rules['warning.lookback'].value;
  const amount = rules['warning.minArrearsAmount'].value;
  const complaints = rules['warning.minComplaints'].value;
  const workers = rules['warning.maxWorkers'].value;
  const reasons = [`近${months}个月内欠薪投诉${f.arrearsComplaints}次`];
  let colour: Colour = 'yellow';
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
  return { colour, reasons };
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

export async function employerFacts(em: EntityManager, employerId: string, since: number): Promise<EmployerFacts | null> {
  const rows: Row[] = await em.query(`${FACTS_SELECT} AND employer_id = ? GROUP BY employer_id`, [since, employerId]);
  return rows[0] ? toFacts(rows[0]) : null;
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
  actor: Actor;
  now: Date;
}

/** Re-evaluates one employer in the caller's transaction; answers what was done, if anything. */
export async function evaluateEmployer(em: EntityManager, ctx: RuleContext, employerId: string): Promise<OpenedWarning | null> {
  const facts = await employerFacts(em, employerId, lookbackStart(ctx.rules, ctx.now.getTime()));
  if (!facts) return null;
  const finding = evaluateFacts(facts, ctx.rules);
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
 * Every employer of the office: one grouped read of the look-back period's complaints and one of the
 * latest warning per employer, then a transaction per employer that needs a warning opened or raised.
 */
export async function runAllRules(ds: DataSource, ctx: RuleContext, officeId: string): Promise<FullRunResult> {
  const started = Date.now();
  const since = lookbackStart(ctx.rules, ctx.now.getTime());
  const facts: Row[] = await ds.query(`${FACTS_SELECT} AND office_id = ? GROUP BY employer_id`, [since, officeId]);
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
  for (const r of facts) {
    const f = toFacts(r);
    const finding = evaluateFacts(f, ctx.rules);
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
