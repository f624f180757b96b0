/**
 * One workflow step: moves tokens from a trigger (a started instance, a completed job or user task, a
 * correlated message, a fired timer, a thrown error) until every path waits, writing every change
 * through the step's entity manager, so the whole step commits or rolls back as one transaction.
 * Nothing of an instance is kept in memory between steps; the caches below live for one step.
 */
import { EntityManager } from 'typeorm';
import {
  BoundaryEvent, CallActivity, EventDefinition, ExclusiveGateway, ExecutableProcess, FlowElement, JobTask, SubProcess, TimerDefinition, UserTask,
} from '../model/types';
import { DefinitionInfo, DefinitionSource } from './definitions';
import { ExprError, condition, expr, exprString, feel } from './expr';
import { schedule } from './timers';
import { OpenWrite, deferOpen } from '../../db/statement-batch';
import { emIsMysql, exec, later, select } from './tx';
import type { Vars } from '../port-types';

export interface ActivatedJob {
  key: string;
  type: string;
  processInstanceKey: string;
  bpmnProcessId: string;
  processDefinitionVersion: number;
  processDefinitionKey: string;
  elementId: string;
  elementInstanceKey: string;
  customHeaders: Record<string, string>;
  worker: string;
  retries: number;
  /** Lease end, epoch milliseconds. */
  deadline: number;
  variables: Vars;
}

/**
 * An in-process worker that takes jobs as the step creates them (like Zeebe's job push): the job is
 * stored already activated, with its lease, and handed over after the commit, saving an activation.
 */
export interface JobStream {
  worker: string;
  timeoutMs: number;
  fetchVariables?: string[];
  /**
   * Takes one slot; false when the worker is at its concurrency limit. `lender`: the job this step
   * answers; a worker may give the job it pushes that job's slot (worker-runtime.ts).
   */
  reserve(lender?: ActivatedJob): boolean;
  /** Gives a slot back (the step rolled back). */
  release(): void;
  /** Hands over a committed job for a reserved slot. */
  push(job: ActivatedJob): void;
}

/**
 * What a step knew of an activated job's element instance, its flow scope and its process instance
 * when it handed the job out. None of these fields changes while the job exists: a job is deleted
 * when its element instance ends, and a scope or process instance cannot end while an element in it
 * is active. A step answering the job (EmbeddedEngine.lockedJob) then reads the job and the
 * variables, not these rows. Kept beside the job object, not in it, so the job stays Zeebe's shape.
 */
export interface JobContext {
  ei: EI;
  scope: EI | null;
  pi: PI;
}

export const jobContexts = new WeakMap<ActivatedJob, JobContext>();

export interface StepHost {
  definitions: DefinitionSource;
  executable(em: EntityManager, definitionKey: string): Promise<ExecutableProcess>;
  /**
   * The key for a new element instance, known before it is inserted (MySQL: keys.ts); absent where
   * the database hands out keys on insert (SQLite).
   */
  nextElementKey?(): Promise<number>;
  /** A job stream of this type with a slot reserved, if any. */
  reserveJobStream?(type: string, lender?: ActivatedJob): JobStream | undefined;
}

export interface EI {
  id: number;
  piId: number;
  elementId: string;
  scopeId: number | null;
  kind: string;
  state: string;
}

export interface PI {
  id: number;
  definitionKey: string;
  bpmnProcessId: string;
  version: number;
  parentEiId: number | null;
  rootId: number;
  state: string;
}

export type { Vars };

/** A failure that becomes an incident on the element being executed (Zeebe's incident types). */
export class IncidentError extends Error {
  constructor(readonly type: string, message: string) {
    super(message);
  }
}

export interface EiRow { id: number | string; process_instance_id: number | string | null; element_id: string; scope_id: number | string | null; kind: string; state: string }
export interface PiRow { id: number | string; definition_key: string; bpmn_process_id: string; version: number | string; parent_element_instance_id: number | string | null; root_id: number | string; state: string }
export interface VarRow { scope_id: number | string; name: string; value: string }
export interface MessageRow { id: number | string; name: string; correlation_key: string; message_id: string | null; variables: string | null; expires_at: number | string }
export interface SubRow {
  id: number | string; message_name: string; correlation_key: string; root_id: number | string | null; process_instance_id: number | string | null;
  element_instance_id: number | string | null; element_id: string; definition_key: string | null; bpmn_process_id: string; interrupting: number | boolean;
}

/** An element instance's columns, in the order of EI_COLUMNS. */
type EiValues = [id: number, processInstanceId: number | null, elementId: string, scopeId: number | null, kind: string, state: string, startedAt: number, endedAt: number | null];
const EI_COLUMNS = 'id, process_instance_id, element_id, scope_id, kind, state, started_at, ended_at';

const n = (v: number | string | null | undefined): number => Number(v);
const nn = (v: number | string | null | undefined): number | null => (v === null || v === undefined ? null : Number(v));

export class Step {
  readonly jobTypes = new Set<string>();
  earliestTimer: number | null = null;
  private readonly eis = new Map<number, EI>();
  private readonly pis = new Map<number, PI>();
  private readonly vars = new Map<number, Map<string, unknown>>();
  private readonly pending: Array<() => Promise<void>> = [];
  /** Element instances ended in memory whose row still says 'active' (see endEi). */
  private readonly ended: Array<{ ei: EI; state: 'completed' | 'terminated' }> = [];
  /**
   * MySQL: the step's element-instance writes still waiting in the statement queue, as one upsert
   * whose rows can be added and changed until it is sent (see writeEiRow).
   */
  private eiWrite: { queued: OpenWrite; rows: Map<number, EiValues> } | null = null;
  private readonly mysql: boolean;

  /** The activated job this step answers, when its worker handed it in (see JobStream.reserve). */
  lender: ActivatedJob | undefined;

  /** Jobs to hand to in-process streams once the step has committed. */
  readonly pushed: Array<{ stream: JobStream; job: ActivatedJob }> = [];

  /** `allowPush`: only a step that commits itself may push jobs (a caller's transaction may still roll back). */
  constructor(readonly host: StepHost, readonly em: EntityManager, readonly now: number, private readonly allowPush = false) {
    this.mysql = emIsMysql(em);
  }

  // ---------------------------------------------------------------- loading and locking

  /** Serialises steps of one process-instance tree: the root instance's row is the lock. */
  async lockRoot(rootId: number): Promise<boolean> {
    if (!this.mysql) return true; // SQLite serialises writers; the in-process mutex orders steps
    const rows = await select(this.em, 'SELECT id FROM engine_process_instances WHERE id = ? FOR UPDATE', [rootId]);
    return rows.length > 0;
  }

  async ei(id: number): Promise<EI | null> {
    const cached = this.eis.get(id);
    if (cached) return cached;
    const [r] = await select<EiRow>(this.em, 'SELECT id, process_instance_id, element_id, scope_id, kind, state FROM engine_element_instances WHERE id = ?', [id]);
    if (!r) return null;
    return this.cacheEi(r);
  }

  /**
   * Puts rows the caller read along with its lock (see EmbeddedEngine.lockedJob) into the step's
   * caches, so that the step does not read them again.
   */
  seed(rows: { eis?: Array<EiRow | null>; pis?: Array<PiRow | null>; vars?: { scopes: number[]; rows: VarRow[] } }): void {
    for (const r of rows.eis ?? []) if (r && r.id !== null) this.cacheEi(r);
    for (const r of rows.pis ?? []) if (r && r.id !== null) this.cachePi(r);
    if (rows.vars) this.cacheVars(rows.vars.scopes, rows.vars.rows);
  }

  /** Puts what a step knew when it handed out a job (see JobContext) into the step's caches. */
  seedContext(ctx: JobContext): void {
    for (const e of [ctx.ei, ctx.scope]) if (e && !this.eis.has(e.id)) this.eis.set(e.id, { ...e, state: 'active' });
    if (!this.pis.has(ctx.pi.id)) this.pis.set(ctx.pi.id, { ...ctx.pi, state: 'active' });
  }

  /** Keeps the job's context beside an activated job (see JobContext). */
  async noteJobContext(job: ActivatedJob, ei: EI, pi: PI): Promise<void> {
    const scope = ei.scopeId === null ? null : await this.mustEi(ei.scopeId);
    jobContexts.set(job, { ei: { ...ei }, scope: scope && { ...scope }, pi: { ...pi } });
  }

  /** Puts every variable of `scopes` (all of them, as read together) into the step's cache. */
  private cacheVars(scopes: number[], rows: VarRow[]): void {
    for (const id of scopes) if (!this.vars.has(id)) this.vars.set(id, new Map());
    for (const r of rows) this.vars.get(n(r.scope_id))?.set(r.name, JSON.parse(r.value));
  }

  private cacheEi(r: EiRow): EI {
    const e: EI = { id: n(r.id), piId: r.process_instance_id === null ? n(r.id) : n(r.process_instance_id), elementId: r.element_id, scopeId: nn(r.scope_id), kind: r.kind, state: r.state };
    const cached = this.eis.get(e.id);
    if (cached) return cached;
    this.eis.set(e.id, e);
    return e;
  }

  /**
   * Loads element instances, their enclosing scopes and the variables of all of them with a few IN
   * queries, so that a step or a batch of activated jobs does not read them one by one.
   */
  async preload(eiIds: number[]): Promise<void> {
    const seen = new Set<number>();
    let pending = [...new Set(eiIds)];
    while (pending.length) {
      const missing = pending.filter((id) => !this.eis.has(id));
      if (missing.length) {
        const rows = await select<EiRow>(this.em,
          `SELECT id, process_instance_id, element_id, scope_id, kind, state FROM engine_element_instances WHERE id IN (${missing.map(() => '?').join(', ')})`, missing);
        for (const r of rows) this.cacheEi(r);
      }
      for (const id of pending) seen.add(id);
      pending = pending.map((id) => this.eis.get(id)?.scopeId ?? null).filter((id): id is number => id !== null && !seen.has(id));
    }
    const scopes = [...seen].filter((id) => this.eis.has(id) && !this.vars.has(id));
    if (!scopes.length) return;
    const rows = await select<VarRow>(this.em,
      `SELECT scope_id, name, value FROM engine_variables WHERE scope_id IN (${scopes.map(() => '?').join(', ')})`, scopes);
    this.cacheVars(scopes, rows);
  }

  async mustEi(id: number): Promise<EI> {
    const e = await this.ei(id);
    if (!e) throw new Error(`element instance ${id} is missing`);
    return e;
  }

  async pi(id: number): Promise<PI | null> {
    const cached = this.pis.get(id);
    if (cached) return cached;
    const [r] = await select<PiRow>(this.em,
      'SELECT id, definition_key, bpmn_process_id, version, parent_element_instance_id, root_id, state FROM engine_process_instances WHERE id = ?', [id]);
    if (!r) return null;
    return this.cachePi(r);
  }

  private cachePi(r: PiRow): PI {
    const cached = this.pis.get(n(r.id));
    if (cached) return cached;
    const p: PI = { id: n(r.id), definitionKey: r.definition_key, bpmnProcessId: r.bpmn_process_id, version: n(r.version), parentEiId: nn(r.parent_element_instance_id), rootId: n(r.root_id), state: r.state };
    this.pis.set(p.id, p);
    return p;
  }

  async mustPi(id: number): Promise<PI> {
    const p = await this.pi(id);
    if (!p) throw new Error(`process instance ${id} is missing`);
    return p;
  }

  proc(pi: PI): Promise<ExecutableProcess> {
    return this.host.executable(this.em, pi.definitionKey);
  }

  async element(pi: PI, elementId: string): Promise<FlowElement> {
    const el = (await this.proc(pi)).elements[elementId];
    if (!el) throw new Error(`element ${elementId} is not in ${pi.bpmnProcessId} v${pi.version}`);
    return el;
  }

  // ---------------------------------------------------------------- variables

  async localVars(scopeId: number): Promise<Map<string, unknown>> {
    let m = this.vars.get(scopeId);
    if (m) return m;
    const rows = await select<{ name: string; value: string }>(this.em, 'SELECT name, value FROM engine_variables WHERE scope_id = ?', [scopeId]);
    m = new Map(rows.map((r) => [r.name, JSON.parse(r.value) as unknown]));
    this.vars.set(scopeId, m);
    return m;
  }

  /** The element instance and its enclosing scopes up to the process instance, innermost first. */
  async chain(ei: EI): Promise<EI[]> {
    const out = [ei];
    let cur = ei;
    while (cur.scopeId !== null) {
      cur = await this.mustEi(cur.scopeId);
      out.push(cur);
    }
    return out;
  }

  /** Every variable visible from the element instance; inner scopes shadow outer ones. */
  async context(ei: EI): Promise<Vars> {
    const chain = await this.chain(ei);
    const ctx: Vars = {};
    for (let i = chain.length - 1; i >= 0; i--) {
      for (const [k, v] of await this.localVars(chain[i].id)) ctx[k] = v;
    }
    return ctx;
  }

  async setLocal(scope: EI, vars: Vars): Promise<void> {
    const entries = Object.entries(vars);
    if (!entries.length) return;
    const local = await this.localVars(scope.id);
    for (const [k, v] of entries) local.set(k, v === undefined ? null : v);
    const values = entries.map(() => '(?, ?, ?, ?)').join(', ');
    const params = entries.flatMap(([k, v]) => [scope.id, k, scope.piId, JSON.stringify(v === undefined ? null : v)]);
    const sql = this.mysql
      ? `INSERT INTO engine_variables (scope_id, name, process_instance_id, value) VALUES ${values} ON DUPLICATE KEY UPDATE value = VALUES(value)`
      : `INSERT INTO engine_variables (scope_id, name, process_instance_id, value) VALUES ${values} ON CONFLICT(scope_id, name) DO UPDATE SET value = excluded.value`;
    await later(this.em, sql, params);
  }

  /**
   * Zeebe's variable propagation: each variable goes to the nearest scope, from `from` outwards, that
   * already holds a variable of that name, else to the process instance's scope.
   */
  async propagate(from: EI, vars: Vars): Promise<void> {
    const chain = await this.chain(from);
    const byScope = new Map<EI, Vars>();
    for (const [name, value] of Object.entries(vars)) {
      let target = chain[chain.length - 1];
      for (const s of chain) {
        if ((await this.localVars(s.id)).has(name)) { target = s; break; }
      }
      const bucket = byScope.get(target) ?? {};
      bucket[name] = value;
      byScope.set(target, bucket);
    }
    for (const [scope, v] of byScope) await this.setLocal(scope, v);
  }

  private async dropLocals(ei: EI): Promise<void> {
    this.vars.delete(ei.id);
    await later(this.em, 'DELETE FROM engine_variables WHERE scope_id = ?', [ei.id]);
  }

  private evalFeel(source: string, ctx: Vars, type: string): unknown {
    try {
      return feel(source, ctx, this.now);
    } catch (e) {
      throw new IncidentError(type, (e as Error).message);
    }
  }

  private evalExpr(value: string, ctx: Vars, type = 'EXTRACT_VALUE_ERROR'): unknown {
    try {
      return expr(value, ctx, this.now);
    } catch (e) {
      throw new IncidentError(type, (e as Error).message);
    }
  }

  private evalString(value: string, ctx: Vars, what: string): string {
    try {
      return exprString(value, ctx, what, this.now);
    } catch (e) {
      throw new IncidentError('EXTRACT_VALUE_ERROR', (e as Error).message);
    }
  }

  /** Applies one mapping's value to a (possibly dotted) target, merging into the variable it names. */
  private static assign(out: Vars, ctx: Vars, target: string, value: unknown): void {
    const path = target.split('.');
    if (path.length === 1) { out[target] = value; return; }
    const head = path[0];
    const base = out[head] ?? ctx[head];
    const root: Record<string, unknown> = base && typeof base === 'object' && !Array.isArray(base) ? structuredClone(base as Record<string, unknown>) : {};
    let cur = root;
    for (const key of path.slice(1, -1)) {
      const next = cur[key];
      cur = cur[key] = next && typeof next === 'object' && !Array.isArray(next) ? (next as Record<string, unknown>) : {};
    }
    cur[path[path.length - 1]] = value;
    out[head] = root;
  }

  private async applyInputs(ei: EI, el: FlowElement): Promise<void> {
    const inputs = el.ioMapping?.inputs ?? [];
    if (!inputs.length) return;
    const ctx = ei.scopeId === null ? {} : await this.context(await this.mustEi(ei.scopeId));
    const locals: Vars = {};
    for (const m of inputs) Step.assign(locals, ctx, m.target, this.evalFeel(m.source, { ...ctx, ...locals }, 'IO_MAPPING_ERROR'));
    await this.setLocal(ei, locals);
  }

  // ---------------------------------------------------------------- instances

  async insertEi(piId: number | null, elementId: string, scopeId: number | null, kind: string): Promise<EI> {
    const row = [piId, elementId, scopeId, kind, 'active', this.now, null];
    let id: number;
    if (this.host.nextElementKey) {
      // MySQL: the key is known beforehand, so the row waits in the step's statement queue (keys.ts),
      // in one upsert with the step's other element-instance writes (writeEiRow).
      id = await this.host.nextElementKey();
      const values: EiValues = [id, piId, elementId, scopeId, kind, 'active', this.now, null];
      if (!this.writeEiRow(values)) {
        await later(this.em, `INSERT INTO engine_element_instances (${EI_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, values);
      }
    } else {
      // SQLite: element instances that ended since the last insert ride along with this one: the
      // upsert updates their state and end time (only those two columns; the other values are never
      // written). The new row comes first, so the generated key the statement answers is its key.
      const ended = this.ended.splice(0);
      const rows = [[null, ...row], ...ended.map(({ ei, state }) => [ei.id, ei.piId, ei.elementId, ei.scopeId, ei.kind, state, this.now, this.now])];
      const upsert = ended.length ? ' ON CONFLICT(id) DO UPDATE SET state = excluded.state, ended_at = excluded.ended_at' : '';
      id = (await exec(this.em,
        `INSERT INTO engine_element_instances (id, process_instance_id, element_id, scope_id, kind, state, started_at, ended_at)
         VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}${upsert}`, rows.flat())).insertId;
    }
    const e: EI = { id, piId: piId ?? id, elementId, scopeId, kind, state: 'active' };
    this.eis.set(e.id, e);
    this.vars.set(e.id, new Map());
    return e;
  }

  /**
   * Ends an element instance: in memory at once, in the database with the step's next element-instance
   * write or `flush`, whichever comes first, which saves a statement per element a step moves past. Queries of element
   * instance state account for the ends not yet written (scopeChildDone) or flush first.
   */
  private async endEi(ei: EI, state: 'completed' | 'terminated'): Promise<void> {
    ei.state = state;
    const queued = this.eiWrite && !this.eiWrite.queued.sent ? this.eiWrite.rows.get(ei.id) : undefined;
    if (queued) {
      // Its insert has not been sent yet: the row goes in already ended.
      queued[5] = state;
      queued[7] = this.now;
      return;
    }
    if (this.writeEiRow([ei.id, ei.piId, ei.elementId, ei.scopeId, ei.kind, state, this.now, this.now], false)) return;
    this.ended.push({ ei, state });
  }

  /**
   * MySQL, batched steps: puts an element instance's row into the step's open upsert in the statement
   * queue, opening one (with the ends written by nothing yet) when there is none or it has been sent.
   * An existing row only takes the upsert's state and end time. Every element-instance write of a step
   * between two reads is then one statement: a step that moves a token past an element writes the
   * new row and the old one's end together. No queued write reads element instances, so rows may join
   * an upsert queued before other writes. `open` false: join an open upsert, never open one. Answers
   * false when the step has no queue (the caller writes the row itself).
   */
  private writeEiRow(values: EiValues, open = true): boolean {
    let w = this.eiWrite && !this.eiWrite.queued.sent ? this.eiWrite : null;
    if (!w) {
      if (!open) return false;
      const rows = new Map<number, EiValues>();
      const queued = deferOpen(this.em, () => {
        const all = [...rows.values()];
        return {
          sql: `INSERT INTO engine_element_instances (${EI_COLUMNS}) VALUES ${all.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
            ON DUPLICATE KEY UPDATE state = VALUES(state), ended_at = VALUES(ended_at)`,
          params: all.flat(),
        };
      });
      if (!queued) return false;
      w = this.eiWrite = { queued, rows };
      for (const { ei, state } of this.ended.splice(0)) rows.set(ei.id, [ei.id, ei.piId, ei.elementId, ei.scopeId, ei.kind, state, this.now, this.now]);
    }
    w.rows.set(values[0], values);
    return true;
  }

  /** Writes the ends not yet written; the step calls it before it commits. */
  async flush(): Promise<void> {
    const ended = this.ended.splice(0);
    for (const state of ['completed', 'terminated'] as const) {
      const ids = ended.filter((x) => x.state === state).map((x) => x.ei.id);
      if (!ids.length) continue;
      await later(this.em, `UPDATE engine_element_instances SET state = ?, ended_at = ? WHERE id IN (${ids.map(() => '?').join(', ')})`, [state, this.now, ...ids]);
    }
  }

  /**
   * Creates a process instance and runs it from `startId` until it waits. `startKey`: the correlation
   * key of the message that started it, claimed beforehand with claimStartKey and held from here on.
   */
  async startInstance(def: DefinitionInfo, startId: string, variables: Vars,
    opts: { businessKey?: string | null; parentEi?: EI; triggerVars?: Vars; startKey?: string } = {}): Promise<PI> {
    const proc = await this.host.executable(this.em, def.definitionKey);
    const root = await this.insertEi(null, proc.id, null, 'process');
    const parentPi = opts.parentEi ? await this.mustPi(opts.parentEi.piId) : null;
    const pi: PI = { id: root.id, definitionKey: def.definitionKey, bpmnProcessId: def.bpmnProcessId, version: def.version, parentEiId: opts.parentEi?.id ?? null, rootId: parentPi ? parentPi.rootId : root.id, state: 'active' };
    await later(this.em,
      "INSERT INTO engine_process_instances (id, definition_key, bpmn_process_id, version, business_key, parent_element_instance_id, root_id, state, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?)",
      [pi.id, pi.definitionKey, pi.bpmnProcessId, pi.version, opts.businessKey ?? null, pi.parentEiId, pi.rootId, this.now]);
    this.pis.set(pi.id, pi);
    if (opts.startKey !== undefined) {
      // Held before the instance runs: it may end within this very step (releaseStartKey).
      await later(this.em, 'UPDATE engine_message_start_keys SET process_instance_id = ? WHERE bpmn_process_id = ? AND correlation_key = ?',
        [pi.id, pi.bpmnProcessId, opts.startKey]);
    }
    await this.setLocal(root, variables);
    const start = await this.insertEi(pi.id, startId, root.id, proc.elements[startId].kind);
    if (opts.triggerVars) {
      await this.complete(pi, start, proc.elements[startId], opts.triggerVars);
    } else {
      await this.run(pi, start, proc.elements[startId]);
    }
    return pi;
  }

  private async completeProcess(pi: PI): Promise<void> {
    const root = await this.mustEi(pi.id);
    await this.endEi(root, 'completed');
    pi.state = 'completed';
    await later(this.em, "UPDATE engine_process_instances SET state = 'completed', ended_at = ? WHERE id = ?", [this.now, pi.id]);
    if (pi.parentEiId === null) {
      await this.releaseStartKey(pi);
      return;
    }
    const callEi = await this.mustEi(pi.parentEiId);
    if (callEi.state !== 'active') return;
    const parentPi = await this.mustPi(callEi.piId);
    const el = (await this.element(parentPi, callEi.elementId)) as CallActivity;
    const hasOutputs = (el.ioMapping?.outputs.length ?? 0) > 0;
    const childVars = el.propagateAllChildVariables || hasOutputs ? Object.fromEntries(await this.localVars(root.id)) : undefined;
    await this.complete(parentPi, callEi, el, childVars);
  }

  /** Ends a process instance and everything in it (cancel, or its call activity was interrupted). */
  async terminateProcess(pi: PI, state: 'canceled' | 'terminated'): Promise<void> {
    const root = await this.mustEi(pi.id);
    await this.terminate(root);
    pi.state = state;
    await later(this.em, 'UPDATE engine_process_instances SET state = ?, ended_at = ? WHERE id = ?', [state, this.now, pi.id]);
    if (pi.parentEiId === null) await this.releaseStartKey(pi);
  }

  // ---------------------------------------------------------------- message start events and their correlation keys

  /**
   * Zeebe: while an instance that a message with a correlation key started is active, a message with
   * the same key starts no other instance of the process, of any version (migration 1700000017000).
   * Claims the key for the instance about to start; false while another instance holds it. A claim
   * racing with another waits for it on MySQL and then finds the key taken.
   */
  async claimStartKey(bpmnProcessId: string, key: string): Promise<boolean> {
    const ignore = this.mysql ? 'INSERT IGNORE' : 'INSERT OR IGNORE';
    const r = await exec(this.em, `${ignore} INTO engine_message_start_keys (bpmn_process_id, correlation_key, process_instance_id) VALUES (?, ?, 0)`,
      [bpmnProcessId, key]);
    return r.affected === 1;
  }

  /**
   * A root instance ended: gives back the correlation key it held, if a message started it, and lets
   * a message with that key that is still buffered start the next instance, of the latest version.
   */
  private async releaseStartKey(pi: PI): Promise<void> {
    const proc = await this.proc(pi);
    if (!proc.startEventIds.some((id) => (proc.elements[id] as { event?: EventDefinition }).event?.type === 'message')) return;
    const [claim] = await select<{ correlation_key: string }>(this.em,
      'SELECT correlation_key FROM engine_message_start_keys WHERE process_instance_id = ?', [pi.id]);
    if (!claim) return;
    const key = claim.correlation_key;
    await later(this.em, 'DELETE FROM engine_message_start_keys WHERE bpmn_process_id = ? AND correlation_key = ?', [pi.bpmnProcessId, key]);
    const starts = await select<SubRow>(this.em,
      'SELECT * FROM engine_message_subscriptions WHERE bpmn_process_id = ? AND definition_key IS NOT NULL ORDER BY id', [pi.bpmnProcessId]);
    if (!starts.length) return;
    const msg = await this.bufferedMessage(starts.map((st) => st.message_name), key, pi.bpmnProcessId);
    if (!msg) return;
    const sub = starts.find((s) => s.message_name === msg.name)!;
    const def = await this.host.definitions.get(this.em, sub.definition_key!);
    if (!def || !(await this.claimStartKey(pi.bpmnProcessId, key))) return;
    await later(this.em, 'INSERT INTO engine_message_correlations (message_id, bpmn_process_id) VALUES (?, ?)', [msg.id, pi.bpmnProcessId]);
    await this.startInstance(def, sub.element_id, {}, { triggerVars: msg.variables ? (JSON.parse(msg.variables) as Vars) : {}, startKey: key });
  }

  // ---------------------------------------------------------------- token movement

  /** Takes sequence flows out of `from` into its scope: every target is created before any runs. */
  private async take(pi: PI, from: EI, flowIds: string[]): Promise<void> {
    const scope = await this.mustEi(from.scopeId!);
    if (!flowIds.length) {
      await this.scopeChildDone(pi, scope);
      return;
    }
    const proc = await this.proc(pi);
    const entered: Array<[EI, FlowElement]> = [];
    for (const fid of flowIds) {
      const flow = proc.flows[fid];
      const el = proc.elements[flow.targetId];
      if (el.kind === 'parallelGateway' && el.incoming.length > 1 && !(await this.joinArrived(scope, el.id, el.incoming, fid))) continue;
      entered.push([await this.insertEi(pi.id, el.id, scope.id, el.kind), el]);
    }
    for (const [ei, el] of entered) {
      // An earlier branch of this same step may have ended the scope (terminate end event, error).
      if (ei.state === 'active' && pi.state === 'active') await this.run(pi, ei, el);
    }
  }

  /** Records a token arriving at a joining gateway; true when every incoming flow has one, consuming them. */
  private async joinArrived(scope: EI, gatewayId: string, incoming: string[], flowId: string): Promise<boolean> {
    await later(this.em, 'INSERT INTO engine_join_tokens (scope_id, gateway_id, flow_id) VALUES (?, ?, ?)', [scope.id, gatewayId, flowId]);
    const rows = await select<{ id: number | string; flow_id: string }>(this.em,
      'SELECT id, flow_id FROM engine_join_tokens WHERE scope_id = ? AND gateway_id = ? ORDER BY id', [scope.id, gatewayId]);
    const first = new Map<string, number>();
    for (const r of rows) if (!first.has(r.flow_id)) first.set(r.flow_id, n(r.id));
    if (!incoming.every((f) => first.has(f))) return false;
    const ids = [...first.values()];
    await later(this.em, `DELETE FROM engine_join_tokens WHERE id IN (${ids.map(() => '?').join(', ')})`, ids);
    return true;
  }

  private async scopeChildDone(pi: PI, scope: EI): Promise<void> {
    if (scope.state !== 'active') return;
    // Children that ended in this step but are not written yet are still 'active' in the table.
    const ended = this.ended.map((x) => x.ei.id);
    const notEnded = ended.length ? ` AND id NOT IN (${ended.map(() => '?').join(', ')})` : '';
    const [{ c }] = await select<{ c: number | string }>(this.em,
      `SELECT (SELECT COUNT(*) FROM engine_element_instances WHERE scope_id = ? AND state = 'active'${notEnded}) + (SELECT COUNT(*) FROM engine_join_tokens WHERE scope_id = ?) AS c`,
      [scope.id, ...ended, scope.id]);
    if (n(c) > 0) return;
    await this.completeScope(pi, scope);
  }

  private async completeScope(pi: PI, scope: EI): Promise<void> {
    if (scope.kind === 'process') await this.completeProcess(pi);
    else await this.complete(pi, scope, await this.element(pi, scope.elementId), undefined);
  }

  /** Executes an element instance that was just created (or again, when its incident is resolved). */
  async run(pi: PI, ei: EI, el: FlowElement): Promise<void> {
    try {
      await this.applyInputs(ei, el);
      await this.activate(pi, ei, el);
    } catch (e) {
      if (!(e instanceof IncidentError)) throw e;
      // Boundary events opened before the failure are opened again when the incident is resolved.
      await later(this.em, 'DELETE FROM engine_timers WHERE element_instance_id = ?', [ei.id]);
      await later(this.em, 'DELETE FROM engine_message_subscriptions WHERE element_instance_id = ?', [ei.id]);
      await this.raiseIncident(pi, ei, e.type, e.message, 'activate', null);
    }
  }

  private async activate(pi: PI, ei: EI, el: FlowElement): Promise<void> {
    switch (el.kind) {
      case 'startEvent':
      case 'boundaryEvent':
        return this.complete(pi, ei, el, undefined);
      case 'intermediateCatchEvent':
        if (el.event.type === 'none') return this.complete(pi, ei, el, undefined);
        return this.openEvent(pi, ei, el.id, el.event, true, await this.context(ei));
      case 'endEvent':
        return this.endEvent(pi, ei, el);
      case 'serviceTask':
      case 'sendTask':
        await this.openBoundaries(pi, ei, el);
        return this.createJob(pi, ei, el);
      case 'userTask':
        await this.openBoundaries(pi, ei, el);
        return this.createUserTask(pi, ei, el);
      case 'exclusiveGateway':
        return this.exclusive(pi, ei, el);
      case 'parallelGateway':
        await this.endEi(ei, 'completed');
        return this.take(pi, ei, el.outgoing);
      case 'eventBasedGateway': {
        const proc = await this.proc(pi);
        const ctx = await this.context(ei);
        for (const fid of el.outgoing) {
          const target = proc.elements[proc.flows[fid].targetId];
          if (target.kind === 'intermediateCatchEvent') await this.openEvent(pi, ei, target.id, target.event, true, ctx);
        }
        return;
      }
      case 'subProcess':
        await this.openBoundaries(pi, ei, el);
        return this.enterSubProcess(pi, ei, el);
      case 'callActivity':
        await this.openBoundaries(pi, ei, el);
        return this.callProcess(pi, ei, el);
    }
  }

  private async enterSubProcess(pi: PI, ei: EI, el: SubProcess): Promise<void> {
    const proc = await this.proc(pi);
    const start = await this.insertEi(pi.id, el.startEventId, ei.id, 'startEvent');
    await this.run(pi, start, proc.elements[el.startEventId]);
  }

  private async callProcess(pi: PI, ei: EI, el: CallActivity): Promise<void> {
    const ctx = await this.context(ei);
    const calledId = this.evalString(el.calledProcessId, ctx, 'called process id');
    const def = await this.host.definitions.latest(this.em, calledId);
    if (!def) throw new IncidentError('CALLED_ELEMENT_ERROR', `Expected process with BPMN process id '${calledId}' to be deployed, but not found.`);
    const proc = await this.host.executable(this.em, def.definitionKey);
    const start = proc.startEventIds.find((id) => (proc.elements[id] as { event?: EventDefinition }).event?.type === 'none');
    if (!start) throw new IncidentError('CALLED_ELEMENT_ERROR', `Expected process '${calledId}' to have a none start event, but not found.`);
    const vars = el.propagateAllParentVariables ? ctx : Object.fromEntries(await this.localVars(ei.id));
    await this.startInstance(def, start, vars, { parentEi: ei });
  }

  private async exclusive(pi: PI, ei: EI, el: ExclusiveGateway): Promise<void> {
    const proc = await this.proc(pi);
    let chosen: string | undefined;
    if (el.outgoing.length === 1 && !proc.flows[el.outgoing[0]].condition) chosen = el.outgoing[0];
    else {
      const ctx = await this.context(ei);
      for (const fid of el.outgoing) {
        const flow = proc.flows[fid];
        if (fid === el.defaultFlowId || !flow.condition) continue;
        let ok: boolean;
        try {
          ok = condition(flow.condition, ctx, this.now);
        } catch (e) {
          throw new IncidentError('CONDITION_ERROR', (e as Error).message);
        }
        if (ok) { chosen = fid; break; }
      }
      chosen ??= el.defaultFlowId;
    }
    if (!chosen) {
      throw new IncidentError('CONDITION_ERROR',
        `Expected at least one condition to evaluate to true, or to have a default flow, but no outgoing sequence flow of gateway '${el.id}' was taken.`);
    }
    await this.endEi(ei, 'completed');
    await this.take(pi, ei, [chosen]);
  }

  private async endEvent(pi: PI, ei: EI, el: FlowElement & { kind: 'endEvent' }): Promise<void> {
    const ev = el.event;
    if (ev.type === 'error') {
      const code = ev.errorCode ? this.evalString(ev.errorCode, await this.context(ei), 'error code') : '';
      const caught = await this.throwError(ei, code, {});
      if (!caught) {
        throw new IncidentError('UNHANDLED_ERROR_EVENT',
          `Expected to throw an error event with the code '${code}', but it was not caught. No error events are available in the scope.`);
      }
      return;
    }
    await this.endEi(ei, 'completed');
    const scope = await this.mustEi(ei.scopeId!);
    if (ev.type === 'terminate') {
      await this.terminateChildren(scope);
      await this.completeScope(pi, scope);
      return;
    }
    await this.scopeChildDone(pi, scope);
  }

  /**
   * Completes an element instance with the variables its trigger brought (job, task, message, child
   * process): with output mappings they become local and the outputs go to the flow scope; without,
   * they propagate.
   */
  async complete(pi: PI, ei: EI, el: FlowElement, vars: Vars | undefined): Promise<void> {
    try {
      const outputs = el.ioMapping?.outputs ?? [];
      if (outputs.length) {
        if (vars) await this.setLocal(ei, vars);
        const ctx = await this.context(ei);
        const out: Vars = {};
        const scope = await this.mustEi(ei.scopeId!);
        const scopeCtx = await this.context(scope);
        for (const m of outputs) Step.assign(out, scopeCtx, m.target, this.evalFeel(m.source, ctx, 'IO_MAPPING_ERROR'));
        await this.propagate(scope, out);
      } else if (vars && Object.keys(vars).length) {
        await this.propagate(ei, vars);
      }
    } catch (e) {
      if (!(e instanceof IncidentError)) throw e;
      await this.raiseIncident(pi, ei, e.type, e.message, 'complete', null);
      return;
    }
    await this.endEi(ei, 'completed');
    await this.closeOwned(pi, ei, el);
    if (el.ioMapping || el.kind === 'subProcess' || el.kind === 'callActivity' || el.kind === 'boundaryEvent') await this.dropLocals(ei);
    await this.take(pi, ei, el.outgoing);
  }

  // ---------------------------------------------------------------- waiting states

  private async createJob(pi: PI, ei: EI, el: JobTask): Promise<void> {
    const ctx = await this.context(ei);
    const type = this.evalString(el.jobType, ctx, 'job type');
    const retries = Number(this.evalExpr(el.retries || '3', ctx));
    if (!Number.isInteger(retries)) throw new IncidentError('EXTRACT_VALUE_ERROR', `Expected retries '${el.retries}' to be a whole number.`);
    const headers = Object.keys(el.headers ?? {}).length ? JSON.stringify(el.headers) : null;
    const stream = this.allowPush ? this.host.reserveJobStream?.(type, this.lender) : undefined;
    if (stream) {
      const deadline = this.now + stream.timeoutMs;
      const variables = stream.fetchVariables ? Object.fromEntries(stream.fetchVariables.filter((k) => k in ctx).map((k) => [k, ctx[k]])) : ctx;
      const job: ActivatedJob = {
        key: '', type, processInstanceKey: String(pi.id), bpmnProcessId: pi.bpmnProcessId, processDefinitionVersion: pi.version,
        processDefinitionKey: pi.definitionKey, elementId: el.id, elementInstanceKey: String(ei.id), customHeaders: { ...(el.headers ?? {}) },
        worker: stream.worker, retries, deadline, variables,
      };
      // The job's key is known once the insert has gone out, which is before the step commits and the
      // job is pushed.
      await later(this.em,
        `INSERT INTO engine_jobs (type, state, root_id, process_instance_id, element_instance_id, element_id, bpmn_process_id, definition_key, version,
          retries, available_at, deadline, worker, custom_headers, created_at) VALUES (?, 'activated', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [type, pi.rootId, pi.id, ei.id, el.id, pi.bpmnProcessId, pi.definitionKey, pi.version, retries, deadline, deadline, stream.worker, headers, this.now],
        (r) => { job.key = String(r.insertId); });
      await this.noteJobContext(job, ei, pi);
      this.pushed.push({ stream, job });
      return;
    }
    await later(this.em,
      `INSERT INTO engine_jobs (type, state, root_id, process_instance_id, element_instance_id, element_id, bpmn_process_id, definition_key, version,
        retries, available_at, custom_headers, created_at) VALUES (?, 'activatable', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [type, pi.rootId, pi.id, ei.id, el.id, pi.bpmnProcessId, pi.definitionKey, pi.version, retries, this.now, headers, this.now]);
    this.jobTypes.add(type);
  }

  private optString(value: string | undefined, ctx: Vars, what: string): string | null {
    if (value === undefined || value === '') return null;
    const v = this.evalExpr(value, ctx);
    if (v === null) return null;
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    throw new IncidentError('EXTRACT_VALUE_ERROR', `Expected ${what} '${value}' to be a string, but was ${typeof v}.`);
  }

  private optList(value: string | undefined, ctx: Vars, what: string): string[] {
    if (value === undefined || value === '') return [];
    const v = this.evalExpr(value, ctx);
    if (v === null) return [];
    if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter(Boolean);
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    throw new IncidentError('EXTRACT_VALUE_ERROR', `Expected ${what} '${value}' to be a list of strings or a comma-separated string.`);
  }

  private optDate(value: string | undefined, ctx: Vars, what: string): number | null {
    const s = this.optString(value, ctx, what);
    if (s === null) return null;
    const t = Date.parse(s);
    if (Number.isNaN(t)) throw new IncidentError('EXTRACT_VALUE_ERROR', `Expected ${what} '${value}' to be an ISO-8601 date-time, but was '${s}'.`);
    return t;
  }

  private async createUserTask(pi: PI, ei: EI, el: UserTask): Promise<void> {
    const ctx = await this.context(ei);
    const assignee = this.optString(el.assignee, ctx, 'assignee');
    const groups = this.optList(el.candidateGroups, ctx, 'candidate groups');
    const users = this.optList(el.candidateUsers, ctx, 'candidate users');
    const due = this.optDate(el.dueDate, ctx, 'due date');
    const followUp = this.optDate(el.followUpDate, ctx, 'follow-up date');
    const priority = el.priority ? Number(this.evalExpr(el.priority, ctx)) : 50;
    if (!Number.isInteger(priority) || priority < 0 || priority > 100) {
      throw new IncidentError('EXTRACT_VALUE_ERROR', `Expected priority '${el.priority}' to be a whole number from 0 to 100.`);
    }
    const r = await exec(this.em,
      `INSERT INTO engine_user_tasks (root_id, process_instance_id, element_instance_id, element_id, bpmn_process_id, definition_key, name, form_id,
        assignee, candidate_groups, candidate_users, due_date, follow_up_date, priority, state, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'created', ?)`,
      [pi.rootId, pi.id, ei.id, el.id, pi.bpmnProcessId, pi.definitionKey, el.name ?? null, el.formId ?? null, assignee,
        groups.length ? JSON.stringify(groups) : null, users.length ? JSON.stringify(users) : null, due, followUp, priority, this.now]);
    const cands = [...new Set(groups)].map((g) => ['group', g]).concat([...new Set(users)].map((u) => ['user', u]));
    if (cands.length) {
      await later(this.em, `INSERT INTO engine_user_task_candidates (task_id, kind, name) VALUES ${cands.map(() => '(?, ?, ?)').join(', ')}`,
        cands.flatMap(([k, v]) => [r.insertId, k, v]));
    }
  }

  private async openBoundaries(pi: PI, ei: EI, el: FlowElement): Promise<void> {
    const proc = await this.proc(pi);
    const ids = proc.boundaryEventsByHost[el.id];
    if (!ids?.length) return;
    let ctx: Vars | null = null;
    for (const id of ids) {
      const b = proc.elements[id] as BoundaryEvent;
      if (b.event.type !== 'timer' && b.event.type !== 'message') continue;
      ctx ??= await this.context(ei);
      await this.openEvent(pi, ei, b.id, b.event, b.cancelActivity, ctx);
    }
  }

  /** Opens the timer or message subscription of a catch event, owned by the waiting element instance. */
  private async openEvent(pi: PI, owner: EI, elementId: string, ev: EventDefinition, interrupting: boolean, ctx: Vars): Promise<void> {
    if (ev.type === 'timer') return this.openTimer(pi, owner, elementId, ev.timer, interrupting, ctx);
    if (ev.type !== 'message') return;
    const name = this.evalString(ev.messageName, ctx, 'message name');
    const key = ev.correlationKey ? this.evalString(ev.correlationKey, ctx, 'correlation key') : '';
    const r = await exec(this.em,
      `INSERT INTO engine_message_subscriptions (message_name, correlation_key, root_id, process_instance_id, element_instance_id, element_id,
        bpmn_process_id, interrupting, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [name, key, pi.rootId, pi.id, owner.id, elementId, pi.bpmnProcessId, interrupting, this.now]);
    const msg = await this.bufferedMessage([name], key, pi.bpmnProcessId);
    // A buffered message is correlated once the current element has finished activating.
    if (msg) this.pending.push(() => this.correlateBuffered(r.insertId, msg));
  }

  /**
   * The oldest message still buffered with one of `names` and this correlation key that has not yet
   * correlated to the process (a message correlates at most once per process).
   */
  private async bufferedMessage(names: string[], key: string, bpmnProcessId: string): Promise<MessageRow | undefined> {
    const [msg] = await select<MessageRow>(this.em,
      `SELECT m.id, m.name, m.correlation_key, m.message_id, m.variables, m.expires_at FROM engine_messages m
       WHERE m.name IN (${names.map(() => '?').join(', ')}) AND m.correlation_key = ? AND m.expires_at > ?
         AND NOT EXISTS (SELECT 1 FROM engine_message_correlations c WHERE c.message_id = m.id AND c.bpmn_process_id = ?)
       ORDER BY m.id LIMIT 1`,
      [...names, key, this.now, bpmnProcessId]);
    return msg;
  }

  private async openTimer(pi: PI, owner: EI, elementId: string, def: TimerDefinition, interrupting: boolean, ctx: Vars): Promise<void> {
    let s;
    try {
      s = schedule(def, this.now, ctx);
    } catch (e) {
      if (e instanceof ExprError) throw new IncidentError('EXTRACT_VALUE_ERROR', e.message);
      throw e;
    }
    // Only non-interrupting boundary timers repeat; any other cycle fires once.
    const repeats = !interrupting && s.repetitions !== null;
    await later(this.em,
      `INSERT INTO engine_timers (due_at, root_id, process_instance_id, element_instance_id, element_id, interrupting, repetitions, interval_spec, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [s.dueAt, pi.rootId, pi.id, owner.id, elementId, interrupting, repeats ? s.repetitions : null, repeats ? s.interval : null, this.now]);
    this.noteTimer(s.dueAt);
  }

  noteTimer(dueAt: number): void {
    if (this.earliestTimer === null || dueAt < this.earliestTimer) this.earliestTimer = dueAt;
  }

  /** Deletes the subscriptions and timers a finished element instance owned (boundary events, gateway race). */
  private async closeOwned(pi: PI, ei: EI, el: FlowElement): Promise<void> {
    const proc = await this.proc(pi);
    const owns = el.kind === 'eventBasedGateway' || el.kind === 'intermediateCatchEvent' || (proc.boundaryEventsByHost[el.id]?.length ?? 0) > 0;
    if (!owns) return;
    await later(this.em, 'DELETE FROM engine_timers WHERE element_instance_id = ?', [ei.id]);
    await later(this.em, 'DELETE FROM engine_message_subscriptions WHERE element_instance_id = ?', [ei.id]);
  }

  // ---------------------------------------------------------------- events

  /**
   * A timer or message reached the catch event `eventId` waiting at `owner`: the catch event itself,
   * an event-based gateway, or the activity a boundary event is attached to. The caller has already
   * consumed the timer or subscription row.
   */
  async triggerEvent(owner: EI, eventId: string, vars: Vars | undefined, interrupting: boolean): Promise<void> {
    if (owner.state !== 'active') return;
    const pi = await this.mustPi(owner.piId);
    if (pi.state !== 'active') return;
    const proc = await this.proc(pi);
    const ownerEl = proc.elements[owner.elementId];
    const ev = proc.elements[eventId];
    if (owner.elementId === eventId) {
      await this.complete(pi, owner, ev, vars);
      return;
    }
    const scope = await this.mustEi(owner.scopeId!);
    if (ownerEl.kind === 'eventBasedGateway') {
      await this.closeOwned(pi, owner, ownerEl);
      await this.endEi(owner, 'completed');
      const ei = await this.insertEi(pi.id, ev.id, scope.id, ev.kind);
      await this.complete(pi, ei, ev, vars);
      return;
    }
    if (interrupting) {
      await this.closeOwned(pi, owner, ownerEl);
      await this.terminate(owner);
    }
    const ei = await this.insertEi(pi.id, ev.id, scope.id, ev.kind);
    await this.complete(pi, ei, ev, vars);
  }

  async correlateBuffered(subId: number, msg: MessageRow): Promise<void> {
    const [sub] = await select<SubRow>(this.em, 'SELECT * FROM engine_message_subscriptions WHERE id = ?', [subId]);
    if (!sub) return;
    const done = await select(this.em, 'SELECT 1 AS x FROM engine_message_correlations WHERE message_id = ? AND bpmn_process_id = ?', [msg.id, sub.bpmn_process_id]);
    if (done.length) return;
    await later(this.em, 'INSERT INTO engine_message_correlations (message_id, bpmn_process_id) VALUES (?, ?)', [msg.id, sub.bpmn_process_id]);
    await this.consumeSubscription(sub, msg.variables ? (JSON.parse(msg.variables) as Vars) : {});
  }

  /** Correlates a message to an instance's subscription; false when the subscription is gone. */
  async consumeSubscription(sub: SubRow, vars: Vars): Promise<boolean> {
    const interrupting = Boolean(Number(sub.interrupting));
    if (interrupting) {
      // The winner of a race deletes the row; a loser deletes nothing and stops here.
      const d = await exec(this.em, 'DELETE FROM engine_message_subscriptions WHERE id = ?', [sub.id]);
      if (d.affected !== 1) return false;
    }
    const owner = await this.ei(n(sub.element_instance_id));
    if (!owner || owner.state !== 'active') return false;
    await this.triggerEvent(owner, sub.element_id, vars, interrupting);
    return true;
  }

  /** Runs work deferred until the current element finished activating (buffered messages). */
  async drain(): Promise<void> {
    while (this.pending.length) await this.pending.shift()!();
  }

  /**
   * Throws a BPMN error from an element instance: the nearest boundary error event that matches the
   * code, looking outwards through sub-processes and from called processes to their call activities,
   * catches it. Answers false when nothing catches it (the caller raises the incident).
   */
  async throwError(from: EI, code: string, vars: Vars): Promise<boolean> {
    let cur: EI | null = from.kind === 'endEvent' ? await this.mustEi(from.scopeId!) : from;
    while (cur) {
      const pi = await this.mustPi(cur.piId);
      if (cur.kind === 'process') {
        cur = pi.parentEiId === null ? null : await this.mustEi(pi.parentEiId);
        continue;
      }
      const proc = await this.proc(pi);
      const candidates = (proc.boundaryEventsByHost[cur.elementId] ?? [])
        .map((id) => proc.elements[id] as BoundaryEvent)
        .filter((b) => b.event.type === 'error');
      const codeOf = (b: BoundaryEvent) => (b.event.type === 'error' && b.event.errorCode ? exprString(b.event.errorCode, {}, 'error code') : null);
      const catcher = candidates.find((b) => codeOf(b) === code) ?? candidates.find((b) => codeOf(b) === null);
      if (catcher) {
        const host = cur;
        const scope = await this.mustEi(host.scopeId!);
        await this.closeOwned(pi, host, proc.elements[host.elementId]);
        await this.terminate(host);
        const ei = await this.insertEi(pi.id, catcher.id, scope.id, 'boundaryEvent');
        // Error variables are local to the catch event; its output mappings carry them on (Zeebe).
        await this.setLocal(ei, vars);
        await this.complete(pi, ei, catcher, undefined);
        return true;
      }
      cur = cur.scopeId === null ? null : await this.mustEi(cur.scopeId);
    }
    return false;
  }

  // ---------------------------------------------------------------- termination and incidents

  private async terminateChildren(scope: EI): Promise<void> {
    await this.flush();
    const rows = await select<EiRow>(this.em,
      "SELECT id, process_instance_id, element_id, scope_id, kind, state FROM engine_element_instances WHERE scope_id = ? AND state = 'active'", [scope.id]);
    for (const r of rows) await this.terminate(this.cacheEi(r));
    await later(this.em, 'DELETE FROM engine_join_tokens WHERE scope_id = ?', [scope.id]);
  }

  /** Ends an active element instance and everything under it: jobs, user tasks, called processes, events. */
  async terminate(ei: EI): Promise<void> {
    if (ei.state !== 'active') return;
    ei.state = 'terminating';
    if (ei.kind === 'process' || ei.kind === 'subProcess') await this.terminateChildren(ei);
    if (ei.kind === 'serviceTask' || ei.kind === 'sendTask') {
      await later(this.em, 'DELETE FROM engine_jobs WHERE element_instance_id = ?', [ei.id]);
    } else if (ei.kind === 'userTask') {
      await later(this.em, "UPDATE engine_user_tasks SET state = 'canceled', completed_at = ? WHERE element_instance_id = ? AND state = 'created'", [this.now, ei.id]);
    } else if (ei.kind === 'callActivity') {
      const rows = await select<{ id: number | string }>(this.em, "SELECT id FROM engine_process_instances WHERE parent_element_instance_id = ? AND state = 'active'", [ei.id]);
      for (const r of rows) await this.terminateProcess(await this.mustPi(n(r.id)), 'terminated');
    }
    if (ei.kind !== 'process') {
      await later(this.em, 'DELETE FROM engine_timers WHERE element_instance_id = ?', [ei.id]);
      await later(this.em, 'DELETE FROM engine_message_subscriptions WHERE element_instance_id = ?', [ei.id]);
      await later(this.em, "UPDATE engine_incidents SET state = 'resolved', resolved_at = ? WHERE element_instance_id = ? AND state = 'active'", [this.now, ei.id]);
      await this.dropLocals(ei);
    } else {
      await later(this.em, "UPDATE engine_incidents SET state = 'resolved', resolved_at = ? WHERE process_instance_id = ? AND state = 'active'", [this.now, ei.id]);
    }
    await this.endEi(ei, 'terminated');
  }

  async raiseIncident(pi: PI, ei: EI, type: string, message: string, phase: 'activate' | 'complete' | 'job', jobId: number | null): Promise<void> {
    await later(this.em,
      `INSERT INTO engine_incidents (root_id, process_instance_id, element_instance_id, element_id, bpmn_process_id, job_id, error_type, error_message,
        phase, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?)`,
      [pi.rootId, pi.id, ei.id, ei.elementId, pi.bpmnProcessId, jobId, type, message, phase, this.now]);
  }
}
