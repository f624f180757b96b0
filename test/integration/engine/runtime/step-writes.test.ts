import { inTransaction } from '../../../../src/db/data-source';
import { testDbKinds } from '../../../support/db';
import { el, harness, Harness, model } from './support';

const { start, end, task, user, and, sub, boundary } = el;

/**
 * What the cheaper step relies on: every MySQL connection is at READ COMMITTED without a statement per
 * transaction; element instance ends written with the next insert or at commit still show in the
 * history with their times; jobs read with their instance in one statement; the inbox's keyset pages.
 */
describe.each(testDbKinds())('engine step writes on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => { h = await harness(kind, 'stepwrites'); });
  afterAll(async () => { await h.close(); });

  if (kind === 'mariadb') {
    test('every pooled connection runs at READ COMMITTED, inside transactions and out', async () => {
      const runners = await Promise.all(Array.from({ length: 6 }, async () => {
        const qr = h.db.ds.createQueryRunner();
        await qr.connect();
        return qr;
      }));
      try {
        for (const qr of runners) expect((await qr.query('SELECT @@tx_isolation AS i'))[0].i).toBe('READ-COMMITTED');
      } finally {
        for (const qr of runners) await qr.release();
      }
      const inside = await Promise.all(Array.from({ length: 8 }, () => inTransaction(h.db.ds, async (em) => (await em.query('SELECT @@tx_isolation AS i'))[0].i)));
      expect(new Set(inside)).toEqual(new Set(['READ-COMMITTED']));
    });
  }

  test('every element of a finished instance is completed once, with its end time, in order of entry', async () => {
    await h.deploy(model('sw-seq', [start('s'), task('a', 'sw-a'), and('fork'), task('b', 'sw-b'), task('c', 'sw-c'), and('join'), end('e')],
      [['s', 'a'], ['a', 'fork'], ['fork', 'b'], ['fork', 'c'], ['b', 'join'], ['c', 'join'], ['join', 'e']]));
    const t0 = h.clock.now().getTime();
    const pi = await h.engine.createInstance({ bpmnProcessId: 'sw-seq', variables: { n: 1 } });
    h.clock.advance('PT1S');
    await h.work('sw-a', { a: true });
    await h.work('sw-b');
    h.clock.advance('PT1S');
    await h.work('sw-c');
    const view = await h.engine.getInstance(pi.processInstanceKey);
    expect(view.state).toBe('completed');
    expect(view.variables).toEqual({ n: 1, a: true });
    expect(view.elements.map((e) => [e.elementId, e.state])).toEqual([
      ['s', 'completed'], ['a', 'completed'], ['fork', 'completed'], ['b', 'completed'], ['c', 'completed'], ['join', 'completed'], ['e', 'completed'],
    ]);
    // The test clock moves with the wall clock too: elements ended by one step share its time.
    const ended = Object.fromEntries(view.elements.map((e) => [e.elementId, Date.parse(e.endedAt!)]));
    expect(ended.s - t0).toBeLessThan(1000);
    expect(ended.fork).toBe(ended.a);
    expect(ended.a - ended.s).toBeGreaterThanOrEqual(1000);
    expect(ended.c - ended.b).toBeGreaterThanOrEqual(1000);
    expect([ended.join, ended.e]).toEqual([ended.c, ended.c]);
    const keys = view.elements.map((e) => Number(e.elementInstanceKey));
    expect(new Set(keys).size).toBe(keys.length);
    const [root] = await h.db.ds.query('SELECT state, ended_at FROM engine_element_instances WHERE id = ?', [Number(pi.processInstanceKey)]);
    expect(root.state).toBe('completed');
    expect(Number(root.ended_at)).toBe(ended.e);
  });

  test('an interrupting boundary event terminates the task and its sub-process; ends are written before the step commits', async () => {
    await h.deploy(model('sw-bnd', [
      start('s'), sub('p'), start('ps', { type: 'none' }, 'p'), { ...user('inner'), scopeId: 'p' }, end('pe', { type: 'none' }, 'p'),
      boundary('cancel', 'p', { type: 'message', messageName: 'sw-stop', correlationKey: '=k' }), end('stopped'), end('e'),
    ], [['s', 'p'], ['ps', 'inner'], ['inner', 'pe'], ['p', 'e'], ['cancel', 'stopped']]));
    const pi = await h.engine.createInstance({ bpmnProcessId: 'sw-bnd', variables: { k: 'sw-1' } });
    const [t] = await h.engine.listTasks({ processInstanceKey: pi.processInstanceKey });
    expect(t.elementId).toBe('inner');
    await h.engine.publishMessage({ name: 'sw-stop', correlationKey: 'sw-1' });
    const view = await h.engine.getInstance(pi.processInstanceKey);
    expect(view.state).toBe('completed');
    const states = Object.fromEntries(view.elements.map((e) => [e.elementId, e.state]));
    expect(states).toEqual({ s: 'completed', p: 'terminated', ps: 'completed', inner: 'terminated', cancel: 'completed', stopped: 'completed' });
    expect(view.elements.every((e) => e.endedAt !== null)).toBe(true);
    expect((await h.engine.getTask(t.key)).state).toBe('canceled');
  });

  test('a job completed inside a sub-process reads its whole scope chain', async () => {
    await h.deploy(model('sw-sub', [
      start('s'), sub('p', { ioMapping: el.io([['outer', 'local']]) }), start('ps', { type: 'none' }, 'p'),
      { ...task('inner', 'sw-inner'), scopeId: 'p' }, end('pe', { type: 'none' }, 'p'), end('e'),
    ], [['s', 'p'], ['ps', 'inner'], ['inner', 'pe'], ['p', 'e']]));
    const pi = await h.engine.createInstance({ bpmnProcessId: 'sw-sub', variables: { outer: 'o' } });
    const [job] = await h.jobs('sw-inner');
    expect(job.variables).toEqual({ outer: 'o', local: 'o' });
    await h.engine.completeJob(job.key, { local: 'changed', fresh: 1 });
    const view = await h.engine.getInstance(pi.processInstanceKey);
    expect(view.state).toBe('completed');
    // `local` lived in the sub-process scope and went with it; `fresh` propagated to the instance.
    expect(view.variables).toEqual({ outer: 'o', fresh: 1 });
  });

  test('inbox keyset pages: mine, group and office-wide, with dueBefore, in key order without gaps', async () => {
    await h.deploy(model('sw-inbox', [start('s'), user('u', { candidateGroups: '=groups', assignee: '=who', dueDate: '=due' }), end('e')],
      [['s', 'u'], ['u', 'e']]));
    const base = Date.parse('2026-12-01T00:00:00Z');
    for (let i = 0; i < 30; i++) {
      await h.engine.createInstance({ bpmnProcessId: 'sw-inbox', variables: {
        groups: [i % 3 === 0 ? 'sw-grid-a' : 'sw-grid-b'], who: i % 2 === 0 ? 'sw-alice' : null,
        due: new Date(base + i * 86_400_000).toISOString(),
      } });
    }
    const all = async (q: Parameters<typeof h.engine.listTasks>[0]) => {
      const out: string[] = [];
      for (let after: string | undefined; ;) {
        const page = await h.engine.listTasks({ ...q, after, limit: 4 });
        out.push(...page.map((t) => t.key));
        if (page.length < 4) return out;
        after = page[page.length - 1].key;
      }
    };
    const every = (await h.engine.listTasks({ limit: 500 })).filter((t) => t.bpmnProcessId === 'sw-inbox');
    const keysWhere = (f: (t: (typeof every)[number]) => boolean) => every.filter(f).map((t) => t.key);
    const due = base + 10 * 86_400_000;
    const sorted = (keys: string[]) => [...keys].sort((a, b) => Number(a) - Number(b));
    expect(await all({ assignee: 'sw-alice' })).toEqual(sorted(keysWhere((t) => t.assignee === 'sw-alice')));
    expect(await all({ assignee: 'sw-alice', dueBefore: due })).toEqual(sorted(keysWhere((t) => t.assignee === 'sw-alice' && Date.parse(t.dueDate!) < due)));
    expect(await all({ candidateGroups: ['sw-grid-a'], candidateUser: 'nobody' })).toEqual(sorted(keysWhere((t) => t.candidateGroups.includes('sw-grid-a'))));
    expect(await all({ candidateGroups: ['sw-grid-a', 'sw-grid-b'], dueBefore: due })).toEqual(sorted(keysWhere((t) => Date.parse(t.dueDate!) < due)));
    const office = await all({ dueBefore: due });
    expect(office.filter((k) => every.some((t) => t.key === k))).toEqual(sorted(keysWhere((t) => Date.parse(t.dueDate!) < due)));
    expect(keysWhere(() => true)).toHaveLength(30);
  });
});
