/**
 * Prometheus metrics of the service's core (prom-client), for GET /metrics (src/http/metrics.ts):
 * - the embedded engine's command latency, timed from outside by wrapping the engine object (each
 *   command is one step of the engine: one transaction that commits its writes);
 * - jobs activated, completed, failed and ended with a BPMN error, by job type, counted by wrapping
 *   the worker registrations (the same wrappers run on the embedded engine and on Zeebe);
 * - the Node process's default metrics (CPU, memory, event loop lag, GC).
 *
 * One registry per process: the core and its workers are built once per process, apart from the HTTP
 * app. Labels are command names, job types, methods, route patterns and states: never ids, never
 * personal data. Everything is wired only when the METRICS setting is on.
 */
import client from 'prom-client';
import type { Job, JobActionAcknowledgement, JobVariables, WorkerRegistration } from '../workers/contract';

export const coreRegistry = new client.Registry();

// Steps are milliseconds on SQLite and tens of milliseconds on a busy MariaDB; timer ticks may take seconds.
const STEP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const engineSteps = new client.Histogram({
  name: 'lsi_engine_step_duration_seconds',
  help: 'Latency of the embedded engine\'s commands (each one step committed in one transaction), by command and outcome (ok or error).',
  labelNames: ['command', 'outcome'] as const,
  buckets: STEP_BUCKETS,
  registers: [coreRegistry],
});

const jobsActivated = new client.Counter({
  name: 'lsi_jobs_activated_total',
  help: 'Jobs handed to a worker of this process, by job type.',
  labelNames: ['type'] as const,
  registers: [coreRegistry],
});
const jobsCompleted = new client.Counter({
  name: 'lsi_jobs_completed_total',
  help: 'Jobs a worker of this process completed, by job type.',
  labelNames: ['type'] as const,
  registers: [coreRegistry],
});
const jobsFailed = new client.Counter({
  name: 'lsi_jobs_failed_total',
  help: 'Jobs a worker of this process failed (retried later, or an incident when out of retries), by job type.',
  labelNames: ['type'] as const,
  registers: [coreRegistry],
});
const jobsErrored = new client.Counter({
  name: 'lsi_jobs_bpmn_errors_total',
  help: 'Jobs a worker of this process ended with a BPMN error (a business outcome the diagram catches), by job type.',
  labelNames: ['type'] as const,
  registers: [coreRegistry],
});

let processMetrics = false;

/** The Node process's default metrics, registered once per process. */
export function collectProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  client.collectDefaultMetrics({ register: coreRegistry });
}

/**
 * The engine with the named commands timed. Only calls from outside are timed: a command the engine
 * calls on itself runs on the engine object, not on this wrapper, so a step is counted once. Naming
 * the commands by the engine's type makes a renamed command a compile error, not a silent gap.
 */
export function instrumentEngine<T extends object>(engine: T, commands: readonly (keyof T & string)[]): T {
  const timed = new Set<PropertyKey>(commands);
  const wrappers = new Map<PropertyKey, unknown>();
  return new Proxy(engine, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (!timed.has(prop) || typeof value !== 'function') return value;
      let wrapper = wrappers.get(prop);
      if (!wrapper) {
        const command = String(prop);
        wrapper = (...args: unknown[]) => {
          const end = engineSteps.startTimer({ command });
          let result: unknown;
          try {
            result = (value as (...a: unknown[]) => unknown).apply(target, args);
          } catch (e) {
            end({ outcome: 'error' });
            throw e;
          }
          if (result instanceof Promise) {
            return result.then(
              (v) => { end({ outcome: 'ok' }); return v; },
              (e: unknown) => { end({ outcome: 'error' }); throw e; },
            );
          }
          end({ outcome: 'ok' });
          return result;
        };
        wrappers.set(prop, wrapper);
      }
      return wrapper;
    },
  });
}

type Outcome = 'completed' | 'failed' | 'errored';

/**
 * The registration with its jobs counted. A job counts by the acknowledgement that went through; a
 * handler that threw or returned without one is failed by the worker runtime, and counts as failed.
 */
export function countJobs<V extends JobVariables, H extends Record<string, string>>(reg: WorkerRegistration<V, H>): WorkerRegistration<V, H> {
  const type = reg.taskType;
  return {
    ...reg,
    handler: async (job: Job<V, H>) => {
      jobsActivated.inc({ type });
      const seen: { outcome: Outcome | null } = { outcome: null };
      const counting = (kind: Outcome, ack: (...a: never[]) => Promise<JobActionAcknowledgement>) =>
        (...args: unknown[]) => (ack as (...a: unknown[]) => Promise<JobActionAcknowledgement>).apply(job, args).then((r) => { seen.outcome = kind; return r; });
      const counted = Object.assign(Object.create(job) as Job<V, H>, {
        complete: counting('completed', job.complete),
        fail: counting('failed', job.fail),
        error: counting('errored', job.error),
      });
      try {
        return await reg.handler(counted);
      } finally {
        const counter = seen.outcome === 'completed' ? jobsCompleted : seen.outcome === 'errored' ? jobsErrored : jobsFailed;
        counter.inc({ type });
      }
    },
  };
}
