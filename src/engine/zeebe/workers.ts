/**
 * Runs the product's job workers (src/workers/) on Zeebe with @camunda8/sdk `createWorker`: one
 * worker per job type, with the registration's lease, fetched variables and batch size. Retries,
 * back-off and BPMN errors go to Zeebe as the handler asks; a handler that throws or returns without
 * an acknowledgement fails the job with one retry fewer, as on the embedded engine.
 *
 * At-least-once boundary: on the embedded engine a handler's `write` commits together with the step.
 * Here it commits first, in its own transaction (with the element event of the mirror), and the
 * completion is sent afterwards. A crash or a lost connection between the two leaves the write
 * committed and the job unacknowledged: Zeebe hands the job out again when its lease ends and the
 * handler runs a second time. Workers are idempotent for this reason (workflows/README.md), and the
 * mirror's rows are keyed so the repeat is stored once.
 */
import type { Camunda8 } from '@camunda8/sdk';
import type { DataSource } from 'typeorm';
import type { Clock } from '../../clock/clock';
import { inTransaction } from '../../db/data-source';
import {
  JOB_ACTION_ACKNOWLEDGEMENT, type Job, type JobActionAcknowledgement, type JobError, type JobFailure, type JobVariables, type TransactionalWrite,
  type WorkerRegistration,
} from '../../workers/contract';
import type { JobWorkers } from '../port';
import { recordElementEvent, recordIncident, recordInstance } from './mirror';

export type ZeebeGrpcClient = ReturnType<Camunda8['getZeebeGrpcApiClient']>;
type ZeebeWorker = ReturnType<ZeebeGrpcClient['createWorker']>;
type ZeebeJob = Parameters<Parameters<ZeebeGrpcClient['createWorker']>[0]['taskHandler']>[0];

export interface ZeebeWorkersOptions {
  ds: DataSource;
  clock: Clock;
  logger: { warn(obj: unknown, msg?: string): void; error(obj: unknown, msg?: string): void };
  /** Jobs one worker holds at a time; the SDK's default is 32. */
  maxJobsToActivate?: number;
}

/**
 * Back-off of a failure that names none (a crash: defineWorker fails the job without one). Zeebe would
 * retry at once; here the job that starts a case can reach a worker before the transaction that
 * registered the case commits (MySQL, READ COMMITTED), and an immediate retry would spend its retries
 * on a row that becomes visible a moment later.
 */
export const DEFAULT_RETRY_BACKOFF_MS = 1000;

/** Zeebe sends the definition key with every job; the SDK's job type leaves it out. */
const definitionKeyOf = (z: ZeebeJob): string => String((z as unknown as { processDefinitionKey?: unknown }).processDefinitionKey ?? '');

export class ZeebeWorkers implements JobWorkers {
  private readonly running: ZeebeWorker[] = [];

  constructor(private readonly zbc: ZeebeGrpcClient, private readonly registrations: WorkerRegistration[], private readonly opts: ZeebeWorkersOptions) {}

  start(): void {
    if (this.running.length) return;
    for (const reg of this.registrations) {
      this.running.push(this.zbc.createWorker({
        taskType: reg.taskType,
        timeout: reg.timeoutMs,
        fetchVariable: reg.fetchVariables as never,
        maxJobsToActivate: reg.maxJobsToActivate ?? this.opts.maxJobsToActivate ?? 8,
        taskHandler: (job) => this.handle(reg, job) as unknown as Promise<'JOB_ACTION_ACKNOWLEDGEMENT'>,
      }));
    }
  }

  async stop(): Promise<void> {
    const workers = this.running.splice(0);
    await Promise.allSettled(workers.map((w) => w.close()));
  }

  private now(): number {
    return this.opts.clock.now().getTime();
  }

  /** The element the job belongs to, for the mirror. */
  private element(z: ZeebeJob) {
    return { processInstanceKey: String(z.processInstanceKey), elementInstanceKey: String(z.elementInstanceKey), elementId: z.elementId, kind: 'serviceTask' as const, jobKey: String(z.key) };
  }

  private async handle(reg: WorkerRegistration, z: ZeebeJob): Promise<JobActionAcknowledgement> {
    const { ds, logger } = this.opts;
    const el = this.element(z);
    try {
      await inTransaction(ds, async (em) => {
        await recordInstance(em, {
          processInstanceKey: el.processInstanceKey, bpmnProcessId: z.bpmnProcessId, version: Number(z.processDefinitionVersion), definitionKey: definitionKeyOf(z),
        }, this.now());
        await recordElementEvent(em, { ...el, event: 'activated' }, this.now());
      });
    } catch (e) {
      // The mirror is a view; the job still runs without its row.
      logger.warn({ err: e, job: el.jobKey }, 'recording the job in the mirror failed');
    }
    let acknowledged = false;
    const retriesAfterFailure = Math.max(0, Number(z.retries) - 1);

    const fail = async (f: JobFailure): Promise<JobActionAcknowledgement> => {
      acknowledged = true;
      const retries = f.retries ?? retriesAfterFailure;
      await z.fail({ errorMessage: f.errorMessage, retries, retryBackOff: f.retryBackOff ?? (retries > 0 ? DEFAULT_RETRY_BACKOFF_MS : 0) });
      await inTransaction(ds, async (em) => {
        await recordElementEvent(em, { ...el, event: 'failed', qualifier: `${el.jobKey}:${retries}`, detail: { errorMessage: f.errorMessage, retries } }, this.now());
        if (retries <= 0) {
          await recordIncident(em, { ...el, bpmnProcessId: z.bpmnProcessId, errorMessage: f.errorMessage }, this.now());
          await recordElementEvent(em, { ...el, event: 'incident', qualifier: el.jobKey, detail: { errorMessage: f.errorMessage } }, this.now());
        }
      }).catch((e: unknown) => logger.warn({ err: e, job: el.jobKey }, 'recording the failure in the mirror failed'));
      return JOB_ACTION_ACKNOWLEDGEMENT;
    };

    const job: Job = {
      key: String(z.key), type: z.type, processInstanceKey: el.processInstanceKey, bpmnProcessId: z.bpmnProcessId,
      processDefinitionVersion: Number(z.processDefinitionVersion), processDefinitionKey: definitionKeyOf(z),
      elementId: z.elementId, elementInstanceKey: el.elementInstanceKey, customHeaders: (z.customHeaders ?? {}) as Record<string, string>,
      worker: z.worker, retries: Number(z.retries), deadline: Number(z.deadline), variables: (z.variables ?? {}) as JobVariables,
      complete: async (variables?: JobVariables, write?: TransactionalWrite) => {
        // The write commits before Zeebe hears of the completion: see the at-least-once boundary above.
        // A write that fails is a crash of the handler: the job fails and its retries count down.
        await inTransaction(ds, async (em) => {
          if (write) await write(em);
          await recordElementEvent(em, { ...el, event: 'completed' }, this.now());
        });
        acknowledged = true;
        await z.complete(variables ?? {});
        return JOB_ACTION_ACKNOWLEDGEMENT;
      },
      fail: ((a: JobFailure | string, retries?: number) => fail(typeof a === 'string' ? { errorMessage: a, retries } : a)) as Job['fail'],
      error: (async (a: JobError | string, message?: string) => {
        const e: JobError = typeof a === 'string' ? { errorCode: a, errorMessage: message } : a;
        await inTransaction(ds, async (em) => {
          if (e.write) await e.write(em);
          await recordElementEvent(em, { ...el, event: 'error-thrown', detail: { errorCode: e.errorCode } }, this.now());
        });
        acknowledged = true;
        await z.error({ errorCode: e.errorCode, errorMessage: e.errorMessage ?? '', variables: (e.variables ?? {}) as never });
        return JOB_ACTION_ACKNOWLEDGEMENT;
      }) as Job['error'],
    };

    try {
      const result = await reg.handler(job);
      if (result !== JOB_ACTION_ACKNOWLEDGEMENT || !acknowledged) {
        logger.warn({ type: reg.taskType, job: el.jobKey }, 'handler returned without completing, failing or erroring the job');
        return await fail({ errorMessage: 'The handler returned without an acknowledgement.', retries: retriesAfterFailure });
      }
      return result;
    } catch (e) {
      logger.warn({ err: e, type: reg.taskType, job: el.jobKey }, 'handler failed');
      // After an acknowledgement was attempted, Zeebe has the job's answer or hands the job out again.
      if (acknowledged) return JOB_ACTION_ACKNOWLEDGEMENT;
      return fail({ errorMessage: e instanceof Error ? e.message : String(e), retries: retriesAfterFailure });
    }
  }
}
