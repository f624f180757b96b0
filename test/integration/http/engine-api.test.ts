import { diagram } from '../../fixtures/bpmn/diagram';
import { rowCounts, startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';

/** start → user task for the JF grid → service task 'api-test-job' → message catch 'answer' → end. */
function reviewProcess(taskName = '复核') {
  return diagram(`
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <bpmn:userTask id="review" name="${taskName}">
      <bpmn:extensionElements>
        <zeebe:userTask />
        <zeebe:formDefinition formId="api-review" />
        <zeebe:assignmentDefinition candidateGroups="JF" />
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="work" />
    <bpmn:serviceTask id="work"><bpmn:extensionElements><zeebe:taskDefinition type="api-test-job" retries="1" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:sequenceFlow id="f3" sourceRef="work" targetRef="wait" />
    <bpmn:intermediateCatchEvent id="wait"><bpmn:messageEventDefinition messageRef="msg" /></bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f4" sourceRef="wait" targetRef="end" />
    <bpmn:endEvent id="end" />`, {
    id: 'api-review-process',
    rootElements: `<bpmn:message id="msg" name="answer"><bpmn:extensionElements><zeebe:subscription correlationKey="=ref" /></bpmn:extensionElements></bpmn:message>`,
  });
}

const FORM = JSON.stringify({ id: 'api-review', type: 'default', components: [{ type: 'textfield', key: 'note', label: '意见' }] });

describe.each(testDbKinds())('engine API on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, 'engine_api');
  });
  afterAll(() => t.close());

  const deployCount = async () => Number((await t.db.ds.query('SELECT COUNT(*) AS n FROM engine_process_definitions'))[0].n);

  it('refuses invalid diagrams with every problem listed, and writes nothing', async () => {
    const legal = await t.login('legal');
    const before = await deployCount();
    const counts = await rowCounts(t.db);
    const broken = await legal.post('/api/workflows?name=broken.bpmn').set('Content-Type', 'application/xml').send('<bpmn:definitions');
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('INVALID_DIAGRAM');
    const unsupported = await legal.post('/api/workflows?name=x.bpmn').set('Content-Type', 'application/xml').send(diagram(`
      <bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="script" />
      <bpmn:scriptTask id="script" /><bpmn:sequenceFlow id="f2" sourceRef="script" targetRef="gw" />
      <bpmn:inclusiveGateway id="gw" /><bpmn:sequenceFlow id="f3" sourceRef="gw" targetRef="end" /><bpmn:endEvent id="end" />`));
    expect(unsupported.status).toBe(400);
    const ids = unsupported.body.error.details.map((d: { elementId?: string }) => d.elementId);
    expect(ids).toEqual(expect.arrayContaining(['script', 'gw']));
    expect(await deployCount()).toBe(before);
    expect(await rowCounts(t.db)).toEqual(counts);
  });

  it('lets only legal staff and admin deploy', async () => {
    const handler = await t.login('handler1');
    const res = await handler.post('/api/workflows').send({ resources: [{ name: 'p.bpmn', content: reviewProcess() }] });
    expect(res.status).toBe(403);
  });

  it('deploys new versions, answers an unchanged diagram with its version, and runs a case through the inbox', async () => {
    const legal = await t.login('legal');
    const first = await legal.post('/api/workflows').send({ resources: [{ name: 'api-review.form', content: FORM }, { name: 'api-review-process.bpmn', content: reviewProcess() }] });
    expect(first.status).toBe(201);
    expect(first.body.processes[0]).toMatchObject({ bpmnProcessId: 'api-review-process', version: 1, duplicate: false });
    const again = await legal.post('/api/workflows?name=api-review-process.bpmn').set('Content-Type', 'application/xml').send(reviewProcess());
    expect(again.status).toBe(200);
    expect(again.body.processes[0]).toMatchObject({ version: 1, duplicate: true });
    const changed = await legal.post('/api/workflows?name=api-review-process.bpmn').set('Content-Type', 'application/xml').send(reviewProcess('再复核'));
    expect(changed.body.processes[0]).toMatchObject({ version: 2, duplicate: false });
    const listed = await legal.get('/api/workflows/api-review-process');
    expect(listed.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);

    const supervisor = await t.login('supervisor');
    const started = await supervisor.post('/api/process-instances').send({ bpmnProcessId: 'api-review-process', version: 1, variables: { ref: 'R-1', caseId: null }, businessKey: 'case-r1' });
    expect(started.status).toBe(201);
    const same = await supervisor.post('/api/process-instances').send({ bpmnProcessId: 'api-review-process', businessKey: 'case-r1' });
    expect(same.status).toBe(200);
    expect(same.body.processInstanceKey).toBe(started.body.processInstanceKey);
    const pik = started.body.processInstanceKey;

    // The JF handler sees the task in the group inbox; the RM handler cannot even open it.
    const handler1 = await t.login('handler1');
    const handler2 = await t.login('handler2');
    const inbox = (await handler1.get(`/api/tasks?scope=group&processInstanceKey=${pik}`)).body.items;
    expect(inbox).toHaveLength(1);
    const taskKey = inbox[0].key;
    expect(inbox[0].name).toBe('复核');
    expect((await handler2.get(`/api/tasks?scope=group&processInstanceKey=${pik}`)).body.items).toHaveLength(0);
    expect((await handler2.get(`/api/tasks/${taskKey}`)).status).toBe(404);
    expect((await handler2.post(`/api/tasks/${taskKey}/complete`).send({ variables: {} })).status).toBe(404);
    const opened = await handler1.get(`/api/tasks/${taskKey}`);
    expect(opened.body.form.formId).toBe('api-review');
    expect(opened.body.mayComplete).toBe(true);

    expect((await handler1.post(`/api/tasks/${taskKey}/claim`).send({})).body.assignee).toBe('handler1');
    expect((await handler1.get('/api/tasks?scope=mine')).body.items.map((x: { key: string }) => x.key)).toContain(taskKey);
    const done = await handler1.post(`/api/tasks/${taskKey}/complete`).send({ variables: { note: '同意' } });
    expect(done.status).toBe(200);
    const twice = await handler1.post(`/api/tasks/${taskKey}/complete`).send({ variables: { note: '再次' } });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('TASK_ALREADY_COMPLETED');

    // No worker serves 'api-test-job': fail it out of retries, see the incident, resolve it.
    const [job] = await t.core.engine.activateJobs({ type: 'api-test-job', worker: 'test', maxJobs: 1, timeoutMs: 60_000 });
    await t.core.engine.failJob(job.key, { errorMessage: 'service down', retries: 0 });
    const incidents = (await supervisor.get(`/api/incidents?processInstanceKey=${pik}`)).body.items;
    expect(incidents).toHaveLength(1);
    expect(incidents[0].errorMessage).toBe('service down');
    expect((await supervisor.post(`/api/incidents/${incidents[0].key}/resolve`).send({})).status).toBe(204);
    const [again2] = await t.core.engine.activateJobs({ type: 'api-test-job', worker: 'test', maxJobs: 1, timeoutMs: 60_000 });
    expect(again2.key).toBe(job.key);
    await t.core.engine.completeJob(job.key, {});

    // A message for nobody is not an error; the one the instance waits for moves it to the end. The keys
    // name no case, so only office-wide staff may send them: a handler gets 404.
    expect((await handler1.post('/api/messages').send({ name: 'answer', correlationKey: 'R-1' })).status).toBe(404);
    const nobody = await supervisor.post('/api/messages').send({ name: 'answer', correlationKey: 'nobody', timeToLive: 0 });
    expect(nobody.status).toBe(200);
    expect(nobody.body.correlatedProcessInstanceKeys).toEqual([]);
    const answer = await supervisor.post('/api/messages').send({ name: 'answer', correlationKey: 'R-1', variables: { decision: 'ok' } });
    expect(answer.body.correlatedProcessInstanceKeys).toEqual([pik]);
    const state = await supervisor.get(`/api/process-instances/${pik}`);
    expect(state.body.state).toBe('completed');
    expect(state.body.variables).toMatchObject({ note: '同意', decision: 'ok' });
    expect(state.body.elements.map((e: { elementId: string }) => e.elementId)).toEqual(expect.arrayContaining(['review', 'work', 'wait', 'end']));

    const trail = (await supervisor.get(`/api/audit?entityType=task&entityId=${taskKey}`)).body.items.map((e: { action: string }) => e.action);
    expect(trail).toEqual(['task.complete', 'task.claim']);
  });

  it('puts variables into a waiting instance for staff only; bad input and unknown keys change nothing', async () => {
    const legal = await t.login('legal');
    await legal.post('/api/workflows').send({ resources: [{ name: 'api-review.form', content: FORM }, { name: 'api-review-process.bpmn', content: reviewProcess() }] });
    const supervisor = await t.login('supervisor');
    const pik = (await supervisor.post('/api/process-instances').send({ bpmnProcessId: 'api-review-process', variables: { ref: 'R-9' } })).body.processInstanceKey;
    const handler1 = await t.login('handler1');
    const counts = await rowCounts(t.db);
    expect((await handler1.put(`/api/element-instances/${pik}/variables`).send({ variables: { ref: 'X' } })).status).toBe(403);
    const bad = await supervisor.put(`/api/element-instances/${pik}/variables`).send({ variables: [1] });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const extra = await supervisor.put(`/api/element-instances/${pik}/variables`).send({ variables: {}, scope: 'x' });
    expect(extra.status).toBe(400);
    const unknown = await supervisor.put('/api/element-instances/987654321/variables').send({ variables: { a: 1 } });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'ELEMENT_INSTANCE_NOT_FOUND']);
    expect(await rowCounts(t.db)).toEqual(counts);

    const set = await supervisor.put(`/api/element-instances/${pik}/variables`).send({ variables: { ref: 'R-10', reason: '地址有误' } });
    expect(set.status).toBe(204);
    expect((await supervisor.get(`/api/process-instances/${pik}`)).body.variables).toEqual({ ref: 'R-10', reason: '地址有误' });
    const trail = (await supervisor.get(`/api/audit?entityType=element_instance&entityId=${pik}`)).body.items;
    expect(trail.map((e: { action: string }) => e.action)).toEqual(['variables.set']);
    await supervisor.post(`/api/process-instances/${pik}/cancel`).send({});
  });

  it('answers clear errors for undeployed processes, bad keys and handlers starting instances', async () => {
    const supervisor = await t.login('supervisor');
    const none = await supervisor.post('/api/process-instances').send({ bpmnProcessId: 'no-such-process' });
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('PROCESS_NOT_DEPLOYED');
    expect((await supervisor.get('/api/process-instances/999999999')).status).toBe(404);
    expect((await supervisor.get('/api/process-instances/abc')).status).toBe(400);
    const handler = await t.login('handler1');
    expect((await handler.post('/api/process-instances').send({ bpmnProcessId: 'api-review-process' })).status).toBe(403);
    expect((await handler.get('/api/tasks/12345678')).status).toBe(404);
    expect((await handler.get('/api/tasks?scope=all')).status).toBe(403);
  });
});
