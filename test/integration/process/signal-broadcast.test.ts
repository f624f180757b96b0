/**
 * Broadcasting a signal to the running cases over HTTP, on both databases: a supervisor or the
 * administrator sends "the holiday schedule changed" with a reason; every case waiting for it moves
 * on, with the variables it carried; a handler may not; the audit log names who, why and the
 * variables' names (not their values).
 */
import { diagram } from '../../fixtures/bpmn/diagram';
import { startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';

jest.setTimeout(180_000);

const WAITING = diagram(`
  <bpmn:startEvent id="start" />
  <bpmn:intermediateCatchEvent id="waitSchedule" name="等待节假日安排"><bpmn:signalEventDefinition signalRef="sig" /></bpmn:intermediateCatchEvent>
  <bpmn:serviceTask id="recompute" name="重算期限"><bpmn:extensionElements><zeebe:taskDefinition type="signal-test-recompute" /></bpmn:extensionElements></bpmn:serviceTask>
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="waitSchedule" />
  <bpmn:sequenceFlow id="f2" sourceRef="waitSchedule" targetRef="recompute" />`,
{ id: 'signal-http-test', rootElements: '<bpmn:signal id="sig" name="holiday-schedule-changed" />' });

describe.each(testDbKinds())('signal broadcast over HTTP on %s', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(kind, 'signals');
    await t.core.engine.deploy([{ name: 'signal-http-test.bpmn', content: WAITING }], 'test');
  });
  afterAll(async () => { await t?.close(); });

  test('a supervisor broadcasts with a reason: waiting cases move on with its variables; a handler may not; audited without values', async () => {
    const a = await t.core.engine.createInstance({ bpmnProcessId: 'signal-http-test', variables: {} });
    const b = await t.core.engine.createInstance({ bpmnProcessId: 'signal-http-test', variables: {} });
    const handler = await t.login('handler1');
    const denied = await handler.post('/api/signals').send({ name: 'holiday-schedule-changed', reason: '国务院办公厅发布新的节假日安排' });
    expect(denied.status).toBe(403);

    const supervisor = await t.login('supervisor');
    const res = await supervisor.post('/api/signals').send({ name: 'holiday-schedule-changed', variables: { scheduleYear: 2027 }, reason: '国务院办公厅发布新的节假日安排' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ triggered: 2, started: 0, signalKey: expect.stringMatching(/^\d+$/) });
    for (const pi of [a, b]) {
      const view = await t.core.engine.getInstance(pi.processInstanceKey);
      expect(view.elements.filter((e) => e.state === 'active').map((e) => e.elementId)).toEqual(['recompute']);
      expect(view.variables).toMatchObject({ scheduleYear: 2027 });
    }
    const [audit] = (await t.db.ds.query("SELECT entity_id, after_json FROM audit_log WHERE action = 'signal.broadcast'")) as Array<{ entity_id: string; after_json: string }>;
    expect(audit.entity_id).toBe(res.body.signalKey);
    expect(JSON.parse(audit.after_json)).toEqual({
      name: 'holiday-schedule-changed', variableNames: ['scheduleYear'], reason: '国务院办公厅发布新的节假日安排', triggered: 2, started: 0,
    });
    expect(audit.after_json).not.toContain('2027');

    // Nobody waits any more: a second broadcast reaches nothing, and is still recorded.
    const again = await (await t.login('admin')).post('/api/signals').send({ name: 'holiday-schedule-changed', reason: '重复发送' });
    expect(again.body).toMatchObject({ triggered: 0, started: 0 });
  });
});
