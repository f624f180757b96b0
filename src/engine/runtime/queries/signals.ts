/**
 * What a broadcaster asks before sending a signal: which signals the deployed diagrams declare (and
 * the steps that catch each), and which instances wait for one right now. Read only; the broadcast
 * itself is commands/signals.ts.
 */
import type { EntityManager } from 'typeorm';
import { listDefinitions } from '../../deploy/definitions';
import type { DeclaredSignal, SignalCatch, SignalWaiter } from '../../signal-port';
import type { EngineContext } from '../context';
import { exprString } from '../expr';
import { select } from '../tx';

/**
 * Every signal name the latest version of a deployed process catches, by name, with its catching
 * steps. A name given as a FEEL expression is left out: it is known only when an instance runs.
 */
export async function declaredSignals(ctx: EngineContext, em: EntityManager = ctx.ds.manager): Promise<DeclaredSignal[]> {
  const byName = new Map<string, SignalCatch[]>();
  for (const def of await listDefinitions(em)) {
    const p = await ctx.executable(em, def.key);
    for (const el of Object.values(p.elements)) {
      if (el.kind !== 'startEvent' && el.kind !== 'intermediateCatchEvent' && el.kind !== 'boundaryEvent') continue;
      if (el.event.type !== 'signal' || el.event.signalName.startsWith('=')) continue;
      const name = exprString(el.event.signalName, {}, 'signal name');
      const host = el.kind === 'boundaryEvent' ? p.elements[el.attachedToId] : undefined;
      const c: SignalCatch = {
        bpmnProcessId: p.id, processName: p.name ?? def.name ?? null, elementId: el.id, elementName: el.name ?? null,
        kind: el.kind === 'startEvent' ? (p.startEventIds.includes(el.id) ? 'start' : 'catch') : el.kind === 'boundaryEvent' ? 'boundary' : 'catch',
        attachedToName: host ? host.name ?? null : null,
      };
      byName.set(name, [...(byName.get(name) ?? []), c]);
    }
  }
  return [...byName.entries()].sort(([a], [b]) => a.localeCompare(b, 'zh-CN')).map(([name, catches]) => ({ name, catches }));
}

/** The catches waiting for the signal now (not its start events), one row per catch. */
export async function signalWaiters(ctx: EngineContext, signalName: string, em: EntityManager = ctx.ds.manager): Promise<SignalWaiter[]> {
  const rows = await select<{ root_id: number | string | null; process_instance_id: number | string | null; bpmn_process_id: string; element_id: string }>(em,
    'SELECT root_id, process_instance_id, bpmn_process_id, element_id FROM engine_signal_subscriptions WHERE signal_name = ? AND definition_key IS NULL ORDER BY id',
    [signalName]);
  return rows.map((r) => ({
    rootProcessInstanceKey: String(r.root_id), processInstanceKey: String(r.process_instance_id), bpmnProcessId: r.bpmn_process_id, elementId: r.element_id,
  }));
}
