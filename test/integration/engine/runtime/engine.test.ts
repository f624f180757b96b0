import { EngineRejection, type RejectionKind } from '../../../../src/engine/rejection';
import { testDbKinds } from '../../../support/db';
import { el, elementsIn, harness, Harness, model } from './support';

const { start, end, task, user, xor, and, ebg, message, timer, boundary, sub, call, io } = el;

describe.each(testDbKinds())('embedded engine runtime on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => { h = await harness(kind, 'runtime'); });
  afterAll(async () => { await h.close(); });

  const expectCode = async (p: Promise<unknown>, kind: RejectionKind, code: string) => {
    await expect(p).rejects.toBeInstanceOf(EngineRejection);
    await p.catch((e: EngineRejection) => { expect(e.kind).toBe(kind); expect(e.code).toBe(code); });
  };

  test('service tasks in sequence: jobs, variables propagate to the instance, instance completes', async () => {
    await h.deploy(model('seq', [start('s'), task('a', 'seq-a', { headers: { h: '1' } }), task('b', 'seq-b'), end('e')],
      [['s', 'a'], ['a', 'b'], ['b', 'e']]));
    const pi = await h.engine.createInstance({ bpmnProcessId: 'seq', variables: { x: 1 } });
    expect(pi.created).toBe(true);
    const [ja] = await h.jobs('seq-a');
    expect(ja).toMatchObject({ type: 'seq-a', elementId: 'a', processInstanceKey: pi.processInstanceKey, bpmnProcessId: 'seq', customHeaders: { h: '1' }, retries: 3, variables: { x: 1 } });
    expect(await h.jobs('seq-a')).toHaveLength(0); // leased
    await h.engine.completeJob(ja.key, { y: 2 });
    await expectCode(h.engine.completeJob(ja.key, {}), 'NOT_FOUND', 'JOB_NOT_FOUND');
    const [jb] = await h.work('seq-b', { x: 5 });
    expect(jb.variables).toEqual({ x: 1, y: 2 });
    const view = await h.engine.getInstance(pi.processInstanceKey);
    expect(view.state).toBe('completed');
    expect(view.variables).toEqual({ x: 5, y: 2 });
    expect(elementsIn(view, 'completed')).toEqual(['s', 'a', 'b', 'e']);
    expect(view.elements.every((e) => e.endedAt !== null)).toBe(true);
  });

  test('undeployed process and bad keys answer stable codes', async () => {
    await expectCode(h.engine.createInstance({ bpmnProcessId: 'nope' }), 'NOT_FOUND', 'PROCESS_NOT_DEPLOYED');
    await expectCode(h.engine.getInstance('123456'), 'NOT_FOUND', 'PROCESS_INSTANCE_NOT_FOUND');
    await expectCode(h.engine.getInstance('abc'), 'NOT_FOUND', 'PROCESS_INSTANCE_NOT_FOUND');
    await expectCode(h.engine.completeTask('999999', {}, 'u'), 'NOT_FOUND', 'TASK_NOT_FOUND');
  });

  test('business key: a second start answers the existing instance', async () => {
    await h.deploy(model('bk', [start('s'), user('u'), end('e')], [['s', 'u'], ['u', 'e']]));
    const a = await h.engine.createInstance({ bpmnProcessId: 'bk', businessKey: 'case-1' });
    const b = await h.engine.createInstance({ bpmnProcessId: 'bk', businessKey: 'case-1' });
    expect(b).toEqual({ ...a, created: false });
    const c = await h.engine.createInstance({ bpmnProcessId: 'bk', businessKey: 'case-2' });
    expect(c.processInstanceKey).not.toBe(a.processInstanceKey);
    // Concurrent starts with one key: one instance, every caller gets it.
    const all = await Promise.all(Array.from({ length: 6 }, () => h.engine.createInstance({ bpmnProcessId: 'bk', businessKey: 'case-3' })));
    expect(new Set(all.map((x) => x.processInstanceKey)).size).toBe(1);
    expect(all.filter((x) => x.created)).toHaveLength(1);
  });

  test('exclusive gateway: conditions, default flow, and no match raises an incident that resolves', async () => {
    await h.deploy(model('xor', [start('s'), xor('g', 'low'), user('high'), user('low'), end('e1'), end('e2')],
      [['s', 'g'], ['g', 'high', 'amount > 100'], ['g', 'low'], ['high', 'e1'], ['low', 'e2']]));
    const hi = await h.engine.createInstance({ bpmnProcessId: 'xor', variables: { amount: 500 } });
    const lo = await h.engine.createInstance({ bpmnProcessId: 'xor', variables: { amount: 5 } });
    expect(elementsIn(await h.engine.getInstance(hi.processInstanceKey), 'active')).toEqual(['high']);
    expect(elementsIn(await h.engine.getInstance(lo.processInstanceKey), 'active')).toEqual(['low']);

    await h.deploy(model('xor2', [start('s'), xor('g'), user('a'), end('e')], [['s', 'g'], ['g', 'a', 'amount > 100'], ['a', 'e']]));
    const none = await h.engine.createInstance({ bpmnProcessId: 'xor2', variables: { amount: 1 } });
    const view = await h.engine.getInstance(none.processInstanceKey);
    expect(view.state).toBe('active');
    expect(view.incidents).toHaveLength(1);
    expect(view.incidents[0]).toMatchObject({ errorType: 'CONDITION_ERROR', elementId: 'g', state: 'active' });
    expect(view.elements.find((e) => e.elementId === 'g')).toMatchObject({ state: 'active', incident: true });
    expect((await h.engine.listIncidents()).map((i) => i.key)).toContain(view.incidents[0].key);
    // Still no match: resolving raises a new incident; Zeebe does the same.
    await h.engine.resolveIncident(view.incidents[0].key);
    await expectCode(h.engine.resolveIncident(view.incidents[0].key), 'INVALID_STATE', 'INCIDENT_ALREADY_RESOLVED');
    expect((await h.engine.getInstance(none.processInstanceKey)).incidents.filter((i) => i.state === 'active')).toHaveLength(1);
  });

  test('parallel split and join waits for both branches', async () => {
    await h.deploy(model('par', [start('s'), and('fork'), task('a', 'par-a'), task('b', 'par-b'), and('join'), task('c', 'par-c'), end('e')],
      [['s', 'fork'], ['fork', 'a'], ['fork', 'b'], ['a', 'join'], ['b', 'join'], ['join', 'c'], ['c', 'e']]));
    const pi = await h.engine.createInstance({ bpmnProcessId: 'par' });
    await h.work('par-a', { fromA: true });
    expect(await h.jobs('par-c')).toHaveLength(0);
    expect((await h.engine.getInstance(pi.processInstanceKey)).state).toBe('active');
    await h.work('par-b', { fromB: true });
    const [c] = await h.work('par-c');
    expect(c.variables).toEqual({ fromA: true, fromB: true });
    expect((await h.engine.getInstance(pi.processInstanceKey)).state).toBe('completed');
  });

  test('user task: inbox fields, claim, complete, second completion is 409', async () => {
    await h.deploy(model('ut', [start('s'),
      user('review', { name: 'Review', formId: 'review-form', candidateGroups: 'legal, supervisor', dueDate: '=due', priority: '70' }), end('e')],
    [['s', 'review'], ['review', 'e']]));
    const pi = await h.engine.createInstance({ bpmnProcessId: 'ut', variables: { due: '2030-01-02T03:04:05Z' } });
    const [t] = await h.engine.listTasks({ processInstanceKey: pi.processInstanceKey });
    expect(t).toMatchObject({ name: 'Review', formId: 'review-form', candidateGroups: ['legal', 'supervisor'], dueDate: '2030-01-02T03:04:05.000Z', priority: 70, state: 'created', assignee: null });
    expect((await h.engine.listTasks({ candidateGroups: ['legal'] })).map((x) => x.key)).toContain(t.key);
    expect((await h.engine.listTasks({ candidateGroups: ['intake'] })).map((x) => x.key)).not.toContain(t.key);
    const claimed = await h.engine.claimTask(t.key, 'handler1');
    expect(claimed.assignee).toBe('handler1');
    await expectCode(h.engine.claimTask(t.key, 'handler2'), 'INVALID_STATE', 'TASK_ALREADY_CLAIMED');
    await h.engine.unclaimTask(t.key);
    await h.engine.assignTask(t.key, 'legal1');
    const got = await h.engine.getTask(t.key);
    expect(got.variables).toEqual({ due: '2030-01-02T03:04:05Z' });
    await h.engine.completeTask(t.key, { approved: true }, 'legal1');
    await expectCode(h.engine.completeTask(t.key, {}, 'legal1'), 'INVALID_STATE', 'TASK_ALREADY_COMPLETED');
    const view = await h.engine.getInstance(pi.processInstanceKey);
    expect(view.state).toBe('completed');
    expect(view.variables.approved).toBe(true);
    expect((await h.engine.listTasks({ state: 'completed', processInstanceKey: pi.processInstanceKey }))[0]).toMatchObject({ completedBy: 'legal1' });
  });

  test('input and output mappings: locals in the element scope, outputs to the parent scope', async () => {
    await h.deploy(model('io', [start('s'),
      task('calc', 'io-calc', { ioMapping: io([['order.amount * 2', 'doubled']], [['result + 1', 'total'], ['doubled', 'copy.inner']]) }),
      task('after', 'io-after'), end('e')],
    [['s', 'calc'], ['calc', 'after'], ['after', 'e']]));
    const pi = await h.engine.createInstance({ bpmnProcessId: 'io', variables: { order: { amount: 21 } } });
    const [j] = await h.jobs('io-calc');
    expect(j.variables).toEqual({ order: { amount: 21 }, doubled: 42 });
    await h.engine.completeJob(j.key, { result: 10, noise: 'x' });
    const [k] = await h.work('io-after');
    expect(k.variables).toEqual({ order: { amount: 21 }, total: 11, copy: { inner: 42 } });
    expect((await h.engine.getInstance(pi.processInstanceKey)).variables).toEqual({ order: { amount: 21 }, total: 11, copy: { inner: 42 } });
  });

  test('job failure counts retries down, then an incident; resolving hands the job out again', async () => {
    await h.deploy(model('fail', [start('s'), task('t', 'fail-t'), end('e')], [['s', 't'], ['t', 'e']]));
    const pi = await h.engine.createInstance({ bpmnProcessId: 'fail' });
    let [j] = await h.jobs('fail-t');
    await h.engine.failJob(j.key, { errorMessage: 'boom', retries: 1, retryBackOff: 60_000 });
    expect(await h.jobs('fail-t')).toHaveLength(0); // backing off
    h.clock.advance('PT2M');
    [j] = await h.jobs('fail-t');
    expect(j.retries).toBe(1);
    await h.engine.failJob(j.key, { errorMessage: 'boom again', retries: 0 });
    expect(await h.jobs('fail-t')).toHaveLength(0);
    const view = await h.engine.getInstance(pi.processInstanceKey);
    expect(view.incidents).toHaveLength(1);
    expect(view.incidents[0]).toMatchObject({ errorType: 'JOB_NO_RETRIES', errorMessage: 'boom again', jobKey: j.key });
    await expectCode(h.engine.completeJob(j.key, {}), 'INVALID_STATE', 'JOB_NOT_ACTIVATABLE');
    await h.engine.resolveIncident(view.incidents[0].key);
    const [again] = await h.jobs('fail-t');
    expect(again.key).toBe(j.key);
    expect(again.retries).toBe(1);
    await h.engine.completeJob(again.key, {});
    expect((await h.engine.getInstance(pi.processInstanceKey)).state).toBe('completed');
  });

  test('lease expiry hands an activated job out again', async () => {
    await h.deploy(model('lease', [start('s'), task('t', 'lease-t'), end('e')], [['s', 't'], ['t', 'e']]));
    await h.engine.createInstance({ bpmnProcessId: 'lease' });
    const [j] = await h.engine.activateJobs({ type: 'lease-t', worker: 'w1', maxJobs: 1, timeoutMs: 1000 });
    expect(await h.jobs('lease-t')).toHaveLength(0);
    h.clock.advance('PT2S');
    const [again] = await h.jobs('lease-t');
    expect(again.key).toBe(j.key);
  });

  test('BPMN error caught by the boundary event of the task, of a sub-process, and uncaught → incident', async () => {
    await h.deploy(model('err', [start('s'), task('t', 'err-t'), boundary('caught', 't', { type: 'error', errorCode: 'REFUSED' }, true,
      { ioMapping: io([], [['reason', 'why']]) }), user('onError'), end('ok'), end('e2')],
    [['s', 't'], ['t', 'ok'], ['caught', 'onError'], ['onError', 'e2']]));
    const a = await h.engine.createInstance({ bpmnProcessId: 'err' });
    let [j] = await h.jobs('err-t');
    await h.engine.throwError(j.key, { errorCode: 'REFUSED', errorMessage: 'no', variables: { reason: 'late', other: 1 } });
    let view = await h.engine.getInstance(a.processInstanceKey);
    expect(elementsIn(view, 'active')).toEqual(['onError']);
    expect(elementsIn(view, 'terminated')).toEqual(['t']);
    expect(view.variables).toEqual({ why: 'late' });

    // Unknown code: nothing catches it.
    const b = await h.engine.createInstance({ bpmnProcessId: 'err' });
    [j] = await h.jobs('err-t');
    await h.engine.throwError(j.key, { errorCode: 'OTHER' });
    view = await h.engine.getInstance(b.processInstanceKey);
    expect(view.incidents.map((i) => i.errorType)).toEqual(['UNHANDLED_ERROR_EVENT']);

    // Thrown inside a sub-process, caught on the sub-process; an error end event too.
    await h.deploy(model('errsub', [start('s'), sub('sp'), start('ss', { type: 'none' }, 'sp'), task('inner', 'errsub-t', { scopeId: 'sp' }),
      end('se', { type: 'none' }, 'sp'), boundary('any', 'sp', { type: 'error' }), user('handled'), end('e'), end('e2')],
    [['s', 'sp'], ['ss', 'inner'], ['inner', 'se'], ['sp', 'e'], ['any', 'handled'], ['handled', 'e2']]));
    const c = await h.engine.createInstance({ bpmnProcessId: 'errsub' });
    [j] = await h.jobs('errsub-t');
    await h.engine.throwError(j.key, { errorCode: 'WHATEVER' });
    view = await h.engine.getInstance(c.processInstanceKey);
    expect(elementsIn(view, 'active')).toEqual(['handled']);
    expect(elementsIn(view, 'terminated').sort()).toEqual(['inner', 'sp']);

    await h.deploy(model('errend', [start('s'), sub('sp'), start('ss', { type: 'none' }, 'sp'), end('boom', { type: 'error', errorCode: 'X' }, 'sp'),
      boundary('bx', 'sp', { type: 'error', errorCode: 'X' }), end('e'), end('e2')],
    [['s', 'sp'], ['ss', 'boom'], ['sp', 'e'], ['bx', 'e2']]));
    const d = await h.engine.createInstance({ bpmnProcessId: 'errend' });
    view = await h.engine.getInstance(d.processInstanceKey);
    expect(view.state).toBe('completed');
    expect(elementsIn(view, 'completed')).toContain('e2');
  });

  test('call activity: variables in and out, error from the child caught on the call activity', async () => {
    await h.deploy(model('child', [start('s'), task('t', 'child-t'), end('e')], [['s', 't'], ['t', 'e']]));
    await h.deploy(model('parent', [start('s'), call('ca', 'child', { ioMapping: io([['amount', 'childAmount']], []) }),
      boundary('caErr', 'ca', { type: 'error', errorCode: 'CHILD_FAILED' }), user('after'), user('onErr'), end('e'), end('e2')],
    [['s', 'ca'], ['ca', 'after'], ['after', 'e'], ['caErr', 'onErr'], ['onErr', 'e2']]));
    const p = await h.engine.createInstance({ bpmnProcessId: 'parent', variables: { amount: 7 } });
    let [j] = await h.jobs('child-t');
    expect(j.bpmnProcessId).toBe('child');
    expect(j.variables).toEqual({ amount: 7, childAmount: 7 });
    const pv = await h.engine.getInstance(p.processInstanceKey);
    expect(pv.calledInstanceKeys).toEqual([j.processInstanceKey]);
    await h.engine.completeJob(j.key, { fromChild: 'yes' });
    let view = await h.engine.getInstance(p.processInstanceKey);
    expect(elementsIn(view, 'active')).toEqual(['after']);
    // childAmount came from the input mapping: local to the call activity, so it stops there (Zeebe).
    expect(view.variables).toEqual({ amount: 7, fromChild: 'yes' });
    expect((await h.engine.getInstance(j.processInstanceKey)).state).toBe('completed');

    const q = await h.engine.createInstance({ bpmnProcessId: 'parent', variables: { amount: 8 } });
    [j] = await h.jobs('child-t');
    await h.engine.throwError(j.key, { errorCode: 'CHILD_FAILED' });
    view = await h.engine.getInstance(q.processInstanceKey);
    expect(elementsIn(view, 'active')).toEqual(['onErr']);
    expect(elementsIn(view, 'terminated')).toEqual(['ca']);
    expect((await h.engine.getInstance(j.processInstanceKey)).state).toBe('terminated');
  });

  test('a call activity whose process is not deployed raises an incident; deploying it and resolving continues', async () => {
    await h.deploy(model('caller', [start('s'), call('ca', 'later-child'),
      boundary('tooLong', 'ca', { type: 'timer', timer: { kind: 'duration', expression: 'P30D' } }), user('after'), end('e'), end('e2')],
    [['s', 'ca'], ['ca', 'after'], ['after', 'e'], ['tooLong', 'e2']]));
    const p = await h.engine.createInstance({ bpmnProcessId: 'caller', variables: { v: 1 } });
    let view = await h.engine.getInstance(p.processInstanceKey);
    expect(view.incidents.map((i) => i.errorType)).toEqual(['CALLED_ELEMENT_ERROR']);
    await h.deploy(model('later-child', [start('s'), end('e')], [['s', 'e']]));
    await h.engine.resolveIncident(view.incidents[0].key);
    view = await h.engine.getInstance(p.processInstanceKey);
    expect(elementsIn(view, 'active')).toEqual(['after']);
    expect(view.calledInstanceKeys).toHaveLength(1);
    // The boundary timer of the first, failed activation is gone; nothing fires later.
    h.clock.advance('P31D');
    await h.engine.tick();
    expect(elementsIn(await h.engine.getInstance(p.processInstanceKey), 'active')).toEqual(['after']);
  });

  test('non-interrupting boundary message keeps the task; each message runs the event path', async () => {
    await h.deploy(model('nim', [start('s'), user('work'),
      boundary('note', 'work', { type: 'message', messageName: 'supplement', correlationKey: '=id' }, false), task('record', 'nim-record'), end('en'), end('e')],
    [['s', 'work'], ['work', 'e'], ['note', 'record'], ['record', 'en']]));
    const p = await h.engine.createInstance({ bpmnProcessId: 'nim', variables: { id: 'n1' } });
    await h.engine.publishMessage({ name: 'supplement', correlationKey: 'n1', variables: { page: 1 } });
    await h.engine.publishMessage({ name: 'supplement', correlationKey: 'n1', variables: { page: 2 } });
    expect(await h.work('nim-record')).toHaveLength(2);
    const view = await h.engine.getInstance(p.processInstanceKey);
    expect(elementsIn(view, 'active')).toEqual(['work']);
    expect(view.variables.page).toBe(2);
  });

  test('cancel ends the instance, its jobs and its user tasks', async () => {
    await h.deploy(model('cancel', [start('s'), and('f'), task('t', 'cancel-t'), user('u'), end('e1'), end('e2')],
      [['s', 'f'], ['f', 't'], ['f', 'u'], ['t', 'e1'], ['u', 'e2']]));
    const pi = await h.engine.createInstance({ bpmnProcessId: 'cancel' });
    const [task1] = await h.engine.listTasks({ processInstanceKey: pi.processInstanceKey });
    await h.engine.cancelInstance(pi.processInstanceKey);
    const view = await h.engine.getInstance(pi.processInstanceKey);
    expect(view.state).toBe('canceled');
    expect(elementsIn(view, 'active')).toEqual([]);
    expect(await h.jobs('cancel-t')).toHaveLength(0);
    await expectCode(h.engine.completeTask(task1.key, {}, 'x'), 'INVALID_STATE', 'TASK_CANCELED');
    await expectCode(h.engine.cancelInstance(pi.processInstanceKey), 'INVALID_STATE', 'PROCESS_INSTANCE_NOT_ACTIVE');
  });

  test('timer catch events (duration, date, FEEL) fire when the clock is advanced', async () => {
    await h.deploy(model('tim', [start('s'), timer('wait', 'duration', 'P3D'), timer('until', 'date', '=until'), user('u'), end('e')],
      [['s', 'wait'], ['wait', 'until'], ['until', 'u'], ['u', 'e']]));
    const until = new Date(h.clock.now().getTime() + 5 * 86400_000).toISOString();
    const pi = await h.engine.createInstance({ bpmnProcessId: 'tim', variables: { until } });
    await h.engine.tick();
    expect(elementsIn(await h.engine.getInstance(pi.processInstanceKey), 'active')).toEqual(['wait']);
    h.clock.advance('P3D');
    await h.engine.tick();
    expect(elementsIn(await h.engine.getInstance(pi.processInstanceKey), 'active')).toEqual(['until']);
    h.clock.advance('P2D');
    await h.engine.tick();
    expect(elementsIn(await h.engine.getInstance(pi.processInstanceKey), 'active')).toEqual(['u']);
  });

  test('interrupting boundary timer cancels the user task; non-interrupting cycle fires its repetitions', async () => {
    await h.deploy(model('bt', [start('s'), user('work'),
      boundary('remind', 'work', { type: 'timer', timer: { kind: 'cycle', expression: 'R2/PT1H' } }, false), task('notify', 'bt-notify'), end('en'),
      boundary('overdue', 'work', { type: 'timer', timer: { kind: 'duration', expression: 'PT5H' } }, true), user('escalated'), end('e1'), end('e2')],
    [['s', 'work'], ['work', 'e1'], ['remind', 'notify'], ['notify', 'en'], ['overdue', 'escalated'], ['escalated', 'e2']]));
    const pi = await h.engine.createInstance({ bpmnProcessId: 'bt' });
    const [t] = await h.engine.listTasks({ processInstanceKey: pi.processInstanceKey });
    for (let i = 0; i < 4; i++) { h.clock.advance('PT1H'); await h.engine.tick(); }
    expect(await h.work('bt-notify')).toHaveLength(2); // R2: twice, not four times
    let view = await h.engine.getInstance(pi.processInstanceKey);
    expect(elementsIn(view, 'active')).toEqual(['work']);
    h.clock.advance('PT1H');
    await h.engine.tick();
    view = await h.engine.getInstance(pi.processInstanceKey);
    expect(elementsIn(view, 'active')).toEqual(['escalated']);
    expect(elementsIn(view, 'terminated')).toEqual(['work']);
    expect((await h.engine.getTask(t.key)).state).toBe('canceled');
    await expectCode(h.engine.completeTask(t.key, {}, 'x'), 'INVALID_STATE', 'TASK_CANCELED');
  });

  test('message catch: waiting subscription, buffered within TTL, expired message is not correlated, message id dedupe', async () => {
    await h.deploy(model('msg', [start('s'), message('answer', 'police-answer', '=caseNo'), user('u'), end('e')],
      [['s', 'answer'], ['answer', 'u'], ['u', 'e']]));
    const a = await h.engine.createInstance({ bpmnProcessId: 'msg', variables: { caseNo: 'A1' } });
    const r = await h.engine.publishMessage({ name: 'police-answer', correlationKey: 'A1', variables: { decision: 'accepted' } });
    expect(r.correlatedProcessInstanceKeys).toEqual([a.processInstanceKey]);
    let view = await h.engine.getInstance(a.processInstanceKey);
    expect(elementsIn(view, 'active')).toEqual(['u']);
    expect(view.variables.decision).toBe('accepted');

    // Nobody waits: no error; buffered with a TTL and picked up by a later instance.
    const first = await h.engine.publishMessage({ name: 'police-answer', correlationKey: 'B2', variables: { decision: 'late' }, timeToLive: 'PT1H', messageId: 'm-1' });
    expect(first).toMatchObject({ duplicate: false, correlatedProcessInstanceKeys: [] });
    const dup = await h.engine.publishMessage({ name: 'police-answer', correlationKey: 'B2', variables: { decision: 'dup' }, timeToLive: 'PT1H', messageId: 'm-1' });
    expect(dup).toEqual({ messageKey: first.messageKey, duplicate: true, correlatedProcessInstanceKeys: [] });
    const b = await h.engine.createInstance({ bpmnProcessId: 'msg', variables: { caseNo: 'B2' } });
    view = await h.engine.getInstance(b.processInstanceKey);
    expect(elementsIn(view, 'active')).toEqual(['u']);
    expect(view.variables.decision).toBe('late');
    // Once correlated to this process, the buffered message does not reach a second instance of it.
    const b2 = await h.engine.createInstance({ bpmnProcessId: 'msg', variables: { caseNo: 'B2' } });
    expect(elementsIn(await h.engine.getInstance(b2.processInstanceKey), 'active')).toEqual(['answer']);

    // Expired before the subscription opened: not correlated. No TTL: dropped.
    await h.engine.publishMessage({ name: 'police-answer', correlationKey: 'C3', timeToLive: 60_000 });
    await h.engine.publishMessage({ name: 'police-answer', correlationKey: 'D4' });
    h.clock.advance('PT2M');
    await h.engine.tick();
    const c = await h.engine.createInstance({ bpmnProcessId: 'msg', variables: { caseNo: 'C3' } });
    const d = await h.engine.createInstance({ bpmnProcessId: 'msg', variables: { caseNo: 'D4' } });
    expect(elementsIn(await h.engine.getInstance(c.processInstanceKey), 'active')).toEqual(['answer']);
    expect(elementsIn(await h.engine.getInstance(d.processInstanceKey), 'active')).toEqual(['answer']);
    await expectCode(h.engine.publishMessage({ name: 'x', timeToLive: 'soon' }), 'INVALID_ARGUMENT', 'INVALID_TIME_TO_LIVE');
  });

  test('message start event starts an instance with the message variables', async () => {
    await h.deploy(model('mstart', [start('ms', { type: 'message', messageName: 'complaint-received' }), user('u'), end('e')], [['ms', 'u'], ['u', 'e']]));
    const r = await h.engine.publishMessage({ name: 'complaint-received', correlationKey: 'k', variables: { who: 'worker' } });
    expect(r.correlatedProcessInstanceKeys).toHaveLength(1);
    const view = await h.engine.getInstance(r.correlatedProcessInstanceKeys[0]);
    expect(view.variables).toEqual({ who: 'worker' });
    expect(elementsIn(view, 'active')).toEqual(['u']);
    await expectCode(h.engine.createInstance({ bpmnProcessId: 'mstart' }), 'INVALID_ARGUMENT', 'NO_NONE_START_EVENT');
  });

  test('timer start event with a cycle starts an instance at each repetition; a new version replaces it', async () => {
    await h.deploy(model('tstart', [start('ts', { type: 'timer', timer: { kind: 'cycle', expression: 'R2/PT1H' } }), user('u'), end('e')], [['ts', 'u'], ['u', 'e']]));
    const count = async () => Number((await h.db.ds.query("SELECT COUNT(*) AS c FROM engine_process_instances WHERE bpmn_process_id = 'tstart'"))[0].c);
    for (let i = 0; i < 3; i++) { h.clock.advance('PT1H'); await h.engine.tick(); }
    expect(await count()).toBe(2);
    await h.deploy(model('tstart', [start('ts', { type: 'timer', timer: { kind: 'duration', expression: 'PT1H' } }), user('u'), end('e')], [['ts', 'u'], ['u', 'e']]));
    h.clock.advance('PT1H');
    await h.engine.tick();
    const rows = await h.db.ds.query("SELECT version FROM engine_process_instances WHERE bpmn_process_id = 'tstart' ORDER BY id");
    expect(rows.map((r: { version: number }) => Number(r.version))).toEqual([1, 1, 2]);
  });

  test('event-based gateway: the message wins and the timer is gone; the timer wins and a late message waits in the buffer', async () => {
    await h.deploy(model('race', [start('s'), ebg('g'), message('answer', 'hearing', '=id'), timer('timeout', 'duration', 'P10D'),
      user('heard'), user('timedOut'), end('e1'), end('e2')],
    [['s', 'g'], ['g', 'answer'], ['g', 'timeout'], ['answer', 'heard'], ['timeout', 'timedOut'], ['heard', 'e1'], ['timedOut', 'e2']]));
    const a = await h.engine.createInstance({ bpmnProcessId: 'race', variables: { id: 'r1' } });
    await h.engine.publishMessage({ name: 'hearing', correlationKey: 'r1' });
    h.clock.advance('P11D');
    expect(await h.engine.tick()).toBe(0);
    let view = await h.engine.getInstance(a.processInstanceKey);
    expect(elementsIn(view, 'active')).toEqual(['heard']);

    const b = await h.engine.createInstance({ bpmnProcessId: 'race', variables: { id: 'r2' } });
    h.clock.advance('P11D');
    expect(await h.engine.tick()).toBe(1);
    const late = await h.engine.publishMessage({ name: 'hearing', correlationKey: 'r2' });
    expect(late.correlatedProcessInstanceKeys).toEqual([]);
    view = await h.engine.getInstance(b.processInstanceKey);
    expect(elementsIn(view, 'active')).toEqual(['timedOut']);
  });

  test('event-based gateway race under concurrency has exactly one winner', async () => {
    await h.deploy(model('race2', [start('s'), ebg('g'), message('m', 'race2-msg', '=id'), timer('t', 'duration', 'PT1M'),
      user('viaMsg'), user('viaTimer'), end('e1'), end('e2')],
    [['s', 'g'], ['g', 'm'], ['g', 't'], ['m', 'viaMsg'], ['t', 'viaTimer'], ['viaMsg', 'e1'], ['viaTimer', 'e2']]));
    const keys: string[] = [];
    for (let i = 0; i < 5; i++) keys.push((await h.engine.createInstance({ bpmnProcessId: 'race2', variables: { id: `c${i}` } })).processInstanceKey);
    h.clock.advance('PT2M');
    await Promise.all([h.engine.tick(), ...keys.map((_, i) => h.engine.publishMessage({ name: 'race2-msg', correlationKey: `c${i}` }))]);
    for (const k of keys) {
      const view = await h.engine.getInstance(k);
      const active = elementsIn(view, 'active');
      expect(active).toHaveLength(1);
      expect(['viaMsg', 'viaTimer']).toContain(active[0]);
      expect(view.elements.filter((e) => e.elementId === 'm' || e.elementId === 't')).toHaveLength(1);
    }
  });

  test('boundary message on a user task interrupts it; terminate end event ends parallel branches', async () => {
    await h.deploy(model('bm', [start('s'), user('work'), boundary('withdrawn', 'work', { type: 'message', messageName: 'withdraw', correlationKey: '=id' }),
      end('e1'), end('e2', { type: 'terminate' })],
    [['s', 'work'], ['work', 'e1'], ['withdrawn', 'e2']]));
    const pi = await h.engine.createInstance({ bpmnProcessId: 'bm', variables: { id: 'w1' } });
    await h.engine.publishMessage({ name: 'withdraw', correlationKey: 'w1', variables: { reason: 'settled' } });
    const view = await h.engine.getInstance(pi.processInstanceKey);
    expect(view.state).toBe('completed');
    expect(view.variables.reason).toBe('settled');
    expect(elementsIn(view, 'terminated')).toEqual(['work']);

    await h.deploy(model('term', [start('s'), and('f'), user('long'), end('stop', { type: 'terminate' }), end('e')],
      [['s', 'f'], ['f', 'long'], ['f', 'stop'], ['long', 'e']]));
    const t = await h.engine.createInstance({ bpmnProcessId: 'term' });
    const tv = await h.engine.getInstance(t.processInstanceKey);
    expect(tv.state).toBe('completed');
    expect(elementsIn(tv, 'terminated')).toEqual(['long']);
  });

  test('concurrent completion of parallel branches joins exactly once', async () => {
    await h.deploy(model('par2', [start('s'), and('fork'), task('a', 'par2-a'), task('b', 'par2-b'), task('c', 'par2-c'), and('join'), task('z', 'par2-z'), end('e')],
      [['s', 'fork'], ['fork', 'a'], ['fork', 'b'], ['fork', 'c'], ['a', 'join'], ['b', 'join'], ['c', 'join'], ['join', 'z'], ['z', 'e']]));
    const keys: string[] = [];
    for (let i = 0; i < 4; i++) keys.push((await h.engine.createInstance({ bpmnProcessId: 'par2' })).processInstanceKey);
    const jobs = [...await h.jobs('par2-a'), ...await h.jobs('par2-b'), ...await h.jobs('par2-c')];
    await Promise.all(jobs.map((j) => h.engine.completeJob(j.key, {})));
    expect(await h.work('par2-z')).toHaveLength(4);
    for (const k of keys) expect((await h.engine.getInstance(k)).state).toBe('completed');
  });

  test('a worker write commits with the step, and rolls back with it', async () => {
    await h.db.ds.query('CREATE TABLE rt_worker_writes (id VARCHAR(40) PRIMARY KEY)');
    await h.deploy(model('wr', [start('s'), task('t', 'wr-t'), end('e')], [['s', 't'], ['t', 'e']]));
    await h.engine.createInstance({ bpmnProcessId: 'wr' });
    const [j] = await h.jobs('wr-t');
    await expect(h.engine.completeJob(j.key, {}, { write: async (em) => {
      await em.query('INSERT INTO rt_worker_writes (id) VALUES (?)', [j.key]);
      throw new Error('crash after write');
    } })).rejects.toThrow('crash after write');
    expect(await h.db.ds.query('SELECT id FROM rt_worker_writes')).toHaveLength(0);
    await h.engine.completeJob(j.key, {}, { write: (em) => em.query('INSERT INTO rt_worker_writes (id) VALUES (?)', [j.key]).then(() => undefined) });
    expect(await h.db.ds.query('SELECT id FROM rt_worker_writes')).toHaveLength(1);
    await expectCode(h.engine.completeJob(j.key, {}, { write: (em) => em.query('INSERT INTO rt_worker_writes (id) VALUES (?)', ['other']).then(() => undefined) }), 'NOT_FOUND', 'JOB_NOT_FOUND');
    expect(await h.db.ds.query('SELECT id FROM rt_worker_writes')).toHaveLength(1);
  });
});
