import { testDbKinds } from '../../../support/db';
import { el, harness, Harness, model } from './support';

const { start, task, end } = el;

/**
 * Zeebe's rule for message start events with a correlation key (docs.camunda.io, "Message events",
 * message start events): while an instance started by a message with a key is active, a message with
 * the same key starts no instance of that process, of any version; once it has ended, a buffered
 * message with that key starts the next one, of the latest version. An empty key always starts one.
 */
describe.each(testDbKinds())('message start events and correlation keys on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => { h = await harness(kind, 'msgstartkey'); });
  afterAll(async () => { await h.close(); });

  const opened = (id: string) => model(id, [start('ms', { type: 'message', messageName: `${id}-opened` }), task('work', `${id}-work`), end('e')],
    [['ms', 'work'], ['work', 'e']]);
  const instancesOf = async (id: string) => (await h.db.ds.query(
    'SELECT id, version, state FROM engine_process_instances WHERE bpmn_process_id = ? ORDER BY id', [id])) as Array<{ id: number | string; version: number | string; state: string }>;

  test('one active instance per key, across versions; the buffered message starts the next instance on the latest version when it ends', async () => {
    await h.deploy(opened('mk'));
    const first = await h.engine.publishMessage({ name: 'mk-opened', correlationKey: 'A', timeToLive: 'PT1H', variables: { n: 1 } });
    expect(first.correlatedProcessInstanceKeys).toHaveLength(1);
    const i1 = first.correlatedProcessInstanceKeys[0];

    // Same key while i1 is active: no instance; buffered, as its time to live says.
    const second = await h.engine.publishMessage({ name: 'mk-opened', correlationKey: 'A', timeToLive: 'PT1H', variables: { n: 2 } });
    expect(second.correlatedProcessInstanceKeys).toEqual([]);
    expect(second.messageKey).not.toBeNull();
    // A new version changes nothing: the rule holds for the process, whatever the version.
    await h.deploy(opened('mk'));
    expect((await h.engine.publishMessage({ name: 'mk-opened', correlationKey: 'A', variables: { n: 3 } })).correlatedProcessInstanceKeys).toEqual([]);
    // Another key, and the empty key (every time), start instances.
    expect((await h.engine.publishMessage({ name: 'mk-opened', correlationKey: 'B' })).correlatedProcessInstanceKeys).toHaveLength(1);
    expect((await h.engine.publishMessage({ name: 'mk-opened' })).correlatedProcessInstanceKeys).toHaveLength(1);
    expect((await h.engine.publishMessage({ name: 'mk-opened' })).correlatedProcessInstanceKeys).toHaveLength(1);
    expect(await instancesOf('mk')).toHaveLength(4);

    // i1 ends: the buffered message (n: 2) starts the next instance for A, on version 2; the message
    // without a time to live (n: 3) was dropped.
    const [job] = (await h.jobs('mk-work')).filter((j) => j.processInstanceKey === i1);
    await h.engine.completeJob(job.key, {});
    const after = await instancesOf('mk');
    expect(after).toHaveLength(5);
    const next = after[4];
    expect(Number(next.version)).toBe(2);
    expect((await h.engine.getInstance(String(next.id))).variables).toEqual({ n: 2 });
    expect((await h.engine.getInstance(i1)).state).toBe('completed');

    // The next instance holds the key now; cancelled, it gives it back, and no message is left.
    expect((await h.engine.publishMessage({ name: 'mk-opened', correlationKey: 'A' })).correlatedProcessInstanceKeys).toEqual([]);
    await h.engine.cancelInstance(String(next.id));
    expect(await instancesOf('mk')).toHaveLength(5);
    const again = await h.engine.publishMessage({ name: 'mk-opened', correlationKey: 'A', variables: { n: 4 } });
    expect(again.correlatedProcessInstanceKeys).toHaveLength(1);
    expect((await h.engine.getInstance(again.correlatedProcessInstanceKeys[0])).variables).toEqual({ n: 4 });
  });

  test('an instance that ends in the step that started it holds no key', async () => {
    await h.deploy(model('mk-quick', [start('ms', { type: 'message', messageName: 'mk-quick-opened' }), end('e')], [['ms', 'e']]));
    for (let i = 0; i < 3; i++) {
      expect((await h.engine.publishMessage({ name: 'mk-quick-opened', correlationKey: 'Q' })).correlatedProcessInstanceKeys).toHaveLength(1);
    }
    expect((await instancesOf('mk-quick')).map((r) => r.state)).toEqual(['completed', 'completed', 'completed']);
  });

  test('messages with one key published at once start one instance', async () => {
    await h.deploy(opened('mk-race'));
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) =>
      h.engine.publishMessage({ name: 'mk-race-opened', correlationKey: 'R', variables: { i } })));
    expect(results.flatMap((r) => r.correlatedProcessInstanceKeys)).toHaveLength(1);
    expect(await instancesOf('mk-race')).toHaveLength(1);
  });

  test('a correlation key longer than the 255 characters it is stored in is refused', async () => {
    await expect(h.engine.publishMessage({ name: 'mk-opened', correlationKey: 'k'.repeat(256) })).rejects.toMatchObject({ code: 'INVALID_CORRELATION_KEY' });
  });
});
