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
import { LegalRuleSet, loadLegalRules, loadLegalRulesFile } from './config/legal-rules';
import { Settings } from './config/settings';
import { ensureTemplates } from './documents/documents';
import { inTransaction } from './db/data-source';
import { DeploymentResult } from './engine/deploy/definitions';
import { EmbeddedEngine } from './engine/runtime/engine';
import { WorkerRuntime } from './engine/runtime/worker-runtime';
import { MailSender, mailSenderSettings } from './mail';
import { FORMS_DIR, WORKFLOWS_DIR } from './paths';
import { createWorkers } from './workers';


export interface Core {
  ds: DataSource;
  clock: Clock;
  settings: Settings;
  logger: Logger;
  rules: LegalRuleSet;
  engine: EmbeddedEngine;
  workers: WorkerRuntime;
  mail: MailSender;
  /** Starts timers, workers and the mail sender. */
  start(): void;
  stop(): Promise<void>;
}

/** The diagrams and forms shipped with the product, as deployment resources. */
export function bundledResources(): { name: string; content: string }[] {
  const read = (dir: string, ext: string) =>
    fs.existsSync(dir)
      ? fs.readdirSync(dir).filter((f) => f.endsWith(ext)).sort().map((f) => ({ name: f, content: fs.readFileSync(path.join(dir, f), 'utf8') }))
      : [];
  return [...read(FORMS_DIR, '.form'), ...read(WORKFLOWS_DIR, '.bpmn')];
}

export function loadRules(settings: Settings): LegalRuleSet {
  return settings.LEGAL_RULES_FILE ? loadLegalRulesFile(settings.LEGAL_RULES_FILE) : loadLegalRules();
}

export async function createCore(ds: DataSource, clock: Clock, settings: Settings, logger: Logger): Promise<Core> {
  const rules = loadRules(settings);
  const engine = new EmbeddedEngine(ds, clock, { logger: logger.child({ module: 'engine' }) });
  // Deploying the bundled files is a no-op when nothing changed (same checksum, same version).
  const deployed: DeploymentResult = await engine.deploy(bundledResources(), 'system');
  const fresh = deployed.processes.filter((p) => !p.duplicate);
  if (fresh.length) logger.info({ processes: fresh.map((p) => `${p.bpmnProcessId} v${p.version}`) }, 'workflows deployed');
  await inTransaction(ds, (em) => ensureTemplates(em, clock.now().getTime()));

  const workers = new WorkerRuntime(engine, { logger: logger.child({ module: 'workers' }) });
  for (const reg of createWorkers({ ds, clock, rules, logger: logger.child({ module: 'workers' }) })) workers.register(reg);
  const mail = new MailSender({ dataSource: ds, clock, logger: logger.child({ module: 'mail' }), ...mailSenderSettings(settings) });

  return {
    ds, clock, settings, logger, rules, engine, workers, mail,
    start() {
      engine.start();
      workers.start();
      mail.start();
    },
    async stop() {
      await workers.stop();
      await mail.stop();
      await engine.stop();
    },
  };
}
