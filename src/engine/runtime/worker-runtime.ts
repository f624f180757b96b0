/**
 * Runs job handlers in-process against the embedded engine, at most `concurrency` jobs at a time.
 * Each registration polls for its type; a step that creates jobs of that type wakes it at once.
 */
import { isAppError } from '../../errors';
import { isRejection } from '../rejection';
import {
  JOB_ACTION_ACKNOWLEDGEMENT, Job, JobActionAcknowledgement, JobError, JobFailure, JobVariables, TransactionalWrite, WorkerRegistration,
} from '../../workers/contract';
import { ActivatedJob, EmbeddedEngine } from './engine';

export interface WorkerRuntimeOptions {
  concurrency?: number;
  /** Longest wait between polls of one job type when nothing woke it. */
  pollIntervalMs?: number;
  workerName?: string;
  logger?: { warn(obj: unknown, msg?: string): void; error(obj: unknown, msg?: string): void };
}

interface Loop {
  reg: WorkerRegistration;
  wake: (() => void) | null;
  woken: boolean;
}

export class WorkerRuntime {
  private readonly loops: Loop[] = [];
  private running = false;
  private inFlight = 0;
  /** Jobs among inFlight whose handler has answered, while the answer's step runs, and whose slot is not lent yet. */
  private readonly lendable = new Set<ActivatedJob>();
  private reserved = 0;
  private readonly closers: Array<() => void> = [];
  private readonly idle = new Set<() => void>();
  private readonly tasks = new Set<Promise<void>>();
  private readonly onJobs = (type: string) => {
    for (const l of this.loops) if (l.reg.taskType === type) this.wakeLoop(l);
  };

  constructor(private readonly engine: EmbeddedEngine, private readonly opts: WorkerRuntimeOptions = {}) {}

  register<V extends JobVariables, H extends Record<string, string>>(reg: WorkerRegistration<V, H>): void {
    const loop: Loop = { reg: reg as unknown as WorkerRegistration, wake: null, woken: false };
    this.loops.push(loop);
    if (this.running) {
      this.openStream(loop);
      void this.runLoop(loop);
    }
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.engine.events.on('jobs', this.onJobs);
    for (const l of this.loops) this.openStream(l);
    for (const l of this.loops) void this.runLoop(l);
  }

  /** Jobs created by steps of this process arrive directly; polling picks up the rest (other processes, retries, expired leases). */
  private openStream(l: Loop): void {
    this.closers.push(this.engine.openJobStream(l.reg.taskType, {
      worker: this.opts.workerName ?? 'embedded',
      timeoutMs: l.reg.timeoutMs,
      fetchVariables: l.reg.fetchVariables,
      // A job whose handler has answered lends its slot to the job that the step answering it pushes
      // (its instance's next job, or one of them): that job starts at once instead of waiting in the
      // table for a poll, which would cost a transaction of its own. One loan per answer, only to its
      // own step, so a slot follows one instance until it waits or ends, and slots that come free go
      // to polls and other pushes as before. The handlers running at once stay within the limit; as
      // with the SDK's workers, a job counts until its answer is through.
      reserve: (lender) => {
        if (!this.running) return false;
        if (lender && this.lendable.delete(lender)) {
          this.reserved++;
          return true;
        }
        if (this.inFlight + this.reserved >= this.concurrency) return false;
        this.reserved++;
        return true;
      },
      release: () => { this.reserved--; this.wakeIdle(); },
      push: (job) => {
        this.reserved--;
        this.launch(l.reg, job);
      },
    }));
  }

  private launch(reg: WorkerRegistration, job: ActivatedJob): void {
    this.inFlight++;
    const p = this.handle(reg, job).finally(() => {
      this.inFlight--;
      this.tasks.delete(p);
      const w = this.idle.values().next().value;
      w?.();
    });
    this.tasks.add(p);
  }

  /** Stops polling and waits for the handlers that are running. */
  async stop(): Promise<void> {
    this.running = false;
    this.engine.events.off('jobs', this.onJobs);
    for (const close of this.closers.splice(0)) close();
    for (const l of this.loops) this.wakeLoop(l);
    for (const w of [...this.idle]) w();
    await Promise.allSettled([...this.tasks]);
  }

  private get concurrency(): number {
    return this.opts.concurrency ?? 8;
  }

  private wakeLoop(l: Loop): void {
    l.woken = true;
    const w = l.wake;
    l.wake = null;
    w?.();
  }

  private sleep(l: Loop, ms: number): Promise<void> {
    if (l.woken) { l.woken = false; return Promise.resolve(); }
    return new Promise((resolve) => {
      const t = setTimeout(() => { l.wake = null; resolve(); }, ms);
      l.wake = () => { clearTimeout(t); l.woken = false; resolve(); };
    });
  }

  /** Lets every loop waiting for a slot look again (each re-checks the count itself). */
  private wakeIdle(): void {
    for (const w of [...this.idle]) w();
  }

  private waitForSlot(): Promise<void> {
    if (this.inFlight + this.reserved < this.concurrency) return Promise.resolve();
    return new Promise((resolve) => {
      const w = () => { this.idle.delete(w); resolve(); };
      this.idle.add(w);
    });
  }

  private async runLoop(l: Loop): Promise<void> {
    const pollMs = this.opts.pollIntervalMs ?? 1000;
    while (this.running) {
      await this.waitForSlot();
      if (!this.running) break;
      const free = this.concurrency - this.inFlight - this.reserved;
      if (free <= 0) continue;
      l.woken = false;
      let jobs: ActivatedJob[] = [];
      // The slots are held while the activation runs: jobs pushed by the stream meanwhile must not
      // take them, or the handlers started afterwards would exceed the concurrency limit.
      const want = Math.min(free, l.reg.maxJobsToActivate ?? 32);
      this.reserved += want;
      try {
        jobs = await this.engine.activateJobs({
          type: l.reg.taskType, worker: this.opts.workerName ?? 'embedded', maxJobs: want,
          timeoutMs: l.reg.timeoutMs, fetchVariables: l.reg.fetchVariables,
        });
      } catch (e) {
        this.opts.logger?.error({ err: e, type: l.reg.taskType }, 'job activation failed');
      } finally {
        this.reserved -= want;
        this.wakeIdle();
      }
      for (const j of jobs) this.launch(l.reg, j);
      if (!jobs.length) await this.sleep(l, pollMs);
    }
  }

  private async handle(reg: WorkerRegistration, activated: ActivatedJob): Promise<void> {
    let acknowledged = false;
    const ack = async (fn: () => Promise<void>): Promise<JobActionAcknowledgement> => {
      acknowledged = true;
      this.lendable.add(activated);
      try {
        await fn();
      } finally {
        this.lendable.delete(activated);
      }
      return JOB_ACTION_ACKNOWLEDGEMENT;
    };
    const engine = this.engine;
    const job: Job = {
      ...activated,
      complete: (variables?: JobVariables, write?: TransactionalWrite) => ack(() => engine.completeJob(activated.key, variables ?? {}, { write, job: activated })),
      fail: ((a: JobFailure | string, retries?: number) => {
        const f: JobFailure = typeof a === 'string' ? { errorMessage: a, retries } : a;
        return ack(() => engine.failJob(activated.key, { errorMessage: f.errorMessage, retries: f.retries ?? Math.max(0, activated.retries - 1), retryBackOff: f.retryBackOff }));
      }) as Job['fail'],
      error: ((a: JobError | string, message?: string) => {
        const e: JobError = typeof a === 'string' ? { errorCode: a, errorMessage: message } : a;
        return ack(() => engine.throwError(activated.key, { errorCode: e.errorCode, errorMessage: e.errorMessage, variables: e.variables }, { write: e.write, job: activated }));
      }) as Job['error'],
    };
    try {
      const result = await reg.handler(job);
      if (result !== JOB_ACTION_ACKNOWLEDGEMENT || !acknowledged) {
        this.opts.logger?.warn({ type: reg.taskType, job: activated.key }, 'handler returned without completing, failing or erroring the job');
        await engine.failJob(activated.key, { errorMessage: 'The handler returned without an acknowledgement.', retries: Math.max(0, activated.retries - 1) });
      }
    } catch (e) {
      // A job that is gone (completed elsewhere, element cancelled) needs no answer; any other
      // error, including a 404 of the handler's own lookups, fails the job so its retries count down.
      if (isRejection(e, 'NOT_FOUND') && e.code === 'JOB_NOT_FOUND') return;
      const message = e instanceof Error ? e.message : String(e);
      this.opts.logger?.warn({ err: e, type: reg.taskType, job: activated.key }, 'handler failed');
      if (acknowledged && (isRejection(e) || isAppError(e))) return;
      try {
        await engine.failJob(activated.key, { errorMessage: message, retries: Math.max(0, activated.retries - 1) });
      } catch (e2) {
        if (!isRejection(e2)) this.opts.logger?.error({ err: e2, job: activated.key }, 'failing the job failed');
      }
    }
  }
}
