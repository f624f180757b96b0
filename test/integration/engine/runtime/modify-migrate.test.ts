import { testDbKinds } from '../../../support/db';
import { el, elementsIn, harness, Harness, model } from './support';

const { start, end, user, sub, task } = el;
const DAY = 86_400_000;

/**
 * Repairing and moving running instances: Zeebe's ModifyProcessInstance (activate, terminate, with
 * variables; atomic), start instructions, and MigrateProcessInstance for one instance or a whole
 * version in batches, with timers opened again from the target.
 */
describe.each(testDbKinds())('modification and migration of running instances on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => { h = await harness(kind, 'modmig'); });
  afterAll(async () => { await h.close(); });

  const code = async (p: Promise<unknown>) => p.then(() => 'ok', (e: { kind?: string; code?: string }) => `${e.kind} ${e.code}`);
  const view = (key: string) => h.engine.getInstance(key);
  const eiOf = async (key: string, elementId: string) => (await view(key)).elements.find((e) => e.elementId === elementId && e.state === 'active')!.elementInstanceKey;
  const count = async (sql: string, params: unknown[]) => Number(((await h.db.ds.query(sql, params)) as Array<{ c: number | string }>)[0].c);

  const line = model('mm-line', [start('s'), user('a'), user('b'), sub('box'), start('bs', { type: 'none' }, 'box'), user('inner', { scopeId: 'box' }),
    end('be', { type: 'none' }, 'box'), end('e')], [['s', 'a'], ['a', 'b'], ['b', 'box'], ['bs', 'inner'], ['inner', 'be'], ['box', 'e']]);

  test('a stuck task is skipped: the next one activated with variables, the stuck one terminated, in one command', async () => {
    await h.deploy(line);
    const pi = await h.engine.createInstance({ bpmnProcessId: 'mm-line', variables: { x: 1 } });
    const a = await eiOf(pi.processInstanceKey, 'a');
    const r = await h.engine.modifyInstance(pi.processInstanceKey, {
      activate: [{ elementId: 'b', variables: [{ variables: { repaired: true } }, { scopeId: 'b', variables: { note: 'local' } }] }],
      terminate: [a],
    });
    expect(r.activated.map((x) => x.elementId)).toEqual(['b']);
    expect(r.terminated).toEqual([{ elementId: 'a', elementInstanceKey: a }]);
    const v = await view(pi.processInstanceKey);
    expect(elementsIn(v, 'active')).toEqual(['b']);
    expect(elementsIn(v, 'terminated')).toEqual(['a']);
    expect(v.variables).toEqual({ x: 1, repaired: true });
    const tasks = await h.engine.listTasks({ processInstanceKey: pi.processInstanceKey, state: 'created' });
    expect(tasks.map((t) => t.elementId)).toEqual(['b']);
    expect((await h.engine.getTask(tasks[0].key)).variables).toMatchObject({ note: 'local', repaired: true });
  });

  test('an element inside a sub-process: its scope is created when there is none, chosen when there is one, refused when ambiguous', async () => {
    const pi = await h.engine.createInstance({ bpmnProcessId: 'mm-line', variables: {} });
    await h.engine.modifyInstance(pi.processInstanceKey, { activate: [{ elementId: 'inner', variables: [{ scopeId: 'box', variables: { boxVar: 1 } }] }] });
    let v = await view(pi.processInstanceKey);
    expect(elementsIn(v, 'active').sort()).toEqual(['a', 'box', 'inner']);
    const box = await eiOf(pi.processInstanceKey, 'box');
    // The one box instance is the scope of a second inner task.
    await h.engine.modifyInstance(pi.processInstanceKey, { activate: [{ elementId: 'inner' }] });
    v = await view(pi.processInstanceKey);
    expect(v.elements.filter((e) => e.elementId === 'box').length).toBe(1);
    expect(elementsIn(v, 'active').filter((x) => x === 'inner').length).toBe(2);
    // A second box: "inner" is ambiguous without an ancestor, fine with one.
    await h.engine.modifyInstance(pi.processInstanceKey, { activate: [{ elementId: 'box' }] });
    expect(await code(h.engine.modifyInstance(pi.processInstanceKey, { activate: [{ elementId: 'inner' }] }))).toBe('INVALID_ARGUMENT ANCESTOR_AMBIGUOUS');
    await h.engine.modifyInstance(pi.processInstanceKey, { activate: [{ elementId: 'inner', ancestorElementInstanceKey: box }] });
    const rows = await h.db.ds.query("SELECT COUNT(*) AS c FROM engine_element_instances WHERE scope_id = ? AND element_id = 'inner' AND state = 'active'", [Number(box)]) as Array<{ c: number | string }>;
    expect(Number(rows[0].c)).toBe(3);
    // Terminating every inner task of the first box ends that box; the instance goes on.
    const inners = (await view(pi.processInstanceKey)).elements.filter((e) => e.elementId === 'inner' && e.state === 'active');
    const ofBox = [];
    for (const i of inners) {
      const [r] = await h.db.ds.query('SELECT scope_id FROM engine_element_instances WHERE id = ?', [Number(i.elementInstanceKey)]) as Array<{ scope_id: number | string }>;
      if (String(r.scope_id) === box) ofBox.push(i.elementInstanceKey);
    }
    await h.engine.modifyInstance(pi.processInstanceKey, { terminate: ofBox });
    v = await view(pi.processInstanceKey);
    expect(v.elements.find((e) => e.elementInstanceKey === box)!.state).toBe('terminated');
    expect(v.state).toBe('active');
  });

  test('bad instructions are refused with a code and change nothing; terminating the last element ends the instance', async () => {
    const pi = await h.engine.createInstance({ bpmnProcessId: 'mm-line', variables: {} });
    const other = await h.engine.createInstance({ bpmnProcessId: 'mm-line', variables: {} });
    const a = await eiOf(pi.processInstanceKey, 'a');
    const before = JSON.stringify(await view(pi.processInstanceKey));
    expect(await code(h.engine.modifyInstance(pi.processInstanceKey, { activate: [{ elementId: 'nope' }] }))).toBe('INVALID_ARGUMENT ELEMENT_NOT_FOUND');
    expect(await code(h.engine.modifyInstance(pi.processInstanceKey, { activate: [{ elementId: 's' }] }))).toBe('INVALID_ARGUMENT ELEMENT_NOT_ACTIVATABLE');
    expect(await code(h.engine.modifyInstance(pi.processInstanceKey, { activate: [{ elementId: 'b', variables: [{ scopeId: 'a', variables: {} }] }] })))
      .toBe('INVALID_ARGUMENT VARIABLE_SCOPE_INVALID');
    expect(await code(h.engine.modifyInstance(pi.processInstanceKey, {}))).toBe('INVALID_ARGUMENT MODIFICATION_EMPTY');
    // A valid activation with a foreign element instance to terminate: neither happens.
    const foreign = await eiOf(other.processInstanceKey, 'a');
    expect(await code(h.engine.modifyInstance(pi.processInstanceKey, { activate: [{ elementId: 'b' }], terminate: [foreign] })))
      .toBe('NOT_FOUND ELEMENT_INSTANCE_NOT_FOUND');
    expect(await code(h.engine.modifyInstance(pi.processInstanceKey, { terminate: [pi.processInstanceKey] }))).toBe('NOT_FOUND ELEMENT_INSTANCE_NOT_FOUND');
    expect(await code(h.engine.modifyInstance('999999999', { terminate: [a] }))).toBe('NOT_FOUND PROCESS_INSTANCE_NOT_FOUND');
    expect(JSON.stringify(await view(pi.processInstanceKey))).toBe(before);
    expect(elementsIn(await view(other.processInstanceKey), 'active')).toEqual(['a']);
    await h.engine.modifyInstance(pi.processInstanceKey, { terminate: [a] });
    expect((await view(pi.processInstanceKey)).state).toBe('terminated');
    expect(await code(h.engine.modifyInstance(pi.processInstanceKey, { activate: [{ elementId: 'b' }] }))).toBe('INVALID_STATE PROCESS_INSTANCE_NOT_ACTIVE');
  });

  test('start instructions start an instance at the given elements, inside a sub-process too', async () => {
    const pi = await h.engine.createInstance({ bpmnProcessId: 'mm-line', variables: { y: 2 }, startInstructions: ['b', 'inner'] });
    const v = await view(pi.processInstanceKey);
    expect(elementsIn(v, 'active').sort()).toEqual(['b', 'box', 'inner']);
    expect(v.elements.some((e) => e.elementId === 's')).toBe(false);
    expect(v.variables).toEqual({ y: 2 });
    expect(await code(h.engine.createInstance({ bpmnProcessId: 'mm-line', startInstructions: ['ghost'] }))).toBe('INVALID_ARGUMENT ELEMENT_NOT_FOUND');
  });

  // ------------------------------------------------------------------------------------ migration

  const timerV = (duration: string, extraTask = false) => model('mm-wait', [
    start('s'), task('prep', 'mm-prep'), user('review', { assignee: 'li' }),
    el.boundary('late', 'review', { type: 'timer', timer: { kind: 'duration', expression: duration } }, false),
    user('chase'), el.timer('cool', 'duration', duration), ...(extraTask ? [user('extra')] : []), end('e')],
  [['s', 'prep'], ['prep', 'review'], ['review', 'cool'], ['late', 'chase'], ['cool', extraTask ? 'extra' : 'e'], ...(extraTask ? [['extra', 'e'] as [string, string]] : []), ['chase', 'e']]);

  const same = (...ids: string[]) => ids.map((id) => ({ sourceElementId: id, targetElementId: id }));

  test('one instance moves to a new version: keys, assignee and variables kept, timers opened again from the target', async () => {
    const v1 = await h.deploy(timerV('P10D'));
    const pi = await h.engine.createInstance({ bpmnProcessId: 'mm-wait', variables: { z: 3 } });
    await h.work('mm-prep');
    const [taskBefore] = await h.engine.listTasks({ processInstanceKey: pi.processInstanceKey, state: 'created' });
    const [{ started_at: startedAt }] = await h.db.ds.query('SELECT started_at FROM engine_element_instances WHERE id = ?', [Number(taskBefore.elementInstanceKey)]) as Array<{ started_at: number | string }>;
    const started = Number(startedAt);
    h.clock.advance('P1D');
    const v2 = await h.deploy(timerV('P3D', true));
    expect(await code(h.engine.migrateInstance(pi.processInstanceKey, { targetDefinitionKey: v2, mappings: [] }))).toBe('INVALID_ARGUMENT ELEMENT_NOT_MAPPED');
    expect(await code(h.engine.migrateInstance(pi.processInstanceKey, { targetDefinitionKey: v2, mappings: [{ sourceElementId: 'review', targetElementId: 'prep' }] })))
      .toBe('INVALID_ARGUMENT ELEMENT_KIND_CHANGED');
    expect(await code(h.engine.migrateInstance(pi.processInstanceKey, { targetDefinitionKey: v2, mappings: same('nope') }))).toBe('INVALID_ARGUMENT SOURCE_ELEMENT_NOT_FOUND');
    expect(await code(h.engine.migrateInstance(pi.processInstanceKey, { targetDefinitionKey: '987654', mappings: same('review') }))).toBe('NOT_FOUND TARGET_DEFINITION_NOT_FOUND');
    expect(await code(h.engine.migrateInstance('987654', { targetDefinitionKey: v2, mappings: same('review') }))).toBe('NOT_FOUND PROCESS_INSTANCE_NOT_FOUND');
    expect((await view(pi.processInstanceKey)).definitionKey).toBe(v1);

    await h.engine.migrateInstance(pi.processInstanceKey, { targetDefinitionKey: v2, mappings: same('review') });
    const v = await view(pi.processInstanceKey);
    expect(v).toMatchObject({ definitionKey: v2, version: 2, state: 'active', variables: { z: 3 } });
    const [taskAfter] = await h.engine.listTasks({ processInstanceKey: pi.processInstanceKey, state: 'created' });
    expect(taskAfter).toMatchObject({ key: taskBefore.key, assignee: 'li', elementInstanceKey: taskBefore.elementInstanceKey });
    // The boundary timer counts from when the task began waiting, with the new period.
    const timers = await h.db.ds.query('SELECT element_id, due_at FROM engine_timers WHERE process_instance_id = ?', [Number(pi.processInstanceKey)]) as Array<{ element_id: string; due_at: number | string }>;
    expect(timers.map((t) => [t.element_id, Number(t.due_at)])).toEqual([['late', started + 3 * DAY]]);
    // It goes on in the new version: the cool-down and the extra task are v2's.
    await h.engine.completeTask(taskAfter.key, {}, 'li');
    h.clock.advance('P4D');
    await h.engine.tick();
    expect(elementsIn(await view(pi.processInstanceKey), 'active')).toEqual(['extra']);
  });

  test('a version\'s instances: preview per element, then batches with a report; an instance the plan does not fit stays', async () => {
    await h.deploy(model('mm-batch', [start('s'), user('a'), user('b'), end('e')], [['s', 'a'], ['a', 'b'], ['b', 'e']]));
    const keys = [];
    for (let i = 0; i < 7; i++) keys.push((await h.engine.createInstance({ bpmnProcessId: 'mm-batch', variables: { i } })).processInstanceKey);
    const stuck = keys[6];
    const [t] = await h.engine.listTasks({ processInstanceKey: stuck, state: 'created' });
    await h.engine.completeTask(t.key, {}, null);
    const source = (await view(keys[0])).definitionKey;
    const target = await h.deploy(model('mm-batch', [start('s'), user('a'), user('b2'), end('e')], [['s', 'a'], ['a', 'b2'], ['b2', 'e']]));
    const plan = { sourceDefinitionKey: source, targetDefinitionKey: target, mappings: same('a') };
    const preview = await h.engine.previewMigration(plan);
    expect(preview).toMatchObject({ instances: 7, migratable: 6, blocked: 1 });
    expect(preview.elements.map((e) => [e.elementId, e.count, e.targetElementId, e.problem?.code ?? null])).toEqual([
      ['a', 6, 'a', null], ['b', 1, null, 'ELEMENT_NOT_MAPPED']]);
    expect(await count('SELECT COUNT(*) AS c FROM engine_process_instances WHERE definition_key = ?', [target])).toBe(0);
    const progress: number[] = [];
    const report = await h.engine.migrateAll(plan, { batchSize: 4, onProgress: (p) => { progress.push(p.done); } });
    expect(progress).toEqual([4, 7]);
    expect(report).toMatchObject({ total: 7, migrated: 6 });
    expect(report.failed).toEqual([{ processInstanceKey: stuck, code: 'ELEMENT_NOT_MAPPED', message: expect.stringContaining("'b'") }]);
    expect((await view(stuck)).definitionKey).toBe(source);
    expect(await count("SELECT COUNT(*) AS c FROM engine_process_instances WHERE definition_key = ? AND state = 'active'", [target])).toBe(6);
  });
});
