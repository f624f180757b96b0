/**
 * The inbox query: a user's tasks through the engine port's task search — their own, their groups',
 * or the office's — optionally of one case (its process instances and those called from them), each
 * shown only if the policy lets the user see it. The page is cut before the policy filters it, so the
 * cursor still moves past hidden tasks.
 */
import { allowed, authorize } from '../auth/policy';
import type { Principal } from '../auth/principal';
import { caseRefById, caseRefsByProcess } from '../cases/case-refs';
import { caseProcesses } from '../cases/store';
import type { UserTaskView } from '../engine/port';
import { errors } from '../errors';
import type { TaskDeps } from './commands';
import { scopesByProcess } from './instance-scopes';

export interface InboxQuery {
  scope: 'mine' | 'group' | 'all';
  state: 'open' | 'completed';
  processInstanceKey?: string;
  caseId?: string;
  /** Epoch milliseconds. */
  dueBefore?: number;
  cursor?: string;
  limit: number;
}

export async function inbox(deps: TaskDeps, p: Principal, q: InboxQuery): Promise<{ items: UserTaskView[]; nextCursor: string | null }> {
  if (q.scope === 'all') authorize(p, 'office.readAllTasks');
  let caseProcessKeys: string[] | undefined;
  if (q.caseId) {
    // A case the user may not see answers 404, like one that does not exist.
    const caseRef = await caseRefById(deps.ds.manager, q.caseId);
    if (!caseRef) throw errors.notFound('case');
    authorize(p, 'case.read', caseRef);
    caseProcessKeys = (await caseProcesses(deps.ds.manager, q.caseId)).map((c) => c.processInstanceKey);
  }
  const items = await deps.engine.searchTasks({
    state: q.state === 'open' ? 'created' : 'completed',
    assignee: q.scope === 'mine' ? p.username : undefined,
    candidateGroups: q.scope === 'group' ? p.groups : undefined,
    candidateUser: q.scope === 'group' ? p.username : undefined,
    processInstanceKey: q.processInstanceKey,
    rootProcessInstanceKeys: caseProcessKeys,
    dueBefore: q.dueBefore,
    after: q.cursor,
    limit: q.limit,
  });
  const cases = await caseRefsByProcess(deps.ds.manager, items.flatMap((t) => [t.rootProcessInstanceKey, t.processInstanceKey]));
  const caseOf = (t: UserTaskView) => cases.get(t.rootProcessInstanceKey) ?? cases.get(t.processInstanceKey) ?? null;
  const caseless = items.filter((t) => !caseOf(t));
  const scopes = caseless.length ? await scopesByProcess(deps.ds.manager, caseless.flatMap((t) => [t.rootProcessInstanceKey, t.processInstanceKey])) : new Map();
  const scopeOf = (t: UserTaskView) => scopes.get(t.rootProcessInstanceKey) ?? scopes.get(t.processInstanceKey) ?? null;
  return {
    items: items.filter((t) => allowed(p, 'task.read', { ...t, case: caseOf(t), scope: scopeOf(t) })),
    nextCursor: items.length === q.limit ? items[items.length - 1].key : null,
  };
}
