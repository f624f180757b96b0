/**
 * Wakes waiting job activations. The engine emits 'jobs' (type) after a commit that made jobs of a
 * type activatable; one listener here fans it out to every waiter of that type, so the number of
 * waiting workers is not bounded by the emitter's listener limit. Jobs also become activatable
 * without an event (a lease runs out, a retry back-off ends, the test clock moves, another process on
 * the same database commits), so every waiter also looks again after `recheckMs`.
 */
import type { EmbeddedEngine } from '../runtime/engine';

export interface Waiter {
  /** Resolves on a wake-up, after `ms`, or when closed, whichever is first. */
  sleep(ms: number): Promise<void>;
  /** True when a wake-up arrived since the last `take()`: look again before sleeping. */
  take(): boolean;
  /** Ends a sleep now (the caller went away, or there is news). */
  wake(): void;
  close(): void;
}

export class JobWakeups {
  private readonly waiters = new Map<string, Set<WaiterImpl>>();
  private readonly onJobs = (type: string) => {
    for (const w of this.waiters.get(type) ?? []) w.wake();
  };

  constructor(private readonly engine: EmbeddedEngine) {
    engine.events.on('jobs', this.onJobs);
  }

  /** Subscribe before the first activation attempt, so a commit between attempt and sleep is not missed. */
  subscribe(type: string): Waiter {
    const set = this.waiters.get(type) ?? new Set<WaiterImpl>();
    this.waiters.set(type, set);
    const w = new WaiterImpl(() => {
      set.delete(w);
      if (set.size === 0 && this.waiters.get(type) === set) this.waiters.delete(type);
    });
    set.add(w);
    return w;
  }

  /** Wakes every waiter (the gateway is stopping, so they answer now). */
  wakeAll(): void {
    for (const set of this.waiters.values()) for (const w of set) w.wake();
  }

  dispose(): void {
    this.engine.events.off('jobs', this.onJobs);
    this.wakeAll();
  }
}

class WaiterImpl implements Waiter {
  private pending = false;
  private resolve: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly onClose: () => void) {}

  wake(): void {
    this.pending = true;
    this.release();
  }

  take(): boolean {
    const p = this.pending;
    this.pending = false;
    return p;
  }

  sleep(ms: number): Promise<void> {
    if (this.pending) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.resolve = resolve;
      this.timer = setTimeout(() => this.release(), Math.max(0, ms));
    });
  }

  close(): void {
    this.release();
    this.onClose();
  }

  private release(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const r = this.resolve;
    this.resolve = null;
    r?.();
  }
}
