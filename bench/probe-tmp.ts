import mysql from 'mysql2/promise';
import { systemClock } from '../src/clock/clock';
import { openDatabase } from '../src/db/data-source';
import { EmbeddedEngine } from '../src/engine/runtime/engine';
(async () => {
  const name = `probe_${Date.now()}`;
  const admin = await mysql.createConnection({ uri: 'mysql://root@127.0.0.1:3306/' });
  await admin.query(`CREATE DATABASE ${name}`);
  const ds = await openDatabase({ databaseUrl: `mysql://root@127.0.0.1:3306/${name}`, poolSize: 8 });
  const engine = new EmbeddedEngine(ds, systemClock);
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="D" targetNamespace="x">
  <bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="t" />
  <bpmn:serviceTask id="t"><bpmn:extensionElements><zeebe:taskDefinition type="x" /></bpmn:extensionElements></bpmn:serviceTask>
  <bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="e" /><bpmn:endEvent id="e" /></bpmn:process></bpmn:definitions>`;
  await engine.deploy([{ name: 'p.bpmn', content: xml }], 'x');
  let t = Date.now();
  for (let i = 0; i < 200; i++) await engine.createInstance({ bpmnProcessId: 'p', variables: { i } });
  console.log('sequential create/s', 200000 / (Date.now() - t));
  t = Date.now();
  let n = 0;
  await Promise.all(Array.from({ length: 8 }, async () => { while (n < 800) { n++; await engine.createInstance({ bpmnProcessId: 'p', variables: { n } }); } }));
  console.log('8-way create/s', 800000 / (Date.now() - t));
  t = Date.now();
  for (let i = 0; i < 200; i++) await ds.transaction('READ COMMITTED', async (em) => { await em.query('SELECT 1'); });
  console.log('empty tx/s', 200000 / (Date.now() - t));
  t = Date.now();
  for (let i = 0; i < 200; i++) await ds.query('SELECT 1');
  console.log('select/s', 200000 / (Date.now() - t));
  const jobs = await engine.activateJobs({ type: 'x', worker: 'w', maxJobs: 200, timeoutMs: 60000 });
  t = Date.now();
  for (const j of jobs) await engine.completeJob(j.key, { a: 1 });
  console.log('sequential complete/s', jobs.length * 1000 / (Date.now() - t));
  await ds.destroy(); await admin.query(`DROP DATABASE ${name}`); await admin.end();
})();
