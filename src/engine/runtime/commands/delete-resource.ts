/**
 * DeleteResource on the embedded engine: a process version with no running instance, a form version,
 * or a decision requirements graph (DRG) version with its decisions is deleted. Deleted means gone for
 * everything new (starts, start events, a deployment of the same diagram gets a new version, a user
 * task's latest form, a business rule task's latest decision: the version before, when there is one)
 * but the row stays, so the instances that ran on it and the audit trail still show their diagram. A
 * process version with a running instance is refused (FAILED_PRECONDITION): cancel or migrate the
 * instances first.
 *
 * As in Zeebe 8.8, the key names a process definition, a DRG or a form; a decision's own key is no
 * resource (its DRG is: deleting the DRG deletes its decisions), and a key naming nothing answers
 * NOT_FOUND. Which table a key is looked up in follows from its range (deploy/resource-keys.ts); an
 * old key moved into a range by migration 1700000030300 still names the resource it named, unless a
 * process version has it (then it names that version, as it did before the move).
 *
 * Deleting the latest version makes the one before it the latest again, and its message, timer and
 * signal start events are opened again, as Zeebe does.
 */
import type { EntityManager } from 'typeorm';
import { kindOfKey, movedKeys, type ResourceKind } from '../../deploy/resource-keys';
import { reject } from '../../rejection';
import { notFound, num, parseKey } from '../checks';
import type { EngineContext } from '../context';
import { exec, later, select, serialTransaction } from '../tx';
import { registerStartEvents } from './instances';

export interface DeletedResource {
  kind: 'process' | 'form' | 'decisionRequirements';
  /** The bpmnProcessId, form id or DRG id, and the version deleted. */
  id: string;
  version: number;
  /** For a DRG: the decisions deleted with it (id and version). */
  decisions?: Array<{ decisionId: string; version: number }>;
}

export async function deleteResource(ctx: EngineContext, resourceKey: string, em?: EntityManager): Promise<DeletedResource> {
  const key = parseKey(resourceKey, 'RESOURCE_NOT_FOUND', 'resource');
  const work = async (tx: EntityManager): Promise<DeletedResource> => {
    const now = ctx.clock.now().getTime();
    const kind = kindOfKey(key);
    const deleted = await deleteOfKind(ctx, tx, kind, key, now);
    if (deleted) return deleted;
    if (kind === 'process') {
      // A key from before the ranges: the form or DRG it named then, moved to its own range since.
      const moved = (await movedKeys(tx, key, ['form', 'decision_requirements', 'decision']));
      const resources = moved.filter((m) => m.kind !== 'decision');
      if (resources.length > 1) {
        throw reject.invalidArgument('RESOURCE_KEY_AMBIGUOUS',
          `Key ${resourceKey} named several resources before their keys were made distinct; delete by the key each has now: ${resources.map((m) => `${m.kind} ${m.key}`).join(', ')}.`);
      }
      if (resources.length === 1) {
        const again = await deleteOfKind(ctx, tx, resources[0].kind, resources[0].key, now);
        if (again) return again;
      } else if (moved.length) {
        throw await decisionIsNoResource(tx, moved[0].key, resourceKey);
      }
    }
    if (kind === 'decision') throw await decisionIsNoResource(tx, key, resourceKey);
    throw notFound('RESOURCE_NOT_FOUND', `No deployed process, decision requirements or form with key ${resourceKey}.`);
  };
  return em ? work(em) : serialTransaction(ctx.ds, work);
}

/** Deletes the resource of that kind and key; null when there is none (or it is deleted already). */
async function deleteOfKind(ctx: EngineContext, tx: EntityManager, kind: ResourceKind, key: number, now: number): Promise<DeletedResource | null> {
  if (kind === 'process') {
    const [pd] = await select<{ bpmn_process_id: string; version: number | string }>(tx,
      'SELECT bpmn_process_id, version FROM engine_process_definitions WHERE `key` = ? AND deleted_at IS NULL', [key]);
    if (!pd) return null;
    const [running] = await select<{ n: number | string }>(tx,
      "SELECT COUNT(*) AS n FROM engine_process_instances WHERE definition_key = ? AND state = 'active'", [String(key)]);
    if (num(running?.n) > 0) {
      throw reject.failedPrecondition('RESOURCE_HAS_RUNNING_INSTANCES',
        `Process '${pd.bpmn_process_id}' version ${num(pd.version)} has ${num(running.n)} running instance(s); cancel or migrate them before deleting it.`);
    }
    const d = await exec(tx, 'UPDATE engine_process_definitions SET deleted_at = ? WHERE `key` = ? AND deleted_at IS NULL', [now, key]);
    if (d.affected !== 1) return null;
    await reopenStartEvents(ctx, tx, pd.bpmn_process_id, String(key));
    return { kind: 'process', id: pd.bpmn_process_id, version: num(pd.version) };
  }
  if (kind === 'form') {
    const [form] = await select<{ form_id: string; version: number | string }>(tx,
      'SELECT form_id, version FROM engine_forms WHERE `key` = ? AND deleted_at IS NULL', [key]);
    if (!form) return null;
    const d = await exec(tx, 'UPDATE engine_forms SET deleted_at = ? WHERE `key` = ? AND deleted_at IS NULL', [now, key]);
    if (d.affected !== 1) return null;
    return { kind: 'form', id: form.form_id, version: num(form.version) };
  }
  if (kind === 'decision_requirements') {
    const [drg] = await select<{ drg_id: string; version: number | string }>(tx,
      'SELECT drg_id, version FROM engine_decision_requirements WHERE `key` = ? AND deleted_at IS NULL', [key]);
    if (!drg) return null;
    const d = await exec(tx, 'UPDATE engine_decision_requirements SET deleted_at = ? WHERE `key` = ? AND deleted_at IS NULL', [now, key]);
    if (d.affected !== 1) return null;
    const decisions = await select<{ decision_id: string; version: number | string }>(tx,
      'SELECT decision_id, version FROM engine_decisions WHERE drg_key = ? AND deleted_at IS NULL ORDER BY decision_id', [key]);
    await exec(tx, 'UPDATE engine_decisions SET deleted_at = ? WHERE drg_key = ? AND deleted_at IS NULL', [now, key]);
    return { kind: 'decisionRequirements', id: drg.drg_id, version: num(drg.version), decisions: decisions.map((r) => ({ decisionId: r.decision_id, version: num(r.version) })) };
  }
  return null;
}

/** A decision's key is not a resource's: the answer names the DRG to delete instead, when there is one. */
async function decisionIsNoResource(tx: EntityManager, key: number, asked: string) {
  const [d] = await select<{ decision_id: string; drg_key: number | string }>(tx,
    'SELECT decision_id, drg_key FROM engine_decisions WHERE `key` = ? AND deleted_at IS NULL', [key]);
  return notFound('RESOURCE_NOT_FOUND', d
    ? `Key ${asked} is decision '${d.decision_id}', not a resource; delete its decision requirements (key ${String(d.drg_key)}), which deletes its decisions.`
    : `No deployed process, decision requirements or form with key ${asked}.`);
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
