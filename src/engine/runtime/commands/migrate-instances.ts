/**
 * Migration of running process instances to another deployed version (Zeebe 8.8's
 * MigrateProcessInstance), one instance or every running instance of a version in batches.
 *
 * A plan names the target definition and maps source element ids to target element ids. It is
 * checked per instance before anything is written: every active element mapped, to an element of the
 * same kind (and, for events, the same event type) in the matching sub-process; a token waiting at a
 * join must find its gateway and flow in the target. Migrating keeps every key: element instances,
 * variables, jobs (type and lease kept) and user tasks (key, assignee, candidates, inbox entry); the
 * task's name and form come from the target. Timers and message subscriptions of the waiting elements
 * (catch events, event-based gateways, boundary events) are dropped and opened again from the target,
 * so a changed timer applies. A timer's due time counts from when its element began waiting, as a
 * legal period does: a period shortened in the new version also shortens the time left.
 */
import type { EntityManager } from 'typeorm';
import type { BoundaryEvent, EventDefinition, ExecutableProcess, FlowElement } from '../../model/types';
import type { Vars } from '../../port-types';
import { EngineRejection, isRejection, reject } from '../../rejection';
import type { BatchMigrationPlan, MigrationFailure, MigrationPlan, MigrationPreview, MigrationProgress, MigrationReport } from '../../repair-port';
import { num, parseKey } from '../checks';
import type { EngineContext } from '../context';
import type { DefinitionInfo } from '../definitions';
import { ExprError } from '../expr';
import { openEvent } from '../interpreter/events';
import { context } from '../interpreter/variables';
import type { Step } from '../step';
import type { EI, PI, PiRow } from '../storage/step-state';
import { schedule } from '../timers';
import { emIsMysql, later, select, serialTransaction } from '../tx';

export type {
  BatchMigrationPlan, MappingInstruction, MigrationFailure, MigrationPlan, MigrationPreview, MigrationProgress, MigrationReport,
} from '../../repair-port';

/** Instances migrated in one transaction; a batch that fails unexpectedly is retried one instance at a time. */
export const MIGRATION_BATCH_SIZE = 50;

interface ActiveRow { id: number | string; element_id: string; kind: string; scope_id: number | string | null; started_at: number | string }

/** The plan prepared once for many instances: both versions and the mapping, checked against the models. */
interface PreparedPlan {
  target: DefinitionInfo;
  source: ExecutableProcess;
  targetProc: ExecutableProcess;
  map: Map<string, string>;
}

/** Migrates one process instance (the gateway's MigrateProcessInstance). */
export async function migrateInstance(ctx: EngineContext, key: string, plan: MigrationPlan, em?: EntityManager): Promise<void> {
  const id = parseKey(key, 'PROCESS_INSTANCE_NOT_FOUND', 'process instance');
  await ctx.step(em, async (step) => {
    const [row] = await select<{ root_id: number | string; definition_key: string }>(step.em,
      'SELECT root_id, definition_key FROM engine_process_instances WHERE id = ?', [id]);
    if (!row) throw reject.notFound('PROCESS_INSTANCE_NOT_FOUND', `No process instance ${key}.`);
    const prepared = await prepare(ctx, step.em, row.definition_key, plan);
    await step.lockRoot(num(row.root_id));
    await migrateOne(step, id, prepared);
  });
}

/** The running instances of the source version and what the plan would do with them; changes nothing. */
export async function previewMigration(ctx: EngineContext, plan: BatchMigrationPlan): Promise<MigrationPreview> {
  return serialTransaction(ctx.ds, async (em) => {
    const prepared = await prepare(ctx, em, plan.sourceDefinitionKey, plan);
    const [{ c }] = await select<{ c: number | string }>(em,
      "SELECT COUNT(*) AS c FROM engine_process_instances WHERE definition_key = ? AND state = 'active'", [plan.sourceDefinitionKey]);
    const rows = await select<{ element_id: string; kind: string; n: number | string; pis: number | string }>(em,
      `SELECT e.element_id, e.kind, COUNT(*) AS n, COUNT(DISTINCT e.process_instance_id) AS pis
       FROM engine_element_instances e JOIN engine_process_instances p ON p.id = e.process_instance_id
       WHERE p.definition_key = ? AND p.state = 'active' AND e.state = 'active'
       GROUP BY e.element_id, e.kind ORDER BY e.element_id`, [plan.sourceDefinitionKey]);
    const elements = rows.map((r) => {
      const el = prepared.source.elements[r.element_id];
      let problem: { code: string; message: string } | null = null;
      try {
        checkElement(prepared, r.element_id);
      } catch (e) {
        if (!isRejection(e)) throw e;
        problem = { code: e.code, message: e.message };
      }
      return {
        elementId: r.element_id, name: el?.name ?? null, kind: r.kind, count: num(r.n), instances: num(r.pis),
        targetElementId: prepared.map.get(r.element_id) ?? null, problem,
      };
    });
    const blockedIds = elements.filter((e) => e.problem).map((e) => e.elementId);
    let blocked = 0;
    if (blockedIds.length) {
      const [{ b }] = await select<{ b: number | string }>(em,
        `SELECT COUNT(DISTINCT e.process_instance_id) AS b FROM engine_element_instances e JOIN engine_process_instances p ON p.id = e.process_instance_id
         WHERE p.definition_key = ? AND p.state = 'active' AND e.state = 'active' AND e.element_id IN (${blockedIds.map(() => '?').join(', ')})`,
        [plan.sourceDefinitionKey, ...blockedIds]);
      blocked = num(b);
    }
    const instances = num(c);
    return { sourceDefinitionKey: plan.sourceDefinitionKey, targetDefinitionKey: plan.targetDefinitionKey, instances, elements, migratable: instances - blocked, blocked };
  });
}

/**
 * Migrates every running instance of the source version, `batchSize` instances per transaction; an
 * instance the plan does not fit is left where it is and reported with the reason. A crash between
 * batches leaves whole batches moved: running it again moves the rest.
 */
export async function migrateAll(ctx: EngineContext, plan: BatchMigrationPlan,
  opts: { batchSize?: number; onProgress?: (p: MigrationProgress) => Promise<void> | void } = {}): Promise<MigrationReport> {
  const batchSize = opts.batchSize ?? MIGRATION_BATCH_SIZE;
  const prepared = await serialTransaction(ctx.ds, (em) => prepare(ctx, em, plan.sourceDefinitionKey, plan));
  const ids = (await select<{ id: number | string; root_id: number | string }>(ctx.ds.manager,
    "SELECT id, root_id FROM engine_process_instances WHERE definition_key = ? AND state = 'active' ORDER BY id", [plan.sourceDefinitionKey]))
    .map((r) => ({ id: num(r.id), rootId: num(r.root_id) }));
  const report: MigrationReport = { total: ids.length, migrated: 0, failed: [] };
  const one = async (step: Step, pi: { id: number; rootId: number }, failed: MigrationFailure[], rows?: Map<number, InstanceRows>): Promise<boolean> => {
    if (!rows) await step.lockRoot(pi.rootId);
    const at = { writing: false };
    try {
      await migrateOne(step, pi.id, prepared, at, rows?.get(pi.id));
      return true;
    } catch (e) {
      // A refusal by the checks comes before anything of this instance was written; any later failure undoes the batch.
      if (!(e instanceof EngineRejection) || at.writing) throw e;
      failed.push({ processInstanceKey: String(pi.id), code: e.code, message: e.message });
      return false;
    }
  };
  for (let i = 0; i < ids.length; i += batchSize) {
    const batch = ids.slice(i, i + batchSize);
    let migrated = 0;
    let failed: MigrationFailure[] = [];
    try {
      await ctx.step(undefined, async (step) => {
        migrated = 0;
        failed = [];
        const rows = await lockAndRead(step, batch);
        for (const pi of batch) if (await one(step, pi, failed, rows)) migrated++;
      });
    } catch {
      // One instance broke the batch's transaction: each gets its own, so only that one fails.
      migrated = 0;
      failed = [];
      for (const pi of batch) {
        try {
          const f: MigrationFailure[] = [];
          if (await ctx.step(undefined, (step) => one(step, pi, f))) migrated++;
          failed.push(...f);
        } catch (e) {
          failed.push({ processInstanceKey: String(pi.id), code: e instanceof EngineRejection ? e.code : 'MIGRATION_FAILED', message: (e as Error).message });
        }
      }
    }
    report.migrated += migrated;
    report.failed.push(...failed);
    await opts.onProgress?.({ done: Math.min(i + batchSize, ids.length), total: ids.length, migrated: report.migrated, failed: report.failed.length });
  }
  return report;
}

/** What the checks read of one instance; read for a whole batch at once (lockAndRead). */
interface InstanceRows {
  active: ActiveRow[];
  tokens: Array<{ gateway_id: string; flow_id: string }>;
  /** Element instances whose activation failed (an open incident of phase 'activate'). */
  incidents: Set<number>;
}

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * Locks the batch's instance trees (their roots, in key order, as one statement on MySQL/MariaDB; SQLite
 * serialises writers) and then reads what the checks need of every instance with a few IN queries, and
 * the element instances, scopes and variables the timers and subscriptions are evaluated in.
 */
async function lockAndRead(step: Step, batch: Array<{ id: number; rootId: number }>): Promise<Map<number, InstanceRows>> {
  const roots = [...new Set(batch.map((b) => b.rootId))].sort((a, b) => a - b);
  if (emIsMysql(step.em)) await select(step.em, `SELECT id FROM engine_process_instances WHERE id IN (${marks(roots.length)}) ORDER BY id FOR UPDATE`, roots);
  const ids = batch.map((b) => b.id);
  const out = new Map<number, InstanceRows>(ids.map((id) => [id, { active: [], tokens: [], incidents: new Set<number>() }]));
  step.seed({ pis: await select<PiRow>(step.em,
    `SELECT id, definition_key, bpmn_process_id, version, parent_element_instance_id, root_id, state FROM engine_process_instances WHERE id IN (${marks(ids.length)})`, ids) });
  const active = await select<ActiveRow & { process_instance_id: number | string }>(step.em,
    `SELECT id, process_instance_id, element_id, kind, scope_id, started_at FROM engine_element_instances WHERE process_instance_id IN (${marks(ids.length)}) AND state = 'active'`, ids);
  const piOfScope = new Map<number, number>(ids.map((id) => [id, id]));
  for (const r of active) {
    out.get(num(r.process_instance_id))!.active.push(r);
    piOfScope.set(num(r.id), num(r.process_instance_id));
  }
  const scopes = [...piOfScope.keys()];
  for (const t of await select<{ scope_id: number | string; gateway_id: string; flow_id: string }>(step.em,
    `SELECT scope_id, gateway_id, flow_id FROM engine_join_tokens WHERE scope_id IN (${marks(scopes.length)})`, scopes)) {
    out.get(piOfScope.get(num(t.scope_id))!)!.tokens.push(t);
  }
  for (const r of await select<{ process_instance_id: number | string; element_instance_id: number | string }>(step.em,
    `SELECT process_instance_id, element_instance_id FROM engine_incidents WHERE process_instance_id IN (${marks(ids.length)}) AND state = 'active' AND phase = 'activate'`, ids)) {
    out.get(num(r.process_instance_id))!.incidents.add(num(r.element_instance_id));
  }
  await step.preload(active.map((r) => num(r.id)));
  return out;
}

// ------------------------------------------------------------------------------------------ checks

async function prepare(ctx: EngineContext, em: EntityManager, sourceDefinitionKey: string, plan: MigrationPlan): Promise<PreparedPlan> {
  const targetKey = String(plan.targetDefinitionKey ?? '');
  if (!/^\d{1,15}$/.test(targetKey)) throw reject.notFound('TARGET_DEFINITION_NOT_FOUND', `No process definition ${targetKey}.`);
  const target = await ctx.definitions.get(em, targetKey);
  if (!target) throw reject.notFound('TARGET_DEFINITION_NOT_FOUND', `No process definition ${targetKey}.`);
  if (!/^\d{1,15}$/.test(sourceDefinitionKey) || !(await ctx.definitions.get(em, sourceDefinitionKey))) {
    throw reject.notFound('SOURCE_DEFINITION_NOT_FOUND', `No process definition ${sourceDefinitionKey}.`);
  }
  const source = await ctx.executable(em, sourceDefinitionKey);
  const targetProc = await ctx.executable(em, targetKey);
  const map = new Map<string, string>();
  for (const m of plan.mappings ?? []) {
    if (typeof m?.sourceElementId !== 'string' || typeof m?.targetElementId !== 'string') {
      throw reject.invalidArgument('MAPPING_INVALID', 'A mapping names a source element id and a target element id.');
    }
    if (!source.elements[m.sourceElementId]) {
      throw reject.invalidArgument('SOURCE_ELEMENT_NOT_FOUND', `The source version has no element '${m.sourceElementId}'.`);
    }
    if (!targetProc.elements[m.targetElementId]) {
      throw reject.invalidArgument('TARGET_ELEMENT_NOT_FOUND', `The target version has no element '${m.targetElementId}'.`);
    }
    if (map.has(m.sourceElementId)) {
      throw reject.invalidArgument('MAPPING_DUPLICATE', `Element '${m.sourceElementId}' is mapped more than once.`);
    }
    map.set(m.sourceElementId, m.targetElementId);
  }
  return { target, source, targetProc, map };
}

const eventType = (el: FlowElement): string | null => ('event' in el ? (el.event as EventDefinition).type : null);

/** Refuses an active element the plan cannot carry: unmapped, another kind, or out of its sub-process. */
function checkElement(plan: PreparedPlan, elementId: string): FlowElement {
  const sourceEl = plan.source.elements[elementId];
  const targetId = plan.map.get(elementId);
  if (!sourceEl || !targetId) {
    throw reject.invalidArgument('ELEMENT_NOT_MAPPED', `Active element '${elementId}' has no mapping to the target version.`);
  }
  const targetEl = plan.targetProc.elements[targetId];
  if (targetEl.kind !== sourceEl.kind || eventType(targetEl) !== eventType(sourceEl)) {
    throw reject.invalidArgument('ELEMENT_KIND_CHANGED',
      `Active element '${elementId}' (${sourceEl.kind}) is mapped to '${targetId}' (${targetEl.kind}); an element moves only to one of the same kind.`);
  }
  const sourceScope = sourceEl.scopeId === plan.source.id ? plan.targetProc.id : plan.map.get(sourceEl.scopeId);
  if (targetEl.scopeId !== sourceScope) {
    throw reject.invalidArgument('FLOW_SCOPE_CHANGED',
      `Active element '${elementId}' is mapped to '${targetId}', which lies in another sub-process than its own mapping.`);
  }
  return targetEl;
}

// ------------------------------------------------------------------------------------------ the move

/** Checks one instance against the plan, then moves it; the caller holds its lock. `at.writing`: the checks passed and writing began. */
async function migrateOne(step: Step, id: number, plan: PreparedPlan, at: { writing: boolean } = { writing: false }, pre?: InstanceRows): Promise<void> {
  const pi = await step.mustPi(id);
  if (pi.state !== 'active') throw reject.invalidState('PROCESS_INSTANCE_NOT_ACTIVE', `Process instance ${id} is ${pi.state}.`);
  const { source, targetProc, target } = plan;
  if (pi.definitionKey === target.definitionKey) return;
  if (pi.bpmnProcessId !== source.id) {
    throw reject.invalidArgument('SOURCE_DEFINITION_MISMATCH', `Process instance ${id} runs '${pi.bpmnProcessId}', not the plan's source.`);
  }
  const active = pre?.active ?? await select<ActiveRow>(step.em,
    "SELECT id, element_id, kind, scope_id, started_at FROM engine_element_instances WHERE process_instance_id = ? AND state = 'active'", [id]);
  const targets = new Map<number, FlowElement>();
  for (const r of active) targets.set(num(r.id), checkElement(plan, r.element_id));
  const scopeIds = [id, ...active.map((r) => num(r.id))];
  const tokens = pre?.tokens ?? await select<{ gateway_id: string; flow_id: string }>(step.em,
    `SELECT gateway_id, flow_id FROM engine_join_tokens WHERE scope_id IN (${marks(scopeIds.length)})`, scopeIds);
  for (const t of tokens) {
    const flow = targetProc.flows[t.flow_id];
    if (!flow || flow.targetId !== t.gateway_id || targetProc.elements[t.gateway_id]?.kind !== 'parallelGateway') {
      throw reject.invalidArgument('JOIN_TOKEN_NOT_MIGRATABLE',
        `A token waits at gateway '${t.gateway_id}' through flow '${t.flow_id}', which the target version does not have.`);
    }
  }
  if (pi.bpmnProcessId !== target.bpmnProcessId) {
    const [clash] = await select<{ id: number | string }>(step.em,
      `SELECT p2.id FROM engine_process_instances p1 JOIN engine_process_instances p2 ON p2.business_key = p1.business_key AND p2.bpmn_process_id = ?
       WHERE p1.id = ?`, [target.bpmnProcessId, id]);
    if (clash) throw reject.alreadyExists('BUSINESS_KEY_TAKEN', `Process '${target.bpmnProcessId}' already has an instance with this instance's business key.`);
  }
  const withIncident = pre?.incidents ?? new Set((await select<{ element_instance_id: number | string }>(step.em,
    "SELECT element_instance_id FROM engine_incidents WHERE process_instance_id = ? AND state = 'active' AND phase = 'activate'", [id]))
    .map((r) => num(r.element_instance_id)));

  at.writing = true;
  await later(step.em, 'UPDATE engine_process_instances SET definition_key = ?, bpmn_process_id = ?, version = ? WHERE id = ?',
      [target.definitionKey, target.bpmnProcessId, target.version, id]);
    pi.definitionKey = target.definitionKey;
    pi.bpmnProcessId = target.bpmnProcessId;
    pi.version = target.version;
    for (const r of active) {
      const eiId = num(r.id);
      const el = targets.get(eiId)!;
      const ei = await step.mustEi(eiId);
      ei.elementId = el.id;
      if (r.element_id !== el.id) await later(step.em, 'UPDATE engine_element_instances SET element_id = ? WHERE id = ?', [el.id, eiId]);
      await moveRows(step, ei, el, target);
      // An element whose activation failed opens its events when its incident is resolved (from the target then).
      if (!withIncident.has(eiId)) await reopenEvents(step, pi, ei, el, num(r.started_at), targetProc);
  }
}

/** Jobs, user tasks and incidents of the element instance follow it to the target element. */
async function moveRows(step: Step, ei: EI, el: FlowElement, target: DefinitionInfo): Promise<void> {
  if (ei.kind === 'serviceTask' || ei.kind === 'sendTask') {
    await later(step.em, 'UPDATE engine_jobs SET element_id = ?, definition_key = ?, bpmn_process_id = ?, version = ? WHERE element_instance_id = ?',
      [el.id, target.definitionKey, target.bpmnProcessId, target.version, ei.id]);
  } else if (el.kind === 'userTask') {
    await later(step.em,
      'UPDATE engine_user_tasks SET element_id = ?, definition_key = ?, bpmn_process_id = ?, name = ?, form_id = ? WHERE element_instance_id = ?',
      [el.id, target.definitionKey, target.bpmnProcessId, el.name ?? null, el.formId ?? null, ei.id]);
  }
  await later(step.em, 'UPDATE engine_incidents SET element_id = ?, bpmn_process_id = ? WHERE element_instance_id = ?', [el.id, target.bpmnProcessId, ei.id]);
}

/** Drops the element instance's timers and subscriptions and opens those of the target element. */
async function reopenEvents(step: Step, pi: PI, ei: EI, el: FlowElement, startedAt: number, targetProc: ExecutableProcess): Promise<void> {
  await step.state.deleteTimersOf(ei.id);
  await step.state.deleteSubscriptionsOf(ei.id);
  const events: Array<{ id: string; event: EventDefinition; interrupting: boolean }> = [];
  if (el.kind === 'intermediateCatchEvent') events.push({ id: el.id, event: el.event, interrupting: true });
  else if (el.kind === 'eventBasedGateway') {
    for (const fid of el.outgoing) {
      const t = targetProc.elements[targetProc.flows[fid].targetId];
      if (t.kind === 'intermediateCatchEvent') events.push({ id: t.id, event: t.event, interrupting: true });
    }
  } else {
    for (const bid of targetProc.boundaryEventsByHost[el.id] ?? []) {
      const b = targetProc.elements[bid] as BoundaryEvent;
      events.push({ id: b.id, event: b.event, interrupting: b.cancelActivity });
    }
  }
  const relevant = events.filter((e) => e.event.type === 'timer' || e.event.type === 'message');
  if (!relevant.length) return;
  const vars: Vars = await context(step, ei);
  for (const e of relevant) {
    if (e.event.type !== 'timer') { await openEvent(step, pi, ei, e.id, e.event, e.interrupting, vars); continue; }
    let t;
    try {
      t = schedule(e.event.timer, startedAt, vars);
    } catch (err) {
      if (err instanceof ExprError) throw reject.invalidArgument('TIMER_NOT_EVALUABLE', `Timer '${e.id}' of the target version: ${err.message}`);
      throw err;
    }
    const repeats = !e.interrupting && t.repetitions !== null;
    await step.state.insertTimer({
      dueAt: t.dueAt, pi, owner: ei, elementId: e.id, interrupting: e.interrupting, repetitions: repeats ? t.repetitions : null, interval: repeats ? t.interval : null,
    });
    step.noteTimer(t.dueAt);
  }
}
