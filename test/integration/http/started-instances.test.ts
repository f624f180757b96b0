/**
 * An instance staff start by hand (POST /api/process-instances) belongs to the starter's office: the
 * other office's staff cannot read, cancel or change it, nor learn its key through its business key,
 * and no one may start one, or change a running one, with the variables a job trusts to name its
 * record (the case, the warning, the patrol…), which would let the job act on another office's record.
 */
import { StartedInstancesScoped1700000030500 } from '../../../migrations/1700000030500-StartedInstancesScoped';
import { diagram } from '../../fixtures/bpmn/diagram';
import { rowCounts, startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';
import { createOffice, SECOND_OFFICE_USERS } from '../../support/second-office';

const PROCESS = diagram(`
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
    <bpmn:intermediateCatchEvent id="wait"><bpmn:messageEventDefinition messageRef="msg" /></bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="end" />
    <bpmn:endEvent id="end" />`, {
  id: 'hand-started',
  rootElements: `<bpmn:message id="msg" name="hand-answer"><bpmn:extensionElements><zeebe:subscription correlationKey="=ref" /></bpmn:extensionElements></bpmn:message>`,
});

describe.each(testDbKinds())('instances started by hand on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, 'hand_started');
    await createOffice(t);
    const legal = await t.login('legal');
    expect((await legal.post('/api/workflows').send({ resources: [{ name: 'hand-started.bpmn', content: PROCESS }] })).status).toBe(201);
  });
  afterAll(() => t.close());

  it("is the starter's office's: the other office's staff get the answer for a made-up key", async () => {
    const supervisor = await t.login('supervisor');
    const started = await supervisor.post('/api/process-instances').send({ bpmnProcessId: 'hand-started', variables: { ref: 'H-1' }, businessKey: 'hand-1' });
    expect(started.status).toBe(201);
    const pik = started.body.processInstanceKey as string;
    expect((await supervisor.get(`/api/process-instances/${pik}`)).status).toBe(200);

    for (const username of [SECOND_OFFICE_USERS.supervisor, SECOND_OFFICE_USERS.legal, SECOND_OFFICE_USERS.admin]) {
      const other = await t.login(username);
      const made_up = await other.get('/api/process-instances/999999999');
      const read = await other.get(`/api/process-instances/${pik}`);
      expect([read.status, read.body.error.code]).toEqual([made_up.status, made_up.body.error.code]);
      expect((await other.post(`/api/process-instances/${pik}/cancel`).send({})).status).toBe(made_up.status);
      expect((await other.put(`/api/element-instances/${pik}/variables`).send({ variables: { ref: 'X' } })).status).toBe(404);
      // The business key another office's instance holds: refused without its key.
      const same = await other.post('/api/process-instances').send({ bpmnProcessId: 'hand-started', businessKey: 'hand-1' });
      expect(same.status).toBe(409);
      expect(same.body.error.code).toBe('BUSINESS_KEY_IN_USE');
      expect(JSON.stringify(same.body)).not.toContain(pik);
    }
    // Its own office's staff still answer the business key with the instance.
    const again = await (await t.login('legal')).post('/api/process-instances').send({ bpmnProcessId: 'hand-started', businessKey: 'hand-1' });
    expect([again.status, again.body.processInstanceKey]).toEqual([200, pik]);
    const scope = (await t.db.ds.query('SELECT s.kind, o.code FROM instance_scopes s JOIN offices o ON o.id = s.office_id WHERE s.process_instance_key = ?', [pik])) as { kind: string; code: string }[];
    expect(scope.map((s) => s.kind)).toEqual(['started']);
    expect((await supervisor.get(`/api/process-instances/${pik}`)).body.variables).toEqual({ ref: 'H-1' });
  });

  it("refuses the variables that name a job's record, on a start and on a running instance, and writes nothing", async () => {
    const supervisor = await t.login('supervisor');
    const { caseId } = (await t.db.ds.query('SELECT id AS caseId FROM cases LIMIT 1'))[0] ?? { caseId: '00000000-0000-4000-8000-000000000001' };
    const counts = await rowCounts(t.db);
    for (const variables of [{ caseId }, { ref: 'H-2', warningId: '00000000-0000-4000-8000-000000000002' }, { patrolId: 'p', caseNumber: '金人社监〔2026〕1号' }]) {
      const res = await supervisor.post('/api/process-instances').send({ bpmnProcessId: 'hand-started', variables });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('RESERVED_VARIABLE');
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(
        Object.keys(variables).filter((k) => k !== 'ref').map((k) => `body.variables.${k}`));
    }
    expect(await rowCounts(t.db)).toEqual(counts);

    const pik = (await supervisor.post('/api/process-instances').send({ bpmnProcessId: 'hand-started', variables: { ref: 'H-3', caseId: null } })).body.processInstanceKey as string;
    const moved = await supervisor.put(`/api/element-instances/${pik}/variables`).send({ variables: { ref: 'H-4', caseId } });
    expect(moved.status).toBe(400);
    expect(moved.body.error.code).toBe('RESERVED_VARIABLE');
    expect((await supervisor.get(`/api/process-instances/${pik}`)).body.variables).toEqual({ ref: 'H-3', caseId: null });
    // Data that names no record is still put right.
    expect((await supervisor.put(`/api/element-instances/${pik}/variables`).send({ variables: { ref: 'H-4' } })).status).toBe(204);
    expect((await supervisor.get(`/api/process-instances/${pik}`)).body.variables).toMatchObject({ ref: 'H-4' });
  });

  it("gives an instance started before scopes were recorded its starter's office, from the audit log", async () => {
    const legal = await t.login(SECOND_OFFICE_USERS.legal);
    const pik = (await legal.post('/api/process-instances').send({ bpmnProcessId: 'hand-started', variables: { ref: 'H-5' } })).body.processInstanceKey as string;
    await t.db.ds.query('DELETE FROM instance_scopes WHERE process_instance_key = ?', [pik]);
    // As before: an instance without a scope was any office's.
    expect((await (await t.login('supervisor')).get(`/api/process-instances/${pik}`)).status).toBe(200);
    const qr = t.db.ds.createQueryRunner();
    try {
      await new StartedInstancesScoped1700000030500().up(qr);
    } finally {
      await qr.release();
    }
    const [office] = (await t.db.ds.query('SELECT o.code FROM instance_scopes s JOIN offices o ON o.id = s.office_id WHERE s.process_instance_key = ?', [pik])) as { code: string }[];
    const [own] = (await t.db.ds.query('SELECT o.code FROM users u JOIN offices o ON o.id = u.office_id WHERE u.username = ?', [SECOND_OFFICE_USERS.legal])) as { code: string }[];
    expect(office.code).toBe(own.code);
    expect((await (await t.login('supervisor')).get(`/api/process-instances/${pik}`)).status).toBe(404);
    expect((await legal.get(`/api/process-instances/${pik}`)).status).toBe(200);
  });
});
