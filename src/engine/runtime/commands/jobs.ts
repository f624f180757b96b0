/**
 * Job commands of the embedded engine: activation by polling workers, and the answers to a job
 * (complete, fail, throw a BPMN error) and changes to it (retries, lease). Every answer locks the job's
 * instance tree first (lockedJob) and runs as one step.
 */
import type { EntityManager } from 'typeorm';
import type { Vars } from '../../port-types';
import { reject } from '../../rejection';
import { checkVariables, notFound, num, parseKey } from '../checks';
import type { EngineContext } from '../context';
import { ActivatedJob, EiRow, PiRow, Step, VarRow, jobContexts } from '../step';
import { emIsMysql, exec, later, select, selectAll, serialTransaction } from '../tx';

interface JobRow {
  id: number | string; type: string; state: string; root_id: number | string; process_instance_id: number | string; element_instance_id: number | string;
  element_id: string; bpmn_process_id: string; definition_key: string; version: number | string; retries: number | string;
  available_at: number | string | null; deadline: number | string | null; worker: string | null; custom_headers: string | null;
}
/** The element instance (e_), its scope (s_) and process instance (p_) read with a job; all NULL when missing. */
type JobContextRow = { [K in keyof EiRow as `e_${K}` | `s_${K}`]: EiRow[K] | null } & { [K in keyof PiRow as `p_${K}`]: PiRow[K] | null };

export async function activateJobs(ctx: EngineContext, req: { type: string; worker: string; maxJobs: number; timeoutMs: number; fetchVariables?: string[] }): Promise<ActivatedJob[]> {
  if (!req.type) throw reject.invalidArgument('INVALID_JOB_TYPE', 'A job type is required.');
  if (!(req.maxJobs > 0)) return [];
  if (!(req.timeoutMs > 0)) throw reject.invalidArgument('INVALID_TIMEOUT', 'timeoutMs must be positive.');
  return serialTransaction(ctx.ds, async (em) => {
    const now = ctx.clock.now().getTime();
    const deadline = now + req.timeoutMs;
    const lock = emIsMysql(em) ? ' FOR UPDATE SKIP LOCKED' : '';
    const rows = await select<JobRow>(em,
      `SELECT * FROM engine_jobs WHERE type = ? AND available_at <= ? ORDER BY available_at, id LIMIT ${Math.min(Math.floor(req.maxJobs), 1000)}${lock}`,
      [req.type, now]);
    if (!rows.length) return [];
    await exec(em, `UPDATE engine_jobs SET state = 'activated', worker = ?, deadline = ?, available_at = ? WHERE id IN (${rows.map(() => '?').join(', ')})`,
      [req.worker, deadline, deadline, ...rows.map((r) => r.id)]);
    const step = new Step(ctx.host, em, now);
    await step.preload(rows.flatMap((r) => [num(r.element_instance_id), num(r.process_instance_id)]));
    const out: ActivatedJob[] = [];
    for (const r of rows) {
      const ei = await step.ei(num(r.element_instance_id));
      let variables = ei ? await step.context(ei) : {};
      if (req.fetchVariables) variables = Object.fromEntries(req.fetchVariables.filter((k) => k in variables).map((k) => [k, variables[k]]));
      const job: ActivatedJob = {
        key: String(r.id), type: r.type, processInstanceKey: String(r.process_instance_id), bpmnProcessId: r.bpmn_process_id,
        processDefinitionVersion: num(r.version), processDefinitionKey: r.definition_key, elementId: r.element_id,
        elementInstanceKey: String(r.element_instance_id), customHeaders: r.custom_headers ? JSON.parse(r.custom_headers) : {},
        worker: req.worker, retries: num(r.retries), deadline, variables,
      };
      // A root instance's row is all in the job's (a called instance's parent is not): its answer
      // can then skip the join, as for a pushed job (Step.noteJobContext).
      if (ei && num(r.process_instance_id) === num(r.root_id)) {
        await step.noteJobContext(job, ei, {
          id: num(r.process_instance_id), definitionKey: r.definition_key, bpmnProcessId: r.bpmn_process_id, version: num(r.version),
          parentEiId: null, rootId: num(r.root_id), state: 'active',
        });
      }
      out.push(job);
    }
    return out;
  });
}

/**
 * Locks the job's instance tree and answers the job as it is now. On MySQL the same statement reads
 * the job's element instance, its scope and its process instance into the step's caches: one round
 * trip where a step used to need four (job, instance lock, element instances, process instance).
 */
async function lockedJob(step: Step, key: string, activated?: ActivatedJob): Promise<JobRow> {
  const id = parseKey(key, 'JOB_NOT_FOUND', 'job');
  const gone = () => notFound('JOB_NOT_FOUND', `No job ${key}; it was completed, or its element was cancelled.`);
  const known = activated && activated.key === key ? jobContexts.get(activated) : undefined;
  if (known && emIsMysql(step.em)) {
    // The job was handed out by this engine, which kept what it knew of the job's element instance,
    // scope and process instance (JobContext): the lock reads only the job and the instance's row,
    // and the variables of the two scopes, a cheaper statement for the server than the join below.
    const [rows, varRows] = await selectAll(step.em, [{
      sql: 'SELECT j.* FROM engine_jobs j LEFT JOIN engine_process_instances r ON r.id = j.root_id WHERE j.id = ? FOR UPDATE',
      params: [id],
    }, {
      sql: 'SELECT scope_id, name, value FROM engine_variables WHERE scope_id IN (?, ?)',
      params: [known.ei.id, known.scope?.id ?? known.ei.id],
    }]);
    const row = (rows as JobRow[])[0];
    if (!row) throw gone();
    if (num(row.element_instance_id) === known.ei.id) {
      step.seedContext(known);
      step.seed({ vars: { scopes: [known.ei.id, ...(known.scope ? [known.scope.id] : [])], rows: varRows as VarRow[] } });
      return row;
    }
  }
  if (!emIsMysql(step.em)) {
    // SQLite serialises writers and the in-process mutex orders steps; its statements cost no round
    // trip, so the plain read is cheaper than the join.
    const [job] = await select<JobRow>(step.em, 'SELECT * FROM engine_jobs WHERE id = ?', [id]);
    if (!job) throw gone();
    return job;
  }
  // The job's row lock comes first (the outer joins read it first), then the instance's: a competing
  // step that terminates the element waits on the job row or deadlocks and is retried; either way the
  // job is read as it is now. The element instances and process instance locked along with it are
  // only ever written under the instance's lock, so they add no new wait. The variables of the job's
  // element and of its scope come in the same round trip, read after the locks are held.
  const [rows, varRows] = await selectAll(step.em, [{
    sql: `SELECT j.*,
       e.id AS e_id, e.process_instance_id AS e_process_instance_id, e.element_id AS e_element_id, e.scope_id AS e_scope_id, e.kind AS e_kind, e.state AS e_state,
       s.id AS s_id, s.process_instance_id AS s_process_instance_id, s.element_id AS s_element_id, s.scope_id AS s_scope_id, s.kind AS s_kind, s.state AS s_state,
       p.id AS p_id, p.definition_key AS p_definition_key, p.bpmn_process_id AS p_bpmn_process_id, p.version AS p_version,
       p.parent_element_instance_id AS p_parent_element_instance_id, p.root_id AS p_root_id, p.state AS p_state
     FROM engine_jobs j
     LEFT JOIN engine_process_instances r ON r.id = j.root_id
     LEFT JOIN engine_element_instances e ON e.id = j.element_instance_id
     LEFT JOIN engine_element_instances s ON s.id = e.scope_id
     LEFT JOIN engine_process_instances p ON p.id = j.process_instance_id
     WHERE j.id = ? FOR UPDATE`,
    params: [id],
  }, {
    sql: `SELECT v.scope_id, v.name, v.value FROM engine_jobs j JOIN engine_element_instances e ON e.id = j.element_instance_id
      JOIN engine_variables v ON v.scope_id IN (e.id, e.scope_id) WHERE j.id = ?`,
    params: [id],
  }]);
  const row = (rows as Array<JobRow & JobContextRow>)[0];
  if (!row) throw gone();
  const prefixed = <T>(prefix: string): T | null => {
    if (row[`${prefix}id` as keyof JobContextRow] === null) return null;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
    return out as T;
  };
  const scopes = [row.e_id, row.s_id].filter((x) => x !== null).map(num);
  step.seed({ eis: [prefixed<EiRow>('e_'), prefixed<EiRow>('s_')], pis: [prefixed<PiRow>('p_')], vars: { scopes, rows: varRows as VarRow[] } });
  return row;
}

/**
 * Completes a job and runs the process on until it waits. `write` runs first in the same transaction
 * (a worker's own changes); with `em`, everything runs in the caller's transaction.
 */
export async function completeJob(ctx: EngineContext, key: string, variables?: Vars, opts: { em?: EntityManager; write?: (em: EntityManager) => Promise<void>; job?: ActivatedJob } = {}): Promise<void> {
  const vars = checkVariables(variables);
  await ctx.step(opts.em, async (step) => {
    step.lender = opts.job;
    const job = await lockedJob(step, key, opts.job);
    if (job.state === 'failed') throw reject.invalidState('JOB_NOT_ACTIVATABLE', `Job ${key} has an open incident; resolve it first.`);
    if (opts.write) await opts.write(step.em);
    await later(step.em, 'DELETE FROM engine_jobs WHERE id = ?', [job.id]);
    await step.preload([num(job.element_instance_id), num(job.process_instance_id)]);
    const ei = await step.mustEi(num(job.element_instance_id));
    const pi = await step.mustPi(ei.piId);
    await step.complete(pi, ei, await step.element(pi, ei.elementId), vars);
  });
}

export async function failJob(ctx: EngineContext, key: string, req: { errorMessage?: string; retries: number; retryBackOff?: number }, em?: EntityManager): Promise<void> {
  if (!Number.isInteger(req.retries) || req.retries < 0) throw reject.invalidArgument('INVALID_RETRIES', 'retries must be a whole number, 0 or more.');
  await ctx.step(em, async (step) => {
    const job = await lockedJob(step, key);
    if (job.state === 'failed') throw reject.invalidState('JOB_NOT_ACTIVATABLE', `Job ${key} already has an open incident.`);
    if (req.retries > 0) {
      await later(step.em, "UPDATE engine_jobs SET state = 'activatable', retries = ?, available_at = ?, deadline = NULL, worker = NULL, error_message = ? WHERE id = ?",
        [req.retries, step.now + Math.max(0, req.retryBackOff ?? 0), req.errorMessage ?? null, job.id]);
      if (req.retryBackOff) step.noteTimer(step.now + req.retryBackOff);
      else step.jobTypes.add(job.type);
      return;
    }
    await later(step.em, "UPDATE engine_jobs SET state = 'failed', retries = 0, available_at = NULL, deadline = NULL, error_message = ? WHERE id = ?",
      [req.errorMessage ?? null, job.id]);
    const ei = await step.mustEi(num(job.element_instance_id));
    const pi = await step.mustPi(ei.piId);
    await step.raiseIncident(pi, ei, 'JOB_NO_RETRIES', req.errorMessage || 'No more retries left.', 'job', num(job.id));
  });
}

/** A BPMN error from a job: caught by the nearest matching boundary error event, else an incident. */
export async function throwError(ctx: EngineContext, key: string, req: { errorCode: string; errorMessage?: string; variables?: Vars }, opts: { em?: EntityManager; write?: (em: EntityManager) => Promise<void>; job?: ActivatedJob } = {}): Promise<void> {
  if (!req.errorCode) throw reject.invalidArgument('INVALID_ERROR_CODE', 'An error code is required.');
  const vars = checkVariables(req.variables);
  await ctx.step(opts.em, async (step) => {
    step.lender = opts.job;
    const job = await lockedJob(step, key, opts.job);
    if (job.state === 'failed') throw reject.invalidState('JOB_NOT_ACTIVATABLE', `Job ${key} has an open incident; resolve it first.`);
    if (opts.write) await opts.write(step.em);
    const ei = await step.mustEi(num(job.element_instance_id));
    await later(step.em, 'DELETE FROM engine_jobs WHERE id = ?', [job.id]);
    if (await step.throwError(ei, req.errorCode, vars)) return;
    // Uncaught: the job stays, held by an incident, as in Zeebe.
    await later(step.em,
      `INSERT INTO engine_jobs (id, type, state, root_id, process_instance_id, element_instance_id, element_id, bpmn_process_id, definition_key, version,
        retries, available_at, custom_headers, error_message, created_at) VALUES (?, ?, 'failed', ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)`,
      [job.id, job.type, job.root_id, job.process_instance_id, job.element_instance_id, job.element_id, job.bpmn_process_id, job.definition_key,
        job.version, job.retries, job.custom_headers, req.errorMessage ?? null, step.now]);
    const pi = await step.mustPi(ei.piId);
    await step.raiseIncident(pi, ei, 'UNHANDLED_ERROR_EVENT',
      `Expected to throw an error event with the code '${req.errorCode}'${req.errorMessage ? ` with message '${req.errorMessage}'` : ''}, but it was not caught.`,
      'job', num(job.id));
  });
}

export async function updateJobRetries(ctx: EngineContext, key: string, retries: number): Promise<void> {
  if (!Number.isInteger(retries) || retries < 1) throw reject.invalidArgument('INVALID_RETRIES', 'retries must be a whole number, 1 or more.');
  await ctx.step(undefined, async (step) => {
    const job = await lockedJob(step, key);
    await later(step.em, 'UPDATE engine_jobs SET retries = ? WHERE id = ?', [retries, job.id]);
  });
}

/**
 * Sets an activated job's lease to end `timeoutMs` from now, longer or shorter (Zeebe's
 * UpdateJobTimeout); a job that is not activated has no lease to change.
 */
export async function updateJobTimeout(ctx: EngineContext, key: string, timeoutMs: number): Promise<void> {
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1) throw reject.invalidArgument('INVALID_TIMEOUT', 'timeout must be a whole number of milliseconds, 1 or more.');
  await ctx.step(undefined, async (step) => {
    const job = await lockedJob(step, key);
    if (job.state !== 'activated') throw reject.invalidState('JOB_NOT_ACTIVATED', `Job ${key} is not activated, so it has no lease to change.`);
    const deadline = step.now + timeoutMs;
    await later(step.em, 'UPDATE engine_jobs SET deadline = ?, available_at = ? WHERE id = ?', [deadline, deadline, job.id]);
    // A shorter lease may end before the next timed poll; the timer wake-up hands the job out again.
    step.noteTimer(deadline);
  });
}
