/**
 * The service without its HTTP face: data source, clock, legal rules, the embedded engine with the
 * diagrams of workflows/ and forms/ deployed, the job workers and the mail sender. Started by
 * src/service.ts and by tests that run whole lifecycles.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { Clock } from './clock/clock';
import { bindLegalRules, LegalRuleSet, loadLegalRules, loadLegalRulesFile } from './config/legal-rules';
import { Settings } from './config/settings';
import { ensureTemplates } from './documents/documents';
import { inTransaction } from './db/data-source';
import { DeploymentResult } from './engine/deploy/definitions';
import { resumeReviewOpenings } from './credit/written-review';
import { interruptAbandonedRuns } from './editing/instance-migrations';
import { EmbeddedEngine } from './engine/runtime/engine';
import { WorkerRuntime } from './engine/runtime/worker-runtime';
import type { JobWorkers, WorkflowEngine } from './engine/port';
import { createZeebeMode, type ZeebeMode } from './engine/zeebe';
import { MailSender, mailSenderSettings } from './mail';
import { countJobs, instrumentEngine } from './metrics';
import { DECISIONS_DIR, FORMS_DIR, WORKFLOWS_DIR } from './paths';
import { EscalationRunner, loadServiceLevelsFile, serviceLevelsFileFor, taskSourceFor } from './supervision';
import { createWorkers } from './workers';
import { WarningRuleRunner } from './prevention/rule-runner';
import { creditColours } from './prevention/warning-rules';
import type { WarningEngine } from './prevention/warnings';


export interface Core {
  ds: DataSource;
  clock: Clock;
  settings: Settings;
  logger: Logger;
  rules: LegalRuleSet;
  /** The embedded engine; with ENGINE=zeebe it is not started and `workflow` is the Zeebe adapter. */
  engine: EmbeddedEngine;
  /** The engine cases run on (ENGINE): what the HTTP layer is given. */
  workflow: WorkflowEngine;
  /** The job workers (none with WORKERS=false) and, with ENGINE=zeebe, the user task sync. */
  workers: JobWorkers;
  /** The engine's state for /api/health (in Zeebe mode, whether the cluster answers). */
  engineStatus(): Promise<{ kind: string; ok: boolean; detail?: string }>;
  mail: MailSender;
  /** Fires the service levels' escalations (goal, deadline, passed deadline) of open tasks and deadlines. */
  supervision: EscalationRunner;
  /** Re-evaluates the three-colour warning rules for employers whose complaints and cases changed. */
  warningRules: WarningRuleRunner;
  /** Starts timers, workers and the mail sender. */
  start(): void;
  stop(): Promise<void>;
}

/** The diagrams, decision tables and forms shipped with the product, as deployment resources. */
export function bundledResources(): { name: string; content: string }[] {
  const read = (dir: string, ext: string) =>
    fs.existsSync(dir)
      ? fs.readdirSync(dir).filter((f) => f.endsWith(ext)).sort().map((f) => ({ name: f, content: fs.readFileSync(path.join(dir, f), 'utf8') }))
      : [];
  return [...read(FORMS_DIR, '.form'), ...read(DECISIONS_DIR, '.dmn'), ...read(WORKFLOWS_DIR, '.bpmn')];
}

export function loadRules(settings: Settings): LegalRuleSet {
  return settings.LEGAL_RULES_FILE ? loadLegalRulesFile(settings.LEGAL_RULES_FILE) : loadLegalRules();
}

/** The embedded engine's commands timed for /metrics: each commits one step (activateJobs: a lease; tick: the due timers). */
const ENGINE_STEP_COMMANDS = [
  'createInstance', 'cancelInstance', 'setVariables', 'publishMessage', 'completeJob', 'failJob', 'throwError', 'updateJobRetries',
  'updateJobTimeout', 'resolveIncident', 'claimTask', 'unclaimTask', 'assignTask', 'completeTask', 'activateJobs', 'tick',
] as const satisfies readonly (keyof EmbeddedEngine)[];

export interface CoreOptions {
  /** ENGINE=zeebe: short long-polls, for tests that start and stop services often. */
  zeebeFastPolling?: boolean;
}

export async function createCore(ds: DataSource, clock: Clock, settings: Settings, logger: Logger, opts: CoreOptions = {}): Promise<Core> {
  const rules = loadRules(settings);
  // Code reached with a transaction only (a service recorded through the API) finds the overrides here.
  bindLegalRules(ds, rules);
  const embedded = new EmbeddedEngine(ds, clock, { logger: logger.child({ module: 'engine' }) });
  // With METRICS on, the engine's commands and the workers' jobs are measured by wrapping them from
  // outside (src/metrics), so neither the engine nor the workers know about metrics.
  const engine = settings.METRICS ? instrumentEngine(embedded, ENGINE_STEP_COMMANDS) : embedded;
  // The prevention workers start lifecycles on the engine the service runs (chosen below): looked up when used.
  const processes: WarningEngine = {
    createInstance: (req, em) => (zeebe?.engine ?? engine).createInstance(req, em),
    publishMessage: (req, em) => (zeebe?.engine ?? engine).publishMessage(req, em),
    listTasks: (q) => (zeebe?.engine ?? engine).listTasks(q),
  };
  const registrations = (settings.WORKERS ? createWorkers({ ds, clock, rules, logger: logger.child({ module: 'workers' }), serviceDateDaysAhead: settings.SERVICE_DATE_DAYS_AHEAD, processes }) : [])
    .map((r) => (settings.METRICS ? countJobs(r) : r));
  const zeebe: ZeebeMode | null = settings.ENGINE === 'zeebe'
    ? createZeebeMode({ settings, ds, clock, logger: logger.child({ module: 'zeebe' }), registrations, fastPolling: opts.zeebeFastPolling })
    : null;
  const workflow: WorkflowEngine = zeebe?.engine ?? engine;
  // Deploying the bundled files is a no-op when nothing changed (same checksum, same version).
  const deployed: DeploymentResult = await workflow.deploy(bundledResources(), 'system');
  const fresh = deployed.processes.filter((p) => !p.duplicate);
  if (fresh.length) logger.info({ processes: fresh.map((p) => `${p.bpmnProcessId} v${p.version}`) }, 'workflows deployed');
  await inTransaction(ds, (em) => ensureTemplates(em, clock.now().getTime()));

  let workers: JobWorkers;
  if (zeebe) workers = zeebe.workers;
  else {
    const runtime = new WorkerRuntime(engine, { logger: logger.child({ module: 'workers' }) });
    for (const reg of registrations) runtime.register(reg);
    workers = runtime;
  }
  const mail = new MailSender({ dataSource: ds, clock, logger: logger.child({ module: 'mail' }), ...mailSenderSettings(settings) });
  const supervision = new EscalationRunner({
    ds, clock, engine: workflow, source: taskSourceFor(settings), logger: logger.child({ module: 'supervision' }),
    levels: loadServiceLevelsFile(serviceLevelsFileFor(settings.LEGAL_RULES_FILE), rules.rules),
  });
  const warningRules = new WarningRuleRunner({ ds, clock, rules, engine: processes, colours: creditColours(settings), logger: logger.child({ module: 'warning-rules' }), pollMs: settings.WARNING_RULES_POLL_MS });

  return {
    ds, clock, settings, logger, rules, engine, workflow, workers, mail, supervision, warningRules,
    engineStatus: async () => (zeebe ? zeebe.status() : { kind: 'embedded', ok: true }),
    start() {
      // In Zeebe mode the embedded engine holds no work: its timers stay off.
      if (!zeebe) engine.start();
      // A migration run left by a stopped process shows as interrupted (and can be resumed), not running forever.
      if (!zeebe) void interruptAbandonedRuns({ ds, clock, logger: logger.child({ module: 'instance-migrations' }) });
      workers.start();
      mail.start();
      supervision.start();
      if (settings.WORKERS) warningRules.start();
      // A written review whose opening a stop interrupted carries on after its last committed batch.
      if (settings.WORKERS) void resumeReviewOpenings({ ds, engine: workflow, rules, now: () => clock.now().getTime(), batchSize: settings.WRITTEN_REVIEW_OPEN_BATCH }, logger.child({ module: 'written-review' }));
    },
    async stop() {
      await supervision.stop();
      await warningRules.stop();
      await workers.stop();
      await mail.stop();
      await engine.stop();
      await zeebe?.close();
    },
  };
}
