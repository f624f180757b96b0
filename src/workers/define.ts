/**
 * How a worker is declared: its job type, an input schema (whose keys are the variables fetched), an
 * output schema (checked before completing, so a worker cannot hand the diagram a variable of the
 * wrong shape) and a handler that ends in an acknowledgement.
 *
 * Anything the handler throws before acknowledging becomes `job.fail`: bad data (a BadData, or data
 * the service's commands refuse) at once as an incident, since retrying cannot fix it; anything else
 * with retries, then an incident (failure.ts words both in Chinese). A crash is never a business outcome. Every job of a case also records its process instance on the
 * case (the called lifecycles), in the step's transaction.
 */
import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { Actor, systemActor } from '../audit/audit';
import { recordCaseProcess } from '../cases/store';
import type { Clock } from '../clock/clock';
import type { Job, JobActionAcknowledgement, JobVariables, TransactionalWrite, WorkerRegistration } from './contract';
import { failureMessage, isBadData, stepLabel, variablesProblem } from './failure';

export interface WorkerSpec<I extends z.ZodObject, O extends z.ZodType, H extends Record<string, string>> {
  taskType: string;
  clock: Clock;
  input: I;
  output: O;
  timeoutMs?: number;
  handler: (job: Job<z.output<I> & JobVariables, H>, input: z.output<I>) => Promise<JobActionAcknowledgement>;
}

export function workerActor(taskType: string): Actor {
  return systemActor(`worker:${taskType}`);
}

export function defineWorker<I extends z.ZodObject, O extends z.ZodType, H extends Record<string, string> = Record<string, string>>(
  spec: WorkerSpec<I, O, H>,
): WorkerRegistration<z.output<I> & JobVariables, H> {
  return {
    taskType: spec.taskType,
    timeoutMs: spec.timeoutMs ?? 30_000,
    fetchVariables: Object.keys(spec.input.shape),
    handler: async (job) => {
      const parsed = spec.input.safeParse(job.variables);
      if (!parsed.success) {
        const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '办理数据'))];
        return job.fail({ errorMessage: variablesProblem(spec.taskType, fields), retries: 0 });
      }
      const input = parsed.data;
      const caseId = typeof (input as { caseId?: unknown }).caseId === 'string' ? (input as { caseId: string }).caseId : null;
      let acknowledged = false;
      const withCase = (write?: TransactionalWrite): TransactionalWrite | undefined => {
        if (!caseId) return write;
        return async (em: EntityManager) => {
          if (write) await write(em);
          const known: unknown[] = await em.query('SELECT 1 AS x FROM cases WHERE id = ?', [caseId]);
          if (known.length) await recordCaseProcess(em, caseId, job.processInstanceKey, job.bpmnProcessId, 'called', spec.clock.now().getTime());
        };
      };
      const guarded: typeof job = Object.assign(Object.create(job) as typeof job, {
        complete: (variables?: JobVariables, write?: TransactionalWrite) => {
          acknowledged = true;
          const out = spec.output.safeParse(variables ?? {});
          if (!out.success) {
            const fields = [...new Set(out.error.issues.map((i) => i.path.join('.') || '结果'))];
            return job.fail({ errorMessage: `“${stepLabel(spec.taskType)}”步骤的结果不符合约定（${fields.join('、')}），请联系系统管理员`, retries: 0 });
          }
          return job.complete(variables, withCase(write));
        },
        error: ((a: Parameters<typeof job.error>[0], message?: string) => {
          acknowledged = true;
          return typeof a === 'string' ? job.error(a, message) : job.error(a);
        }) as typeof job.error,
        fail: ((a: Parameters<typeof job.fail>[0], retries?: number) => {
          acknowledged = true;
          return typeof a === 'string' ? job.fail(a, retries) : job.fail(a);
        }) as typeof job.fail,
      });
      try {
        return await spec.handler(guarded, input);
      } catch (e) {
        if (acknowledged) throw e;
        return job.fail({ errorMessage: failureMessage(spec.taskType, e), retries: isBadData(e) ? 0 : Math.max(0, job.retries - 1) });
      }
    },
  };
}

/** Variables are optional unless the contract requires them; null counts as absent. */
export const opt = <T extends z.ZodType>(t: T) => t.nullish();
