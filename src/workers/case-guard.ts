/**
 * A job acts on the case of its process instance and on no other. The `caseId` variable is written by
 * the service (case.register) and cannot be set by a user (src/workers/system-variables.ts), but a
 * job must still not act on a case its instance does not belong to: when the instance is already
 * recorded on a case and `caseId` names another, the job fails with an incident someone sees, instead
 * of issuing documents or changing the status of the other case.
 */
import type { DataSource } from 'typeorm';
import type { WorkerRegistration } from './contract';
import { stepLabel } from './failure';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any registration
export function guardCase<R extends WorkerRegistration<any, any>>(ds: DataSource, registration: R): R {
  const handler: R['handler'] = async (job) => {
    const caseId = (job.variables as { caseId?: unknown }).caseId;
    if (typeof caseId === 'string') {
      const rows = (await ds.query('SELECT case_id FROM case_processes WHERE process_instance_key = ?', [job.processInstanceKey])) as { case_id: string }[];
      if (rows.length && !rows.some((r) => String(r.case_id) === caseId)) {
        return job.fail({ errorMessage: `此流程不属于办理数据中所指的案件，“${stepLabel(job.type)}”步骤已停止，以免改动其他案件；请联系系统管理员`, retries: 0 });
      }
    }
    return registration.handler(job);
  };
  return { ...registration, handler };
}
