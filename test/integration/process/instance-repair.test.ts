/**
 * Repairing a case's process and moving running cases to a new diagram version through the HTTP API,
 * on both databases: the grid supervisor restarts a step of a case with a reason (audited on the case),
 * a handler may not; legal staff preview and run the move of a version's cases and follow its progress
 * to the report.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';
import { complaintBody, lifecycle, Lifecycle } from '../../support/lifecycle';

jest.setTimeout(180_000);

const INSPECTION_XML = fs.readFileSync(path.join(__dirname, '../../../workflows/inspection-case.bpmn'), 'utf8');

describe.each(testDbKinds())('instance repair and migration over HTTP on %s', (kind) => {
  let t: TestApp;
  let life: Lifecycle;
  let caseId: string;

  const one = async <T>(sql: string, params: unknown[] = []) => ((await t.db.ds.query(sql, params)) as T[])[0];

  beforeAll(async () => {
    t = await startTestApp(kind, 'repair');
    life = lifecycle(t);
    const jf = await one<{ id: string }>("SELECT e.id FROM employers e JOIN grids g ON g.id = e.grid_id WHERE g.code = 'JF-01'");
    const res = await (await t.login('intake')).post('/api/complaints').send(complaintBody({ employer: { employerId: jf.id } }));
    expect(res.status).toBe(201);
    caseId = res.body.caseId;
    await life.settle();
    await life.complete(caseId, 'Task_Triage', { route: 'inspection', triageOpinion: '属于监察事项' }, 'intake');
    await life.complete(caseId, 'Task_ApproveFiling', { handlerOpinion: '建议立案', filingApproved: true, filingOpinion: '同意立案' });
    await life.complete(caseId, 'Task_AssignInspectors', { leadInspector: 'handler1', secondInspector: 'handler1', recusalStatus: 'none' });
    await life.task(caseId, 'Task_Investigate');
  });
  afterAll(async () => { await t?.close(); });

  test('the supervisor restarts a stuck step with a reason; the handler may not; it is on the case\'s audit trail', async () => {
    const supervisor = await t.login('supervisor');
    const handler = await t.login('handler1');
    expect((await handler.get(`/api/cases/${caseId}/instance-repair`)).status).toBe(403);
    const view = await supervisor.get(`/api/cases/${caseId}/instance-repair`);
    expect(view.status).toBe(200);
    const inspection = view.body.items.find((i: { bpmnProcessId: string }) => i.bpmnProcessId === 'inspection-case');
    const stuck = inspection.active.find((a: { elementId: string }) => a.elementId === 'Task_Investigate');
    expect(stuck.name).toBe('调查取证');
    expect(inspection.startable.map((s: { elementId: string }) => s.elementId)).toContain('Task_Investigate');
    expect(inspection.startable.some((s: { kind: string }) => s.kind === 'startEvent' || s.kind === 'exclusiveGateway')).toBe(false);
    const oldTask = await life.task(caseId, 'Task_Investigate');

    const denied = await handler.post(`/api/cases/${caseId}/instance-repair`).send({ processInstanceKey: inspection.processInstanceKey, start: ['Task_Investigate'], cancel: [stuck.elementInstanceKey], reason: '调查记录录入错误，重新调查' });
    expect(denied.status).toBe(403);
    const r = await supervisor.post(`/api/cases/${caseId}/instance-repair`)
      .send({ processInstanceKey: inspection.processInstanceKey, start: ['Task_Investigate'], cancel: [stuck.elementInstanceKey], reason: '调查记录录入错误，重新调查' });
    expect(r.status).toBe(200);
    expect(r.body.terminated).toEqual([{ elementId: 'Task_Investigate', elementInstanceKey: stuck.elementInstanceKey }]);
    expect(r.body.activated.map((a: { elementId: string }) => a.elementId)).toEqual(['Task_Investigate']);
    const newTask = await life.task(caseId, 'Task_Investigate');
    expect(newTask.key).not.toBe(oldTask.key);
    const audit = await one<{ after_json: string }>("SELECT after_json FROM audit_log WHERE action = 'process.repair' AND case_id = ?", [caseId]);
    const after = JSON.parse(audit.after_json);
    expect(after).toMatchObject({ reason: '调查记录录入错误，重新调查', canceled: [{ elementId: 'Task_Investigate', name: '调查取证' }], started: [{ elementId: 'Task_Investigate', name: '调查取证' }] });
  });

  test('legal staff move the running cases to a new version: preview, confirmation, progress, report', async () => {
    const legal = await t.login('legal');
    const supervisor = await t.login('supervisor');
    const before = await one<{ v: number | string }>("SELECT MAX(version) AS v FROM engine_process_instances WHERE bpmn_process_id = 'inspection-case'");
    const source = Number(before.v);
    // The next version renames the investigation step.
    const deployed = await legal.post('/api/workflows').send({ resources: [{ name: 'inspection-case.bpmn', content: INSPECTION_XML.replace('name="调查取证"', 'name="调查取证（新）"') }] });
    expect(deployed.status).toBeLessThan(300);
    const target = source + 1;

    expect((await supervisor.post('/api/workflows/inspection-case/migrations/preview').send({ sourceVersion: source, targetVersion: target })).status).toBe(403);
    const preview = await legal.post('/api/workflows/inspection-case/migrations/preview').send({ sourceVersion: source, targetVersion: target });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ instances: 1, migratable: 1, blocked: 0 });
    expect(preview.body.elements).toEqual([
      expect.objectContaining({ elementId: 'Sub_Investigation', name: '调查处理', count: 1, targetElementId: 'Sub_Investigation', problem: null }),
      expect.objectContaining({ elementId: 'Task_Investigate', name: '调查取证', count: 1, targetElementId: 'Task_Investigate', problem: null })]);
    expect(preview.body.mappings).toEqual(['Sub_Investigation', 'Task_Investigate'].map((id) => ({ sourceElementId: id, targetElementId: id })));
    // A mapping to an element of another kind is shown as the problem it is.
    const wrong = await legal.post('/api/workflows/inspection-case/migrations/preview')
      .send({ sourceVersion: source, targetVersion: target, mappings: [{ sourceElementId: 'Task_Investigate', targetElementId: 'Start_Filing' }] });
    expect(wrong.body.elements.map((e: { problem: { code: string } | null }) => e.problem?.code ?? null)).toEqual(['ELEMENT_NOT_MAPPED', 'ELEMENT_KIND_CHANGED']);

    const task = await life.task(caseId, 'Task_Investigate');
    const started = await legal.post('/api/workflows/inspection-case/migrations').send({ sourceVersion: source, targetVersion: target, reason: '调查环节更名', confirm: true });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ state: 'running', total: 1, sourceVersion: source, targetVersion: target });
    let run = started.body;
    for (let i = 0; i < 100 && run.state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      run = (await legal.get(`/api/instance-migrations/${started.body.id}`)).body;
    }
    expect(run).toMatchObject({ state: 'done', total: 1, done: 1, migrated: 1, failed: 0, failures: [] });
    expect((await supervisor.get(`/api/instance-migrations/${started.body.id}`)).status).toBe(403);
    // The same task, now under the new version's name.
    const moved = await life.task(caseId, 'Task_Investigate');
    expect(moved.key).toBe(task.key);
    const row = await one<{ name: string }>('SELECT name FROM engine_user_tasks WHERE id = ?', [Number(task.key)]);
    expect(row.name).toBe('调查取证（新）');
    const audit = await one<{ n: number | string }>("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'process.migrate'");
    expect(Number(audit.n)).toBe(1);
  });
});
