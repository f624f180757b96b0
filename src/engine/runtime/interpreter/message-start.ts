/**
 * Message start events and their correlation keys. Zeebe: while an instance that a message with a
 * correlation key started is active, a message with the same key starts no other instance of the
 * process, of any version (migration 1700000017000). The instance holds the key; when it ends, a
 * message with that key still buffered starts the next instance.
 */
import type { EventDefinition } from '../../model/types';
import type { Vars } from '../../port-types';
import type { PI } from '../storage/step-state';
import { StepContext, proc } from './context';
import { startInstance } from './scopes';

/**
 * Claims the key for an instance about to start; false while another instance holds it. A claim
 * racing with another waits for it on MySQL and then finds the key taken.
 */
export function claimStartKey(s: StepContext, bpmnProcessId: string, key: string): Promise<boolean> {
  return s.state.claimStartKey(bpmnProcessId, key);
}

/**
 * A root instance ended: gives back the correlation key it held, if a message started it, and lets
 * a message with that key that is still buffered start the next instance, of the latest version.
 */
export async function releaseStartKey(s: StepContext, pi: PI): Promise<void> {
  const { state } = s;
  const p = await proc(s, pi);
  if (!p.startEventIds.some((id) => (p.elements[id] as { event?: EventDefinition }).event?.type === 'message')) return;
  const key = await state.heldStartKey(pi.id);
  if (key === null) return;
  await state.releaseStartKey(pi.bpmnProcessId, key);
  const starts = await state.startSubscriptions(pi.bpmnProcessId);
  if (!starts.length) return;
  const msg = await state.bufferedMessage(starts.map((st) => st.message_name), key, pi.bpmnProcessId);
  if (!msg) return;
  const sub = starts.find((st) => st.message_name === msg.name)!;
  const def = await state.definition(sub.definition_key!);
  if (!def || !(await claimStartKey(s, pi.bpmnProcessId, key))) return;
  await state.recordCorrelation(msg.id, pi.bpmnProcessId);
  await startInstance(s, def, sub.element_id, {}, { triggerVars: msg.variables ? (JSON.parse(msg.variables) as Vars) : {}, startKey: key });
}
