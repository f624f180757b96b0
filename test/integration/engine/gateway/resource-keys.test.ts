/**
 * Resource keys and DeleteResource of decisions, through the gateways with the real @camunda8/sdk gRPC
 * client and over REST, on both databases: every kind of resource takes its keys from its own range;
 * deleting a decision requirements graph (DRG) deletes its decisions (the version before answers by id,
 * a deleted decision's key answers NOT_FOUND), a decision's own key is no resource, and a key naming
 * nothing answers NOT_FOUND. Migration 1700000030300 on keys as a database created before
 * 1700000028200 has them: forms, graphs and decisions move into their ranges, a key a form shared with
 * a process version then deletes only what each key names, and old keys kept by clients still resolve.
 */
import type { QueryRunner } from 'typeorm';
import { ResourceKeysDistinct1700000030300 } from '../../../../migrations/1700000030300-ResourceKeysDistinct';
import { KEY_RANGE } from '../../../../src/engine/deploy/resource-keys';
import type { RunningRestGateway } from '../../../../src/engine/gateway';
import type { EmbeddedEngine } from '../../../../src/engine/runtime/engine';
import { diagram } from '../../../fixtures/bpmn/diagram';
import { testDbKinds, type TestDatabase } from '../../../support/db';
import { GrpcCode as Code, rejection, startGatewayUnderTest, type GatewayUnderTest, type ZeebeClient } from '../../../support/zeebe-grpc';
import { dmn, literalXml, tableXml } from '../../../unit/engine/dmn/dmn-table';

jest.setTimeout(120_000);

const task = (id: string, type: string) => `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" /></bpmn:extensionElements></bpmn:serviceTask>`;
const flow = (from: string, to: string) => `<bpmn:sequenceFlow id="f_${from}_${to}" sourceRef="${from}" targetRef="${to}" />`;
const process = (id: string) => diagram(`<bpmn:startEvent id="start" />${task('t', `${id}-work`)}${flow('start', 't')}`, { id });
const form = (id: string, label: string) => JSON.stringify({ id, type: 'default', schemaVersion: 16, components: [{ type: 'textfield', key: 'note', label }] });
/** A graph of two decisions: a level table by amount (`<tag>_level`) and a literal text requiring it (`<tag>_text`). */
const levels = (id: string, high: string) => {
  const tag = id.replace(/-/g, '_');
  return dmn(id,
    tableXml({ id: `${tag}_level`, hitPolicy: 'FIRST', inputs: ['amount'], outputs: ['level'], rules: [[['>= 1000'], [high]], [['-'], ['"低"']]] }),
    literalXml(`${tag}_text`, `"等级：" + ${tag}_level`, [`${tag}_level`]));
};

describe.each(testDbKinds())('resource keys and DeleteResource of decisions on %s', (kind) => {
  let stack: GatewayUnderTest;
  let db: TestDatabase;
  let engine: EmbeddedEngine;
  let rest: RunningRestGateway;
  let zbc: ZeebeClient;

  beforeAll(async () => {
    stack = await startGatewayUnderTest(kind, 'reskeys');
    ({ db, engine, rest, zbc } = stack);
  }, 60_000);
  afterAll(async () => { await stack?.stop(); }, 60_000);

  const deletion = (key: string) => fetch(`http://127.0.0.1:${rest.port}/v2/resources/${key}/deletion`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  const deleted = async (table: string, key: string | number) =>
    ((await db.ds.query(`SELECT deleted_at FROM ${table} WHERE \`key\` = ?`, [Number(key)])) as Array<{ deleted_at: unknown }>)[0]?.deleted_at != null;

  test('each kind keys from its own range; deleting a DRG deletes its decisions; a decision key or a key naming nothing is NOT_FOUND', async () => {
    const r = await engine.deploy([
      { name: 'rk-p.bpmn', content: process('rk-p') }, { name: 'rk-f.form', content: form('rk-f', 'v1') }, { name: 'rk-d.dmn', content: levels('rk-d', '"高"') },
    ], 'test');
    const p = Number(r.processes[0].key);
    const f = Number(r.forms[0].key);
    const drg1 = r.decisionRequirements![0].key;
    const [level1, text1] = r.decisions!.map((d) => d.key);
    expect(p).toBeLessThan(KEY_RANGE);
    expect(f).toBeGreaterThanOrEqual(KEY_RANGE);
    expect(f).toBeLessThan(2 * KEY_RANGE);
    expect(Number(drg1)).toBeGreaterThanOrEqual(2 * KEY_RANGE);
    expect(Number(drg1)).toBeLessThan(3 * KEY_RANGE);
    for (const d of [level1, text1]) expect(Number(d)).toBeGreaterThanOrEqual(3 * KEY_RANGE);

    // A decision's key is no resource: its graph is.
    expect(await rejection(zbc.deleteResource({ resourceKey: level1 }))).toMatchObject({ code: Code.NOT_FOUND, details: expect.stringContaining(`decision requirements (key ${drg1})`) });
    expect(await deleted('engine_decisions', level1)).toBe(false);

    const v2 = await engine.deploy([{ name: 'rk-d.dmn', content: levels('rk-d', '"很高"') }], 'test');
    const drg2 = v2.decisionRequirements![0].key;
    const text2 = v2.decisions!.find((d) => d.decisionId === 'rk_d_text')!.key;
    expect((await zbc.evaluateDecision({ decisionId: 'rk_d_text', variables: { amount: 5000 } })).decisionOutput).toBe('"等级：很高"');
    await zbc.deleteResource({ resourceKey: drg2 });
    expect(await deleted('engine_decision_requirements', drg2)).toBe(true);
    expect(await deleted('engine_decisions', text2)).toBe(true);
    // The version before answers by id again; the deleted version's key names nothing.
    const byId = await zbc.evaluateDecision({ decisionId: 'rk_d_text', variables: { amount: 5000 } });
    expect([byId.decisionOutput, byId.decisionKey, Number(byId.decisionVersion)]).toEqual(['"等级：高"', text1, 1]);
    expect(await rejection(zbc.evaluateDecision({ decisionKey: text2, variables: { amount: 5000 } }))).toMatchObject({ code: Code.NOT_FOUND });
    expect(await rejection(zbc.deleteResource({ resourceKey: drg2 }))).toMatchObject({ code: Code.NOT_FOUND, details: expect.stringContaining('RESOURCE_NOT_FOUND') });

    // Over REST: the first version goes too; then no version is left to evaluate.
    expect((await deletion(drg1)).status).toBe(200);
    expect((await deletion(drg1)).status).toBe(404);
    expect(await rejection(zbc.evaluateDecision({ decisionId: 'rk_d_text', variables: { amount: 5000 } }))).toMatchObject({ code: Code.NOT_FOUND });
    // Deploying a deleted version's XML again makes a new version, not the deleted one.
    const again = await engine.deploy([{ name: 'rk-d.dmn', content: levels('rk-d', '"很高"') }], 'test');
    expect(again.decisionRequirements![0]).toMatchObject({ version: 3, duplicate: false });

    // Keys naming nothing, in each range, over both gateways; the process and the form are untouched.
    for (const k of ['999999', String(KEY_RANGE + 999_999), String(2 * KEY_RANGE + 999_999), String(4 * KEY_RANGE - 1)]) {
      expect(await rejection(zbc.deleteResource({ resourceKey: k }))).toMatchObject({ code: Code.NOT_FOUND });
      expect((await deletion(k)).status).toBe(404);
    }
    expect(await deleted('engine_process_definitions', p)).toBe(false);
    expect(await deleted('engine_forms', f)).toBe(false);
  });

  test('keys from before the ranges are moved into them; each key then deletes what it names, and old keys still resolve', async () => {
    const live = await engine.deploy([{ name: 'rk-old.bpmn', content: process('rk-old') }], 'test');
    const processKey = Number(live.processes[0].key);
    const deploymentKey = Number(live.deploymentKey);
    const qr: QueryRunner = db.ds.createQueryRunner();
    const migration = new ResourceKeysDistinct1700000030300();
    try {
      await qr.beforeMigration();
      await qr.startTransaction();
      await migration.down(qr);
      // As a database created before 1700000028200 has them: a form keyed like the process version,
      // another form, a graph and its decisions with low keys (one decision keyed like its graph).
      const now = Date.now();
      await qr.query('INSERT INTO engine_forms (`key`, form_id, version, resource_name, checksum, schema_json, deployment_key, deployed_at) VALUES (?, ?, 1, ?, ?, ?, ?, ?)',
        [processKey, 'rk-old-a', 'a.form', 'a', form('rk-old-a', 'a'), deploymentKey, now]);
      await qr.query('INSERT INTO engine_forms (`key`, form_id, version, resource_name, checksum, schema_json, deployment_key, deployed_at) VALUES (?, ?, 1, ?, ?, ?, ?, ?)',
        [900_001, 'rk-old-b', 'b.form', 'b', form('rk-old-b', 'b'), deploymentKey, now]);
      await qr.query('INSERT INTO engine_decision_requirements (`key`, drg_id, name, version, resource_name, checksum, xml, deployment_key, deployed_at) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?)',
        [900_002, 'rk-old-d', 'rk-old-d', 'rk-old-d.dmn', 'd', levels('rk-old-d', '"高"'), deploymentKey, now]);
      for (const [key, id] of [[900_002, 'rk_old_d_level'], [900_003, 'rk_old_d_text']] as const) {
        await qr.query('INSERT INTO engine_decisions (`key`, decision_id, name, version, drg_key, drg_id, deployment_key, deployed_at) VALUES (?, ?, ?, 1, ?, ?, ?, ?)',
          [key, id, id, 900_002, 'rk-old-d', deploymentKey, now]);
      }
      await migration.up(qr);
      await qr.commitTransaction();
    } catch (e) {
      if (qr.isTransactionActive) await qr.rollbackTransaction();
      throw e;
    } finally {
      await qr.afterMigration();
      await qr.release();
    }

    const keyOf = async (table: string, idColumn: string, id: string) =>
      Number(((await db.ds.query(`SELECT \`key\` FROM ${table} WHERE ${idColumn} = ?`, [id])) as Array<{ key: number | string }>)[0].key);
    const formA = await keyOf('engine_forms', 'form_id', 'rk-old-a');
    const formB = await keyOf('engine_forms', 'form_id', 'rk-old-b');
    const drg = await keyOf('engine_decision_requirements', 'drg_id', 'rk-old-d');
    for (const k of [formA, formB]) expect(Math.floor(k / KEY_RANGE)).toBe(1);
    expect(Math.floor(drg / KEY_RANGE)).toBe(2);
    const decisions = (await db.ds.query("SELECT `key`, drg_key FROM engine_decisions WHERE drg_id = 'rk-old-d'")) as Array<{ key: number | string; drg_key: number | string }>;
    expect(decisions.map((d) => [Math.floor(Number(d.key) / KEY_RANGE), Number(d.drg_key)])).toEqual([[3, drg], [3, drg]]);

    // New resources take keys after the moved ones, in their own ranges.
    const fresh = await engine.deploy([{ name: 'rk-new.form', content: form('rk-new', 'n') }, { name: 'rk-new.dmn', content: levels('rk-new', '"高"') }], 'test');
    expect(Number(fresh.forms[0].key)).toBeGreaterThan(Math.max(formA, formB));
    expect(Number(fresh.decisionRequirements![0].key)).toBeGreaterThan(drg);

    // The key the form shared with the process version names the process version now, and only it.
    await zbc.deleteResource({ resourceKey: String(processKey) });
    expect(await deleted('engine_process_definitions', processKey)).toBe(true);
    expect(await deleted('engine_forms', formA)).toBe(false);
    expect((await deletion(String(formA))).status).toBe(200);
    expect(await deleted('engine_forms', formA)).toBe(true);
    // An old key a client kept still names its form, its decision, its graph.
    await zbc.deleteResource({ resourceKey: '900001' });
    expect(await deleted('engine_forms', formB)).toBe(true);
    expect((await zbc.evaluateDecision({ decisionKey: '900003', variables: { amount: 5000 } })).decisionOutput).toBe('"等级：高"');
    expect((await deletion('900002')).status).toBe(200);
    expect(await deleted('engine_decision_requirements', drg)).toBe(true);
    expect(await rejection(zbc.evaluateDecision({ decisionKey: '900003', variables: { amount: 5000 } }))).toMatchObject({ code: Code.NOT_FOUND });
  });
});
