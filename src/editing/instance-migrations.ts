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
import type { BatchMigrationPlan, InstanceRepair, MappingInstruction, MigrationPreview, VersionElements } from '../engine/repair-port';
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
  /** interrupted: the process moving it stopped (see LEASE_MS); resuming it moves the rest. */
  state: 'running' | 'interrupted' | 'done' | 'failed';
  total: number;
  done: number;
  migrated: number;
  failed: number;
  /** Each instance that stayed, with the case it runs for (its number, for people) and why. */
  failures: Array<{ processInstanceKey: string; caseNumber: string | null; code: string; message: string }>;
  startedBy: string;
  startedAt: string;
  finishedAt: string | null;
  /** Instances moved before the last interruption (included in `migrated`); 0 for a run never interrupted. */
  migratedBeforeInterruption: number;
  interruptedAt: string | null;
  /** Who resumed it after the last interruption. */
  resumedBy: string | null;
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
  migrated_before: number | string | null; interrupted_at: number | string | null; resumed_by: string | null;
}

const iso = (v: number | string | null) => (v === null ? null : new Date(Number(v)).toISOString());

function runOf(r: RunRow): MigrationRun {
  return {
    id: r.id, bpmnProcessId: r.bpmn_process_id, sourceVersion: Number(r.source_version), targetVersion: Number(r.target_version), reason: r.reason,
    state: r.state, total: Number(r.total), done: Number(r.done), migrated: Number(r.migrated), failed: Number(r.failed),
    failures: r.failures_json ? (JSON.parse(r.failures_json) as MigrationRun['failures']) : [],
    startedBy: r.started_by, startedAt: iso(r.started_at)!, finishedAt: iso(r.finished_at),
    migratedBeforeInterruption: Number(r.migrated_before ?? 0), interruptedAt: iso(r.interrupted_at), resumedBy: r.resumed_by,
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
 * How a run knows that the process moving it is gone: the process renews the run's heartbeat every
 * HEARTBEAT_MS while it works, and a run still marked running whose heartbeat is older than LEASE_MS is
 * marked interrupted, at start-up and whenever it is read. Why a lease and not "every run marked running
 * at start-up was interrupted": several service processes may share one MariaDB database, and a
 * restarting one must not declare a run dead that another is moving (resuming it would start a second
 * mover on the same instances). The runner also checks at each renewal that the run is still its own
 * (`runner_id`); once someone has marked it interrupted and resumed it, the old runner stops after its
 * current batch, and a batch that both touch moves each instance once (the engine skips an instance
 * already on the target version). With ENGINE=zeebe runs do not exist here: Zeebe migrates in its own tools.
 *
 * The lease is measured on the machine's clock, not the service clock: a test clock moved days ahead
 * says nothing about whether a process is alive.
 */
export const HEARTBEAT_MS = 10_000;
export const LEASE_MS = 60_000;
const wallClock = () => Date.now();

/** Marks the runs (or the one run) whose process stopped as interrupted; answers how many. */
export async function markAbandonedRuns(ds: DataSource, clock: Clock, id?: string): Promise<number> {
  const stale = wallClock() - LEASE_MS;
  const where = "state = 'running' AND (heartbeat_at IS NULL OR heartbeat_at < ?)";
  const rows = (await ds.query(`SELECT id FROM instance_migrations WHERE ${where}${id ? ' AND id = ?' : ''}`, id ? [stale, id] : [stale])) as Array<{ id: string }>;
  for (const r of rows) {
    // The same condition again: a run whose heartbeat was renewed in between stays running.
    await ds.query(`UPDATE instance_migrations SET state = 'interrupted', interrupted_at = ?, runner_id = NULL WHERE id = ? AND ${where}`,
      [clock.now().getTime(), r.id, stale]);
  }
  return rows.length;
}

/** At start-up: the runs a stopped process left are shown as interrupted rather than running forever. */
export async function interruptAbandonedRuns(deps: Pick<RunDeps, 'ds' | 'clock' | 'logger'>): Promise<void> {
  try {
    const n = await markAbandonedRuns(deps.ds, deps.clock);
    if (n) deps.logger.warn({ runs: n }, 'instance migration runs left by a stopped process are marked interrupted; they can be resumed from the diagram editor');
  } catch (err) {
    deps.logger.error({ err }, 'could not check for interrupted instance migration runs');
  }
}

/** One run as its page reads it: a run whose process stopped answers as interrupted. */
export async function readRun(deps: Pick<RunDeps, 'ds' | 'clock'>, id: string): Promise<MigrationRun | null> {
  await markAbandonedRuns(deps.ds, deps.clock, id);
  return getRun(deps.ds.manager, id);
}

/** The latest runs of a process's versions, newest first, so the page can offer to resume an interrupted one. */
export async function listRuns(deps: Pick<RunDeps, 'ds' | 'clock'>, bpmnProcessId: string, limit = 20): Promise<MigrationRun[]> {
  await markAbandonedRuns(deps.ds, deps.clock);
  const rows = (await deps.ds.query(`SELECT * FROM instance_migrations WHERE bpmn_process_id = ? ORDER BY started_at DESC, id LIMIT ${Number(limit)}`,
    [bpmnProcessId])) as RunRow[];
  return rows.map(runOf);
}

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
  const runner = crypto.randomUUID();
  const now = deps.clock.now();
  await inTransaction(deps.ds, async (em) => {
    await em.query(
      `INSERT INTO instance_migrations (id, bpmn_process_id, source_definition_key, source_version, target_definition_key, target_version, mappings_json, reason,
        state, total, done, migrated, failed, failures_json, started_by, started_at, finished_at, runner_id, heartbeat_at, migrated_before)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, 0, 0, 0, NULL, ?, ?, NULL, ?, ?, 0)`,
      [id, req.bpmnProcessId, preview.sourceDefinitionKey, req.sourceVersion, preview.targetDefinitionKey, req.targetVersion, JSON.stringify(mappings), req.reason,
        preview.instances, actor.name, now.getTime(), runner, wallClock()]);
    await recordAudit(em, actor, now, {
      action: 'process.migrate', entityType: 'instance_migration', entityId: id,
      after: { bpmnProcessId: req.bpmnProcessId, sourceVersion: req.sourceVersion, targetVersion: req.targetVersion, instances: preview.instances, mappings, reason: req.reason },
    });
  });
  const plan = { sourceDefinitionKey: preview.sourceDefinitionKey, targetDefinitionKey: preview.targetDefinitionKey, mappings };
  const finished = moveInBackground(deps, id, runner, plan, 0);
  return { run: (await getRun(deps.ds.manager, id))!, finished };
}

/**
 * Resumes an interrupted run (or one that failed, e.g. when the database went away): the instances still on the source version are moved with the run's plan
 * (those moved before the interruption are on the target version and are not touched again). The
 * report counts both: `migratedBeforeInterruption` and the total moved. Only one resumption wins.
 */
export async function resumeRun(deps: RunDeps, actor: Actor, id: string): Promise<{ run: MigrationRun; finished: Promise<void> }> {
  await markAbandonedRuns(deps.ds, deps.clock, id);
  const runner = crypto.randomUUID();
  const now = deps.clock.now();
  const claimed = await inTransaction(deps.ds, async (em) => {
    await em.query(
      `UPDATE instance_migrations SET state = 'running', runner_id = ?, heartbeat_at = ?, migrated_before = migrated, done = migrated, failed = 0,
         failures_json = NULL, finished_at = NULL, resumed_by = ? WHERE id = ? AND state IN ('interrupted', 'failed')`,
      [runner, wallClock(), actor.name, id]);
    const [r] = (await em.query('SELECT * FROM instance_migrations WHERE id = ?', [id])) as Array<RunRow & { runner_id: string | null; mappings_json: string; source_definition_key: string; target_definition_key: string }>;
    if (!r) throw errors.notFound('migration', id);
    if (r.runner_id !== runner) throw errors.conflict('MIGRATION_NOT_INTERRUPTED', 'Only an interrupted or failed migration can be resumed; this one is running or done.');
    await recordAudit(em, actor, now, {
      action: 'process.migrate.resume', entityType: 'instance_migration', entityId: id,
      after: { bpmnProcessId: r.bpmn_process_id, sourceVersion: Number(r.source_version), targetVersion: Number(r.target_version), migratedBeforeInterruption: Number(r.migrated) },
    });
    return r;
  });
  const plan = {
    sourceDefinitionKey: claimed.source_definition_key, targetDefinitionKey: claimed.target_definition_key,
    mappings: JSON.parse(claimed.mappings_json) as MappingInstruction[],
  };
  const finished = moveInBackground(deps, id, runner, plan, Number(claimed.migrated));
  return { run: (await getRun(deps.ds.manager, id))!, finished };
}

class RunTakenOver extends Error {}

/**
 * Moves the instances still on the source version, renewing the run's heartbeat, and writes the
 * progress and report counted on top of what earlier attempts moved (`before`). A crash between a
 * batch's commit and its progress line leaves that batch uncounted in `migrated` (the instances are
 * moved all the same, and a resumption does not move them again): the count may lag by one batch.
 */
function moveInBackground(deps: RunDeps, id: string, runner: string, plan: BatchMigrationPlan, before: number): Promise<void> {
  const renew = async (extra = '', params: unknown[] = []) => {
    await deps.ds.query(`UPDATE instance_migrations SET heartbeat_at = ?${extra} WHERE id = ? AND runner_id = ? AND state = 'running'`,
      [wallClock(), ...params, id, runner]);
    const [r] = (await deps.ds.query('SELECT runner_id, state FROM instance_migrations WHERE id = ?', [id])) as Array<{ runner_id: string | null; state: string }>;
    if (r?.runner_id !== runner || r.state !== 'running') throw new RunTakenOver();
  };
  const timer = setInterval(() => { void renew().catch(() => undefined); }, HEARTBEAT_MS);
  timer.unref();
  return (async () => {
    try {
      const report = await deps.engine.migrateAll(plan, {
        onProgress: async (p) => {
          await renew(', total = ?, done = ?, migrated = ?, failed = ?', [before + p.total, before + p.done, before + p.migrated, p.failed]);
        },
      });
      // Only while the run is still this process's: a run taken over is reported by the process that took it.
      await deps.ds.query(`UPDATE instance_migrations SET state = 'done', total = ?, done = ?, migrated = ?, failed = ?, failures_json = ?, finished_at = ?,
          heartbeat_at = ?, runner_id = NULL WHERE id = ? AND runner_id = ? AND state = 'running'`,
        [before + report.total, before + report.total, before + report.migrated, report.failed.length, JSON.stringify(report.failed),
          deps.clock.now().getTime(), wallClock(), id, runner]);
    } catch (err) {
      if (err instanceof RunTakenOver) {
        deps.logger.warn({ migration: id }, 'an instance migration run was taken over after it was marked interrupted; this process stops moving it');
        return;
      }
      deps.logger.error({ err, migration: id }, 'moving running instances stopped; the batches before the failure are moved');
      await deps.ds.query("UPDATE instance_migrations SET state = 'failed', finished_at = ?, runner_id = NULL WHERE id = ? AND runner_id = ?",
        [deps.clock.now().getTime(), id, runner]).catch(() => undefined);
    } finally {
      clearInterval(timer);
    }
  })();
}
