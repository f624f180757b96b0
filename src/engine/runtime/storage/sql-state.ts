/**
 * The SQL a step runs on both databases, over the engine's tables, and the step's row cache. The
 * element-instance writes, where the two databases differ most, are the subclasses' (sqlite-state.ts,
 * mysql-state.ts); so are the few statements whose dialects differ.
 *
 * Writes whose answer the step does not need go through `later`: on MySQL they wait in the
 * transaction's statement queue and go out with the next statement sent (db/statement-batch.ts).
 */
import { EntityManager } from 'typeorm';
import type { ExecutableProcess } from '../../model/types';
import type { DefinitionInfo, DefinitionSource } from '../definitions';
import type { Vars } from '../../port-types';
import { exec, later, select } from '../tx';
import { evaluateDeployed, type DeployedEvaluation } from '../../dmn/run';
import { RowCache, num } from './row-cache';
import type {
  EI, EiRow, MessageRow, NewJob, NewTimer, NewUserTask, PI, PiRow, SeedRows, StepState, SubRow, VarRow,
} from './step-state';

/** What a storage needs of the engine around it. */
export interface StorageHost {
  definitions: DefinitionSource;
  executable(em: EntityManager, definitionKey: string): Promise<ExecutableProcess>;
  /**
   * The key for a new element instance, known before it is inserted (MySQL: keys.ts); absent where
   * the database hands out keys on insert (SQLite).
   */
  nextElementKey?(): Promise<number>;
}

export const EI_SELECT = 'SELECT id, process_instance_id, element_id, scope_id, kind, state FROM engine_element_instances';

export abstract class SqlStepState implements StepState {
  protected readonly cache = new RowCache();
  /** Element instances ended in memory whose row still says 'active' (see endEi). */
  protected readonly ended: Array<{ ei: EI; state: 'completed' | 'terminated' }> = [];

  constructor(protected readonly host: StorageHost, readonly em: EntityManager, readonly now: number) {}

  abstract lockRoot(rootId: number): Promise<boolean>;
  abstract insertEi(piId: number | null, elementId: string, scopeId: number | null, kind: string): Promise<EI>;
  abstract endEi(ei: EI, state: 'completed' | 'terminated'): void;
  protected abstract upsertVariablesSql(values: string): string;
  protected abstract insertIgnore(): string;

  // ---------------------------------------------------------------- definitions

  executable(definitionKey: string): Promise<ExecutableProcess> {
    return this.host.executable(this.em, definitionKey);
  }

  definition(definitionKey: string): Promise<DefinitionInfo | null> {
    return this.host.definitions.get(this.em, definitionKey);
  }

  latestDefinition(bpmnProcessId: string): Promise<DefinitionInfo | null> {
    return this.host.definitions.latest(this.em, bpmnProcessId);
  }

  evaluateDecision(decisionId: string, variables: Vars): Promise<DeployedEvaluation | undefined> {
    return evaluateDeployed(this.em, { decisionId }, variables, new Date(this.now));
  }

  // ---------------------------------------------------------------- element instances

  async ei(id: number): Promise<EI | null> {
    const cached = this.cache.eis.get(id);
    if (cached) return cached;
    const [r] = await select<EiRow>(this.em, `${EI_SELECT} WHERE id = ?`, [id]);
    if (!r) return null;
    return this.cache.ei(r);
  }

  async mustEi(id: number): Promise<EI> {
    const e = await this.ei(id);
    if (!e) throw new Error(`element instance ${id} is missing`);
    return e;
  }

  /** Caches a new element instance (its variables: none yet). */
  protected cacheNewEi(e: EI): EI {
    this.cache.eis.set(e.id, e);
    this.cache.vars.set(e.id, new Map());
    return e;
  }

  async activeChildren(scopeId: number): Promise<EI[]> {
    await this.flush();
    const rows = await select<EiRow>(this.em, `${EI_SELECT} WHERE scope_id = ? AND state = 'active'`, [scopeId]);
    return rows.map((r) => this.cache.ei(r));
  }

  async scopeBusy(scopeId: number): Promise<boolean> {
    // Children that ended in this step but are not written yet are still 'active' in the table.
    const ended = this.ended.map((x) => x.ei.id);
    const notEnded = ended.length ? ` AND id NOT IN (${ended.map(() => '?').join(', ')})` : '';
    const [{ c }] = await select<{ c: number | string }>(this.em,
      `SELECT (SELECT COUNT(*) FROM engine_element_instances WHERE scope_id = ? AND state = 'active'${notEnded}) + (SELECT COUNT(*) FROM engine_join_tokens WHERE scope_id = ?) AS c`,
      [scopeId, ...ended, scopeId]);
    return num(c) > 0;
  }

  /** Writes the ends not yet written. */
  async flush(): Promise<void> {
    const ended = this.ended.splice(0);
    for (const state of ['completed', 'terminated'] as const) {
      const ids = ended.filter((x) => x.state === state).map((x) => x.ei.id);
      if (!ids.length) continue;
      await later(this.em, `UPDATE engine_element_instances SET state = ?, ended_at = ? WHERE id IN (${ids.map(() => '?').join(', ')})`, [state, this.now, ...ids]);
    }
  }

  // ---------------------------------------------------------------- process instances

  async pi(id: number): Promise<PI | null> {
    const cached = this.cache.pis.get(id);
    if (cached) return cached;
    const [r] = await select<PiRow>(this.em,
      'SELECT id, definition_key, bpmn_process_id, version, parent_element_instance_id, root_id, state FROM engine_process_instances WHERE id = ?', [id]);
    if (!r) return null;
    return this.cache.pi(r);
  }

  async mustPi(id: number): Promise<PI> {
    const p = await this.pi(id);
    if (!p) throw new Error(`process instance ${id} is missing`);
    return p;
  }

  async insertPi(pi: PI, businessKey: string | null): Promise<void> {
    await later(this.em,
      "INSERT INTO engine_process_instances (id, definition_key, bpmn_process_id, version, business_key, parent_element_instance_id, root_id, state, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?)",
      [pi.id, pi.definitionKey, pi.bpmnProcessId, pi.version, businessKey, pi.parentEiId, pi.rootId, this.now]);
    this.cache.pis.set(pi.id, pi);
  }

  async endPi(pi: PI, state: 'completed' | 'canceled' | 'terminated'): Promise<void> {
    pi.state = state;
    if (state === 'completed') {
      await later(this.em, "UPDATE engine_process_instances SET state = 'completed', ended_at = ? WHERE id = ?", [this.now, pi.id]);
    } else {
      await later(this.em, 'UPDATE engine_process_instances SET state = ?, ended_at = ? WHERE id = ?', [state, this.now, pi.id]);
    }
  }

  async activeCalledInstances(callEiId: number): Promise<number[]> {
    const rows = await select<{ id: number | string }>(this.em, "SELECT id FROM engine_process_instances WHERE parent_element_instance_id = ? AND state = 'active'", [callEiId]);
    return rows.map((r) => num(r.id));
  }

  // ---------------------------------------------------------------- variables

  async localVars(scopeId: number): Promise<Map<string, unknown>> {
    let m = this.cache.vars.get(scopeId);
    if (m) return m;
    const rows = await select<{ name: string; value: string }>(this.em, 'SELECT name, value FROM engine_variables WHERE scope_id = ?', [scopeId]);
    m = new Map(rows.map((r) => [r.name, JSON.parse(r.value) as unknown]));
    this.cache.vars.set(scopeId, m);
    return m;
  }

  async setLocal(scope: EI, vars: Vars): Promise<void> {
    const entries = Object.entries(vars);
    if (!entries.length) return;
    const local = await this.localVars(scope.id);
    for (const [k, v] of entries) local.set(k, v === undefined ? null : v);
    const values = entries.map(() => '(?, ?, ?, ?)').join(', ');
    const params = entries.flatMap(([k, v]) => [scope.id, k, scope.piId, JSON.stringify(v === undefined ? null : v)]);
    await later(this.em, this.upsertVariablesSql(values), params);
  }

  async dropLocals(ei: EI): Promise<void> {
    this.cache.vars.delete(ei.id);
    await later(this.em, 'DELETE FROM engine_variables WHERE scope_id = ?', [ei.id]);
  }

  // ---------------------------------------------------------------- join tokens

  async addJoinToken(scopeId: number, gatewayId: string, flowId: string): Promise<void> {
    await later(this.em, 'INSERT INTO engine_join_tokens (scope_id, gateway_id, flow_id) VALUES (?, ?, ?)', [scopeId, gatewayId, flowId]);
  }

  async joinTokens(scopeId: number, gatewayId: string): Promise<Array<{ id: number; flowId: string }>> {
    const rows = await select<{ id: number | string; flow_id: string }>(this.em,
      'SELECT id, flow_id FROM engine_join_tokens WHERE scope_id = ? AND gateway_id = ? ORDER BY id', [scopeId, gatewayId]);
    return rows.map((r) => ({ id: num(r.id), flowId: r.flow_id }));
  }

  async consumeJoinTokens(ids: number[]): Promise<void> {
    await later(this.em, `DELETE FROM engine_join_tokens WHERE id IN (${ids.map(() => '?').join(', ')})`, ids);
  }

  async dropJoinTokens(scopeId: number): Promise<void> {
    await later(this.em, 'DELETE FROM engine_join_tokens WHERE scope_id = ?', [scopeId]);
  }

  // ---------------------------------------------------------------- jobs and user tasks

  async insertJob(j: NewJob): Promise<void> {
    await later(this.em,
      `INSERT INTO engine_jobs (type, state, root_id, process_instance_id, element_instance_id, element_id, bpmn_process_id, definition_key, version,
        retries, available_at, custom_headers, created_at) VALUES (?, 'activatable', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [j.type, j.pi.rootId, j.pi.id, j.ei.id, j.elementId, j.pi.bpmnProcessId, j.pi.definitionKey, j.pi.version, j.retries, this.now, j.headers, this.now]);
  }

  async insertActivatedJob(j: NewJob, deadline: number, worker: string, onKey: (key: number) => void): Promise<void> {
    await later(this.em,
      `INSERT INTO engine_jobs (type, state, root_id, process_instance_id, element_instance_id, element_id, bpmn_process_id, definition_key, version,
        retries, available_at, deadline, worker, custom_headers, created_at) VALUES (?, 'activated', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [j.type, j.pi.rootId, j.pi.id, j.ei.id, j.elementId, j.pi.bpmnProcessId, j.pi.definitionKey, j.pi.version, j.retries, deadline, deadline, worker, j.headers, this.now],
      (r) => onKey(r.insertId));
  }

  async deleteJobsOf(eiId: number): Promise<void> {
    await later(this.em, 'DELETE FROM engine_jobs WHERE element_instance_id = ?', [eiId]);
  }

  async insertUserTask(t: NewUserTask): Promise<void> {
    const { pi, ei, groups, users } = t;
    const r = await exec(this.em,
      `INSERT INTO engine_user_tasks (root_id, process_instance_id, element_instance_id, element_id, bpmn_process_id, definition_key, name, form_id,
        assignee, candidate_groups, candidate_users, due_date, follow_up_date, priority, state, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'created', ?)`,
      [pi.rootId, pi.id, ei.id, t.elementId, pi.bpmnProcessId, pi.definitionKey, t.name, t.formId, t.assignee,
        groups.length ? JSON.stringify(groups) : null, users.length ? JSON.stringify(users) : null, t.dueDate, t.followUpDate, t.priority, this.now]);
    const cands = [...new Set(groups)].map((g) => ['group', g]).concat([...new Set(users)].map((u) => ['user', u]));
    // The candidate rows carry the task's state and due date: a group's inbox page is a range of their index.
    if (cands.length) {
      await later(this.em, `INSERT INTO engine_user_task_candidates (task_id, kind, name, state, due_date) VALUES ${cands.map(() => "(?, ?, ?, 'created', ?)").join(', ')}`,
        cands.flatMap(([k, v]) => [r.insertId, k, v, t.dueDate]));
    }
  }

  async cancelUserTasksOf(eiId: number): Promise<void> {
    await later(this.em, `UPDATE engine_user_task_candidates SET state = 'canceled'
      WHERE task_id IN (SELECT id FROM engine_user_tasks WHERE element_instance_id = ?) AND state = 'created'`, [eiId]);
    await later(this.em, "UPDATE engine_user_tasks SET state = 'canceled', completed_at = ? WHERE element_instance_id = ? AND state = 'created'", [this.now, eiId]);
  }

  // ---------------------------------------------------------------- subscriptions, messages, timers

  async insertSubscription(name: string, correlationKey: string, pi: PI, owner: EI, elementId: string, interrupting: boolean): Promise<number> {
    const r = await exec(this.em,
      `INSERT INTO engine_message_subscriptions (message_name, correlation_key, root_id, process_instance_id, element_instance_id, element_id,
        bpmn_process_id, interrupting, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [name, correlationKey, pi.rootId, pi.id, owner.id, elementId, pi.bpmnProcessId, interrupting, this.now]);
    return r.insertId;
  }

  async subscription(id: number): Promise<SubRow | undefined> {
    const [sub] = await select<SubRow>(this.em, 'SELECT * FROM engine_message_subscriptions WHERE id = ?', [id]);
    return sub;
  }

  async deleteSubscription(id: number | string): Promise<boolean> {
    const d = await exec(this.em, 'DELETE FROM engine_message_subscriptions WHERE id = ?', [id]);
    return d.affected === 1;
  }

  async deleteSubscriptionsOf(eiId: number): Promise<void> {
    await later(this.em, 'DELETE FROM engine_message_subscriptions WHERE element_instance_id = ?', [eiId]);
    await later(this.em, 'DELETE FROM engine_signal_subscriptions WHERE element_instance_id = ?', [eiId]);
  }

  async insertSignalSubscription(name: string, pi: PI, owner: EI, elementId: string, interrupting: boolean): Promise<void> {
    await later(this.em,
      `INSERT INTO engine_signal_subscriptions (signal_name, root_id, process_instance_id, element_instance_id, element_id, bpmn_process_id, interrupting, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [name, pi.rootId, pi.id, owner.id, elementId, pi.bpmnProcessId, interrupting, this.now]);
  }

  startSubscriptions(bpmnProcessId: string): Promise<SubRow[]> {
    return select<SubRow>(this.em,
      'SELECT * FROM engine_message_subscriptions WHERE bpmn_process_id = ? AND definition_key IS NOT NULL ORDER BY id', [bpmnProcessId]);
  }

  async bufferedMessage(names: string[], key: string, bpmnProcessId: string): Promise<MessageRow | undefined> {
    const [msg] = await select<MessageRow>(this.em,
      `SELECT m.id, m.name, m.correlation_key, m.message_id, m.variables, m.expires_at FROM engine_messages m
       WHERE m.name IN (${names.map(() => '?').join(', ')}) AND m.correlation_key = ? AND m.expires_at > ?
         AND NOT EXISTS (SELECT 1 FROM engine_message_correlations c WHERE c.message_id = m.id AND c.bpmn_process_id = ?)
       ORDER BY m.id LIMIT 1`,
      [...names, key, this.now, bpmnProcessId]);
    return msg;
  }

  async isCorrelated(messageId: number | string, bpmnProcessId: string): Promise<boolean> {
    const done = await select(this.em, 'SELECT 1 AS x FROM engine_message_correlations WHERE message_id = ? AND bpmn_process_id = ?', [messageId, bpmnProcessId]);
    return done.length > 0;
  }

  async recordCorrelation(messageId: number | string, bpmnProcessId: string): Promise<void> {
    await later(this.em, 'INSERT INTO engine_message_correlations (message_id, bpmn_process_id) VALUES (?, ?)', [messageId, bpmnProcessId]);
  }

  async insertTimer(t: NewTimer): Promise<void> {
    await later(this.em,
      `INSERT INTO engine_timers (due_at, root_id, process_instance_id, element_instance_id, element_id, interrupting, repetitions, interval_spec, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [t.dueAt, t.pi.rootId, t.pi.id, t.owner.id, t.elementId, t.interrupting, t.repetitions, t.interval, this.now]);
  }

  async deleteTimersOf(eiId: number): Promise<void> {
    await later(this.em, 'DELETE FROM engine_timers WHERE element_instance_id = ?', [eiId]);
  }

  // ---------------------------------------------------------------- incidents

  async insertIncident(pi: PI, ei: EI, type: string, message: string, phase: 'activate' | 'complete' | 'job', jobId: number | null): Promise<void> {
    await later(this.em,
      `INSERT INTO engine_incidents (root_id, process_instance_id, element_instance_id, element_id, bpmn_process_id, job_id, error_type, error_message,
        phase, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?)`,
      [pi.rootId, pi.id, ei.id, ei.elementId, pi.bpmnProcessId, jobId, type, message, phase, this.now]);
  }

  async resolveIncidentsOfElement(eiId: number): Promise<void> {
    await later(this.em, "UPDATE engine_incidents SET state = 'resolved', resolved_at = ? WHERE element_instance_id = ? AND state = 'active'", [this.now, eiId]);
  }

  async resolveIncidentsOfProcess(piId: number): Promise<void> {
    await later(this.em, "UPDATE engine_incidents SET state = 'resolved', resolved_at = ? WHERE process_instance_id = ? AND state = 'active'", [this.now, piId]);
  }

  // ---------------------------------------------------------------- correlation keys of message-started instances

  async claimStartKey(bpmnProcessId: string, key: string): Promise<boolean> {
    const r = await exec(this.em, `${this.insertIgnore()} INTO engine_message_start_keys (bpmn_process_id, correlation_key, process_instance_id) VALUES (?, ?, 0)`,
      [bpmnProcessId, key]);
    return r.affected === 1;
  }

  async holdStartKey(piId: number, bpmnProcessId: string, key: string): Promise<void> {
    await later(this.em, 'UPDATE engine_message_start_keys SET process_instance_id = ? WHERE bpmn_process_id = ? AND correlation_key = ?',
      [piId, bpmnProcessId, key]);
  }

  async heldStartKey(piId: number): Promise<string | null> {
    const [claim] = await select<{ correlation_key: string }>(this.em,
      'SELECT correlation_key FROM engine_message_start_keys WHERE process_instance_id = ?', [piId]);
    return claim ? claim.correlation_key : null;
  }

  async releaseStartKey(bpmnProcessId: string, key: string): Promise<void> {
    await later(this.em, 'DELETE FROM engine_message_start_keys WHERE bpmn_process_id = ? AND correlation_key = ?', [bpmnProcessId, key]);
  }

  // ---------------------------------------------------------------- caches

  seed(rows: SeedRows): void {
    for (const r of rows.eis ?? []) if (r && r.id !== null) this.cache.ei(r);
    for (const r of rows.pis ?? []) if (r && r.id !== null) this.cache.pi(r);
    if (rows.vars) this.cache.scopeVars(rows.vars.scopes, rows.vars.rows);
  }

  seedActive(eis: Array<EI | null>, pi: PI): void {
    for (const e of eis) if (e && !this.cache.eis.has(e.id)) this.cache.eis.set(e.id, { ...e, state: 'active' });
    if (!this.cache.pis.has(pi.id)) this.cache.pis.set(pi.id, { ...pi, state: 'active' });
  }

  async preload(eiIds: number[]): Promise<void> {
    const { eis, vars } = this.cache;
    const seen = new Set<number>();
    let pending = [...new Set(eiIds)];
    while (pending.length) {
      const missing = pending.filter((id) => !eis.has(id));
      if (missing.length) {
        const rows = await select<EiRow>(this.em, `${EI_SELECT} WHERE id IN (${missing.map(() => '?').join(', ')})`, missing);
        for (const r of rows) this.cache.ei(r);
      }
      for (const id of pending) seen.add(id);
      pending = pending.map((id) => eis.get(id)?.scopeId ?? null).filter((id): id is number => id !== null && !seen.has(id));
    }
    const scopes = [...seen].filter((id) => eis.has(id) && !vars.has(id));
    if (!scopes.length) return;
    const rows = await select<VarRow>(this.em,
      `SELECT scope_id, name, value FROM engine_variables WHERE scope_id IN (${scopes.map(() => '?').join(', ')})`, scopes);
    this.cache.scopeVars(scopes, rows);
  }
}
