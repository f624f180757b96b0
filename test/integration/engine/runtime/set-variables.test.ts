import { testDbKinds } from '../../../support/db';
import { el, elementsIn, harness, Harness, model } from './support';

const { start, end, xor, user, sub } = el;

/**
 * Zeebe's SetVariables: put variables into a running scope, locally or by propagation, and so put right
 * the variable that made an element fail before its incident is resolved.
 */
describe.each(testDbKinds())('setting variables in a running instance on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => { h = await harness(kind, 'setvars'); });
  afterAll(async () => { await h.close(); });

  const code = async (p: Promise<unknown>) => p.then(() => 'ok', (e: { kind?: string; code?: string }) => `${e.kind} ${e.code}`);

  test('a missing variable that raised an incident is set, and resolving the incident goes on', async () => {
    await h.deploy(model('sv-xor', [start('s'), xor('g'), user('high'), end('e')], [['s', 'g'], ['g', 'high', 'amount > 100'], ['high', 'e']]));
    const pi = await h.engine.createInstance({ bpmnProcessId: 'sv-xor', variables: {} });
    const [incident] = (await h.engine.getInstance(pi.processInstanceKey)).incidents;
    expect(incident).toMatchObject({ errorType: 'CONDITION_ERROR', elementId: 'g' });
    await h.engine.setVariables(pi.processInstanceKey, { amount: 150 });
    await h.engine.resolveIncident(incident.key);
    const view = await h.engine.getInstance(pi.processInstanceKey);
    expect(elementsIn(view, 'active')).toEqual(['high']);
    expect(view.variables).toEqual({ amount: 150 });
  });

  test('local sets on the element instance; otherwise each variable goes to the nearest scope holding it, else the process', async () => {
    await h.deploy(model('sv-scopes', [start('s'), sub('box', { ioMapping: el.io([['1', 'inner']]) }), start('bs', { type: 'none' }, 'box'),
      user('u', { scopeId: 'box' }), end('be', { type: 'none' }, 'box'), end('e')],
    [['s', 'box'], ['bs', 'u'], ['u', 'be'], ['box', 'e']]));
    const pi = await h.engine.createInstance({ bpmnProcessId: 'sv-scopes', variables: { outer: 1 } });
    const view = await h.engine.getInstance(pi.processInstanceKey);
    const box = view.elements.find((e) => e.elementId === 'box')!.elementInstanceKey;
    const task = view.elements.find((e) => e.elementId === 'u')!.elementInstanceKey;
    await h.engine.setVariables(task, { note: 'local' }, { local: true });
    await h.engine.setVariables(task, { inner: 2, outer: 3, fresh: 4 });
    const [t] = await h.engine.listTasks({ processInstanceKey: pi.processInstanceKey });
    const seen = await h.engine.getTask(t.key);
    // The task sees all three scopes; the process holds only what propagated to it.
    expect(seen.variables).toMatchObject({ note: 'local', inner: 2, outer: 3, fresh: 4 });
    expect((await h.engine.getInstance(pi.processInstanceKey)).variables).toEqual({ outer: 3, fresh: 4 });
    const rows = await h.db.ds.query('SELECT scope_id, name FROM engine_variables WHERE process_instance_id = ? ORDER BY scope_id, name', [Number(pi.processInstanceKey)]) as Array<{ scope_id: number | string; name: string }>;
    expect(rows.map((r) => [String(r.scope_id), r.name])).toEqual([
      [pi.processInstanceKey, 'fresh'], [pi.processInstanceKey, 'outer'], [box, 'inner'], [task, 'note']]);
  });

  test('an element instance that is gone, or a key that is not one, answers 404; variables must be an object with names that fit', async () => {
    await h.deploy(model('sv-done', [start('s'), end('e')], [['s', 'e']]));
    const done = await h.engine.createInstance({ bpmnProcessId: 'sv-done', variables: {} });
    expect(await code(h.engine.setVariables(done.processInstanceKey, { a: 1 }))).toBe('NOT_FOUND ELEMENT_INSTANCE_NOT_FOUND');
    expect(await code(h.engine.setVariables('987654321', { a: 1 }))).toBe('NOT_FOUND ELEMENT_INSTANCE_NOT_FOUND');
    expect(await code(h.engine.setVariables('x1', { a: 1 }))).toBe('NOT_FOUND ELEMENT_INSTANCE_NOT_FOUND');
    await h.deploy(model('sv-wait', [start('s'), user('u'), end('e')], [['s', 'u'], ['u', 'e']]));
    const waiting = await h.engine.createInstance({ bpmnProcessId: 'sv-wait', variables: {} });
    expect(await code(h.engine.setVariables(waiting.processInstanceKey, [1] as never))).toBe('INVALID_ARGUMENT VARIABLES_NOT_OBJECT');
    // A name longer than the column it is stored in is refused on both databases, not cut or failed late.
    const long = 'n'.repeat(256);
    expect(await code(h.engine.setVariables(waiting.processInstanceKey, { ok: 1, [long]: 1 }))).toBe('INVALID_ARGUMENT VARIABLE_NAME_TOO_LONG');
    expect(await code(h.engine.createInstance({ bpmnProcessId: 'sv-wait', variables: { [long]: 1 } }))).toBe('INVALID_ARGUMENT VARIABLE_NAME_TOO_LONG');
    expect(await code(h.engine.setVariables(waiting.processInstanceKey, { ['n'.repeat(255)]: 1 }))).toBe('ok');
    expect(Object.keys((await h.engine.getInstance(waiting.processInstanceKey)).variables)).toEqual(['n'.repeat(255)]);
  });
});
