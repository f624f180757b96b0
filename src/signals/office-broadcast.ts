/**
 * A signal broadcast limited to one office: it moves only the instances of that office's cases (by
 * each case's office) and of its processes without a case (by their recorded scope), and an instance a
 * signal start event starts is recorded as that office's, so its tasks stay in the office. Instances
 * with neither a case nor a scope are reached only by the administrator's all-offices broadcast.
 */
import type { EntityManager } from 'typeorm';
import { caseRefsByProcess } from '../cases/case-refs';
import type { SignalBroadcaster, SignalReach } from '../engine/signal-port';
import { recordInstanceScope, scopesByProcess } from '../tasks/instance-scopes';

/** Which of these root instances belong to the office, and to which case each (null: a process without a case). */
export async function officeRoots(em: EntityManager, officeId: string, rootKeys: string[]): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  const cases = await caseRefsByProcess(em, rootKeys);
  for (const [key, c] of cases) if (c.officeId === officeId) out.set(key, c.id);
  const scopes = await scopesByProcess(em, rootKeys.filter((k) => !cases.has(k)));
  for (const [key, s] of scopes) if (s.officeId === officeId) out.set(key, null);
  return out;
}

export function officeReach(officeId: string, now: number): SignalReach {
  return {
    roots: async (rootKeys, em) => new Set((await officeRoots(em, officeId, rootKeys)).keys()),
    started: (processInstanceKey, _bpmnProcessId, em) => recordInstanceScope(em, processInstanceKey, { officeId, gridId: null, kind: 'signal' }, now),
  };
}

export interface WaitingCount {
  /** Cases with at least one instance waiting for the signal. */
  cases: number;
  /** Processes without a case (patrols, warnings …) waiting for it. */
  otherProcesses: number;
}

/** How many of the office's cases and other processes wait for the signal now; officeId null counts every office's. */
export async function waitingFor(engine: SignalBroadcaster, em: EntityManager, signalName: string, officeId: string | null): Promise<WaitingCount> {
  const roots = [...new Set((await engine.signalWaiters(signalName, em)).map((w) => w.rootProcessInstanceKey))];
  if (officeId === null) {
    const cases = await caseRefsByProcess(em, roots);
    return { cases: new Set([...cases.values()].map((c) => c.id)).size, otherProcesses: roots.filter((k) => !cases.has(k)).length };
  }
  const mine = await officeRoots(em, officeId, roots);
  const caseIds = [...mine.values()];
  return { cases: new Set(caseIds.filter((c) => c !== null)).size, otherProcesses: caseIds.filter((c) => c === null).length };
}

/** The offices an administrator may broadcast to, by name. */
export async function officeChoices(em: EntityManager): Promise<{ id: string; name: string }[]> {
  const rows = (await em.query('SELECT id, name FROM offices ORDER BY name')) as { id: string; name: string }[];
  return rows.map((r) => ({ id: String(r.id), name: r.name }));
}
