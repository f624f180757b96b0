/**
 * Who may complete a user task by the task alone: its assignee, else a candidate user or a member of a
 * candidate group. The same on both engines; the policy layer adds the case (src/auth/policy/task.ts).
 */
import type { UserTaskView } from './port-types';

export function canComplete(task: Pick<UserTaskView, 'assignee' | 'candidateUsers' | 'candidateGroups'>, user: { username: string; groups: string[] }): boolean {
  if (task.assignee) return task.assignee === user.username;
  return task.candidateUsers.includes(user.username) || task.candidateGroups.some((g) => user.groups.includes(g));
}
