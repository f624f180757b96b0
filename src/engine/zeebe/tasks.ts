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
import type { TaskQuery, TaskReassignment, UserTaskView, Vars } from '../port-types';
import { TaskRow, taskSearchSql, taskView } from '../read-model/task-search';
import { ZEEBE_TASKS } from '../read-model/task-tables';
import { EngineRejection, isRejection, reject } from '../rejection';
import { recordElementEvent, recordInstance } from './mirror';
import { kindOfRestStatus } from './rejections';
import { checkPriority, checkReassignment } from '../task-changes';

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
        // The candidate rows carry the due date: a group's inbox in due order ranges over them.
        await em.query('UPDATE zeebe_user_task_candidates SET due_date = ? WHERE user_task_key = ?', [due, key]);
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
      await insertCandidates(em, key, groups, users, 'created', due);
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
    await em.query('UPDATE zeebe_user_task_candidates SET state = ? WHERE user_task_key = ?', [state, key]);
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

  /** The task under the shared view's column names (task-tables.ts), as the inbox search reads it. */
  private async row(em: EntityManager, key: string): Promise<TaskRow> {
    const [row] = (await em.query(`SELECT ${ZEEBE_TASKS.viewColumns} FROM zeebe_user_tasks t WHERE t.user_task_key = ?`, [key])) as TaskRow[];
    if (!row) throw reject.notFound('TASK_NOT_FOUND', `No task ${key}.`);
    return row;
  }

  private static open(row: TaskRow, key: string): void {
    if (row.state === 'completed') throw reject.invalidState('TASK_ALREADY_COMPLETED', `Task ${key} is already completed.`);
    if (row.state === 'canceled') throw reject.invalidState('TASK_CANCELED', `Task ${key} was cancelled by the process.`);
  }

  async getTask(key: string): Promise<UserTaskView & { variables: Vars }> {
    const row = await this.row(this.opts.ds.manager, key);
    return { ...taskView(row), variables: row.state === 'created' ? await this.variables(key) : {} };
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

  /** The inbox search: the shared task search over the service's copy of the cluster's tasks. */
  async searchTasks(q: TaskQuery = {}, em?: EntityManager): Promise<UserTaskView[]> {
    const stmt = taskSearchSql(ZEEBE_TASKS, q, { mysql: this.opts.ds.options.type === 'mysql' });
    if (!stmt) return [];
    const rows = (await (em ?? this.opts.ds).query(stmt.sql, stmt.params)) as TaskRow[];
    return rows.map(taskView);
  }

  listTasks(q: TaskQuery = {}): Promise<UserTaskView[]> {
    return this.searchTasks(q);
  }

  private async change(key: string, em: EntityManager | undefined, work: (row: TaskRow, tx: EntityManager) => Promise<void>): Promise<UserTaskView> {
    const run = async (tx: EntityManager) => {
      const row = await this.row(tx, key);
      ZeebeTasks.open(row, key);
      await work(row, tx);
      return taskView(await this.row(tx, key));
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

  /** Zeebe first (the REST API's task update), then the inbox's copy. */
  async setTaskPriority(key: string, priority: number, em?: EntityManager): Promise<UserTaskView> {
    checkPriority(priority);
    return this.change(key, em, async (_row, tx) => {
      await this.update(key, { priority });
      await tx.query('UPDATE zeebe_user_tasks SET priority = ?, synced_at = ? WHERE user_task_key = ?', [priority, this.now(), key]);
    });
  }

  /** The candidates through the task update, the assignee through (un)assignment; then the inbox's copy. */
  async reassignTask(key: string, to: TaskReassignment, em?: EntityManager): Promise<UserTaskView> {
    const r = checkReassignment(to);
    return this.change(key, em, async (row, tx) => {
      const users = r.candidateUsers ?? (row.candidate_users ? (JSON.parse(row.candidate_users) as string[]) : []);
      await this.update(key, { candidateGroups: r.candidateGroups, candidateUsers: users });
      const sent = r.assignee === null
        ? this.rest.unassignUserTask({ userTaskKey: key })
        : this.rest.assignUserTask({ userTaskKey: key, assignee: r.assignee, allowOverride: true });
      await sent.catch((e: unknown) => { throw restError(e, key); });
      await tx.query('UPDATE zeebe_user_tasks SET assignee = ?, candidate_groups = ?, candidate_users = ?, synced_at = ? WHERE user_task_key = ?',
        [r.assignee, JSON.stringify(r.candidateGroups), JSON.stringify(users), this.now(), key]);
      await tx.query('DELETE FROM zeebe_user_task_candidates WHERE user_task_key = ?', [key]);
      await insertCandidates(tx, key, r.candidateGroups, users, row.state, row.due_date === null ? null : Number(row.due_date));
    });
  }

  /** Camunda 8.8's user task update (PATCH); the SDK's change set type lacks the priority the API takes. */
  private async update(key: string, changeset: { priority?: number; candidateGroups?: string[]; candidateUsers?: string[] }): Promise<void> {
    await this.rest.updateUserTask({ userTaskKey: key, changeset: changeset as never }).catch((e: unknown) => { throw restError(e, key); });
  }

  async completeTask(key: string, variables: Vars | undefined, user: string | null, em?: EntityManager): Promise<void> {
    await this.change(key, em, async (_row, tx) => {
      await this.rest.completeUserTask({ userTaskKey: key, variables: variables ?? {} }).catch((e: unknown) => { throw restError(e, key); });
      await this.close(tx, key, 'completed', this.now(), user);
    });
  }
}

/** A task's candidate rows, carrying its state and due date as the inbox's index ranges over them (task-search.ts). */
async function insertCandidates(em: EntityManager, key: string, groups: string[], users: string[], state: string, due: number | null): Promise<void> {
  const rows = [...new Set(groups)].map((g) => ['group', g]).concat([...new Set(users)].map((u) => ['user', u]));
  if (!rows.length) return;
  await em.query(`INSERT INTO zeebe_user_task_candidates (user_task_key, kind, name, state, due_date) VALUES ${rows.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
    rows.flatMap(([kind, name]) => [key, kind, name, state, due]));
}
