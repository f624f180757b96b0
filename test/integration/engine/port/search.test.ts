/**
 * The read side and the task commands of the engine port, the same scenario on both implementations:
 * the embedded engine, and Zeebe mode (its local record and REST calls) against the embedded engine's
 * gateways on another database. Instance search by process, version, business key, a case's
 * instances and state with keyset paging; the counts per version the editors list (never empty in
 * Zeebe mode); task search by business key, case, group, assignee, due dates, keys and state with
 * keyset paging; priority and reassignment, which in Zeebe mode reach the cluster.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TestClock } from '../../../../src/clock/clock';
import { instancesByVersion } from '../../../../src/editing/catalog';
import type { UserTaskView, WorkflowEngine } from '../../../../src/engine/port';
import { EmbeddedEngine } from '../../../../src/engine/runtime/engine';
import { createZeebeMode, type ZeebeMode } from '../../../../src/engine/zeebe';
import { createTestDatabase, testDbKinds, type TestDatabase } from '../../../support/db';
import { quietLogger, startEngineGateways, until, type EngineGateways } from '../../../support/zeebe-grpc';

const fixtures = path.join(__dirname, '../../zeebe/fixtures');
const FORM = { name: 'zm-review.form', content: fs.readFileSync(path.join(fixtures, 'zm-review.form'), 'utf8') };
const V1 = { name: 'zm-review.bpmn', content: fs.readFileSync(path.join(fixtures, 'zm-review.bpmn'), 'utf8') };
const V2 = { name: 'zm-review.bpmn', content: V1.content.replace('name="审核材料"', 'name="审核材料（复核）"') };

const DUE_A = '2026-12-01T09:00:00.000Z';
const DUE_B = '2026-12-03T09:00:00.000Z';

type Mode = 'embedded' | 'zeebe';
const cases: Array<[string, Mode]> = testDbKinds().flatMap((k) => [[k, 'embedded'], [k, 'zeebe']] as Array<[string, Mode]>);

describe.each(cases)('engine port: search, priority and reassignment (%s, %s)', (kind, mode) => {
  let cluster: TestDatabase;
  let local: TestDatabase | undefined;
  let embedded: EmbeddedEngine;
  let gateways: EngineGateways | undefined;
  let zeebe: ZeebeMode | undefined;
  let port: WorkflowEngine;
  let a: string;
  let b: string;

  beforeAll(async () => {
    cluster = await createTestDatabase(kind as never, `port-search-${mode}`);
    embedded = new EmbeddedEngine(cluster.ds, new TestClock(), {});
    if (mode === 'embedded') {
      port = embedded;
    } else {
      local = await createTestDatabase(kind as never, 'port-search-local');
      gateways = await startEngineGateways(embedded);
      zeebe = createZeebeMode({ settings: gateways.zeebeSettings(), ds: local.ds, clock: new TestClock(), logger: quietLogger, registrations: [], fastPolling: true });
      zeebe.workers.start();
      port = zeebe.engine;
    }
    await port.deploy([FORM, V1], 'test');
    a = (await port.createInstance({ bpmnProcessId: 'zm-review', businessKey: 'case-a', variables: { dueAt: DUE_A } })).processInstanceKey;
    const v2 = await port.deploy([FORM, V2], 'test');
    expect(v2.processes[0].version).toBe(2);
    b = (await port.createInstance({ bpmnProcessId: 'zm-review', businessKey: 'case-b', variables: { dueAt: DUE_B } })).processInstanceKey;
  }, 60_000);

  afterAll(async () => {
    await gateways?.stop();
    await zeebe?.workers.stop();
    await zeebe?.close();
    await embedded?.stop();
    await local?.close();
    await cluster?.close();
  }, 60_000);

  /** The two open tasks, once Zeebe mode's sync has brought them into the inbox. */
  const openTasks = () => until('both tasks in the inbox', async () => {
    const t = await port.searchTasks({ candidateGroups: ['JF'] });
    return t.length === 2 ? t : null;
  });
  const taskOf = (tasks: UserTaskView[], instance: string) => tasks.find((t) => t.processInstanceKey === instance)!;

  test('instances by process, version, business key, case and state, newest first and keyset paged', async () => {
    const all = await port.searchInstances({ bpmnProcessId: 'zm-review' });
    expect(all.map((i) => i.processInstanceKey)).toEqual([b, a]);
    expect(all[0]).toMatchObject({ bpmnProcessId: 'zm-review', version: 2, businessKey: 'case-b', state: 'active', parentProcessInstanceKey: null, rootProcessInstanceKey: b });
    expect((await port.searchInstances({ bpmnProcessId: 'zm-review', version: 1 })).map((i) => i.processInstanceKey)).toEqual([a]);
    expect((await port.searchInstances({ businessKey: 'case-a' })).map((i) => i.processInstanceKey)).toEqual([a]);
    expect((await port.searchInstances({ rootProcessInstanceKeys: [b] })).map((i) => i.processInstanceKey)).toEqual([b]);
    expect(await port.searchInstances({ rootProcessInstanceKeys: [] })).toEqual([]);
    expect(await port.searchInstances({ bpmnProcessId: 'zm-review', state: 'completed' })).toEqual([]);
    const first = await port.searchInstances({ bpmnProcessId: 'zm-review', limit: 1 });
    expect(first.map((i) => i.processInstanceKey)).toEqual([b]);
    expect((await port.searchInstances({ bpmnProcessId: 'zm-review', limit: 1, after: first[0].processInstanceKey })).map((i) => i.processInstanceKey)).toEqual([a]);
    expect(await port.searchInstances({ bpmnProcessId: 'zm-review', after: a })).toEqual([]);
  });

  test('the editors list the instances of each version', async () => {
    expect(await port.countInstancesByVersion('zm-review')).toEqual([{ version: 2, active: 1, total: 1 }, { version: 1, active: 1, total: 1 }]);
    const listed = await instancesByVersion(port, 'zm-review');
    expect(listed.versions).toHaveLength(2);
    expect(listed.recent.map((r) => [r.key, r.version, r.businessKey])).toEqual([[b, 2, 'case-b'], [a, 1, 'case-a']]);
    expect(await port.countInstancesByVersion('no-such-process')).toEqual([]);
  });

  test('tasks by business key, case, group, due dates, keys and state, keyset paged', async () => {
    const tasks = await openTasks();
    const ta = taskOf(tasks, a);
    const tb = taskOf(tasks, b);
    expect(ta).toMatchObject({ elementId: 'review', dueDate: DUE_A, candidateGroups: ['JF'], state: 'created' });
    expect((await port.searchTasks({ businessKey: 'case-a' })).map((t) => t.key)).toEqual([ta.key]);
    expect(await port.searchTasks({ businessKey: 'case-none' })).toEqual([]);
    expect((await port.searchTasks({ rootProcessInstanceKeys: [b] })).map((t) => t.key)).toEqual([tb.key]);
    expect((await port.searchTasks({ dueBefore: Date.parse(DUE_B) })).map((t) => t.key)).toEqual([ta.key]);
    expect((await port.searchTasks({ dueAfter: Date.parse(DUE_B) })).map((t) => t.key)).toEqual([tb.key]);
    expect((await port.searchTasks({ dueAfter: Date.parse(DUE_A), dueBefore: Date.parse(DUE_B) })).map((t) => t.key)).toEqual([ta.key]);
    expect(await port.searchTasks({ candidateGroups: ['RM'] })).toEqual([]);
    const page1 = await port.searchTasks({ candidateGroups: ['JF'], limit: 1 });
    const page2 = await port.searchTasks({ candidateGroups: ['JF'], limit: 1, after: page1[0].key });
    expect([...page1, ...page2].map((t) => t.key).sort()).toEqual([ta.key, tb.key].sort());
    expect(await port.searchTasks({ candidateGroups: ['JF'], after: page2[0].key })).toEqual([]);
    expect((await port.searchTasks({ keys: [tb.key, '999999'], state: 'any' })).map((t) => t.key)).toEqual([tb.key]);
    expect(await port.searchTasks({ state: 'completed' })).toEqual([]);

    await port.claimTask(ta.key, 'handler1');
    expect((await port.searchTasks({ assignee: 'handler1' })).map((t) => t.key)).toEqual([ta.key]);
    await port.unclaimTask(ta.key);
  });

  test('priority and reassignment through the port, refused when out of range, and seen by the engine', async () => {
    const tb = taskOf(await openTasks(), b);
    expect(tb.priority).toBe(50);
    expect((await port.setTaskPriority(tb.key, 80)).priority).toBe(80);
    expect((await port.searchTasks({ keys: [tb.key] }))[0].priority).toBe(80);
    await expect(port.setTaskPriority(tb.key, 101)).rejects.toMatchObject({ kind: 'INVALID_ARGUMENT', code: 'INVALID_PRIORITY' });

    await port.claimTask(tb.key, 'handler1');
    const moved = await port.reassignTask(tb.key, { assignee: null, candidateGroups: ['RM'] });
    expect(moved).toMatchObject({ assignee: null, candidateGroups: ['RM'] });
    expect((await port.searchTasks({ candidateGroups: ['RM'] })).map((t) => t.key)).toEqual([tb.key]);
    expect((await port.searchTasks({ candidateGroups: ['JF'] })).map((t) => t.key)).not.toContain(tb.key);
    await expect(port.reassignTask(tb.key, { assignee: null, candidateGroups: [''] })).rejects.toMatchObject({ kind: 'INVALID_ARGUMENT' });
    // Zeebe mode changed the cluster's task, not only the inbox's copy.
    expect(await embedded.getTask(tb.key)).toMatchObject({ priority: 80, assignee: null, candidateGroups: ['RM'] });

    await port.completeTask(tb.key, {}, 'handler2');
    await expect(port.setTaskPriority(tb.key, 10)).rejects.toMatchObject({ kind: 'INVALID_STATE' });
    expect((await port.searchTasks({ keys: [tb.key], state: 'completed' })).map((t) => t.completedBy)).toEqual(['handler2']);
  });

  test('counts for monitoring', async () => {
    const counts = await port.counts(Date.now());
    expect(counts.openIncidents).toBe(0);
    expect(counts.dueTimers).toBe(mode === 'embedded' ? 0 : null);
  });
});
