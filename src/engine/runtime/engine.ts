/**
 * The embedded engine: Zeebe-compatible process execution on the service's own database. Each public
 * command that moves tokens is one step in one transaction (see step.ts); commands that accept an
 * EntityManager run inside the caller's transaction instead, so a worker's writes and the step commit
 * together. Keys are database integers exposed as strings.
 */
import { EventEmitter } from 'node:events';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../clock/clock';
import { Temporal } from '../../clock/temporal';
import { EventDefinition, ExecutableProcess } from '../model/types';
import { DefinitionInfo, DefinitionSource, DeployedDefinitions } from './definitions';
import { EngineRejection, reject } from '../rejection';
import { deployResources } from '../deploy/definitions';
import { exprString } from './expr';
import { schedule, nextOfCycle } from './timers';
import type {
  CreateInstanceRequest, CreatedInstance, DeployResource, DeploymentResult, ElementHistoryEntry, IncidentQuery, IncidentView, InstanceView, PublishMessageRequest,
  PublishedMessage, TaskQuery, UserTaskView, Vars,
} from '../port-types';
import type { WorkflowEngine } from '../port';
import { ActivatedJob, EiRow, JobStream, PiRow, Step, StepHost, SubRow, VarRow, jobContexts } from './step';
import { KeyBlocks } from './keys';
import { emIsMysql, exec, isDuplicateKey, later, select, selectAll, serialTransaction } from './tx';

export interface EngineOptions {
  /** Where deployed processes come from; the deployment tables by default. */
  definitions?: DefinitionSource;
  /** How often the timer poller looks for due timers when nothing woke it earlier. */
  timerPollMs?: number;
  logger?: { error(obj: unknown, msg?: string): void };
}

export type { ActivatedJob, JobStream } from './step';
// The port's shapes, for code that used to find them here (benchmarks, tests).
export type {
  CreateInstanceRequest, CreatedInstance, ElementHistoryEntry, IncidentView, InstanceView, PublishMessageRequest, PublishedMessage, TaskQuery, UserTaskView,
} from '../port-types';

interface JobRow {
  id: number | string; type: string; state: string; root_id: number | string; process_instance_id: number | string; element_instance_id: number | string;
  element_id: string; bpmn_process_id: string; definition_key: string; version: number | string; retries: number | string;
  available_at: number | string | null; deadline: number | string | null; worker: string | null; custom_headers: string | null;
}
/** The element instance (e_), its scope (s_) and process instance (p_) read with a job; all NULL when missing. */
type JobContextRow = { [K in keyof EiRow as `e_${K}` | `s_${K}`]: EiRow[K] | null } & { [K in keyof PiRow as `p_${K}`]: PiRow[K] | null };
interface TaskRow {
  id: number | string; root_id: number | string; process_instance_id: number | string; element_instance_id: number | string; element_id: string;
  bpmn_process_id: string; definition_key: string; name: string | null; form_id: string | null; assignee: string | null;
  candidate_groups: string | null; candidate_users: string | null; due_date: number | string | null; follow_up_date: number | string | null;
  priority: number | string; state: UserTaskView['state']; created_at: number | string; completed_at: number | string | null; completed_by: string | null;
}
interface TimerRow {
  id: number | string; due_at: number | string; root_id: number | string | null; element_instance_id: number | string | null; element_id: string;
  definition_key: string | null; interrupting: number | boolean; repetitions: number | string | null; interval_spec: string | null;
}
interface IncidentRow {
  id: number | string; root_id: number | string; process_instance_id: number | string; element_instance_id: number | string; element_id: string;
  bpmn_process_id: string; job_id: number | string | null; error_type: string; error_message: string | null; phase: string; state: IncidentView['state'];
  created_at: number | string; resolved_at: number | string | null;
}

const num = (v: number | string | null | undefined): number => Number(v);
const iso = (v: number | string | null | undefined): string | null => (v === null || v === undefined ? null : new Date(Number(v)).toISOString());
const str = (v: number | string | null | undefined): string | null => (v === null || v === undefined ? null : String(v));

function notFound(code: string, message: string): EngineRejection {
  return reject.notFound(code, message);
}

function parseKey(key: string | number, code: string, what: string): number {
  const k = typeof key === 'number' ? key : /^\d{1,15}$/.test(key) ? Number(key) : NaN;
  if (!Number.isSafeInteger(k) || k <= 0) throw notFound(code, `No ${what} ${String(key)}.`);
  return k;
}

/** Variable names are stored in a column of this many characters (engine_variables.name). */
const MAX_VARIABLE_NAME = 255;

function checkVariables(v: unknown): Vars {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw reject.invalidArgument('VARIABLES_NOT_OBJECT', 'Variables must be a JSON object.');
  const long = Object.keys(v).find((name) => name.length > MAX_VARIABLE_NAME);
  if (long !== undefined) {
    throw reject.invalidArgument('VARIABLE_NAME_TOO_LONG', `A variable name is at most ${MAX_VARIABLE_NAME} characters; '${long.slice(0, 40)}…' is ${long.length}.`);
  }
  return v as Vars;
}

export function parseTimeToLive(ttl: number | string | undefined): number {
  if (ttl === undefined || ttl === null || ttl === '') return 0;
  if (typeof ttl === 'number') {
    if (!Number.isFinite(ttl) || ttl < 0) throw reject.invalidArgument('INVALID_TIME_TO_LIVE', 'timeToLive must be a non-negative number of milliseconds or an ISO-8601 duration.');
    return Math.floor(ttl);
  }
  if (/^\d+$/.test(ttl)) return Number(ttl);
  try {
    return Temporal.durationToMs(ttl);
  } catch {
    throw reject.invalidArgument('INVALID_TIME_TO_LIVE', `timeToLive '${ttl}' is neither milliseconds nor an ISO-8601 duration such as PT1H or P3D.`);
  }
}

/** May this user complete the task: its assignee, a candidate user, or a member of a candidate group. */
export function canComplete(task: Pick<UserTaskView, 'assignee' | 'candidateUsers' | 'candidateGroups'>, user: { username: string; groups: string[] }): boolean {
  if (task.assignee) return task.assignee === user.username;
  return task.candidateUsers.includes(user.username) || task.candidateGroups.some((g) => user.groups.includes(g));
}

/** Implements the port as it is: this fails to compile if the two drift apart. */
export class EmbeddedEngine implements WorkflowEngine {
  /** 'jobs' (type) after a commit created jobs of that type; 'timer' (dueAt) after one scheduled a timer. */
  readonly events = new EventEmitter();
  private readonly executables = new Map<string, ExecutableProcess>();
  private poller: NodeJS.Timeout | null = null;
  private polling = false;
  private ticking: Promise<number> | null = null;
  private nextWake: number | null = null;

  private readonly definitions: DefinitionSource;
  private readonly host: StepHost;
  private readonly streams = new Map<string, JobStream[]>();
  private readonly keys: KeyBlocks | null;

  constructor(readonly ds: DataSource, readonly clock: Clock, readonly opts: EngineOptions = {}) {
    this.events.setMaxListeners(100);
    this.definitions = opts.definitions ?? new DeployedDefinitions();
    this.keys = KeyBlocks.forDataSource(ds);
    const keys = this.keys;
    this.host = {
      definitions: this.definitions,
      nextElementKey: keys ? () => keys.take() : undefined,
      executable: (em, key) => this.executable(em, key),
      reserveJobStream: (type, lender) => this.reserveJobStream(type, lender),
    };
  }

  async executable(em: EntityManager, definitionKey: string): Promise<ExecutableProcess> {
    let p = this.executables.get(definitionKey);
    if (!p) {
      p = await this.definitions.executable(em, definitionKey);
      this.executables.set(definitionKey, p);
    }
    return p;
  }

  /** Runs one step: in the caller's transaction when `em` is given, else in its own. */
  private async step<T>(em: EntityManager | undefined, work: (step: Step) => Promise<T>): Promise<T> {
    const attempts: Step[] = [];
    const body = async (tx: EntityManager) => {
      const step = new Step(this.host, tx, this.clock.now().getTime(), !em);
      attempts.push(step);
      const result = await work(step);
      await step.drain();
      await step.flush();
      return result;
    };
    let result: T;
    try {
      result = em ? await body(em) : await serialTransaction(this.ds, body);
    } catch (e) {
      for (const a of attempts) for (const p of a.pushed) p.stream.release();
      throw e;
    }
    // Earlier attempts were rolled back (deadlock retries): their reserved slots go back.
    for (const a of attempts.slice(0, -1)) for (const p of a.pushed) p.stream.release();
    this.afterCommit(attempts[attempts.length - 1]);
    return result;
  }

  /**
   * Lets an in-process worker take jobs of a type as steps create them (see JobStream). Answers the
   * function that closes the stream.
   */
  openJobStream(type: string, stream: JobStream): () => void {
    const list = this.streams.get(type) ?? [];
    list.push(stream);
    this.streams.set(type, list);
    return () => {
      const l = this.streams.get(type) ?? [];
      const i = l.indexOf(stream);
      if (i >= 0) l.splice(i, 1);
      if (!l.length) this.streams.delete(type);
    };
  }

  private reserveJobStream(type: string, lender?: ActivatedJob): JobStream | undefined {
    return this.streams.get(type)?.find((s) => s.reserve(lender));
  }

  private afterCommit(step: Step): void {
    for (const p of step.pushed) p.stream.push(p.job);
    for (const t of step.jobTypes) this.events.emit('jobs', t);
    if (step.earliestTimer !== null) {
      this.events.emit('timer', step.earliestTimer);
      this.scheduleWake(step.earliestTimer);
    }
  }

  // ---------------------------------------------------------------- deployment

  /**
   * Deploys diagrams and forms and opens the start events of each new version, in one transaction
   * (the caller's, when given).
   */
  async deploy(resources: DeployResource[], deployedBy: string, em?: EntityManager): Promise<DeploymentResult> {
    const work = async (tx: EntityManager) => {
      const result = await deployResources(tx, resources, deployedBy, this.clock);
      for (const p of result.processes) if (!p.duplicate) await this.registerStartEvents(p.key, tx);
      return result;
    };
    return em ? work(em) : serialTransaction(this.ds, work);
  }

  /**
   * Opens the message and timer start events of a newly deployed version and closes those of the
   * version it replaces. Call it in the deployment's transaction.
   */
  async registerStartEvents(definitionKey: string, em?: EntityManager): Promise<void> {
    await this.step(em, async (step) => {
      const def = await this.definitions.get(step.em, definitionKey);
      if (!def) throw notFound('DEFINITION_NOT_FOUND', `No process definition ${definitionKey}.`);
      const proc = await this.executable(step.em, definitionKey);
      await later(step.em, 'DELETE FROM engine_timers WHERE bpmn_process_id = ? AND definition_key IS NOT NULL', [def.bpmnProcessId]);
      await later(step.em, 'DELETE FROM engine_message_subscriptions WHERE bpmn_process_id = ? AND definition_key IS NOT NULL', [def.bpmnProcessId]);
      for (const id of proc.startEventIds) {
        const ev = (proc.elements[id] as { event?: EventDefinition }).event;
        if (ev?.type === 'timer') {
          const s = schedule(ev.timer, step.now, {});
          await later(step.em,
            `INSERT INTO engine_timers (due_at, element_id, definition_key, bpmn_process_id, interrupting, repetitions, interval_spec, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
            [s.dueAt, id, definitionKey, def.bpmnProcessId, false, s.repetitions, s.interval, step.now]);
          step.noteTimer(s.dueAt);
        } else if (ev?.type === 'message') {
          const name = exprString(ev.messageName, {}, 'message name');
          await later(step.em,
            `INSERT INTO engine_message_subscriptions (message_name, correlation_key, element_id, definition_key, bpmn_process_id, interrupting, created_at)
             VALUES (?, '', ?, ?, ?, ?, ?)`,
            [name, id, definitionKey, def.bpmnProcessId, false, step.now]);
        }
      }
    });
  }

  // ---------------------------------------------------------------- instances

  async createInstance(req: CreateInstanceRequest, em?: EntityManager): Promise<CreatedInstance> {
    const variables = checkVariables(req.variables);
    const businessKey = req.businessKey ?? null;
    const attempt = () => this.step(em, async (step) => {
      const def = req.version
        ? await this.definitions.byVersion(step.em, req.bpmnProcessId, req.version)
        : await this.definitions.latest(step.em, req.bpmnProcessId);
      if (!def) {
        throw notFound('PROCESS_NOT_DEPLOYED', `Process '${req.bpmnProcessId}'${req.version ? ` version ${req.version}` : ''} is not deployed.`);
      }
      if (businessKey !== null) {
        const existing = await this.byBusinessKey(step.em, req.bpmnProcessId, businessKey);
        if (existing) return existing;
      }
      const proc = await this.executable(step.em, def.definitionKey);
      const start = proc.startEventIds.find((id) => (proc.elements[id] as { event?: EventDefinition }).event?.type === 'none');
      if (!start) throw reject.invalidArgument('NO_NONE_START_EVENT', `Process '${req.bpmnProcessId}' starts only by message or timer.`);
      const pi = await step.startInstance(def, start, variables, { businessKey });
      return { processInstanceKey: String(pi.id), bpmnProcessId: def.bpmnProcessId, version: def.version, definitionKey: def.definitionKey, created: true };
    });
    try {
      return await attempt();
    } catch (e) {
      // Two starts with one business key at once: the loser answers the winner's instance.
      if (businessKey !== null && isDuplicateKey(e) && !em) {
        const found = await serialTransaction(this.ds, (tx) => this.byBusinessKey(tx, req.bpmnProcessId, businessKey));
        if (found) return found;
      }
      throw e;
    }
  }

  private async byBusinessKey(em: EntityManager, bpmnProcessId: string, businessKey: string): Promise<CreatedInstance | null> {
    const [row] = await select<{ id: number | string; version: number | string; definition_key: string }>(em,
      'SELECT id, version, definition_key FROM engine_process_instances WHERE bpmn_process_id = ? AND business_key = ?', [bpmnProcessId, businessKey]);
    return row ? { processInstanceKey: String(row.id), bpmnProcessId, version: num(row.version), definitionKey: row.definition_key, created: false } : null;
  }

  async cancelInstance(key: string, em?: EntityManager): Promise<void> {
    const id = parseKey(key, 'PROCESS_INSTANCE_NOT_FOUND', 'process instance');
    await this.step(em, async (step) => {
      await step.lockRoot(id);
      const pi = await step.pi(id);
      if (!pi) throw notFound('PROCESS_INSTANCE_NOT_FOUND', `No process instance ${key}.`);
      if (pi.parentEiId !== null) throw reject.invalidState('CHILD_INSTANCE', 'A called process instance is cancelled through its root instance.');
      if (pi.state !== 'active') throw reject.invalidState('PROCESS_INSTANCE_NOT_ACTIVE', `Process instance ${key} is ${pi.state}.`);
      await step.terminateProcess(pi, 'canceled');
    });
  }

  /**
   * Writes variables into a running scope, as Zeebe's SetVariables does: `local` puts them on the
   * element instance itself; otherwise each goes to the nearest scope outwards that already holds a
   * variable of its name, else to the process instance. This is how a variable that made an element
   * fail (an incident) is put right before the incident is resolved.
   */
  async setVariables(key: string, variables: Vars, opts: { local?: boolean; em?: EntityManager } = {}): Promise<void> {
    const id = parseKey(key, 'ELEMENT_INSTANCE_NOT_FOUND', 'element instance');
    const vars = checkVariables(variables);
    const gone = () => notFound('ELEMENT_INSTANCE_NOT_FOUND', `No active element instance ${key}.`);
    await this.step(opts.em, async (step) => {
      const [first] = await select<{ root_id: number | string }>(step.em,
        `SELECT p.root_id FROM engine_element_instances e JOIN engine_process_instances p ON p.id = COALESCE(e.process_instance_id, e.id)
         WHERE e.id = ?`, [id]);
      if (!first) throw gone();
      await step.lockRoot(num(first.root_id));
      const ei = await step.ei(id);
      if (!ei || ei.state !== 'active') throw gone();
      if (opts.local) await step.setLocal(ei, vars);
      else await step.propagate(ei, vars);
    });
  }

  async getInstance(key: string): Promise<InstanceView> {
    const id = parseKey(key, 'PROCESS_INSTANCE_NOT_FOUND', 'process instance');
    return serialTransaction(this.ds, async (em) => {
      const [pi] = await select<{
        id: number | string; definition_key: string; bpmn_process_id: string; version: number | string; business_key: string | null;
        parent_element_instance_id: number | string | null; state: InstanceView['state']; started_at: number | string; ended_at: number | string | null;
      }>(em, 'SELECT * FROM engine_process_instances WHERE id = ?', [id]);
      if (!pi) throw notFound('PROCESS_INSTANCE_NOT_FOUND', `No process instance ${key}.`);
      const vars = await select<{ name: string; value: string }>(em, 'SELECT name, value FROM engine_variables WHERE scope_id = ? ORDER BY name', [id]);
      const eis = await select<{ id: number | string; element_id: string; kind: string; state: ElementHistoryEntry['state']; scope_id: number | string | null; started_at: number | string; ended_at: number | string | null }>(em,
        'SELECT id, element_id, kind, state, scope_id, started_at, ended_at FROM engine_element_instances WHERE process_instance_id = ? ORDER BY started_at, id', [id]);
      const incidents = (await select<IncidentRow>(em, 'SELECT * FROM engine_incidents WHERE process_instance_id = ? ORDER BY id', [id])).map(incidentView);
      const open = new Set(incidents.filter((i) => i.state === 'active').map((i) => i.elementInstanceKey));
      const called = await select<{ id: number | string }>(em,
        `SELECT p.id FROM engine_process_instances p JOIN engine_element_instances e ON e.id = p.parent_element_instance_id
         WHERE e.process_instance_id = ? ORDER BY p.id`, [id]);
      return {
        processInstanceKey: String(pi.id), bpmnProcessId: pi.bpmn_process_id, version: num(pi.version), definitionKey: pi.definition_key,
        businessKey: pi.business_key, parentElementInstanceKey: str(pi.parent_element_instance_id), state: pi.state,
        startedAt: iso(pi.started_at)!, endedAt: iso(pi.ended_at),
        variables: Object.fromEntries(vars.map((v) => [v.name, JSON.parse(v.value) as unknown])),
        elements: eis.map((e) => ({
          elementInstanceKey: String(e.id), elementId: e.element_id, kind: e.kind, state: e.state,
          scopeKey: e.scope_id === null || num(e.scope_id) === id ? null : String(e.scope_id),
          startedAt: iso(e.started_at)!, endedAt: iso(e.ended_at), incident: open.has(String(e.id)),
        })),
        incidents,
        calledInstanceKeys: called.map((c) => String(c.id)),
      };
    });
  }

  // ---------------------------------------------------------------- jobs

  async activateJobs(req: { type: string; worker: string; maxJobs: number; timeoutMs: number; fetchVariables?: string[] }): Promise<ActivatedJob[]> {
    if (!req.type) throw reject.invalidArgument('INVALID_JOB_TYPE', 'A job type is required.');
    if (!(req.maxJobs > 0)) return [];
    if (!(req.timeoutMs > 0)) throw reject.invalidArgument('INVALID_TIMEOUT', 'timeoutMs must be positive.');
    return serialTransaction(this.ds, async (em) => {
      const now = this.clock.now().getTime();
      const deadline = now + req.timeoutMs;
      const lock = emIsMysql(em) ? ' FOR UPDATE SKIP LOCKED' : '';
      const rows = await select<JobRow>(em,
        `SELECT * FROM engine_jobs WHERE type = ? AND available_at <= ? ORDER BY available_at, id LIMIT ${Math.min(Math.floor(req.maxJobs), 1000)}${lock}`,
        [req.type, now]);
      if (!rows.length) return [];
      await exec(em, `UPDATE engine_jobs SET state = 'activated', worker = ?, deadline = ?, available_at = ? WHERE id IN (${rows.map(() => '?').join(', ')})`,
        [req.worker, deadline, deadline, ...rows.map((r) => r.id)]);
      const step = new Step(this.host, em, now);
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
  private async lockedJob(step: Step, key: string, activated?: ActivatedJob): Promise<JobRow> {
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
  async completeJob(key: string, variables?: Vars, opts: { em?: EntityManager; write?: (em: EntityManager) => Promise<void>; job?: ActivatedJob } = {}): Promise<void> {
    const vars = checkVariables(variables);
    await this.step(opts.em, async (step) => {
      step.lender = opts.job;
      const job = await this.lockedJob(step, key, opts.job);
      if (job.state === 'failed') throw reject.invalidState('JOB_NOT_ACTIVATABLE', `Job ${key} has an open incident; resolve it first.`);
      if (opts.write) await opts.write(step.em);
      await later(step.em, 'DELETE FROM engine_jobs WHERE id = ?', [job.id]);
      await step.preload([num(job.element_instance_id), num(job.process_instance_id)]);
      const ei = await step.mustEi(num(job.element_instance_id));
      const pi = await step.mustPi(ei.piId);
      await step.complete(pi, ei, await step.element(pi, ei.elementId), vars);
    });
  }

  async failJob(key: string, req: { errorMessage?: string; retries: number; retryBackOff?: number }, em?: EntityManager): Promise<void> {
    if (!Number.isInteger(req.retries) || req.retries < 0) throw reject.invalidArgument('INVALID_RETRIES', 'retries must be a whole number, 0 or more.');
    await this.step(em, async (step) => {
      const job = await this.lockedJob(step, key);
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
  async throwError(key: string, req: { errorCode: string; errorMessage?: string; variables?: Vars }, opts: { em?: EntityManager; write?: (em: EntityManager) => Promise<void>; job?: ActivatedJob } = {}): Promise<void> {
    if (!req.errorCode) throw reject.invalidArgument('INVALID_ERROR_CODE', 'An error code is required.');
    const vars = checkVariables(req.variables);
    await this.step(opts.em, async (step) => {
      step.lender = opts.job;
      const job = await this.lockedJob(step, key, opts.job);
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

  async updateJobRetries(key: string, retries: number): Promise<void> {
    if (!Number.isInteger(retries) || retries < 1) throw reject.invalidArgument('INVALID_RETRIES', 'retries must be a whole number, 1 or more.');
    await this.step(undefined, async (step) => {
      const job = await this.lockedJob(step, key);
      await later(step.em, 'UPDATE engine_jobs SET retries = ? WHERE id = ?', [retries, job.id]);
    });
  }

  /**
   * Sets an activated job's lease to end `timeoutMs` from now, longer or shorter (Zeebe's
   * UpdateJobTimeout); a job that is not activated has no lease to change.
   */
  async updateJobTimeout(key: string, timeoutMs: number): Promise<void> {
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1) throw reject.invalidArgument('INVALID_TIMEOUT', 'timeout must be a whole number of milliseconds, 1 or more.');
    await this.step(undefined, async (step) => {
      const job = await this.lockedJob(step, key);
      if (job.state !== 'activated') throw reject.invalidState('JOB_NOT_ACTIVATED', `Job ${key} is not activated, so it has no lease to change.`);
      const deadline = step.now + timeoutMs;
      await later(step.em, 'UPDATE engine_jobs SET deadline = ?, available_at = ? WHERE id = ?', [deadline, deadline, job.id]);
      // A shorter lease may end before the next timed poll; the timer wake-up hands the job out again.
      step.noteTimer(deadline);
    });
  }

  // ---------------------------------------------------------------- incidents

  async listIncidents(opts: IncidentQuery = {}): Promise<IncidentView[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    where.push('state = ?');
    params.push(opts.state ?? 'active');
    if (opts.processInstanceKey) { where.push('process_instance_id = ?'); params.push(parseKey(opts.processInstanceKey, 'PROCESS_INSTANCE_NOT_FOUND', 'process instance')); }
    const limit = Math.min(Math.max(1, opts.limit ?? 200), 1000);
    const rows = await this.ds.query(`SELECT * FROM engine_incidents WHERE ${where.join(' AND ')} ORDER BY id LIMIT ${limit}`, params) as IncidentRow[];
    return rows.map(incidentView);
  }

  /**
   * Resolves an incident and retries what failed. A job incident makes the job activatable again; its
   * retries, if used up, become 1 (Zeebe asks for an explicit retries update first; here resolving is
   * the retry, as the API promises). Other incidents re-run the element's step that failed.
   */
  async resolveIncident(key: string): Promise<void> {
    const id = parseKey(key, 'INCIDENT_NOT_FOUND', 'incident');
    await this.step(undefined, async (step) => {
      const [first] = await select<{ root_id: number | string }>(step.em, 'SELECT root_id FROM engine_incidents WHERE id = ?', [id]);
      if (!first) throw notFound('INCIDENT_NOT_FOUND', `No incident ${key}.`);
      await step.lockRoot(num(first.root_id));
      const [inc] = await select<IncidentRow>(step.em, 'SELECT * FROM engine_incidents WHERE id = ?', [id]);
      if (inc.state !== 'active') throw reject.invalidState('INCIDENT_ALREADY_RESOLVED', `Incident ${key} is already resolved.`);
      await later(step.em, "UPDATE engine_incidents SET state = 'resolved', resolved_at = ? WHERE id = ?", [step.now, id]);
      if (inc.job_id !== null) {
        const [job] = await select<JobRow>(step.em, 'SELECT type FROM engine_jobs WHERE id = ?', [inc.job_id]);
        await later(step.em,
          "UPDATE engine_jobs SET state = 'activatable', retries = CASE WHEN retries < 1 THEN 1 ELSE retries END, available_at = ?, deadline = NULL, worker = NULL WHERE id = ?",
          [step.now, inc.job_id]);
        if (job) step.jobTypes.add(job.type);
        return;
      }
      const ei = await step.mustEi(num(inc.element_instance_id));
      if (ei.state !== 'active') return;
      const pi = await step.mustPi(ei.piId);
      const el = await step.element(pi, ei.elementId);
      if (inc.phase === 'complete') await step.complete(pi, ei, el, undefined);
      else await step.run(pi, ei, el);
    });
  }

  // ---------------------------------------------------------------- user tasks

  private async lockedTask(step: Step, key: string): Promise<TaskRow> {
    const id = parseKey(key, 'TASK_NOT_FOUND', 'task');
    const [first] = await select<{ root_id: number | string }>(step.em, 'SELECT root_id FROM engine_user_tasks WHERE id = ?', [id]);
    if (!first) throw notFound('TASK_NOT_FOUND', `No task ${key}.`);
    await step.lockRoot(num(first.root_id));
    const [task] = await select<TaskRow>(step.em, 'SELECT * FROM engine_user_tasks WHERE id = ?', [id]);
    return task;
  }

  private static open(task: TaskRow, key: string): void {
    if (task.state === 'completed') throw reject.invalidState('TASK_ALREADY_COMPLETED', `Task ${key} is already completed.`);
    if (task.state === 'canceled') throw reject.invalidState('TASK_CANCELED', `Task ${key} was cancelled by the process.`);
  }

  async getTask(key: string): Promise<UserTaskView & { variables: Vars }> {
    return serialTransaction(this.ds, async (em) => {
      const id = parseKey(key, 'TASK_NOT_FOUND', 'task');
      const [row] = await select<TaskRow>(em, 'SELECT * FROM engine_user_tasks WHERE id = ?', [id]);
      if (!row) throw notFound('TASK_NOT_FOUND', `No task ${key}.`);
      const step = new Step(this.host, em, this.clock.now().getTime());
      const ei = row.state === 'created' ? await step.ei(num(row.element_instance_id)) : null;
      const variables = ei ? await step.context(ei) : Object.fromEntries((await select<{ name: string; value: string }>(em,
        'SELECT name, value FROM engine_variables WHERE scope_id = ?', [row.process_instance_id])).map((v) => [v.name, JSON.parse(v.value)]));
      return { ...taskView(row), variables };
    });
  }

  async listTasks(q: TaskQuery = {}): Promise<UserTaskView[]> {
    const where = ['t.state = ?'];
    const params: unknown[] = [q.state ?? 'created'];
    if (q.assignee) { where.push('t.assignee = ?'); params.push(q.assignee); }
    if (q.processInstanceKey) { where.push('t.process_instance_id = ?'); params.push(parseKey(q.processInstanceKey, 'PROCESS_INSTANCE_NOT_FOUND', 'process instance')); }
    const mysql = this.ds.options.type === 'mysql';
    const byRoot = q.rootProcessInstanceKeys !== undefined;
    if (byRoot) {
      const roots = q.rootProcessInstanceKeys!.filter((k) => /^\d{1,15}$/.test(k)).map(Number);
      // engine_user_tasks has no index on root_id: the tasks are found by their instances (ix_engine_ut_pi),
      // the roots' trees walked down through the call activities; root_id then keeps the answer exact.
      const tree = roots.length ? await this.instanceTrees(roots) : [];
      if (!tree.length) return [];
      where.push(`t.process_instance_id IN (${tree.map(() => '?').join(', ')})`, `t.root_id IN (${roots.map(() => '?').join(', ')})`);
      params.push(...tree, ...roots);
      // Keep both planners off the (state, id) index, which avoids the sort by scanning every open task:
      // a case has a handful of tasks, so reading them by instance and sorting is the cheap plan.
      if (!mysql) where[0] = '+t.state = ?';
    }
    // On SQLite the unary plus keeps the planner from ranging over (state, due_date) and then sorting
    // every open task due before the date: the keyset order (state, id) stops after one page.
    if (q.dueBefore !== undefined) { where.push(mysql ? 't.due_date < ?' : '+t.due_date < ?'); params.push(q.dueBefore); }
    if (q.after) { where.push('t.id > ?'); params.push(parseKey(q.after, 'TASK_NOT_FOUND', 'task')); }
    const cands: string[] = [];
    if (q.candidateGroups?.length) {
      cands.push(`(c.kind = 'group' AND c.name IN (${q.candidateGroups.map(() => '?').join(', ')}))`);
      params.push(...q.candidateGroups);
    }
    if (q.candidateUser) { cands.push("(c.kind = 'user' AND c.name = ?)"); params.push(q.candidateUser); }
    if (cands.length) where.push(`EXISTS (SELECT 1 FROM engine_user_task_candidates c WHERE c.task_id = t.id AND (${cands.join(' OR ')}))`);
    const limit = Math.min(Math.max(1, q.limit ?? 50), 500);
    // The office-wide list on MySQL: MariaDB prefers a ref scan of (state) from the first open task over
    // the range (state, id > cursor), which reads every open task before the cursor (bench/inbox.ts).
    const hint = mysql && byRoot ? ' FORCE INDEX (ix_engine_ut_pi)'
      : mysql && !q.assignee && !q.processInstanceKey && !cands.length ? ' FORCE INDEX (ix_engine_ut_state_key)' : '';
    const rows = await this.ds.query(`SELECT t.* FROM engine_user_tasks t${hint} WHERE ${where.join(' AND ')} ORDER BY t.id LIMIT ${limit}`, params) as TaskRow[];
    return rows.map(taskView);
  }

  /** These process instances and every instance called below them, one indexed query per level of calls. */
  private async instanceTrees(roots: number[]): Promise<number[]> {
    const seen = new Set<number>();
    let level = [...new Set(roots)];
    while (level.length) {
      for (const id of level) seen.add(id);
      const called = await this.ds.query(
        `SELECT p.id FROM engine_process_instances p JOIN engine_element_instances e ON e.id = p.parent_element_instance_id
         WHERE e.process_instance_id IN (${level.map(() => '?').join(', ')})`, level) as Array<{ id: number | string }>;
      level = [...new Set(called.map((c) => num(c.id)))].filter((id) => !seen.has(id));
    }
    return [...seen];
  }

  async claimTask(key: string, username: string, em?: EntityManager): Promise<UserTaskView> {
    return this.step(em, async (step) => {
      const task = await this.lockedTask(step, key);
      EmbeddedEngine.open(task, key);
      if (task.assignee && task.assignee !== username) throw reject.invalidState('TASK_ALREADY_CLAIMED', `Task ${key} is assigned to ${task.assignee}.`);
      await later(step.em, 'UPDATE engine_user_tasks SET assignee = ? WHERE id = ?', [username, task.id]);
      return taskView({ ...task, assignee: username });
    });
  }

  async unclaimTask(key: string, em?: EntityManager): Promise<UserTaskView> {
    return this.assignTask(key, null, em);
  }

  async assignTask(key: string, assignee: string | null, em?: EntityManager): Promise<UserTaskView> {
    return this.step(em, async (step) => {
      const task = await this.lockedTask(step, key);
      EmbeddedEngine.open(task, key);
      await later(step.em, 'UPDATE engine_user_tasks SET assignee = ? WHERE id = ?', [assignee, task.id]);
      return taskView({ ...task, assignee });
    });
  }

  /** Completes a user task; who may do so is the caller's check (see `canComplete`). */
  async completeTask(key: string, variables: Vars | undefined, user: string | null, em?: EntityManager): Promise<void> {
    const vars = checkVariables(variables);
    await this.step(em, async (step) => {
      const task = await this.lockedTask(step, key);
      EmbeddedEngine.open(task, key);
      const u = await exec(step.em, "UPDATE engine_user_tasks SET state = 'completed', completed_at = ?, completed_by = ? WHERE id = ? AND state = 'created'",
        [step.now, user, task.id]);
      if (u.affected !== 1) throw reject.invalidState('TASK_ALREADY_COMPLETED', `Task ${key} is already completed.`);
      await step.preload([num(task.element_instance_id), num(task.process_instance_id)]);
      const ei = await step.mustEi(num(task.element_instance_id));
      const pi = await step.mustPi(ei.piId);
      await step.complete(pi, ei, await step.element(pi, ei.elementId), vars);
    });
  }

  // ---------------------------------------------------------------- messages

  /**
   * Publishes a message: it reaches at most one waiting subscription per process (bpmnProcessId) and
   * starts processes with a matching message start event; with a time to live it is buffered for
   * subscriptions opened later. A message nobody waits for is not an error. A repeated messageId while
   * the first is still buffered is accepted once: the answer names the first message, `duplicate: true`.
   */
  async publishMessage(req: PublishMessageRequest, em?: EntityManager): Promise<PublishedMessage> {
    if (!req.name) throw reject.invalidArgument('INVALID_MESSAGE', 'A message name is required.');
    const ttl = parseTimeToLive(req.timeToLive);
    const vars = checkVariables(req.variables);
    const ck = req.correlationKey ?? '';
    if (ck.length > 255) throw reject.invalidArgument('INVALID_CORRELATION_KEY', 'A correlation key is at most 255 characters.');
    return this.step(em, async (step) => {
      if (req.messageId && ttl > 0) {
        await later(step.em, 'DELETE FROM engine_messages WHERE name = ? AND correlation_key = ? AND message_id = ? AND expires_at <= ?',
          [req.name, ck, req.messageId, step.now]);
        const [dup] = await select<{ id: number | string }>(step.em,
          'SELECT id FROM engine_messages WHERE name = ? AND correlation_key = ? AND message_id = ?', [req.name, ck, req.messageId]);
        if (dup) return { messageKey: String(dup.id), duplicate: true, correlatedProcessInstanceKeys: [] };
      }
      const reached = new Set<string>();
      const instances: string[] = [];
      const subs = await select<SubRow>(step.em,
        'SELECT * FROM engine_message_subscriptions WHERE message_name = ? AND correlation_key = ? AND definition_key IS NULL ORDER BY id', [req.name, ck]);
      for (const sub of subs) {
        if (reached.has(sub.bpmn_process_id)) continue;
        await step.lockRoot(num(sub.root_id));
        const [still] = await select<SubRow>(step.em, 'SELECT * FROM engine_message_subscriptions WHERE id = ?', [sub.id]);
        if (!still) continue;
        if (await step.consumeSubscription(still, vars)) {
          reached.add(sub.bpmn_process_id);
          instances.push(String(sub.process_instance_id));
          await step.drain();
        }
      }
      const starts = await select<SubRow>(step.em,
        'SELECT * FROM engine_message_subscriptions WHERE message_name = ? AND definition_key IS NOT NULL ORDER BY id', [req.name]);
      for (const s of starts) {
        if (reached.has(s.bpmn_process_id)) continue;
        const def = await this.definitions.get(step.em, s.definition_key!);
        if (!def) continue;
        // An empty key starts an instance every time; another key, only while no instance holds it.
        if (ck !== '' && !(await step.claimStartKey(s.bpmn_process_id, ck))) continue;
        const pi = await step.startInstance(def, s.element_id, {}, { triggerVars: vars, ...(ck !== '' ? { startKey: ck } : {}) });
        reached.add(s.bpmn_process_id);
        instances.push(String(pi.id));
        await step.drain();
      }
      let messageKey: string | null = null;
      if (ttl > 0) {
        const r = await exec(step.em,
          'INSERT INTO engine_messages (name, correlation_key, message_id, variables, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)',
          [req.name, ck, req.messageId ?? null, JSON.stringify(vars), step.now + ttl, step.now]);
        messageKey = String(r.insertId);
        for (const p of reached) {
          await later(step.em, 'INSERT INTO engine_message_correlations (message_id, bpmn_process_id) VALUES (?, ?)', [r.insertId, p]);
        }
      }
      return { messageKey, duplicate: false, correlatedProcessInstanceKeys: instances };
    });
  }

  // ---------------------------------------------------------------- timers

  /** Fires every due timer, each in its own transaction, and drops expired messages. Answers how many fired. */
  async tick(): Promise<number> {
    // One tick at a time: the poller and a test may both call it.
    while (this.ticking) await this.ticking.catch(() => 0);
    this.ticking = this.runTick();
    try {
      return await this.ticking;
    } finally {
      this.ticking = null;
    }
  }

  private async runTick(): Promise<number> {
    let fired = 0;
    for (;;) {
      const now = this.clock.now().getTime();
      const due = await serialTransaction(this.ds, (em) => select<{ id: number | string }>(em,
        'SELECT id FROM engine_timers WHERE due_at <= ? ORDER BY due_at, id LIMIT 100', [now]));
      for (const t of due) {
        try {
          if (await this.fireTimer(num(t.id))) fired++;
        } catch (e) {
          this.opts.logger?.error({ err: e, timer: t.id }, 'timer failed to fire');
        }
      }
      if (due.length < 100) break;
    }
    const now = this.clock.now().getTime();
    await serialTransaction(this.ds, async (em) => {
      await exec(em, 'DELETE FROM engine_message_correlations WHERE message_id IN (SELECT id FROM engine_messages WHERE expires_at <= ?)', [now]);
      await exec(em, 'DELETE FROM engine_messages WHERE expires_at <= ?', [now]);
    });
    return fired;
  }

  private async fireTimer(id: number): Promise<boolean> {
    return this.step(undefined, async (step) => {
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
        const def = await this.definitions.get(step.em, t.definition_key);
        if (def) await step.startInstance(def, t.element_id, {}, { triggerVars: {} });
        return true;
      }
      const owner = await step.ei(num(t.element_instance_id));
      if (!owner) return false;
      await step.triggerEvent(owner, t.element_id, undefined, Boolean(Number(t.interrupting)));
      return true;
    });
  }

  /** Starts the timer poller: due timers fire within `timerPollMs`, sooner when a step scheduled one. */
  start(): void {
    if (this.polling) return;
    this.polling = true;
    this.scheduleWake(this.clock.now().getTime());
  }

  async stop(): Promise<void> {
    this.polling = false;
    if (this.poller) clearTimeout(this.poller);
    this.poller = null;
    this.nextWake = null;
    if (this.ticking) await this.ticking.catch(() => 0);
    await this.keys?.close();
  }

  private scheduleWake(at: number): void {
    if (!this.polling) return;
    const now = this.clock.now().getTime();
    const pollMs = this.opts.timerPollMs ?? 1000;
    const when = Math.min(Math.max(at, now), now + pollMs);
    if (this.poller && this.nextWake !== null && this.nextWake <= when) return;
    if (this.poller) clearTimeout(this.poller);
    this.nextWake = when;
    this.poller = setTimeout(() => {
      this.poller = null;
      this.nextWake = null;
      this.tick()
        .catch((e) => this.opts.logger?.error({ err: e }, 'timer tick failed'))
        .finally(() => this.scheduleWake(this.clock.now().getTime() + pollMs));
    }, Math.max(0, when - now));
    this.poller.unref?.();
  }
}

function taskView(r: TaskRow): UserTaskView {
  return {
    key: String(r.id), processInstanceKey: String(r.process_instance_id), rootProcessInstanceKey: String(r.root_id),
    elementInstanceKey: String(r.element_instance_id), elementId: r.element_id,
    bpmnProcessId: r.bpmn_process_id, processDefinitionKey: r.definition_key, name: r.name, formId: r.form_id, assignee: r.assignee,
    candidateGroups: r.candidate_groups ? JSON.parse(r.candidate_groups) : [], candidateUsers: r.candidate_users ? JSON.parse(r.candidate_users) : [],
    dueDate: iso(r.due_date), followUpDate: iso(r.follow_up_date), priority: num(r.priority), state: r.state,
    createdAt: iso(r.created_at)!, completedAt: iso(r.completed_at), completedBy: r.completed_by,
  };
}

function incidentView(r: IncidentRow): IncidentView {
  return {
    key: String(r.id), processInstanceKey: String(r.process_instance_id), elementInstanceKey: String(r.element_instance_id), elementId: r.element_id,
    bpmnProcessId: r.bpmn_process_id, jobKey: str(r.job_id), errorType: r.error_type, errorMessage: r.error_message ?? '', state: r.state,
    createdAt: iso(r.created_at)!, resolvedAt: iso(r.resolved_at),
  };
}

export type { DefinitionInfo, DefinitionSource };
