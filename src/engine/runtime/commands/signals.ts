/**
 * Signals on the embedded engine. A broadcast reaches every waiting signal catch of its name (an
 * intermediate catch, a boundary event, a catch after an event-based gateway) and starts an instance
 * of every process whose latest version has a signal start event of that name; it is not buffered:
 * a catch that opens later does not see it (as in Zeebe). A broadcast is recorded in engine_signals,
 * whose id is the signal's key, with who sent it.
 *
 * One broadcast is one step: every instance it reaches moves in the same transaction, under each root's
 * lock, so it either reaches all of them or none.
 */
import type { EntityManager } from 'typeorm';
import type { ExecutableProcess } from '../../model/types';
import type { Vars } from '../../port-types';
import type { SignalReach } from '../../signal-port';
import { reject } from '../../rejection';
import { checkVariables, num } from '../checks';
import type { EngineContext } from '../context';
import { exprString } from '../expr';
import type { Step } from '../step';
import { exec, later, select } from '../tx';

export interface BroadcastSignalRequest {
  signalName: string;
  variables?: Vars;
  /** Who broadcast it (an account, or the gateway); recorded with the signal. */
  broadcastBy: string;
  /** Limits the broadcast to some instances (an office's); without it, it reaches every one, as Zeebe's does. */
  reach?: SignalReach;
}

export interface BroadcastSignalResult {
  signalKey: string;
  /** Instances whose waiting catch the signal triggered. */
  triggeredProcessInstanceKeys: string[];
  /** Instances a signal start event started. */
  startedProcessInstanceKeys: string[];
}

interface SignalSubRow {
  id: number | string; signal_name: string; root_id: number | string | null; process_instance_id: number | string | null;
  element_instance_id: number | string | null; element_id: string; definition_key: string | null; bpmn_process_id: string; interrupting: number | boolean;
}

/** Longest signal name, the column's width. */
const MAX_SIGNAL_NAME = 255;

export async function broadcastSignal(ctx: EngineContext, req: BroadcastSignalRequest, em?: EntityManager): Promise<BroadcastSignalResult> {
  const name = typeof req.signalName === 'string' ? req.signalName : '';
  if (!name.trim()) throw reject.invalidArgument('INVALID_SIGNAL_NAME', 'A signal name is required.');
  if (name.length > MAX_SIGNAL_NAME) throw reject.invalidArgument('INVALID_SIGNAL_NAME', `A signal name is at most ${MAX_SIGNAL_NAME} characters.`);
  const vars = checkVariables(req.variables);
  return ctx.step(em, async (step) => {
    const r = await exec(step.em, 'INSERT INTO engine_signals (name, variables, broadcast_by, created_at) VALUES (?, ?, ?, ?)',
      [name, JSON.stringify(vars), req.broadcastBy.slice(0, 255), step.now]);
    const triggered: string[] = [];
    const subs = await select<SignalSubRow>(step.em,
      'SELECT * FROM engine_signal_subscriptions WHERE signal_name = ? AND definition_key IS NULL ORDER BY id', [name]);
    const allowed = req.reach ? await req.reach.roots([...new Set(subs.map((x) => String(x.root_id)))], step.em) : null;
    for (const sub of subs) {
      if (allowed && !allowed.has(String(sub.root_id))) continue;
      if (await triggerSubscription(step, sub, vars)) triggered.push(String(sub.process_instance_id));
    }
    const started: string[] = [];
    const starts = await select<SignalSubRow>(step.em,
      'SELECT * FROM engine_signal_subscriptions WHERE signal_name = ? AND definition_key IS NOT NULL ORDER BY id', [name]);
    for (const s of starts) {
      const def = await ctx.definitions.get(step.em, s.definition_key!);
      if (!def) continue;
      const pi = await step.startInstance(def, s.element_id, {}, { triggerVars: vars });
      started.push(String(pi.id));
      if (req.reach) await req.reach.started(String(pi.id), s.bpmn_process_id, step.em);
      await step.drain();
    }
    return { signalKey: String(r.insertId), triggeredProcessInstanceKeys: [...new Set(triggered)], startedProcessInstanceKeys: started };
  });
}

/** Triggers one waiting catch; false when its instance moved on since the read. */
async function triggerSubscription(step: Step, sub: SignalSubRow, vars: Vars): Promise<boolean> {
  await step.lockRoot(num(sub.root_id));
  const interrupting = Boolean(Number(sub.interrupting));
  if (interrupting) {
    // An earlier subscription of this broadcast may have ended this one's owner (a race after an event-based gateway).
    const gone = await exec(step.em, 'DELETE FROM engine_signal_subscriptions WHERE id = ?', [sub.id]);
    if (gone.affected !== 1) return false;
  } else {
    const [still] = await select<{ id: number }>(step.em, 'SELECT id FROM engine_signal_subscriptions WHERE id = ?', [sub.id]);
    if (!still) return false;
  }
  const owner = await step.ei(num(sub.element_instance_id));
  if (!owner || owner.state !== 'active') return false;
  await step.triggerEvent(owner, sub.element_id, vars, interrupting);
  await step.drain();
  return true;
}

/**
 * Opens the signal start events of a newly deployed version, closing those of the version it
 * replaces (or, after a deletion, of the deleted one). Runs in the deployment's step.
 */
export async function registerSignalStarts(step: Step, definitionKey: string, bpmnProcessId: string, proc: ExecutableProcess): Promise<void> {
  await later(step.em, 'DELETE FROM engine_signal_subscriptions WHERE bpmn_process_id = ? AND definition_key IS NOT NULL', [bpmnProcessId]);
  for (const id of proc.startEventIds) {
    const ev = (proc.elements[id] as { event?: { type: string; signalName?: string } }).event;
    if (ev?.type !== 'signal' || !ev.signalName) continue;
    const name = exprString(ev.signalName, {}, 'signal name');
    await later(step.em,
      `INSERT INTO engine_signal_subscriptions (signal_name, element_id, definition_key, bpmn_process_id, interrupting, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
      [name, id, definitionKey, bpmnProcessId, false, step.now]);
  }
}
