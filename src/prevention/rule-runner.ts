/**
 * Runs the warning rules incrementally: the audit log is the event stream (append-only, ids only grow),
 * and each complaint registered, case closed, listing decided or grade finalised since the last run
 * re-evaluates the employers it concerns.
 * The cursor is moved in the same transaction as the warnings the batch opened, so a crash repeats a
 * batch at most, and repeating it opens nothing twice (one open warning per employer).
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { systemActor } from '../audit/audit';
import type { Clock } from '../clock/clock';
import type { LegalRuleSet } from '../config/legal-rules';
import { rulesForOffice } from '../config/legal-rules';
import { inTransaction } from '../db/data-source';
import { CreditColours, evaluateEmployer } from './warning-rules';
import type { WarningEngine } from './warnings';

const CURSOR = 'warning-rules';
/** Events naming a case's employer (through the case), and credit decisions naming their employers through the grade or grading run. */
const EVENTS = ['case.register', 'case.close', 'credit.listing.list', 'credit.listing.remove', 'credit.grading.final', 'credit.grade.change', 'credit.grade.objection-decision'];
const BATCH = 500;

type Row = Record<string, unknown>;

export interface RuleRunnerDeps {
  ds: DataSource;
  clock: Clock;
  rules: LegalRuleSet;
  engine: WarningEngine;
  /** The colours of the credit rules (settings WARNING_COLOUR_GRADE_C, WARNING_COLOUR_LISTED). */
  colours: CreditColours;
  logger: Pick<Logger, 'warn' | 'info'>;
  pollMs: number;
}

async function cursorOf(em: EntityManager): Promise<number | null> {
  const rows: Row[] = await em.query('SELECT last_id FROM prevention_cursors WHERE name = ?', [CURSOR]);
  return rows[0] ? Number(rows[0].last_id) : null;
}

export class WarningRuleRunner {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(private readonly deps: RuleRunnerDeps) {}

  /** Processes the events since the cursor; answers how many employers were evaluated. */
  runOnce(): Promise<number> {
    this.running ??= this.drain().finally(() => { this.running = null; });
    return this.running;
  }

  private async drain(): Promise<number> {
    let evaluated = 0;
    for (;;) {
      const n = await this.batch();
      if (n < 0) return evaluated;
      evaluated += n;
    }
  }

  /** One batch of events; -1 when there were none. */
  private async batch(): Promise<number> {
    const { ds, clock } = this.deps;
    return inTransaction(ds, async (em) => {
      let cursor = await cursorOf(em);
      if (cursor === null) {
        // The first run reads the whole log once, batch by batch: past complaints count as well.
        cursor = 0;
        await em.query('INSERT INTO prevention_cursors (name, last_id, updated_at) VALUES (?, 0, ?)', [CURSOR, clock.now().getTime()]);
      }
      const events: Row[] = await em.query(
        `SELECT a.id, a.action, a.entity_id, c.employer_id, c.office_id FROM audit_log a LEFT JOIN cases c ON c.id = a.case_id
          WHERE a.id > ? AND a.action IN (${EVENTS.map(() => '?').join(', ')}) ORDER BY a.id LIMIT ${BATCH}`, [cursor, ...EVENTS]);
      if (!events.length) return -1;
      const employers = new Map<string, string>();
      for (const e of events) {
        if (e.employer_id) employers.set(String(e.employer_id), String(e.office_id));
        // A finalised grading names its run: the employers it graded C. A changed grade names the grade.
        const graded: Row[] = e.action === 'credit.grading.final'
          ? await em.query("SELECT employer_id, office_id FROM credit_grades WHERE run_id = ? AND final_grade = 'C'", [e.entity_id])
          : String(e.action).startsWith('credit.grade.') ? await em.query('SELECT employer_id, office_id FROM credit_grades WHERE id = ?', [e.entity_id]) : [];
        for (const g of graded) employers.set(String(g.employer_id), String(g.office_id));
      }
      const now = clock.now();
      const officeCodes = new Map<string, string | null>();
      for (const [employerId, officeId] of employers) {
        if (!officeCodes.has(officeId)) {
          const o: Row[] = await em.query('SELECT code FROM offices WHERE id = ?', [officeId]);
          officeCodes.set(officeId, o[0] ? String(o[0].code) : null);
        }
        const rules = rulesForOffice(this.deps.rules, officeCodes.get(officeId));
        await evaluateEmployer(em, { engine: this.deps.engine, rules, colours: this.deps.colours, actor: systemActor('warning-rules'), now }, employerId);
      }
      await em.query('UPDATE prevention_cursors SET last_id = ?, updated_at = ? WHERE name = ?', [Number(events[events.length - 1].id), now.getTime(), CURSOR]);
      return employers.size;
    });
  }

  start(): void {
    if (this.timer) return;
    const tick = () => {
      this.runOnce().catch((e: unknown) => this.deps.logger.warn({ err: e }, 'warning rules: a run failed; it is tried again'))
        .finally(() => { if (this.timer) this.timer = setTimeout(tick, this.deps.pollMs); });
    };
    this.timer = setTimeout(tick, this.deps.pollMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }
}
