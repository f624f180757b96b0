/**
 * Supervision commands, shared by the dashboard's routes and the escalation runner: list a case for
 * supervision (挂牌督办) with a due date and an owner, and carry out an escalation's actions. Each
 * writes in the caller's transaction and leaves an entry on the case's timeline (audit log).
 */
import crypto from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Actor, recordAudit } from '../audit/audit';
import type { Clock } from '../clock/clock';
import { setCaseStatus } from '../cases/set-status';
import type { CalendarData } from '../deadlines/calendar';
import { chinaDate, chinaDateTimeText, endOfChinaDay } from '../deadlines/china-time';
import type { WorkflowEngine } from '../engine/port';
import { errors } from '../errors';
import { MailAddress, queueMail } from '../mail';
import type { MailDirectory } from '../workers/deps';
import { officeDirectory, userAddresses } from '../workers/mail.send';
import { shiftDate } from './schedule';
import type { EscalationAction, ServiceLevel } from './service-levels';
import type { TaskSource } from './task-source';

type Row = Record<string, unknown>;

export interface SuperviseInput {
  caseId: string;
  dueAt: number;
  /** Username of the owner (督办责任人). */
  owner: string;
  reason?: string | null;
  /** dashboard: by a supervisor; escalation: by a service level; workflow: flagged by a diagram (case.set-status). */
  source: 'dashboard' | 'escalation' | 'workflow';
}

export interface SupervisedCase {
  caseId: string;
  dueAt: string;
  owner: string;
  /** The owner's display name (the username when the user is gone). */
  ownerName: string;
  reason: string | null;
  source: string;
  setBy: string;
  setAt: string;
}

/**
 * Lists the case for supervision, or changes the due date and owner of its listing. The case must be
 * of `officeId` and the owner an active user of that office.
 */
export async function superviseCase(em: EntityManager, officeId: string, input: SuperviseInput, actor: Actor, now: Date): Promise<SupervisedCase> {
  const [c] = (await em.query('SELECT id, office_id FROM cases WHERE id = ?', [input.caseId])) as Row[];
  if (!c || String(c.office_id) !== officeId) throw errors.notFound('case', input.caseId);
  const [owner] = (await em.query('SELECT username, display_name FROM users WHERE username = ? AND office_id = ? AND active = 1', [input.owner, officeId])) as Row[];
  if (!owner) throw errors.validation('Unknown owner.', [{ path: 'body.owner', message: 'no active user with this username in your office' }]);
  const [before] = (await em.query('SELECT due_at, owner, reason, source FROM supervision_cases WHERE case_id = ?', [input.caseId])) as Row[];
  const row = { due_at: input.dueAt, owner: input.owner, reason: input.reason ?? null, source: input.source, set_by: actor.name, set_at: now.getTime() };
  if (before) {
    await em.query('UPDATE supervision_cases SET due_at = ?, owner = ?, reason = ?, source = ?, set_by = ?, set_at = ?, lifted_at = NULL WHERE case_id = ?',
      [row.due_at, row.owner, row.reason, row.source, row.set_by, row.set_at, input.caseId]);
  } else {
    await em.query('INSERT INTO supervision_cases (case_id, office_id, due_at, owner, reason, source, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [input.caseId, officeId, row.due_at, row.owner, row.reason, row.source, row.set_by, row.set_at]);
  }
  await setCaseStatus(em, input.caseId, { flag: 'supervised' }, actor, now);
  await recordAudit(em, actor, now, {
    action: 'case.supervise', entityType: 'case', entityId: input.caseId, caseId: input.caseId,
    before: before ? { dueAt: new Date(Number(before.due_at)).toISOString(), owner: before.owner, reason: before.reason } : null,
    after: { dueAt: new Date(input.dueAt).toISOString(), owner: input.owner, reason: input.reason ?? null, source: input.source },
  });
  return {
    caseId: input.caseId, dueAt: new Date(input.dueAt).toISOString(), owner: input.owner, ownerName: String(owner.display_name), reason: input.reason ?? null,
    source: input.source, setBy: actor.name, setAt: now.toISOString(),
  };
}

/** The cases listed for supervision and not yet closed, soonest due first, with their owners' names. */
export async function supervisedCases(em: EntityManager, officeId: string): Promise<(SupervisedCase & { caseNumber: string; gridId: string | null; status: string })[]> {
  const rows = (await em.query(
    `SELECT s.*, c.case_number, c.grid_id, c.status, u.display_name AS owner_name FROM supervision_cases s JOIN cases c ON c.id = s.case_id
       LEFT JOIN users u ON u.username = s.owner AND u.office_id = s.office_id
      WHERE s.office_id = ? AND s.lifted_at IS NULL AND c.closed_at IS NULL ORDER BY s.due_at`, [officeId])) as Row[];
  return rows.map((r) => ({
    caseId: String(r.case_id), caseNumber: String(r.case_number), gridId: r.grid_id === null ? null : String(r.grid_id), status: String(r.status),
    dueAt: new Date(Number(r.due_at)).toISOString(), owner: String(r.owner), ownerName: r.owner_name === null || r.owner_name === undefined ? String(r.owner) : String(r.owner_name),
    reason: r.reason === null ? null : String(r.reason), source: String(r.source), setBy: String(r.set_by), setAt: new Date(Number(r.set_at)).toISOString(),
  }));
}

/** How long the owner of a case a diagram flagged has to act: the default level's own 挂牌督办 span. */
const WORKFLOW_SUPERVISION_DUE_IN = { count: 5, unit: 'workingDays' } as const;

/**
 * Cases a diagram flagged 挂牌督办 (case.set-status header `flag`, e.g. the police silent past their
 * 3 日) carry the flag but no listing: this gives each one a listing like the dashboard's, owned by a
 * supervisor, with the overdue limits of the case as its reason, so the dashboard lists it with the
 * others. Run by the escalation runner on each pass; answers how many it listed.
 */
export async function listFlaggedCases(em: EntityManager, cal: CalendarData, actor: Actor, now: Date): Promise<number> {
  const rows = (await em.query(
    `SELECT c.id, c.office_id FROM cases c LEFT JOIN supervision_cases s ON s.case_id = c.id
      WHERE c.supervised = 1 AND c.closed_at IS NULL AND s.case_id IS NULL`)) as Row[];
  let listed = 0;
  for (const r of rows) {
    const officeId = String(r.office_id);
    const owner = await ownerFor(em, officeId, 'supervisor');
    if (!owner) continue;
    const overdue = (await em.query(
      "SELECT explanation_json, due_at FROM case_deadlines WHERE case_id = ? AND state = 'open' AND due_at <= ? ORDER BY due_at", [String(r.id), now.getTime()])) as Row[];
    const titles = [...new Set(overdue.map((d) => {
      try {
        const e = JSON.parse(String(d.explanation_json)) as { ruleTitle?: string | null };
        return e.ruleTitle ?? null;
      } catch {
        return null;
      }
    }).filter((t): t is string => Boolean(t)))];
    const reason = titles.length ? `${titles.join('、')}已届满（流程自动挂牌督办）` : '流程自动挂牌督办';
    const dueAt = endOfChinaDay(shiftDate(cal, chinaDate(now), WORKFLOW_SUPERVISION_DUE_IN.count, WORKFLOW_SUPERVISION_DUE_IN.unit)).getTime();
    await superviseCase(em, officeId, { caseId: String(r.id), dueAt, owner, reason, source: 'workflow' }, actor, now);
    listed++;
  }
  return listed;
}

// ------------------------------------------------------------------ escalation

export interface EscalationSubject {
  kind: 'task' | 'deadline';
  key: string;
  title: string;
  caseId: string;
  caseNumber: string;
  officeId: string;
  /** Street grid code of the case, for `$grid`. */
  streetCode: string | null;
  assignee: string | null;
  candidateGroups: string[];
  dueAt: number;
}

export interface EscalationDeps {
  /** The engine cases run on (embedded, or the Zeebe adapter): assignments must reach it. */
  engine: WorkflowEngine;
  /** The task table of that engine, for the reports that share these deps (escalations read tasks through the engine). */
  source?: TaskSource;
  clock: Clock;
  cal: CalendarData;
  /**
   * Who receives mail for a role; by default the office directory `mail.send` uses (office contacts,
   * users' addresses), read in the escalation's transaction, with placeholders only for nobody on file.
   */
  directory?: MailDirectory;
}

/** The highest task priority (Zeebe's range, which both engines keep). */
const MAX_TASK_PRIORITY = 100;

export const LEVEL_LABELS: Record<string, string> = { goal: '即将到期', deadline: '已到期' };
export const levelLabel = (level: string) => LEVEL_LABELS[level] ?? (level.startsWith('passed-') ? `逾期第${level.slice(7)}次督促` : level);

function isUniqueViolation(e: unknown): boolean {
  const d = (e as { driverError?: { code?: string; errno?: number }; code?: string }).driverError ?? (e as { code?: string; errno?: number });
  return d.code === 'ER_DUP_ENTRY' || d.errno === 1062 || d.code === 'SQLITE_CONSTRAINT_UNIQUE' || d.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

const STAFF_ROLES = new Set(['intake', 'handler', 'legal', 'supervisor', 'admin']);

/**
 * The addresses of a task's candidate groups: a staff role through the directory; a grid (its code is
 * the group name) through the handlers of that grid; anything else as an office contact role.
 */
async function groupAddresses(em: EntityManager, directory: MailDirectory, officeId: string, groups: string[]): Promise<{ addresses: MailAddress[]; placeholder: string[] }> {
  const addresses: MailAddress[] = [];
  const placeholder: string[] = [];
  for (const group of groups) {
    let answer;
    if (STAFF_ROLES.has(group)) answer = await directory(officeId, group);
    else {
      const [grid] = (await em.query('SELECT id FROM grids WHERE code = ? AND office_id = ?', [group, officeId])) as Row[];
      answer = grid ? await directory(officeId, 'handler', { gridId: String(grid.id), inspectors: [] }) : await directory(officeId, group);
    }
    if (answer.placeholder) placeholder.push(group);
    addresses.push(...answer.addresses);
  }
  return { addresses, placeholder };
}

async function ownerFor(em: EntityManager, officeId: string, owner: string): Promise<string | null> {
  const [user] = (await em.query('SELECT username FROM users WHERE username = ? AND office_id = ? AND active = 1', [owner, officeId])) as Row[];
  if (user) return String(user.username);
  const [member] = (await em.query(
    'SELECT u.username FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role = ? AND u.office_id = ? AND u.active = 1 ORDER BY u.username', [owner, officeId])) as Row[];
  return member ? String(member.username) : null;
}

/**
 * Fires one level of a subject: records it (once: a second call for the same level answers false and
 * writes nothing), carries out its actions and writes the escalation to the case's timeline.
 */
export async function fireEscalation(
  em: EntityManager, deps: EscalationDeps, subject: EscalationSubject, level: ServiceLevel, levelName: string, actions: EscalationAction[], actor: Actor,
): Promise<boolean> {
  const now = deps.clock.now();
  const [exists] = (await em.query('SELECT id FROM supervision_escalations WHERE subject_kind = ? AND subject_key = ? AND level = ?', [subject.kind, subject.key, levelName])) as Row[];
  if (exists) return false;
  const id = crypto.randomUUID();
  try {
    await em.query(
      `INSERT INTO supervision_escalations (id, subject_kind, subject_key, level, service_level, case_id, due_at, fired_at, actions_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [id, subject.kind, subject.key, levelName, level.id, subject.caseId, subject.dueAt, now.getTime(), JSON.stringify(actions)]);
  } catch (e) {
    if (isUniqueViolation(e)) return false;
    throw e;
  }
  const done: Record<string, unknown>[] = [];
  const directory = deps.directory ?? officeDirectory(em);
  const label = levelLabel(levelName);
  const body = `${subject.title}（案件 ${subject.caseNumber}）${label}。期限：${chinaDateTimeText(subject.dueAt)}（北京时间）。服务标准：${level.title}。`;
  const mail = async (to: MailAddress[], who: string) => {
    const seen = new Set<string>();
    await queueMail(em, {
      to: to.filter((a) => !seen.has(a.email.toLowerCase()) && !!seen.add(a.email.toLowerCase())).slice(0, 50), subject: `【督办】${subject.caseNumber} ${subject.title}：${label}`, textBody: body,
      purpose: 'supervision_escalation', idempotencyKey: `sla:${subject.kind}:${subject.key}:${levelName}:${who}`, officeId: subject.officeId, caseId: subject.caseId,
    }, deps.clock);
  };
  for (const a of actions) {
    switch (a.kind) {
      case 'notifyAssignee': {
        const to = subject.assignee ? [subject.assignee] : subject.candidateGroups;
        if (!to.length) { done.push({ kind: a.kind, skipped: 'no assignee' }); break; }
        const found = subject.assignee ? await userAddresses(em, subject.officeId, to) : await groupAddresses(em, directory, subject.officeId, to);
        await mail(found.addresses, 'assignee');
        done.push({ kind: a.kind, to, ...(found.placeholder.length ? { noAddressOnFile: found.placeholder } : {}) });
        break;
      }
      case 'notifySupervisor': {
        const found = await directory(subject.officeId, 'supervisor');
        await mail(found.addresses, 'supervisor');
        done.push({ kind: a.kind, to: ['supervisor'], ...(found.placeholder ? { noAddressOnFile: ['supervisor'] } : {}) });
        break;
      }
      case 'raisePriority': {
        if (subject.kind !== 'task') { done.push({ kind: a.kind, skipped: 'not a task' }); break; }
        const [t] = await deps.engine.searchTasks({ keys: [subject.key] }, em);
        if (!t) { done.push({ kind: a.kind, skipped: 'task closed' }); break; }
        const to = Math.min(MAX_TASK_PRIORITY, t.priority + a.by);
        // Through the engine, under its lock on the task; in Zeebe mode it reaches the cluster too.
        await deps.engine.setTaskPriority(subject.key, to, em);
        done.push({ kind: a.kind, from: t.priority, to });
        break;
      }
      case 'reassignToGroup': {
        const group = a.group === '$grid' ? subject.streetCode : a.group;
        if (subject.kind !== 'task' || !group) { done.push({ kind: a.kind, skipped: group ? 'not a task' : 'case has no grid' }); break; }
        // Unassigned and offered to the group in one engine command: the embedded engine locks the task's
        // root like any other change to it; in Zeebe mode both reach the cluster and the inbox's copy.
        await deps.engine.reassignTask(subject.key, { assignee: null, candidateGroups: [group] }, em);
        done.push({ kind: a.kind, from: { assignee: subject.assignee, groups: subject.candidateGroups }, to: { groups: [group] } });
        break;
      }
      case 'supervise': {
        const [listed] = (await em.query('SELECT owner FROM supervision_cases WHERE case_id = ? AND lifted_at IS NULL', [subject.caseId])) as Row[];
        if (listed) { done.push({ kind: a.kind, skipped: 'already supervised', owner: listed.owner }); break; }
        const owner = await ownerFor(em, subject.officeId, a.owner);
        if (!owner) { done.push({ kind: a.kind, skipped: `no user ${a.owner}` }); break; }
        const dueAt = endOfChinaDay(shiftDate(deps.cal, chinaDate(now), a.dueIn.count, a.dueIn.unit)).getTime();
        await superviseCase(em, subject.officeId, { caseId: subject.caseId, dueAt, owner, reason: `${subject.title}${label}（${level.title}）`, source: 'escalation' }, actor, now);
        done.push({ kind: a.kind, owner, dueAt: new Date(dueAt).toISOString() });
        break;
      }
    }
  }
  await recordAudit(em, actor, now, {
    action: 'supervision.escalate', entityType: subject.kind, entityId: subject.key, caseId: subject.caseId,
    after: { level: levelName, label, serviceLevel: level.id, title: subject.title, dueAt: new Date(subject.dueAt).toISOString(), actions: done },
  });
  return true;
}

/** The actions of a level: goal, deadline, or the passed-deadline ones from their repetition on. */
export function actionsOf(level: ServiceLevel, levelName: string): EscalationAction[] {
  if (levelName === 'goal') return level.actions.goal;
  if (levelName === 'deadline') return level.actions.deadline;
  const k = Number(levelName.slice('passed-'.length));
  return level.actions.passedDeadline.filter((p) => k >= p.fromRepeat).map((p) => p.action);
}
