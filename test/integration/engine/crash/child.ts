/**
 * The process the crash test kills: the embedded engine, its timer poller and an in-process worker
 * on a shared database. `load` starts instances without end and prints each committed start;
 * `drain` only runs workers and timers. Run with tsx: child.ts <load|drain> <sqlite path | mysql url>.
 */
import { systemClock } from '../../../../src/clock/clock';
import { openDatabase } from '../../../../src/db/data-source';
import { EmbeddedEngine } from '../../../../src/engine/runtime/engine';
import { WorkerRuntime } from '../../../../src/engine/runtime/worker-runtime';
import { diagram } from '../../../fixtures/bpmn/diagram';

export const CRASH_PROCESS = diagram(`
  <bpmn:startEvent id="start" />
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="first" />
  <bpmn:serviceTask id="first"><bpmn:extensionElements><zeebe:taskDefinition type="crash-step" /></bpmn:extensionElements></bpmn:serviceTask>
  <bpmn:sequenceFlow id="f2" sourceRef="first" targetRef="pause" />
  <bpmn:intermediateCatchEvent id="pause"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
  <bpmn:sequenceFlow id="f3" sourceRef="pause" targetRef="second" />
  <bpmn:serviceTask id="second"><bpmn:extensionElements><zeebe:taskDefinition type="crash-step" /></bpmn:extensionElements></bpmn:serviceTask>
  <bpmn:sequenceFlow id="f4" sourceRef="second" targetRef="end" />
  <bpmn:endEvent id="end" />`, { id: 'crash-load' });

/** Lease of a job: after a crash the job is handed out again once it has run out. */
export const CRASH_LEASE_MS = 1500;

async function main(): Promise<void> {
  const [mode, location] = process.argv.slice(2);
  const ds = await openDatabase(location.startsWith('mysql://') ? { databaseUrl: location } : { sqlitePath: location });
  const engine = new EmbeddedEngine(ds, systemClock, { timerPollMs: 100 });
  await engine.deploy([{ name: 'crash-load.bpmn', content: CRASH_PROCESS }], 'crash-test');
  const workers = new WorkerRuntime(engine, { concurrency: 8, pollIntervalMs: 100 });
  workers.register({
    taskType: 'crash-step', timeoutMs: CRASH_LEASE_MS,
    handler: async (job) => {
      // Slow enough that a kill finds jobs leased but not completed.
      await new Promise((r) => setTimeout(r, Math.random() * 30));
      // One row per instance and element: a step that ran twice would break the primary key.
      return job.complete({ [job.elementId]: true }, async (em) => {
        await em.query('INSERT INTO crash_effects (process_instance_key, element_id) VALUES (?, ?)', [job.processInstanceKey, job.elementId]);
      });
    },
  });
  engine.start();
  workers.start();
  process.stdout.write('ready\n');
  if (mode !== 'load') return;
  for (let i = 0; ; i++) {
    const pi = await engine.createInstance({ bpmnProcessId: 'crash-load', variables: { i } });
    process.stdout.write(`started ${pi.processInstanceKey}\n`);
    if (i % 4 === 3) await new Promise((r) => setTimeout(r, 5));
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
