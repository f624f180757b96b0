/**
 * The editing API on both databases: a diagram checked without deploying answers its problems with
 * element ids; drafts are saved as new versions, refused when stale, and audited; two versions
 * (deployed or draft) compare as added, removed and changed elements; handlers are refused.
 */
import { startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';

const PROCESS = 'police-referral';

interface Problem { elementId?: string; rule: string; message: string; severity: 'error' | 'warning' }

/** The first service task's job type cleared: an error both checks must report on that element. */
const withoutJobType = (xml: string) => xml.replace(/(<bpmn:serviceTask id="Task_SetReferralReport"[\s\S]*?<zeebe:taskDefinition type=")[^"]*"/, '$1"');
const withExtraTask = (xml: string) => xml.replace('</bpmn:process>', '<bpmn:task id="Task_Extra" name="补充审查" /></bpmn:process>');

describe.each(testDbKinds())('editing API on %s', (kind) => {
  let t: TestApp;
  let deployedXml = '';
  beforeAll(async () => {
    t = await startTestApp(kind, 'editing_api');
    const legal = await t.login('legal');
    const res = await legal.get(`/api/workflows/${PROCESS}`);
    expect(res.status).toBe(200);
    deployedXml = res.body.xml;
  });
  afterAll(() => t.close());

  it('checks a diagram without deploying it and names the elements with problems', async () => {
    const legal = await t.login('legal');
    const before = await legal.get(`/api/workflows/${PROCESS}`);

    const ok = await legal.post('/api/workflows/check').send({ xml: deployedXml });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ deployable: true, processIds: [PROCESS] });
    expect(ok.body.problems.filter((p: Problem) => p.severity === 'error')).toEqual([]);

    const broken = await legal.post('/api/workflows/check').set('Content-Type', 'application/xml').send(withoutJobType(deployedXml));
    expect(broken.status).toBe(200);
    expect(broken.body.deployable).toBe(false);
    const errorsOf = (broken.body.problems as Problem[]).filter((p) => p.severity === 'error');
    expect(errorsOf.map((p) => p.elementId)).toContain('Task_SetReferralReport');
    expect(errorsOf.every((p) => p.rule && p.message)).toBe(true);

    const unreadable = await legal.post('/api/workflows/check').send({ xml: '<bpmn:definitions' });
    expect(unreadable.status).toBe(200);
    expect(unreadable.body).toMatchObject({ deployable: false, problems: [expect.objectContaining({ rule: 'xml', severity: 'error' })] });

    // Nothing was deployed by checking.
    const after = await legal.get(`/api/workflows/${PROCESS}`);
    expect(after.body.versions).toEqual(before.body.versions);
  });

  it('saves drafts as new versions, refuses a stale save, and audits every save', async () => {
    const legal = await t.login('legal');
    expect((await legal.get(`/api/workflows/${PROCESS}/draft`)).status).toBe(404);

    const first = await legal.put(`/api/workflows/${PROCESS}/draft`).send({ xml: withoutJobType(deployedXml), basedOnVersion: 1, expectedVersion: null });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ bpmnProcessId: PROCESS, version: 1, basedOnVersion: 1, savedBy: 'legal', deployable: false });
    expect(first.body.problems.map((p: Problem) => p.elementId)).toContain('Task_SetReferralReport');

    const second = await legal.put(`/api/workflows/${PROCESS}/draft`).send({ xml: withExtraTask(deployedXml), basedOnVersion: 1, expectedVersion: 1 });
    expect(second.status).toBe(201);
    // A draft may hold errors (here a task connected to nothing); only deploying refuses them.
    expect(second.body).toMatchObject({ version: 2, deployable: false });
    expect(second.body.problems.map((p: Problem) => p.elementId)).toContain('Task_Extra');

    // Someone still editing draft 1 does not overwrite draft 2.
    const stale = await legal.put(`/api/workflows/${PROCESS}/draft`).send({ xml: deployedXml, expectedVersion: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('DRAFT_CHANGED');

    const wrongProcess = await legal.put(`/api/workflows/${PROCESS}/draft`).send({ xml: deployedXml.replaceAll(`id="${PROCESS}"`, 'id="another-process"') });
    expect(wrongProcess.status).toBe(400);
    expect(wrongProcess.body.error.code).toBe('PROCESS_ID_MISMATCH');
    const unreadable = await legal.put(`/api/workflows/${PROCESS}/draft`).send({ xml: '<bpmn:definitions' });
    expect(unreadable.status).toBe(400);

    const latest = await legal.get(`/api/workflows/${PROCESS}/draft`);
    expect(latest.status).toBe(200);
    expect(latest.body).toMatchObject({ version: 2, xml: withExtraTask(deployedXml) });
    expect(latest.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const older = await legal.get(`/api/workflows/${PROCESS}/draft?version=1`);
    expect(older.body.xml).toBe(withoutJobType(deployedXml));

    const audit = (await t.db.ds.query(
      "SELECT actor_id, actor_name, action, entity_id, at, after_json FROM audit_log WHERE entity_type = 'workflow_draft' ORDER BY at, id",
    )) as { actor_id: string | null; actor_name: string; action: string; entity_id: string; at: number | string; after_json: string | object }[];
    expect(audit).toHaveLength(2);
    for (const [i, row] of audit.entries()) {
      expect(row).toMatchObject({ action: 'workflow.draft.save', entity_id: PROCESS });
      expect(row.actor_id).toBeTruthy();
      expect(Number(row.at)).toBe([first.body.savedAt, second.body.savedAt][i]);
      const after = typeof row.after_json === 'string' ? JSON.parse(row.after_json) : row.after_json;
      expect(after).toMatchObject({ bpmnProcessId: PROCESS, version: i + 1 });
    }
  });

  it('compares deployed versions and drafts: added, removed and changed elements', async () => {
    const legal = await t.login('legal');
    const changedXml = withExtraTask(withoutJobType(deployedXml)).replace('name="移送审查"', 'name="移送审查（修订）"');
    expect((await legal.put(`/api/workflows/${PROCESS}/draft`).send({ xml: changedXml, expectedVersion: 2 })).status).toBe(201);

    const forward = await legal.get(`/api/workflows/${PROCESS}/diff?from=1&to=draft`);
    expect(forward.status).toBe(200);
    expect(forward.body).toMatchObject({ from: { version: 1 }, to: { draft: 3 }, removed: [] });
    expect(forward.body.added).toEqual([{ id: 'Task_Extra', type: 'bpmn:Task', name: '补充审查' }]);
    const task = forward.body.changed.find((c: { id: string }) => c.id === 'Task_SetReferralReport');
    expect(task.changes).toEqual(expect.arrayContaining([
      { property: 'name', before: '移送审查', after: '移送审查（修订）' },
      { property: 'zeebe:TaskDefinition.type', before: 'case.set-status', after: '' },
    ]));
    expect(forward.body.changed.map((c: { id: string }) => c.id)).toEqual(['Task_SetReferralReport']);

    const backward = await legal.get(`/api/workflows/${PROCESS}/diff?from=draft&to=1`);
    expect(backward.body.removed.map((e: { id: string }) => e.id)).toEqual(['Task_Extra']);
    expect(backward.body.added).toEqual([]);

    const same = await legal.get(`/api/workflows/${PROCESS}/diff?from=1&to=1`);
    expect(same.body).toMatchObject({ added: [], removed: [], changed: [], layoutChanged: [] });

    expect((await legal.get(`/api/workflows/${PROCESS}/diff?from=9&to=1`)).status).toBe(404);
    expect((await legal.get(`/api/workflows/${PROCESS}/diff?from=x`)).status).toBe(400);
  });

  it('lists forms and the instances of each version', async () => {
    const legal = await t.login('legal');
    const forms = await legal.get('/api/forms');
    expect(forms.status).toBe(200);
    expect(forms.body.items.length).toBeGreaterThan(10);
    expect(forms.body.items[0]).toMatchObject({ formId: expect.any(String), version: 1, versionCount: 1 });
    const instances = await legal.get(`/api/workflows/${PROCESS}/instances`);
    expect(instances.status).toBe(200);
    expect(instances.body.versions).toEqual([expect.objectContaining({ version: 1, active: 0, total: 0 })]);
  });

  it('refuses handlers every editing route', async () => {
    const handler = await t.login('handler1');
    const calls = [
      handler.post('/api/workflows/check').send({ xml: deployedXml }),
      handler.post('/api/workflows/check').set('Content-Type', 'application/xml').send(deployedXml),
      handler.get(`/api/workflows/${PROCESS}/draft`),
      handler.put(`/api/workflows/${PROCESS}/draft`).send({ xml: deployedXml }),
      handler.get(`/api/workflows/${PROCESS}/diff?from=1&to=1`),
      handler.get(`/api/workflows/${PROCESS}/instances`),
      handler.get('/api/forms'),
    ];
    for (const res of await Promise.all(calls)) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    const drafts = (await t.db.ds.query("SELECT COUNT(*) AS n FROM audit_log WHERE entity_type = 'workflow_draft' AND actor_name = 'handler1'")) as { n: number | string }[];
    expect(Number(drafts[0].n)).toBe(0);
  });
});
