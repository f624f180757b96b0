import type { DataSource } from 'typeorm';
import { createDataSource } from '../../../../src/db/data-source';
import {
  deployResources,
  deployWithRetry,
  getDefinition,
  getForm,
  latestDefinition,
  listDefinitions,
  listVersions,
  loadExecutable,
  loadLatestExecutable,
  type ResourceProblem,
} from '../../../../src/engine/deploy/definitions';
import { EngineRejection } from '../../../../src/engine/rejection';
import { fixture, simpleProcess } from '../../../fixtures/bpmn/diagram';
import { createTestDatabase, testDbKinds, type TestDatabase } from '../../../support/db';

const reviewForm = JSON.stringify({ id: 'review-form', type: 'default', components: [{ type: 'textfield', key: 'opinion', label: '审核意见' }] });

async function counts(ds: DataSource): Promise<number[]> {
  const out: number[] = [];
  for (const t of ['engine_deployments', 'engine_process_definitions', 'engine_forms']) {
    const [row] = (await ds.query(`SELECT COUNT(*) AS n FROM ${t}`)) as { n: number | string }[];
    out.push(Number(row.n));
  }
  return out;
}

async function refusal(work: Promise<unknown>): Promise<EngineRejection> {
  try {
    await work;
  } catch (e) {
    expect(e).toBeInstanceOf(EngineRejection);
    return e as EngineRejection;
  }
  throw new Error('expected the deployment to be refused');
}

describe.each(testDbKinds())('deploying definitions on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(kind, 'deploy');
  });
  afterAll(async () => {
    await db?.close();
  });

  it('creates version 1, answers a duplicate with the same version, and a change with version 2', async () => {
    const first = await db.ds.transaction((em) => deployResources(em, [{ name: 'simple.bpmn', content: simpleProcess('versioned') }], 'legal'));
    expect(first.processes).toEqual([{ bpmnProcessId: 'versioned', version: 1, key: expect.stringMatching(/^\d+$/), resourceName: 'simple.bpmn', duplicate: false }]);
    expect(first.deploymentKey).toMatch(/^\d+$/);

    const again = await db.ds.transaction((em) => deployResources(em, [{ name: 'simple.bpmn', content: simpleProcess('versioned') }], 'legal'));
    expect(again.processes[0]).toMatchObject({ version: 1, key: first.processes[0].key, duplicate: true });
    expect(again.deploymentKey).not.toBe(first.deploymentKey);

    const changed = await db.ds.transaction((em) => deployResources(em, [{ name: 'simple.bpmn', content: simpleProcess('versioned', 'other-work') }], 'legal'));
    expect(changed.processes[0]).toMatchObject({ version: 2, duplicate: false });
    expect(changed.processes[0].key).not.toBe(first.processes[0].key);

    const em = db.ds.manager;
    const latest = await latestDefinition(em, 'versioned');
    expect(latest).toMatchObject({ version: 2, key: changed.processes[0].key, resourceName: 'simple.bpmn', deploymentKey: changed.deploymentKey });
    expect(latest?.xml).toContain('other-work');
    expect(latest?.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect((await getDefinition(em, first.processes[0].key))?.xml).toBe(simpleProcess('versioned'));
    expect(await getDefinition(em, '999999')).toBeUndefined();
    expect(await getDefinition(em, 'not-a-key')).toBeUndefined();
    expect((await listVersions(em, 'versioned')).map((v) => v.version)).toEqual([2, 1]);
    const listed = (await listDefinitions(em)).find((d) => d.bpmnProcessId === 'versioned');
    expect(listed).toMatchObject({ version: 2, versionCount: 2, key: changed.processes[0].key });
  });

  it('deploys a diagram with its form, and gives forms by latest or given version', async () => {
    const result = await deployWithRetry(db.ds, [
      { name: 'all-supported.bpmn', content: fixture('all-supported.bpmn') },
      { name: 'review-form.form', content: reviewForm },
    ], 'legal');
    expect(result.processes).toEqual([expect.objectContaining({ bpmnProcessId: 'all-supported', version: 1 })]);
    expect(result.forms).toEqual([expect.objectContaining({ formId: 'review-form', version: 1, duplicate: false })]);
    expect(result.warnings).toEqual([]);

    const changedForm = JSON.stringify({ ...JSON.parse(reviewForm), components: [] });
    const second = await deployWithRetry(db.ds, [{ name: 'review-form.form', content: changedForm }], 'legal');
    expect(second.forms[0]).toMatchObject({ version: 2 });
    expect(await getForm(db.ds.manager, 'review-form')).toMatchObject({ version: 2, schema: { components: [] } });
    expect(await getForm(db.ds.manager, 'review-form', 1)).toMatchObject({ version: 1, schema: { id: 'review-form' } });
    expect(await getForm(db.ds.manager, 'no-such-form')).toBeUndefined();
  });

  it('warns, without refusing, when a user task uses a form that is not deployed', async () => {
    const xml = fixture('all-supported.bpmn').replace(/all-supported/g, 'needs-form').replace('review-form', 'missing-form');
    const result = await deployWithRetry(db.ds, [{ name: 'needs-form.bpmn', content: xml }], 'legal');
    expect(result.warnings).toEqual([expect.objectContaining({ elementId: 'review', rule: 'form-reference', severity: 'warning', resource: 'needs-form.bpmn' })]);
  });

  it('refuses an invalid deployment with every problem and writes nothing', async () => {
    const before = await counts(db.ds);
    const e = await refusal(db.ds.transaction((em) => deployResources(em, [
      { name: 'ok.bpmn', content: simpleProcess('would-be-fine') },
      { name: 'unsupported.bpmn', content: fixture('unsupported.bpmn') },
      { name: 'lint-violation.bpmn', content: fixture('lint-violation.bpmn') },
      { name: 'broken.form', content: '{"id": "broken", ' },
      { name: 'notes.txt', content: 'hello' },
    ], 'legal')));
    expect(e.kind).toBe('INVALID_ARGUMENT');
    expect(e.code).toBe('INVALID_DIAGRAM');
    const details = e.details as ResourceProblem[];
    const ids = (resource: string) => details.filter((d) => d.resource === resource && d.severity === 'error').map((d) => d.elementId);
    expect(ids('unsupported.bpmn')).toEqual(expect.arrayContaining(['split', 'script', 'each', 'escalated', 'signalThrow', 'messageEnd', 'tx', 'onSignal']));
    expect(ids('lint-violation.bpmn')).toEqual(expect.arrayContaining(['approve', 'record', 'f3']));
    expect(details.filter((d) => d.resource === 'lint-violation.bpmn').map((d) => d.rule)).toEqual(expect.arrayContaining(['lint/camunda-compat/user-task-form', 'feel', 'subset']));
    expect(details.find((d) => d.resource === 'broken.form')).toMatchObject({ rule: 'form', severity: 'error' });
    expect(details.find((d) => d.resource === 'notes.txt')).toMatchObject({ rule: 'resource', severity: 'error' });
    for (const d of details.filter((x) => x.elementId)) expect(d.path).toBe(d.elementId);
    expect(await counts(db.ds)).toEqual(before);
    expect(await latestDefinition(db.ds.manager, 'would-be-fine')).toBeUndefined();
  });

  it('refuses the same process id twice in one deployment, and an empty deployment', async () => {
    const e = await refusal(deployWithRetry(db.ds, [
      { name: 'a.bpmn', content: simpleProcess('twice') },
      { name: 'b.bpmn', content: simpleProcess('twice', 'x') },
    ], 'legal'));
    expect(e.details).toEqual([expect.objectContaining({ resource: 'b.bpmn', elementId: 'twice', rule: 'resource' })]);
    expect((await refusal(deployWithRetry(db.ds, [], 'legal'))).code).toBe('INVALID_DIAGRAM');
  });

  it('compiles each definition once and serves it from the cache', async () => {
    const result = await deployWithRetry(db.ds, [{ name: 'notify-party.bpmn', content: fixture('notify-party.bpmn') }], 'legal');
    const key = result.processes[0].key;
    const a = loadExecutable(db.ds.manager, key);
    const b = loadExecutable(db.ds.manager, key);
    expect(b).toBe(a);
    const process = await a;
    expect(process.id).toBe('notify-party');
    expect(process.elements.send).toMatchObject({ kind: 'sendTask', jobType: 'send-notice' });
    const latest = await loadLatestExecutable(db.ds.manager, 'notify-party');
    expect(latest?.definition.key).toBe(key);
    expect(latest?.process).toBe(process);
    expect(await loadLatestExecutable(db.ds.manager, 'nobody')).toBeUndefined();
    await expect(loadExecutable(db.ds.manager, '987654')).rejects.toMatchObject({ kind: 'NOT_FOUND' });
  });

  it('does not make duplicate versions when deployments overlap in one service', async () => {
    const results = await Promise.all([0, 1, 2, 3].map((i) =>
      deployWithRetry(db.ds, [{ name: 'overlap.bpmn', content: simpleProcess('overlap', `job-${i}`) }], 'legal', undefined, 20)));
    expect(results.map((r) => r.processes[0].version).sort()).toEqual([1, 2, 3, 4]);
  });

  // Two connections to one SQLite file in one Node process would block each other's event loop in
  // better-sqlite3's busy wait; two services on SQLite means two processes, so this runs on MariaDB.
  (kind === 'mariadb' ? it : it.skip)('does not make duplicate versions when two services deploy at the same time', async () => {
    const other = createDataSource({ databaseUrl: db.databaseUrl });
    await other.initialize();
    try {
      // The same diagram from both sides: one version, the other answer is the duplicate.
      const same = simpleProcess('raced');
      const [x, y] = await Promise.all([
        deployWithRetry(db.ds, [{ name: 'raced.bpmn', content: same }], 'legal'),
        deployWithRetry(other, [{ name: 'raced.bpmn', content: same }], 'legal'),
      ]);
      expect([x.processes[0].version, y.processes[0].version]).toEqual([1, 1]);
      expect([x.processes[0].duplicate, y.processes[0].duplicate].sort()).toEqual([false, true]);

      // Different diagrams: versions 2 and 3, never the same number twice.
      const results = await Promise.all([0, 1, 2, 3].map((i) =>
        deployWithRetry(i % 2 ? other : db.ds, [{ name: 'raced.bpmn', content: simpleProcess('raced', `job-${i}`) }], 'legal', undefined, 20)));
      expect(results.map((r) => r.processes[0].version).sort()).toEqual([2, 3, 4, 5]);
      expect((await listVersions(db.ds.manager, 'raced')).map((v) => v.version)).toEqual([5, 4, 3, 2, 1]);
    } finally {
      await other.destroy();
    }
  });

  (kind === 'mariadb' ? it : it.skip)('takes the next version when a concurrent deployment commits first', async () => {
    const other = createDataSource({ databaseUrl: db.databaseUrl });
    await other.initialize();
    const qr = db.ds.createQueryRunner();
    try {
      await qr.startTransaction();
      const first = await deployResources(qr.manager, [{ name: 'held.bpmn', content: simpleProcess('held', 'a') }], 'legal');
      expect(first.processes[0].version).toBe(1);
      // The second deployment reads no version 1 yet, so its insert waits on the held row and then collides.
      const second = deployWithRetry(other, [{ name: 'held.bpmn', content: simpleProcess('held', 'b') }], 'legal', undefined, 1);
      await new Promise((r) => setTimeout(r, 300));
      await qr.commitTransaction();
      expect((await second).processes[0]).toMatchObject({ version: 2, duplicate: false });
    } finally {
      if (qr.isTransactionActive) await qr.rollbackTransaction();
      await qr.release();
      await other.destroy();
    }
  });
});
