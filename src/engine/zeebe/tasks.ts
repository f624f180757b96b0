/**
 * Zeebe's native user tasks (Camunda user tasks, `zeebe:userTask`) in our inbox, through the
 * Orchestration Cluster REST API of Camunda 8.8.
 *
 * Zeebe keeps the tasks; `zeebe_user_tasks` is the inbox's copy, keyed by the user task key, so a task
 * read twice is one row. A sync reads the open tasks every ZEEBE_TASK_POLL_MS: new ones enter the inbox,
 * changed ones (assignee, due dates) are updated, and an open row Zeebe no longer lists is asked for
 * by key: completed or cancelled by Zeebe (an interrupting timer, the instance cancelled), it leaves
 * the inbox. Claim, assignment and completion go to Zeebe first and change the row after, so the
 * inbox never shows what Zeebe refused.
 */
import type { Camunda8 } from '@camunda8/sdk';
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../../clock/clock';
import { inTransaction } from '../../db/data-source';
import type { TaskQuery, UserTaskView, Vars } from '../port-types';
import { EngineRejection, isRejection, reject } from '../rejection';
import { recordElementEvent, recordInstance } from './mirror';
import { kindOfRestStatus } from './rejections';

export type CamundaRestClient = ReturnType<Camunda8['getCamundaRestClient']>;
type RestUserTask = Awaited<ReturnType<CamundaRestClient['getUserTask']>>;
type Row = Record<string, unknown>;

const PAGE = 100;
/**
 * Camunda's search answers from its secondary storage, a moment behind Zeebe: for this long after the
 * inbox changed a row (claim, assignment), a search showing the old assignee does not undo it.
 */
const SEARCH_LAG_GRACE_MS = 10_000;
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const iso = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(Number(v)).toISOString());
const ms = (v: string | undefined | null): number | null => {
  if (!v) return null;
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : null;
};

/** An HTTP refusal of the REST API about a user task as a rejection of the same kind. */
export function restError(e: unknown, key: string): Error {
  const status = (e as { response?: { statusCode?: number; body?: unknown } }).response?.statusCode;
  if (status === undefined) return e instanceof Error ? e : new Error(String(e));
  const body = (e as { response: { body?: unknown } }).response.body;
  const detail = typeof body === 'string' ? body.slice(0, 500) : JSON.stringify(body ?? '').slice(0, 500);
  const kind = kindOfRestStatus(status);
  switch (kind) {
    case 'NOT_FOUND': return reject.notFound('TASK_NOT_FOUND', `No task ${key}.`);
    case 'INVALID_STATE': return reject.invalidState('TASK_CONFLICT', `Zeebe refused the change of task ${key}: ${detail}`);
    case 'INVALID_ARGUMENT': return reject.invalidArgument('TASK_REJECTED', `Zeebe rejected the request for task ${key}: ${detail}`);
    case 'UNAVAILABLE': return reject.unavailable('ZEEBE_UNAVAILABLE', `The Camunda REST API answered ${status} for task ${key}.`);
    default: return new EngineRejection(kind, 'TASK_REJECTED', `Zeebe refused the request for task ${key} (${status}): ${detail}`);
  }
}

function view(r: Row, candidates: Row[]): UserTaskView {
  const state = r.state === 'completed' ? 'completed' : r.state === 'canceled' ? 'canceled' : 'created';
  return {
    // A called instance's task is found through the called instance, which case_processes records.
    key: String(r.user_task_key), processInstanceKey: String(r.process_instance_key), rootProcessInstanceKey: String(r.process_instance_key), elementInstanceKey: String(r.element_instance_key),
    elementId: String(r.element_id), bpmnProcessId: String(r.bpmn_process_id), processDefinitionKey: String(r.process_definition_key),
    name: str(r.name), formId: str(r.form_id), assignee: str(r.assignee),
    candidateGroups: candidates.filter((c) => c.kind === 'group').map((c) => String(c.name)),
    candidateUsers: candidates.filter((c) => c.kind === 'user').map((c) => String(c.name)),
    dueDate: iso(r.due_date), followUpDate: iso(r.follow_up_date), priority: Number(r.priority ?? 50), state,
    createdAt: iso(r.created_at)!, completedAt: iso(r.completed_at), completedBy: str(r.completed_by),
  };
}

export interface ZeebeTasksOptions {
  ds: DataSource;
  clock: Clock;
  logger: { warn(obj: unknown, msg?: string): void; error(obj: unknown, msg?: string): void };
  pollMs: number;
}

export class ZeebeTasks {
  private timer: NodeJS.Timeout | null = null;
  private syncing: Promise<void> | null = null;
  private stopped = true;

  constructor(private readonly rest: CamundaRestClient, private readonly opts: ZeebeTasksOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const loop = () => {
      if (this.stopped) return;
      this.syncing = this.sync()
        .then(() => undefined)
        .catch((e: unknown) => this.opts.logger.warn({ err: e }, 'reading user tasks from Zeebe failed'))
        .finally(() => {
          this.syncing = null;
          if (!this.stopped) this.timer = setTimeout(loop, this.opts.pollMs);
        });
    };
    loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.syncing;
  }

  private now(): number {
    return this.opts.clock.now().getTime();
  }

  /** One round: open tasks in, changes applied, tasks Zeebe ended out. Answers how many rows changed. */
  async sync(): Promise<number> {
    let changed = 0;
    const open = new Set<string>();
    for (let from = 0; ; from += PAGE) {
      // The sort is explicit: the SDK's default spells the order in lower case, which the API's enum does not list.
      const page = await this.rest.searchUserTasks({ filter: { state: 'CREATED' }, page: { from, limit: PAGE }, sort: [{ field: 'creationDate', order: 'ASC' }] });
      for (const t of page.items) {
        open.add(String(t.userTaskKey));
        if (await this.upsert(t)) changed++;
      }
      if (page.items.length < PAGE) break;
    }
    const local = (await this.opts.ds.query("SELECT user_task_key FROM zeebe_user_tasks WHERE state = 'created'")) as Row[];
    for (const r of local) {
      const key = String(r.user_task_key);
      if (open.has(key)) continue;
      let t: RestUserTask | null;
      try {
        t = await this.rest.getUserTask(key);
      } catch (e) {
        const err = restError(e, key);
        if (!isRejection(err, 'NOT_FOUND')) throw err;
        t = null;
      }
      // Search results may lag behind Zeebe (its secondary storage): a task still CREATED stays.
      if (t && t.state === 'CREATED') continue;
      await inTransaction(this.opts.ds, (em) => this.close(em, key, t?.state === 'COMPLETED' ? 'completed' : 'canceled', ms(t?.completionDate) ?? this.now(), null));
      changed++;
    }
    return changed;
  }

  private async formIdOf(em: EntityManager, t: RestUserTask): Promise<string | null> {
    if (!t.formKey) return null;
    const [f] = (await em.query('SELECT form_id FROM zeebe_forms WHERE form_key = ?', [String(t.formKey)])) as Row[];
    return f ? String(f.form_id) : null;
  }

  private async upsert(t: RestUserTask): Promise<boolean> {
    const key = String(t.userTaskKey);
    return inTransaction(this.opts.ds, async (em) => {
      const [row] = (await em.query('SELECT * FROM zeebe_user_tasks WHERE user_task_key = ?', [key])) as Row[];
      const due = ms(t.dueDate);
      const followUp = ms(t.followUpDate);
      const assignee = t.assignee || null;
      if (row) {
        if (row.state !== 'created') return false;
        if (this.now() - Number(row.synced_at) < SEARCH_LAG_GRACE_MS && str(row.assignee) !== assignee) return false;
        if (str(row.assignee) === assignee && (row.due_date === null ? null : Number(row.due_date)) === due
          && (row.follow_up_date === null ? null : Number(row.follow_up_date)) === followUp && Number(row.priority) === Number(t.priority ?? 50)) return false;
        await em.query('UPDATE zeebe_user_tasks SET assignee = ?, due_date = ?, follow_up_date = ?, priority = ?, synced_at = ? WHERE user_task_key = ?',
          [assignee, due, followUp, Number(t.priority ?? 50), this.now(), key]);
        return true;
      }
      const created = ms(t.creationDate) ?? this.now();
      const groups = t.candidateGroups ?? [];
      const users = t.candidateUsers ?? [];
      await em.query(
        `INSERT INTO zeebe_user_tasks (user_task_key, process_instance_key, element_instance_key, element_id, bpmn_process_id, process_definition_key,
           name, form_id, assignee, candidate_groups, candidate_users, due_date, follow_up_date, priority, state, created_at, synced_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'created', ?, ?)`,
        [key, String(t.processInstanceKey), String(t.elementInstanceKey), t.elementId, t.processDefinitionId, String(t.processDefinitionKey),
          t.name || null, await this.formIdOf(em, t), assignee, JSON.stringify(groups), JSON.stringify(users), due, followUp, Number(t.priority ?? 50), created, this.now()]);
      for (const g of new Set(groups)) await em.query("INSERT INTO zeebe_user_task_candidates (user_task_key, kind, name) VALUES (?, 'group', ?)", [key, g]);
      for (const u of new Set(users)) await em.query("INSERT INTO zeebe_user_task_candidates (user_task_key, kind, name) VALUES (?, 'user', ?)", [key, u]);
      await recordInstance(em, {
        processInstanceKey: String(t.processInstanceKey), bpmnProcessId: t.processDefinitionId, version: Number(t.processDefinitionVersion ?? 0),
        definitionKey: String(t.processDefinitionKey),
      }, created);
      await recordElementEvent(em, { processInstanceKey: String(t.processInstanceKey), elementInstanceKey: String(t.elementInstanceKey), elementId: t.elementId, kind: 'userTask', event: 'activated' }, created);
      return true;
    });
  }

  private async close(em: EntityManager, key: string, state: 'completed' | 'canceled', at: number, by: string | null): Promise<void> {
    const [row] = (await em.query('SELECT * FROM zeebe_user_tasks WHERE user_task_key = ?', [key])) as Row[];
    if (!row || row.state !== 'created') return;
    await em.query("UPDATE zeebe_user_tasks SET state = ?, completed_at = ?, completed_by = ?, synced_at = ? WHERE user_task_key = ? AND state = 'created'",
      [state, at, by, this.now(), key]);
    await recordElementEvent(em, {
      processInstanceKey: String(row.process_instance_key), elementInstanceKey: String(row.element_instance_key), elementId: String(row.element_id),
      kind: 'userTask', event: state,
    }, at);
  }

  /** Open tasks of a process instance that Zeebe ends with it (cancel); the sync would find them later. */
  async closeOfInstance(em: EntityManager, processInstanceKey: string): Promise<void> {
    const rows = (await em.query("SELECT user_task_key FROM zeebe_user_tasks WHERE process_instance_key = ? AND state = 'created'", [processInstanceKey])) as Row[];
    for (const r of rows) await this.close(em, String(r.user_task_key), 'canceled', this.now(), null);
  }

  // ------------------------------------------------------------------ the inbox

  private async row(em: EntityManager, key: string): Promise<{ row: Row; candidates: Row[] }> {
    const [row] = (await em.query('SELECT * FROM zeebe_user_tasks WHERE user_task_key = ?', [key])) as Row[];
    if (!row) throw reject.notFound('TASK_NOT_FOUND', `No task ${key}.`);
    const candidates = (await em.query('SELECT kind, name FROM zeebe_user_task_candidates WHERE user_task_key = ?', [key])) as Row[];
    return { row, candidates };
  }

  private static open(row: Row, key: string): void {
    if (row.state === 'completed') throw reject.invalidState('TASK_ALREADY_COMPLETED', `Task ${key} is already completed.`);
    if (row.state === 'canceled') throw reject.invalidState('TASK_CANCELED', `Task ${key} was cancelled by the process.`);
  }

  async getTask(key: string): Promise<UserTaskView & { variables: Vars }> {
    const { row, candidates } = await this.row(this.opts.ds.manager, key);
    return { ...view(row, candidates), variables: row.state === 'created' ? await this.variables(key) : {} };
  }

  /** The variables the task sees (its scope and the process's), read from Zeebe. */
  private async variables(key: string): Promise<Vars> {
    const out: Vars = {};
    try {
      const r = await this.rest.searchUserTaskVariables({ userTaskKey: key, page: { from: 0, limit: 1000 } } as Parameters<CamundaRestClient['searchUserTaskVariables']>[0]);
      for (const v of r.items as Array<{ name: string; value: string }>) {
        try { out[v.name] = JSON.parse(v.value); } catch { out[v.name] = v.value; }
      }
    } catch (e) {
      throw restError(e, key);
    }
    return out;
  }

  async listTasks(q: TaskQuery = {}): Promise<UserTaskView[]> {
    const where = ['t.state = ?'];
    const params: unknown[] = [q.state ?? 'created'];
    if (q.assignee) { where.push('t.assignee = ?'); params.push(q.assignee); }
    if (q.processInstanceKey) { where.push('t.process_instance_key = ?'); params.push(q.processInstanceKey); }
    if (q.rootProcessInstanceKeys) {
      // A task's root is its own instance here (view()): the keys are matched by instance (ix_zeebe_user_tasks_instance).
      if (!q.rootProcessInstanceKeys.length) return [];
      where.push(`t.process_instance_key IN (${q.rootProcessInstanceKeys.map(() => '?').join(', ')})`);
      params.push(...q.rootProcessInstanceKeys);
    }
    if (q.dueBefore !== undefined) { where.push('t.due_date < ?'); params.push(q.dueBefore); }
    if (q.after) {
      // Keys are decimal strings: shorter is smaller.
      where.push('(LENGTH(t.user_task_key) > ? OR (LENGTH(t.user_task_key) = ? AND t.user_task_key > ?))');
      params.push(q.after.length, q.after.length, q.after);
    }
    const cands: string[] = [];
    if (q.candidateGroups?.length) {
      cands.push(`(c.kind = 'group' AND c.name IN (${q.candidateGroups.map(() => '?').join(', ')}))`);
      params.push(...q.candidateGroups);
    }
    if (q.candidateUser) { cands.push("(c.kind = 'user' AND c.name = ?)"); params.push(q.candidateUser); }
    if (cands.length) where.push(`EXISTS (SELECT 1 FROM zeebe_user_task_candidates c WHERE c.user_task_key = t.user_task_key AND (${cands.join(' OR ')}))`);
    const limit = Math.min(Math.max(1, q.limit ?? 50), 500);
    const rows = (await this.opts.ds.query(
      `SELECT t.* FROM zeebe_user_tasks t WHERE ${where.join(' AND ')} ORDER BY LENGTH(t.user_task_key), t.user_task_key LIMIT ${limit}`, params)) as Row[];
    if (!rows.length) return [];
    const keys = rows.map((r) => String(r.user_task_key));
    const cs = (await this.opts.ds.query(`SELECT user_task_key, kind, name FROM zeebe_user_task_candidates WHERE user_task_key IN (${keys.map(() => '?').join(', ')})`, keys)) as Row[];
    return rows.map((r) => view(r, cs.filter((c) => String(c.user_task_key) === String(r.user_task_key))));
  }

  private async change(key: string, em: EntityManager | undefined, work: (row: Row, tx: EntityManager) => Promise<void>): Promise<UserTaskView> {
    const run = async (tx: EntityManager) => {
      const { row } = await this.row(tx, key);
      ZeebeTasks.open(row, key);
      await work(row, tx);
      const after = await this.row(tx, key);
      return view(after.row, after.candidates);
    };
    return em ? run(em) : inTransaction(this.opts.ds, run);
  }

  async claimTask(key: string, username: string, em?: EntityManager): Promise<UserTaskView> {
    return this.change(key, em, async (row, tx) => {
      if (row.assignee && row.assignee !== username) throw reject.invalidState('TASK_ALREADY_CLAIMED', `Task ${key} is assigned to ${String(row.assignee)}.`);
      // allowOverride false: two handlers claiming at once, Zeebe lets one win.
      if (row.assignee !== username) {
        await this.rest.assignUserTask({ userTaskKey: key, assignee: username, allowOverride: false, action: 'claim' }).catch((e: unknown) => { throw restError(e, key); });
      }
      await tx.query('UPDATE zeebe_user_tasks SET assignee = ?, synced_at = ? WHERE user_task_key = ?', [username, this.now(), key]);
    });
  }

  async unclaimTask(key: string, em?: EntityManager): Promise<UserTaskView> {
    return this.assignTask(key, null, em);
  }

  async assignTask(key: string, assignee: string | null, em?: EntityManager): Promise<UserTaskView> {
    return this.change(key, em, async (_row, tx) => {
      const sent = assignee === null
        ? this.rest.unassignUserTask({ userTaskKey: key })
        : this.rest.assignUserTask({ userTaskKey: key, assignee, allowOverride: true });
      await sent.catch((e: unknown) => { throw restError(e, key); });
      await tx.query('UPDATE zeebe_user_tasks SET assignee = ?, synced_at = ? WHERE user_task_key = ?', [assignee, this.now(), key]);
    });
  }

  async completeTask(key: string, variables: Vars | undefined, user: string | null, em?: EntityManager): Promise<void> {
    await this.change(key, em, async (_row, tx) => {
      await this.rest.completeUserTask({ userTaskKey: key, variables: variables ?? {} }).catch((e: unknown) => { throw restError(e, key); });
      await this.close(tx, key, 'completed', this.now(), user);
    });
  }
}
