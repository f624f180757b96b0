/**
 * The compiler's fixture with every supported construct, deployed through the deployment code and run
 * by the runtime: checks that the two halves agree on the model.
 */
import { TestClock } from '../../../../src/clock/clock';
import { EmbeddedEngine } from '../../../../src/engine/runtime/engine';
import { fixture } from '../../../fixtures/bpmn/diagram';
import { TestDatabase, createTestDatabase, testDbKinds } from '../../../support/db';
import { elementsIn } from './support';

describe.each(testDbKinds())('all-supported.bpmn on the runtime (%s)', (kind) => {
  let db: TestDatabase;
  let engine: EmbeddedEngine;
  const clock = new TestClock();
  beforeAll(async () => {
    db = await createTestDatabase(kind, 'allsupported');
    engine = new EmbeddedEngine(db.ds, clock);
    await engine.deploy([
      { name: 'notify-party.bpmn', content: fixture('notify-party.bpmn') },
      { name: 'all-supported.bpmn', content: fixture('all-supported.bpmn') },
    ], 'test');
  });
  afterAll(async () => { await db.close(); });

  const jobs = (type: string) => engine.activateJobs({ type, worker: 't', maxJobs: 10, timeoutMs: 60_000 });

  test('runs from intake through review, the error in the sub-process, and the called process', async () => {
    const pi = await engine.createInstance({ bpmnProcessId: 'all-supported', variables: {
      complaint: { employer: '某公司' }, handler: 'handler1', dueAt: '2026-12-10T09:00:00+08:00', evidenceKind: 'docs', retries: 2,
    } });
    const [reg] = await jobs('register-case');
    expect(reg.variables).toMatchObject({ employer: '某公司', office: 'office-1' });
    await engine.completeJob(reg.key, { result: { caseId: 'C-1' } });
    let view = await engine.getInstance(pi.processInstanceKey);
    expect(view.variables.caseId).toBe('C-1');
    expect(view.variables.result).toBeUndefined(); // with output mappings the job's variables stay local

    const [task] = await engine.listTasks({ processInstanceKey: pi.processInstanceKey });
    expect(task).toMatchObject({ formId: 'review-form', assignee: 'handler1', candidateGroups: ['legal', 'supervisor'], candidateUsers: ['handler1'] });
    expect(task.dueDate).toBe('2026-12-10T01:00:00.000Z');
    await engine.completeTask(task.key, { approved: true }, 'handler1');

    const [collect] = await jobs('collect-docs');
    expect(collect).toBeDefined();
    const [send] = await jobs('send-notice');
    expect(send.retries).toBe(3);
    await engine.completeJob(collect.key, { findings: 'none' });
    view = await engine.getInstance(pi.processInstanceKey);
    expect(elementsIn(view, 'terminated')).toContain('investigate');
    expect(elementsIn(view, 'completed')).toContain('afterRefusal');
    expect(elementsIn(view, 'active')).toEqual(['notify']);

    await engine.completeJob(send.key, { served: true });
    clock.advance('P7D');
    expect(await engine.tick()).toBeGreaterThanOrEqual(1);
    view = await engine.getInstance(pi.processInstanceKey);
    expect(elementsIn(view, 'completed')).toContain('notify');
    expect(view.variables.served).toBeUndefined(); // propagateAllChildVariables="false"
    // The investigation ended at its error path, so the join still waits for it: the instance stays active.
    expect(view.state).toBe('active');
  });
});
