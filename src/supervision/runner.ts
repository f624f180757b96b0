/**
 * The escalation runner: every `intervalMs` (and whenever a test calls `runOnce`) it looks at the open
 * tasks and statutory deadlines that reached a level of their service level and fires each level not
 * fired yet, oldest first, each in its own transaction. A level is recorded in
 * `supervision_escalations` under a unique key (subject, level) in the same transaction as its
 * actions, so a restart, a crash between levels or a second runner never fires a level twice.
 * Each pass also lists the cases a diagram flagged 挂牌督办 for supervision, and records the cases received and closed since the last one into the month counts of
 * the stats (the first pass, and one an hour, also any recorded nowhere yet).
 */
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { Actor, systemActor } from '../audit/audit';
import type { Clock } from '../clock/clock';
import { inTransaction } from '../db/data-source';
import { loadCalendarData } from '../deadlines/calendar-store';
import type { WorkflowEngine } from '../engine/port';
import { actionsOf, EscalationSubject, fireEscalation, listFlaggedCases } from './commands';
import { levelForDeadline, ServiceLevel } from './service-levels';
import { levelsReached, scheduleOf } from './schedule';
import { EMBEDDED_TASKS, TaskSource } from './task-source';
import { officeGrids, openDeadlinesNearDue, recordCaseEvents, streetOf, taskEntries } from './queries';

type Row = Record<string, unknown>;

export interface EscalationRunnerOptions {
  ds: DataSource;
  clock: Clock;
  /** The engine cases run on: in Zeebe mode the Zeebe adapter, so reassignments reach the cluster. */
  engine: WorkflowEngine;
  /** The task tables of that engine (`taskSourceFor(settings)`; default: the embedded engine's). */
  source?: TaskSource;
  levels: readonly ServiceLevel[];
  logger?: Logger;
  /** How often the runner looks; escalations are day-grained, so a minute is plenty. */
  intervalMs?: number;
}

export interface RunResult {
  fired: number;
  examined: number;
}

export class EscalationRunner {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<RunResult> | null = null;
  private readonly actor: Actor = systemActor('督办');
  /** When the last sweep for closures recorded nowhere yet ran (0: never, so the first pass does one). */
  private lastFullSweep = 0;

  constructor(private readonly opts: EscalationRunnerOptions) {}

  start(): void {
    if (this.timer) return;
    const every = this.opts.intervalMs ?? 60_000;
    const loop = () => {
      this.timer = setTimeout(() => {
        this.runOnce()
          .catch((e) => this.opts.logger?.error({ err: e }, 'escalation run failed'))
          .finally(() => { if (this.timer) loop(); });
      }, every);
      this.timer.unref?.();
    };
    loop();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** One pass at `now` (default: the clock's now). Runs are serialised: a second call waits for the first. */
  async runOnce(now?: Date): Promise<RunResult> {
    while (this.running) await this.running.catch(() => undefined);
    this.running = this.pass(now);
    try {
      return await this.running;
    } finally {
      this.running = null;
    }
  }

  private async pass(nowArg?: Date): Promise<RunResult> {
    const { ds, levels, engine, clock } = this.opts;
    const now = (nowArg ?? clock.now()).getTime();
    const cal = await loadCalendarData(ds.manager);
    const source = this.opts.source ?? EMBEDDED_TASKS;
    const deps = { engine, clock, cal, source };
    let fired = 0;
    let examined = 0;
    const offices = (await ds.query('SELECT id FROM offices')) as Row[];
    for (const office of offices) {
      const officeId = String(office.id);
      const grids = await officeGrids(ds, officeId);
      const ctx = { cal, levels, now, officeId, source };
      const subjects: { subject: EscalationSubject; level: ServiceLevel; reached: string[] }[] = [];
      const { tasks } = await taskEntries(ds, ctx);
      for (const { task, c, level } of tasks.values()) {
        const s = scheduleOf(cal, level, task.createdAt, task.dueDate);
        const reached = levelsReached(s, now).map((l) => l.level);
        if (!reached.length) continue;
        subjects.push({
          level, reached,
          subject: {
            kind: 'task', key: task.key, title: task.name ?? task.elementId, caseId: c.caseId, caseNumber: c.caseNumber, officeId,
            streetCode: streetOf(grids, c.gridId)?.code ?? null, assignee: task.assignee, candidateGroups: task.candidateGroups, dueAt: s.dueAt,
          },
        });
      }
      for (const d of await openDeadlinesNearDue(ds, levels, now, officeId)) {
        const level = levelForDeadline(levels, d.rule);
        if (!level) continue;
        const s = scheduleOf(cal, level, d.createdAt, d.dueAt);
        const reached = levelsReached(s, now).map((l) => l.level);
        if (!reached.length) continue;
        subjects.push({
          level, reached,
          subject: {
            kind: 'deadline', key: d.id, title: level.title, caseId: d.caseId, caseNumber: d.c.caseNumber, officeId,
            streetCode: streetOf(grids, d.c.gridId)?.code ?? null, assignee: null, candidateGroups: [], dueAt: s.dueAt,
          },
        });
      }
      examined += subjects.length;
      const done = await this.firedLevels(subjects.map((s) => s.subject));
      for (const { subject, level, reached } of subjects) {
        for (const name of reached) {
          if (done.has(`${subject.kind}|${subject.key}|${name}`)) continue;
          try {
            // The task may have been completed since it was read: then its level is not fired.
            const ok = await inTransaction(ds, async (em) => {
              if (subject.kind === 'task') {
                const [open] = await this.opts.engine.searchTasks({ keys: [subject.key] }, em);
                if (!open) return false;
                subject.assignee = open.assignee;
                subject.candidateGroups = open.candidateGroups;
              }
              return fireEscalation(em, deps, subject, level, name, actionsOf(level, name), this.actor);
            });
            if (ok) fired++;
          } catch (e) {
            this.opts.logger?.error({ err: e, subject: subject.key, level: name }, 'escalation failed');
          }
        }
      }
    }
    // Cases a diagram flagged 挂牌督办 get their listing (owner, due date, reason). Another runner listing
    // the same case first makes this transaction fail on the listing's key: the next pass finds nothing left.
    try {
      await inTransaction(ds, (em) => listFlaggedCases(em, cal, this.actor, new Date(now)));
    } catch (e) {
      this.opts.logger?.warn({ err: e }, 'listing flagged cases for supervision failed; the next pass retries');
    }
    // After the escalations: the first sweep of a large existing installation takes a while.
    const full = Date.now() - this.lastFullSweep > 3600_000;
    await recordCaseEvents(ds, { full });
    if (full) this.lastFullSweep = Date.now();
    if (fired) this.opts.logger?.info({ fired }, 'escalations fired');
    return { fired, examined };
  }

  private async firedLevels(subjects: EscalationSubject[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (const kind of ['task', 'deadline'] as const) {
      const keys = [...new Set(subjects.filter((s) => s.kind === kind).map((s) => s.key))];
      for (let i = 0; i < keys.length; i += 500) {
        const part = keys.slice(i, i + 500);
        const rows = (await this.opts.ds.query(
          `SELECT subject_key, level FROM supervision_escalations WHERE subject_kind = ? AND subject_key IN (${part.map(() => '?').join(', ')})`, [kind, ...part])) as Row[];
        for (const r of rows) out.add(`${kind}|${String(r.subject_key)}|${String(r.level)}`);
      }
    }
    return out;
  }
}
