import { MemoryDefinitions } from '../../../../src/engine/runtime/definitions';
import { KeyBlocks } from '../../../../src/engine/runtime/keys';
import { Step, StepHost } from '../../../../src/engine/runtime/step';
import type { EI, StepState } from '../../../../src/engine/runtime/storage/step-state';
import { serialTransaction } from '../../../../src/engine/runtime/tx';
import { TestDatabase, createTestDatabase, testDbKinds } from '../../../support/db';

/**
 * The storage a step's interpreter talks to (runtime/storage/): element-instance ends the storage
 * still holds back in its write buffer are already ended for every question the interpreter asks,
 * and reach the table with the commit.
 */
describe.each(testDbKinds())('engine step storage on %s', (kind) => {
  let db: TestDatabase;
  let keys: KeyBlocks | null;
  let host: StepHost;
  const now = Date.UTC(2026, 0, 5, 2);

  beforeAll(async () => {
    db = await createTestDatabase(kind, 'stepstorage');
    keys = KeyBlocks.forDataSource(db.ds);
    const k = keys;
    const definitions = new MemoryDefinitions();
    host = {
      definitions,
      executable: (em, key) => definitions.executable(em, key),
      nextElementKey: k ? () => k.take() : undefined,
    };
  });
  afterAll(async () => {
    await keys?.close();
    await db.close();
  });

  /** Runs `work` on a step's storage in a transaction of its own, as the engine runs a step. */
  const inStep = <T>(work: (state: StepState) => Promise<T>): Promise<T> => serialTransaction(db.ds, async (em) => {
    const step = new Step(host, em, now, true);
    const result = await work(step.state);
    await step.flush();
    return result;
  });

  const rows = async (ids: number[]) => (await db.ds.query(
    `SELECT id, state, started_at, ended_at FROM engine_element_instances WHERE id IN (${ids.map(() => '?').join(', ')}) ORDER BY id`, ids,
  ) as Array<{ id: number | string; state: string; started_at: number | string; ended_at: number | string | null }>)
    .map((r) => ({ id: Number(r.id), state: r.state, startedAt: Number(r.started_at), endedAt: r.ended_at === null ? null : Number(r.ended_at) }));

  test('a scope is busy until its last child ends, counting ends not yet written, and the ends are written by the commit', async () => {
    const ids = await inStep(async (state) => {
      const root = await state.insertEi(null, 'p', null, 'process');
      const a = await state.insertEi(root.id, 'a', root.id, 'serviceTask');
      const b = await state.insertEi(root.id, 'b', root.id, 'serviceTask');
      expect(await state.scopeBusy(root.id)).toBe(true);
      state.endEi(a, 'completed');
      expect(await state.scopeBusy(root.id)).toBe(true);
      expect((await state.activeChildren(root.id)).map((e: EI) => e.id)).toEqual([b.id]);
      state.endEi(b, 'terminated');
      expect(await state.scopeBusy(root.id)).toBe(false);
      expect(await state.activeChildren(root.id)).toEqual([]);
      // A child ended and a new one entered in the same breath: the new one keeps the scope busy.
      const c = await state.insertEi(root.id, 'c', root.id, 'userTask');
      expect(await state.scopeBusy(root.id)).toBe(true);
      state.endEi(c, 'completed');
      expect(await state.scopeBusy(root.id)).toBe(false);
      return [root.id, a.id, b.id, c.id];
    });
    expect(await rows(ids)).toEqual([
      { id: ids[0], state: 'active', startedAt: now, endedAt: null },
      { id: ids[1], state: 'completed', startedAt: now, endedAt: now },
      { id: ids[2], state: 'terminated', startedAt: now, endedAt: now },
      { id: ids[3], state: 'completed', startedAt: now, endedAt: now },
    ]);
  });

  test('a token waiting at a join keeps its scope busy until it is consumed', async () => {
    await inStep(async (state) => {
      const root = await state.insertEi(null, 'p', null, 'process');
      const a = await state.insertEi(root.id, 'a', root.id, 'serviceTask');
      await state.addJoinToken(root.id, 'join', 'a_join');
      state.endEi(a, 'completed');
      expect(await state.scopeBusy(root.id)).toBe(true);
      const tokens = await state.joinTokens(root.id, 'join');
      expect(tokens.map((t) => t.flowId)).toEqual(['a_join']);
      await state.consumeJoinTokens(tokens.map((t) => t.id));
      expect(await state.scopeBusy(root.id)).toBe(false);
    });
  });

  test('a step that rolls back leaves no element instance behind', async () => {
    let id = 0;
    await expect(inStep(async (state) => {
      const root = await state.insertEi(null, 'p', null, 'process');
      id = root.id;
      state.endEi(root, 'completed');
      await state.insertEi(root.id, 'a', root.id, 'serviceTask');
      throw new Error('rolled back');
    })).rejects.toThrow('rolled back');
    expect(await rows([id])).toEqual([]);
  });
});
