/**
 * Zeebe mode (ENGINE=zeebe): the WorkflowEngine port, the job workers and the user task sync on a
 * Camunda 8.8 cluster, built from our settings.
 */
import { Camunda8 } from '@camunda8/sdk';
import type { DataSource } from 'typeorm';
import type { Clock } from '../../clock/clock';
import type { WorkerRegistration } from '../../workers/contract';
import type { JobWorkers } from '../port';
import { camundaConfig, type ZeebeSettings } from './config';
import { ZeebeEngine } from './engine';
import { ZeebeTasks } from './tasks';
import { ZeebeWorkers } from './workers';

export { ZeebeEngine } from './engine';
export { ZeebeTasks } from './tasks';
export { ZeebeWorkers } from './workers';
export { camundaConfig } from './config';

type Log = { info(obj: unknown, msg?: string): void; warn(obj: unknown, msg?: string): void; error(obj: unknown, msg?: string): void };

export interface ZeebeMode {
  engine: ZeebeEngine;
  /** The job workers (none when told so) and the user task sync. */
  workers: JobWorkers;
  /** For /api/health: the cluster answers its topology, with a healthy leader. */
  status(): Promise<{ kind: 'zeebe'; ok: boolean; detail?: string }>;
  /** Closes the clients, after `workers.stop()`. */
  close(): Promise<void>;
}

export function createZeebeMode(opts: {
  settings: ZeebeSettings;
  ds: DataSource;
  clock: Clock;
  logger: Log;
  registrations: WorkerRegistration[];
  /** Short long-polls and poll intervals, for tests that stop and start often. */
  fastPolling?: boolean;
}): ZeebeMode {
  const c8 = new Camunda8(camundaConfig(opts.settings, { fastPolling: opts.fastPolling }));
  const zbc = c8.getZeebeGrpcApiClient();
  const rest = c8.getCamundaRestClient();
  const tasks = new ZeebeTasks(rest, { ds: opts.ds, clock: opts.clock, logger: opts.logger, pollMs: opts.settings.ZEEBE_TASK_POLL_MS });
  const engine = new ZeebeEngine({ ds: opts.ds, clock: opts.clock, zbc, rest, tasks, logger: opts.logger });
  const jobWorkers = new ZeebeWorkers(zbc, opts.registrations, { ds: opts.ds, clock: opts.clock, logger: opts.logger });
  return {
    engine,
    workers: {
      start() {
        jobWorkers.start();
        tasks.start();
      },
      async stop() {
        await tasks.stop();
        await jobWorkers.stop();
      },
    },
    async status() {
      try {
        const t = await Promise.race([
          zbc.topology(),
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer within 3 s')), 3000).unref()),
        ]);
        const healthy = t.brokers.some((b) => b.partitions.some((p) => String(p.role) === 'LEADER' && String(p.health) === 'HEALTHY'));
        return { kind: 'zeebe' as const, ok: healthy, ...(healthy ? {} : { detail: 'no healthy partition leader' }) };
      } catch (e) {
        return { kind: 'zeebe' as const, ok: false, detail: e instanceof Error ? e.message : String(e) };
      }
    },
    async close() {
      await zbc.close();
    },
  };
}
