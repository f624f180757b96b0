/**
 * Publishing a message on the embedded engine: it reaches waiting subscriptions and message start
 * events, and with a time to live is buffered for subscriptions opened later.
 */
import type { EntityManager } from 'typeorm';
import type { PublishMessageRequest, PublishedMessage } from '../../port-types';
import { reject } from '../../rejection';
import { checkVariables, num, parseTimeToLive } from '../checks';
import type { EngineContext } from '../context';
import type { SubRow } from '../step';
import { exec, later, select } from '../tx';

/**
 * Publishes a message: it reaches at most one waiting subscription per process (bpmnProcessId) and
 * starts processes with a matching message start event; with a time to live it is buffered for
 * subscriptions opened later. A message nobody waits for is not an error. A repeated messageId while
 * the first is still buffered is accepted once: the answer names the first message, `duplicate: true`.
 */
export async function publishMessage(ctx: EngineContext, req: PublishMessageRequest, em?: EntityManager): Promise<PublishedMessage> {
  if (!req.name) throw reject.invalidArgument('INVALID_MESSAGE', 'A message name is required.');
  const ttl = parseTimeToLive(req.timeToLive);
  const vars = checkVariables(req.variables);
  const ck = req.correlationKey ?? '';
  if (ck.length > 255) throw reject.invalidArgument('INVALID_CORRELATION_KEY', 'A correlation key is at most 255 characters.');
  return ctx.step(em, async (step) => {
    if (req.messageId && ttl > 0) {
      await later(step.em, 'DELETE FROM engine_messages WHERE name = ? AND correlation_key = ? AND message_id = ? AND expires_at <= ?',
        [req.name, ck, req.messageId, step.now]);
      const [dup] = await select<{ id: number | string }>(step.em,
        'SELECT id FROM engine_messages WHERE name = ? AND correlation_key = ? AND message_id = ?', [req.name, ck, req.messageId]);
      if (dup) return { messageKey: String(dup.id), duplicate: true, correlatedProcessInstanceKeys: [] };
    }
    const reached = new Set<string>();
    const instances: string[] = [];
    const subs = await select<SubRow>(step.em,
      'SELECT * FROM engine_message_subscriptions WHERE message_name = ? AND correlation_key = ? AND definition_key IS NULL ORDER BY id', [req.name, ck]);
    for (const sub of subs) {
      if (reached.has(sub.bpmn_process_id)) continue;
      await step.lockRoot(num(sub.root_id));
      const [still] = await select<SubRow>(step.em, 'SELECT * FROM engine_message_subscriptions WHERE id = ?', [sub.id]);
      if (!still) continue;
      if (await step.consumeSubscription(still, vars)) {
        reached.add(sub.bpmn_process_id);
        instances.push(String(sub.process_instance_id));
        await step.drain();
      }
    }
    const starts = await select<SubRow>(step.em,
      'SELECT * FROM engine_message_subscriptions WHERE message_name = ? AND definition_key IS NOT NULL ORDER BY id', [req.name]);
    for (const s of starts) {
      if (reached.has(s.bpmn_process_id)) continue;
      const def = await ctx.definitions.get(step.em, s.definition_key!);
      if (!def) continue;
      // An empty key starts an instance every time; another key, only while no instance holds it.
      if (ck !== '' && !(await step.claimStartKey(s.bpmn_process_id, ck))) continue;
      const pi = await step.startInstance(def, s.element_id, {}, { triggerVars: vars, ...(ck !== '' ? { startKey: ck } : {}) });
      reached.add(s.bpmn_process_id);
      instances.push(String(pi.id));
      await step.drain();
    }
    let messageKey: string | null = null;
    if (ttl > 0) {
      const r = await exec(step.em,
        'INSERT INTO engine_messages (name, correlation_key, message_id, variables, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        [req.name, ck, req.messageId ?? null, JSON.stringify(vars), step.now + ttl, step.now]);
      messageKey = String(r.insertId);
      for (const p of reached) {
        await later(step.em, 'INSERT INTO engine_message_correlations (message_id, bpmn_process_id) VALUES (?, ?)', [r.insertId, p]);
      }
    }
    return { messageKey, duplicate: false, correlatedProcessInstanceKeys: instances };
  });
}
