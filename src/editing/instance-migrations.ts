/**
 * "Move running cases to this version": after legal staff deploy a new version of a diagram (a changed
 * period, a new step), the cases running on an older version are moved to it with a reviewed element
 * mapping instead of finishing on the old rules for months. The engine checks and moves the instances
 * (src/engine/runtime/commands/migrate-instances.ts); this module resolves versions to definitions,
 * proposes the mapping (each active element to the element of the same id in the new version),
 * previews it, and runs it in the background with its progress and report kept in `instance_migrations`
 * so the page that started it can follow it and the office can read it afterwards.
 */
import crypto from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import type { Actor } from '../audit/audit';
import { recordAudit } from '../audit/audit';
import type { Clock } from '../clock/clock';
import { inTransaction } from '../db/data-source';
import type { InstanceRepair, MappingInstruction, MigrationPreview, VersionElements } from '../engine/repair-port';
import { errors } from '../errors';

export interface MigrationRequest {
  bpmnProcessId: string;
  sourceVersion: number;
  targetVersion: number;
  /** Omitted: the proposed mapping (each active element to the element of the same id). */
  mappings?: MappingInstruction[];
}

export interface PlanPreview extends MigrationPreview {
  bpmnProcessId: string;
  sourceVersion: number;
  targetVersion: number;
  mappings: MappingInstruction[];
  /** The target version's elements an active element may be mapped to: id, name, kind. */
  targetElements: Array<{ elementId: string; name: string | null; kind: string }>;
}

export interface MigrationRun {
  id: string;
  bpmnProcessId: string;
  sourceVersion: number;
  targetVersion: number;
  reason: string;
  state: 'running' | 'done' | 'failed';
  total: number;
  done: number;
  migrated: number;
  failed: number;
  /** Each instance that stayed, with the case it runs for (its number, for people) and why. */
  failures: Array<{ processInstanceKey: string; caseNumber: string | null; code: string; message: string }>;
  startedBy: string;
  startedAt: string;
  finishedAt: string | null;
}

async function versionOf(engine: InstanceRepair, bpmnProcessId: string, version: number): Promise<VersionElements> {
  const d = await engine.versionElements({ bpmnProcessId, version });
  if (!d) throw errors.notFound('process version', `${bpmnProcessId} v${version}`);
  return d;
}

/** Resolves the versions, proposes the mapping when none is given, and asks the engine what it would touch. */
export async function previewPlan(engine: InstanceRepair, req: MigrationRequest): Promise<PlanPreview> {
  if (req.sourceVersion === req.targetVersion) throw errors.badRequest('SAME_VERSION', 'Choose a version other than the one the cases run on.');
  const source = await versionOf(engine, req.bpmnProcessId, req.sourceVersion);
  const target = await versionOf(engine, req.bpmnProcessId, req.targetVersion);
  const inTarget = new Set(target.elements.map((e) => e.elementId));
  const mappings = req.mappings ?? source.elements.filter((e) => inTarget.has(e.elementId)).map((e) => ({ sourceElementId: e.elementId, targetElementId: e.elementId }));
  const preview = await engine.previewMigration({ sourceDefinitionKey: source.definitionKey, targetDefinitionKey: target.definitionKey, mappings });
  const activeIds = new Set(preview.elements.map((e) => e.elementId));
  return {
    ...preview, bpmnProcessId: req.bpmnProcessId, sourceVersion: req.sourceVersion, targetVersion: req.targetVersion,
    // Only the mappings of elements where cases stand matter to the reviewer.
    mappings: mappings.filter((m) => activeIds.has(m.sourceElementId)).sort((a, b) => a.sourceElementId.localeCompare(b.sourceElementId)),
    targetElements: target.elements.filter((e) => e.activatable && e.kind !== 'endEvent').map((e) => ({ elementId: e.elementId, name: e.name, kind: e.kind })),
  };
}

interface RunRow {
  id: string; bpmn_process_id: string; source_version: number | string; target_version: number | string; reason: string; state: MigrationRun['state'];
  total: number | string; done: number | string; migrated: number | string; failed: number | string; failures_json: string | null;
  started_by: string; started_at: number | string; finished_at: number | string | null;
}

const iso = (v: number | string | null) => (v === null ? null : new Date(Number(v)).toISOString());

function runOf(r: RunRow): MigrationRun {
  return {
    id: r.id, bpmnProcessId: r.bpmn_process_id, sourceVersion: Number(r.source_version), targetVersion: Number(r.target_version), reason: r.reason,
    state: r.state, total: Number(r.total), done: Number(r.done), migrated: Number(r.migrated), failed: Number(r.failed),
    failures: r.failures_json ? (JSON.parse(r.failures_json) as MigrationRun['failures']) : [],
    startedBy: r.started_by, startedAt: iso(r.started_at)!, finishedAt: iso(r.finished_at),
  };
}

export async function getRun(em: EntityManager, id: string): Promise<MigrationRun | null> {
  const [r] = (await em.query('SELECT * FROM instance_migrations WHERE id = ?', [id])) as RunRow[];
  if (!r) return null;
  const run = runOf(r);
  const keys = run.failures.map((f) => f.processInstanceKey);
  if (keys.length) {
    const rows = (await em.query(
      `SELECT cp.process_instance_key AS k, c.case_number AS n FROM case_processes cp JOIN cases c ON c.id = cp.case_id
       WHERE cp.process_instance_key IN (${keys.map(() => '?').join(', ')})`, keys)) as Array<{ k: string | number; n: string | null }>;
    const numbers = new Map(rows.map((x) => [String(x.k), x.n]));
    for (const f of run.failures) f.caseNumber = numbers.get(f.processInstanceKey) ?? null;
  }
  return run;
}

export interface RunDeps { ds: DataSource; engine: InstanceRepair; clock: Clock; logger: Logger }

/**
 * Starts moving the running instances: checks the plan as the preview does, records the run (and the
 * audit entry) and moves the instances in the background, batch by batch, updating the run's progress.
 * Answers the run as it starts; `finished` settles when it has ended (tests wait for it).
 */
export async function startRun(deps: RunDeps, actor: Actor, req: MigrationRequest & { reason: string }): Promise<{ run: MigrationRun; finished: Promise<void> }> {
  const preview = await previewPlan(deps.engine, req);
  if (preview.blocked > 0 && preview.migratable === 0) {
    throw errors.conflict('NOTHING_TO_MIGRATE', 'The mapping fits none of the running cases; correct the mapping first.', preview.elements.filter((e) => e.problem));
  }
  const mappings = req.mappings ?? preview.mappings;
  const id = crypto.randomUUID();
  const now = deps.clock.now();
  await inTransaction(deps.ds, async (em) => {
    await em.query(
      `INSERT INTO instance_migrations (id, bpmn_process_id, source_definition_key, source_version, target_definition_key, target_version, mappings_json, reason,
        state, total, done, migrated, failed, failures_json, started_by, started_at, finished_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, 0, 0, 0, NULL, ?, ?, NULL)`,
      [id, req.bpmnProcessId, preview.sourceDefinitionKey, req.sourceVersion, preview.targetDefinitionKey, req.targetVersion, JSON.stringify(mappings), req.reason,
        preview.instances, actor.name, now.getTime()]);
    await recordAudit(em, actor, now, {
      action: 'process.migrate', entityType: 'instance_migration', entityId: id,
      after: { bpmnProcessId: req.bpmnProcessId, sourceVersion: req.sourceVersion, targetVersion: req.targetVersion, instances: preview.instances, mappings, reason: req.reason },
    });
  });
  const plan = { sourceDefinitionKey: preview.sourceDefinitionKey, targetDefinitionKey: preview.targetDefinitionKey, mappings };
  const finished = (async () => {
    try {
      const report = await deps.engine.migrateAll(plan, {
        onProgress: async (p) => {
          await deps.ds.query('UPDATE instance_migrations SET total = ?, done = ?, migrated = ?, failed = ? WHERE id = ?', [p.total, p.done, p.migrated, p.failed, id]);
        },
      });
      await deps.ds.query("UPDATE instance_migrations SET state = 'done', total = ?, done = ?, migrated = ?, failed = ?, failures_json = ?, finished_at = ? WHERE id = ?",
        [report.total, report.total, report.migrated, report.failed.length, JSON.stringify(report.failed), deps.clock.now().getTime(), id]);
    } catch (err) {
      deps.logger.error({ err, migration: id }, 'moving running instances stopped; the batches before the failure are moved');
      await deps.ds.query("UPDATE instance_migrations SET state = 'failed', finished_at = ? WHERE id = ?", [deps.clock.now().getTime(), id]).catch(() => undefined);
    }
  })();
  return { run: (await getRun(deps.ds.manager, id))!, finished };
}
