/**
 * The timer poller: fires due timers (boundary, intermediate and start-event timers, and job back-offs
 * coming due), each in its own step, and drops expired buffered messages. It looks every
 * `timerPollMs`, and sooner when a committed step scheduled a timer earlier than its next look
 * (`wakeAt`). One tick runs at a time: the poller and a test may both call `tick`.
 */
import type { EngineContext } from '../context';
import { num } from '../checks';
import { nextOfCycle } from '../timers';
import { emIsMysql, exec, later, select, serialTransaction } from '../tx';

interface TimerRow {
  id: number | string; due_at: number | string; root_id: number | string | null; element_instance_id: number | string | null; element_id: string;
  definition_key: string | null; interrupting: number | boolean; repetitions: number | string | null; interval_spec: string | null;
}

/** Timers read per round of a tick; a tick goes on while rounds come back full. */
const TIMER_BATCH = 100;

export class TimerPoller {
  private poller: NodeJS.Timeout | null = null;
  private polling = false;
  private ticking: Promise<number> | null = null;
  private nextWake: number | null = null;

  constructor(private readonly ctx: EngineContext, private readonly pollMs: number) {}

  /** Fires every due timer, each in its own transaction, and drops expired messages. Answers how many fired. */
  async tick(): Promise<number> {
    while (this.ticking) await this.ticking.catch(() => 0);
    this.ticking = this.runTick();
    try {
      return await this.ticking;
    } finally {
      this.ticking = null;
    }
  }

  private async runTick(): Promise<number> {
    const { ds, clock } = this.ctx;
    let fired = 0;
    for (;;) {
      const now = clock.now().getTime();
      const due = await serialTransaction(ds, (em) => select<{ id: number | string }>(em,
        `SELECT id FROM engine_timers WHERE due_at <= ? ORDER BY due_at, id LIMIT ${TIMER_BATCH}`, [now]));
      for (const t of due) {
        try {
          if (await this.fireTimer(num(t.id))) fired++;
        } catch (e) {
          this.ctx.logger?.error({ err: e, timer: t.id }, 'timer failed to fire');
        }
      }
      if (due.length < TIMER_BATCH) break;
    }
    const now = clock.now().getTime();
    await serialTransaction(ds, async (em) => {
      await exec(em, 'DELETE FROM engine_message_correlations WHERE message_id IN (SELECT id FROM engine_messages WHERE expires_at <= ?)', [now]);
      await exec(em, 'DELETE FROM engine_messages WHERE expires_at <= ?', [now]);
    });
    return fired;
  }

  private async fireTimer(id: number): Promise<boolean> {
    return this.ctx.step(undefined, async (step) => {
      const [first] = await select<TimerRow>(step.em, 'SELECT * FROM engine_timers WHERE id = ?', [id]);
      if (!first || num(first.due_at) > step.now) return false;
      if (first.root_id !== null) await step.lockRoot(num(first.root_id));
      // Start-event timers belong to no instance: their own row is the lock (two nodes may tick at once).
      const lockRow = first.root_id === null && emIsMysql(step.em) ? ' FOR UPDATE' : '';
      const [t] = await select<TimerRow>(step.em, `SELECT * FROM engine_timers WHERE id = ?${lockRow}`, [id]);
      if (!t || num(t.due_at) > step.now) return false;
      const next = nextOfCycle(num(t.due_at), t.repetitions === null ? null : num(t.repetitions), t.interval_spec);
      if (next) {
        await later(step.em, 'UPDATE engine_timers SET due_at = ?, repetitions = ? WHERE id = ?', [next.dueAt, next.repetitions, id]);
        step.noteTimer(next.dueAt);
      } else {
        const d = await exec(step.em, 'DELETE FROM engine_timers WHERE id = ?', [id]);
        if (d.affected !== 1) return false;
      }
      if (t.definition_key !== null) {
        const def = await this.ctx.definitions.get(step.em, t.definition_key);
        if (def) await step.startInstance(def, t.element_id, {}, { triggerVars: {} });
        return true;
      }
      const owner = await step.ei(num(t.element_instance_id));
      if (!owner) return false;
      await step.triggerEvent(owner, t.element_id, undefined, Boolean(Number(t.interrupting)));
      return true;
    });
  }

  /** Starts polling: due timers fire within the poll interval, sooner when a step scheduled one. */
  start(): void {
    if (this.polling) return;
    this.polling = true;
    this.wakeAt(this.ctx.clock.now().getTime());
  }

  /** Stops polling and waits for a tick that is running. */
  async stop(): Promise<void> {
    this.polling = false;
    if (this.poller) clearTimeout(this.poller);
    this.poller = null;
    this.nextWake = null;
    if (this.ticking) await this.ticking.catch(() => 0);
  }

  /** Looks at `at` (no later than one poll interval from now) unless a look is already due sooner. */
  wakeAt(at: number): void {
    if (!this.polling) return;
    const now = this.ctx.clock.now().getTime();
    const when = Math.min(Math.max(at, now), now + this.pollMs);
    if (this.poller && this.nextWake !== null && this.nextWake <= when) return;
    if (this.poller) clearTimeout(this.poller);
    this.nextWake = when;
    this.poller = setTimeout(() => {
      this.poller = null;
      this.nextWake = null;
      this.tick()
        .catch((e) => this.ctx.logger?.error({ err: e }, 'timer tick failed'))
        .finally(() => this.wakeAt(this.ctx.clock.now().getTime() + this.pollMs));
    }, Math.max(0, when - now));
    this.poller.unref?.();
  }
}
