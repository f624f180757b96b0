/**
 * DeleteResource on the embedded engine: a process version with no running instance, or a form
 * version, is deleted. Deleted means gone for everything new (starts, start events, a deployment of
 * the same diagram gets a new version, a user task's latest form) but the row stays, so the instances
 * that ran on it and the audit trail still show their diagram. A version with a running instance is
 * refused (FAILED_PRECONDITION): cancel or migrate the instances first.
 *
 * Deleting the latest version makes the one before it the latest again, and its message, timer and
 * signal start events are opened again, as Zeebe does.
 */
import type { EntityManager } from 'typeorm';
import { reject } from '../../rejection';
import { notFound, num, parseKey } from '../checks';
import type { EngineContext } from '../context';
import { exec, later, select, serialTransaction } from '../tx';
import { registerStartEvents } from './instances';

export interface DeletedResource {
  kind: 'process' | 'form';
  /** The bpmnProcessId or form id, and the version deleted. */
  id: string;
  version: number;
}

export async function deleteResource(ctx: EngineContext, resourceKey: string, em?: EntityManager): Promise<DeletedResource> {
  const key = parseKey(resourceKey, 'RESOURCE_NOT_FOUND', 'resource');
  const work = async (tx: EntityManager): Promise<DeletedResource> => {
    const now = ctx.clock.now().getTime();
    const [pd] = await select<{ bpmn_process_id: string; version: number | string }>(tx,
      'SELECT bpmn_process_id, version FROM engine_process_definitions WHERE `key` = ? AND deleted_at IS NULL', [key]);
    if (pd) {
      const [running] = await select<{ n: number | string }>(tx,
        "SELECT COUNT(*) AS n FROM engine_process_instances WHERE definition_key = ? AND state = 'active'", [String(key)]);
      if (num(running?.n) > 0) {
        throw reject.failedPrecondition('RESOURCE_HAS_RUNNING_INSTANCES',
          `Process '${pd.bpmn_process_id}' version ${num(pd.version)} has ${num(running.n)} running instance(s); cancel or migrate them before deleting it.`);
      }
      const d = await exec(tx, 'UPDATE engine_process_definitions SET deleted_at = ? WHERE `key` = ? AND deleted_at IS NULL', [now, key]);
      if (d.affected !== 1) throw notFound('RESOURCE_NOT_FOUND', `No resource ${resourceKey}.`);
      await reopenStartEvents(ctx, tx, pd.bpmn_process_id, String(key));
      return { kind: 'process', id: pd.bpmn_process_id, version: num(pd.version) };
    }
    const [form] = await select<{ form_id: string; version: number | string }>(tx,
      'SELECT form_id, version FROM engine_forms WHERE `key` = ? AND deleted_at IS NULL', [key]);
    if (form) {
      await exec(tx, 'UPDATE engine_forms SET deleted_at = ? WHERE `key` = ?', [now, key]);
      return { kind: 'form', id: form.form_id, version: num(form.version) };
    }
    throw notFound('RESOURCE_NOT_FOUND', `No deployed process or form with key ${resourceKey}.`);
  };
  return em ? work(em) : serialTransaction(ctx.ds, work);
}

/** When the deleted version's start events were the open ones, the latest remaining version's take their place. */
async function reopenStartEvents(ctx: EngineContext, tx: EntityManager, bpmnProcessId: string, deletedKey: string): Promise<void> {
  const latest = await ctx.definitions.latest(tx, bpmnProcessId);
  if (latest && Number(latest.definitionKey) > Number(deletedKey)) return;
  if (latest) {
    await registerStartEvents(ctx, latest.definitionKey, tx);
    return;
  }
  for (const table of ['engine_timers', 'engine_message_subscriptions', 'engine_signal_subscriptions']) {
    await later(tx, `DELETE FROM ${table} WHERE bpmn_process_id = ? AND definition_key IS NOT NULL`, [bpmnProcessId]);
  }
}
