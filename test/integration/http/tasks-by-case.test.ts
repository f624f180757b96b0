/**
 * GET /api/tasks?caseId= — the inbox filtered to one case: the tasks of its intake instance and of
 * the instances called from it (the inspection case), none of another case; a case the user may not
 * see answers 404 like one that does not exist.
 */
import { makeCreditCode } from '../../../src/cases/credit-code';
import { startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';
import { complaintBody, lifecycle, Lifecycle } from '../../support/lifecycle';

type Agent = Awaited<ReturnType<TestApp['login']>>;
type Item = { key: string; elementId: string; processInstanceKey: string; rootProcessInstanceKey: string };

describe.each(testDbKinds())('tasks of one case (%s)', (kind) => {
  let t: TestApp;
  let life: Lifecycle;
  let intake: Agent;
  let supervisor: Agent;
  let handler2: Agent;
  /** A case of handler1's street (解放路, JF) and one of handler2's (人民路, RM). */
  let jf: string;
  let rm: string;

  async function register(grid: string, creditBase: string): Promise<string> {
    const [g] = (await t.db.ds.query('SELECT id FROM grids WHERE code = ?', [grid])) as { id: string }[];
    const res = await intake.post('/api/complaints').send(complaintBody({
      employer: { name: `${grid} 测试公司`, creditCode: makeCreditCode(creditBase), address: '某路 1 号', gridId: g.id },
    }));
    expect(res.status).toBe(201);
    return res.body.caseId;
  }

  const tasksOf = async (agent: Agent, query: string): Promise<Item[]> => {
    const res = await agent.get(`/api/tasks?${query}`);
    expect(res.status).toBe(200);
    return res.body.items;
  };

  beforeAll(async () => {
    t = await startTestApp(kind, 'tasks_by_case');
    life = lifecycle(t);
    [intake, supervisor, handler2] = await Promise.all(['intake', 'supervisor', 'handler2'].map((u) => t.login(u)));
    jf = await register('JF-01', '91410103MA0000301');
    rm = await register('RM-01', '91410103MA0000402');
    await life.settle();
  });
  afterAll(async () => t?.close());

  it('lists the open tasks of the case only, in its called instances too', async () => {
    const triage = await life.task(jf, 'Task_Triage');
    const other = await life.task(rm, 'Task_Triage');
    const first = await tasksOf(supervisor, `scope=all&caseId=${jf}`);
    expect(first.map((x) => x.key)).toEqual([triage.key]);

    // Triage to an inspection: the next tasks are in the inspection-case instance that intake calls.
    await life.complete(jf, 'Task_Triage', { route: 'inspection' }, 'intake');
    const approve = await life.task(jf, 'Task_ApproveFiling');
    const second = await tasksOf(supervisor, `scope=all&caseId=${jf}`);
    expect(second.map((x) => x.key)).toEqual([approve.key]);
    expect(second[0].processInstanceKey).not.toBe(second[0].rootProcessInstanceKey);
    expect(await tasksOf(supervisor, `scope=all&caseId=${rm}`)).toEqual([expect.objectContaining({ key: other.key })]);

    // Completed tasks of the case, and the scope still applies: triage was intake's, not the supervisor's.
    expect((await tasksOf(supervisor, `scope=all&state=completed&caseId=${jf}`)).map((x) => x.key)).toEqual([triage.key]);
    expect(await tasksOf(supervisor, `scope=mine&caseId=${jf}`)).toEqual([]);
  });

  it('answers 404 for a case outside the user\'s grids or unknown, 400 for a malformed id', async () => {
    const hidden = await handler2.get(`/api/tasks?scope=group&caseId=${jf}`);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe('NOT_FOUND');
    expect((await handler2.get(`/api/tasks?scope=group&caseId=${rm}`)).status).toBe(200);
    expect((await supervisor.get('/api/tasks?scope=all&caseId=00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const malformed = await supervisor.get('/api/tasks?scope=all&caseId=1 OR 1=1');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.details[0].path).toBe('query.caseId');
  });
});
