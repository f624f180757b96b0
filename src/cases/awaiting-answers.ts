/**
 * The outside answers a case is waiting for right now: the message events its active process
 * instances subscribe to — an intermediate catch event the token stands on, the message events after
 * an active event-based gateway, and the message boundary events of an active activity. Read from the
 * instances' active elements and their diagrams, so it holds for both engines. Each one the catalogue
 * knows (src/cases/answer-catalog.ts) becomes an action on the case page.
 */
import type { EntityManager } from 'typeorm';
import { definitionByVersion, loadExecutable } from '../engine/deploy/definitions';
import type { ExecutableProcess } from '../engine/model/types';
import type { InstanceView, WorkflowEngine } from '../engine/port';
import { AnswerKind, answerKind } from './answer-catalog';

export interface AwaitedAnswer extends AnswerKind {
  /** The diagram element waiting for it (for the user: its name). */
  elementId: string;
  elementName: string | null;
  bpmnProcessId: string;
  processInstanceKey: string;
}

/** Message names waited for by the active elements of one instance. */
export function awaitedMessages(process: ExecutableProcess, activeElementIds: string[]): { elementId: string; message: string }[] {
  const out: { elementId: string; message: string }[] = [];
  const messageOf = (id: string): string | null => {
    const el = process.elements[id];
    if (!el || !('event' in el) || el.event.type !== 'message') return null;
    const name = el.event.messageName;
    // A name computed at run time (=expression) cannot be offered as a fixed action.
    return name.startsWith('=') ? null : name;
  };
  for (const id of new Set(activeElementIds)) {
    const el = process.elements[id];
    if (!el) continue;
    const own = el.kind === 'intermediateCatchEvent' ? messageOf(id) : null;
    if (own) out.push({ elementId: id, message: own });
    if (el.kind === 'eventBasedGateway') {
      for (const flow of Object.values(process.flows).filter((f) => f.sourceId === id)) {
        const m = messageOf(flow.targetId);
        if (m) out.push({ elementId: flow.targetId, message: m });
      }
    }
    for (const b of process.boundaryEventsByHost[id] ?? []) {
      const m = messageOf(b);
      if (m) out.push({ elementId: b, message: m });
    }
  }
  return out;
}

async function executableOf(em: EntityManager, pi: InstanceView): Promise<ExecutableProcess | null> {
  try {
    return await loadExecutable(em, pi.definitionKey);
  } catch {
    // Zeebe mode keeps its definitions under the cluster's keys: find the version by process id.
    const def = await definitionByVersion(em, pi.bpmnProcessId, pi.version);
    return def ? loadExecutable(em, def.key).catch(() => null) : null;
  }
}

/** The answers the case's active instances (and the instances they called) wait for, one per message name. */
export async function awaitingAnswers(em: EntityManager, engine: WorkflowEngine, caseId: string): Promise<AwaitedAnswer[]> {
  const rows = (await em.query('SELECT process_instance_key FROM case_processes WHERE case_id = ?', [caseId])) as { process_instance_key: string }[];
  const queue = rows.map((r) => String(r.process_instance_key));
  const seen = new Set<string>();
  const out = new Map<string, AwaitedAnswer>();
  while (queue.length) {
    const key = queue.shift()!;
    if (seen.has(key)) continue;
    seen.add(key);
    const pi = await engine.getInstance(key).catch(() => null);
    if (!pi || pi.state !== 'active') continue;
    queue.push(...(pi.calledInstanceKeys ?? []));
    const process = await executableOf(em, pi);
    if (!process) continue;
    const active = pi.elements.filter((e) => e.state === 'active').map((e) => e.elementId);
    for (const w of awaitedMessages(process, active)) {
      const kind = answerKind(w.message);
      if (!kind || out.has(kind.message)) continue;
      out.set(kind.message, {
        ...kind, elementId: w.elementId, elementName: process.elements[w.elementId]?.name ?? null, bpmnProcessId: pi.bpmnProcessId, processInstanceKey: pi.processInstanceKey,
      });
    }
  }
  return [...out.values()];
}
