/**
 * User tasks. A task is the principal's to see when they may work on it (assignee, candidate user or
 * member of a candidate group) or their role sees the office's work, and in both cases only when they
 * see the task's case: a candidate group is a grid code or a role, and a role group must not open
 * another street's case.
 */
import type { Principal } from '../principal';
import type { CaseRef } from './case';
import { canSeeGrid, Decision, hasRole, seeThen } from './roles';

export interface TaskRef {
  assignee: string | null;
  candidateGroups: string[];
  candidateUsers: string[];
  state: 'created' | 'completed' | 'canceled';
  /** The case of the task's root process instance; null for a process started without a case. */
  case: CaseRef | null;
  /** For a process without a case: the office and grid it was started for (src/tasks/instance-scopes.ts). */
  scope?: InstanceScope | null;
}

/** Where a process without a case belongs: its office, and the grid when it concerns one. */
export interface InstanceScope {
  officeId: string;
  gridId: string | null;
}

const OFFICE_WIDE = ['supervisor', 'legal', 'admin'] as const;

/** Whether the task is one the principal works on: theirs, or unclaimed and offered to them. */
export function isCandidate(p: Principal, t: Pick<TaskRef, 'assignee' | 'candidateGroups' | 'candidateUsers'>): boolean {
  if (t.assignee) return t.assignee === p.username;
  return t.candidateUsers.includes(p.username) || t.candidateGroups.some((g) => p.groups.includes(g));
}

/**
 * A case without a grid is routed to every handler (group `handler`): its candidates see it. A process
 * without a case is seen as its scope says: in its office only, by who sees its grid or is offered the task.
 */
function seesCaseOf(p: Principal, t: TaskRef, candidate: boolean): boolean {
  if (!t.case && t.scope) return t.scope.officeId === p.officeId && (candidate || canSeeGrid(p, t.scope.officeId, t.scope.gridId));
  if (!t.case) return true;
  if (canSeeGrid(p, t.case.officeId, t.case.gridId)) return true;
  return candidate && t.case.gridId === null && t.case.officeId === p.officeId;
}

function sees(p: Principal, t: TaskRef): boolean {
  const candidate = isCandidate(p, t);
  return (candidate || hasRole(p, ...OFFICE_WIDE)) && seesCaseOf(p, t, candidate);
}

export const taskPolicy = {
  read: (p: Principal, t: TaskRef): Decision => seeThen(sees(p, t), true),
  claim: (p: Principal, t: TaskRef): Decision => seeThen(sees(p, t), isCandidate(p, t)),
  unclaim: (p: Principal, t: TaskRef): Decision => seeThen(sees(p, t), t.assignee === p.username || hasRole(p, 'supervisor', 'admin')),
  assign: (p: Principal, t: TaskRef): Decision => seeThen(sees(p, t), hasRole(p, 'supervisor', 'admin')),
  complete: (p: Principal, t: TaskRef): Decision => seeThen(sees(p, t), isCandidate(p, t)),
  /**
   * Whether `p` may be given the task by a supervisor: someone it is offered to (a candidate user, or a
   * member of a candidate group) who sees its case. A task offered to nobody may go to anyone who sees the case.
   */
  receive: (p: Principal, t: TaskRef): Decision => {
    const offered = t.candidateUsers.includes(p.username) || t.candidateGroups.some((g) => p.groups.includes(g))
      || (t.candidateUsers.length === 0 && t.candidateGroups.length === 0);
    return seeThen(seesCaseOf(p, t, offered), offered);
  },
};
