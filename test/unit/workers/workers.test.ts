import { z } from 'zod';
import { deriveOutcome } from '../../../src/cases/close-case';
import { computeContractDeadline, HearingNoticeTooShort, parseInstant } from '../../../src/cases/case-deadlines';
import { systemClock } from '../../../src/clock/clock';
import { loadLegalRules } from '../../../src/config/legal-rules';
import { buildCalendarData } from '../../../src/deadlines/calendar';
import { JOB_ACTION_ACKNOWLEDGEMENT, Job } from '../../../src/workers/contract';
import { defineWorker } from '../../../src/workers/define';
import { BadData } from '../../../src/workers/failure';
import { createWorkers } from '../../../src/workers';
import { lateFee } from '../../../src/workers/late-fee.compute';
import type { WorkerDeps } from '../../../src/workers/deps';

/** A job that records how it was acknowledged. */
function fakeJob(variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  const calls: { kind: string; arg: unknown }[] = [];
  const ack = (kind: string) => async (arg: unknown) => { calls.push({ kind, arg }); return JOB_ACTION_ACKNOWLEDGEMENT; };
  const job = {
    key: '1', type: 't', processInstanceKey: '2', bpmnProcessId: 'p', processDefinitionVersion: 1, processDefinitionKey: 'd', elementId: 'E',
    elementInstanceKey: '3', customHeaders: headers, worker: 'w', retries: 3, deadline: 0, variables,
    complete: ack('complete'), fail: ack('fail'), error: ack('error'),
  } as unknown as Job<never>;
  return { job, calls };
}

describe('defineWorker', () => {
  const worker = defineWorker({
    taskType: 'test.worker', clock: systemClock,
    input: z.object({ amount: z.number() }), output: z.object({ doubled: z.number() }),
    handler: async (job, v) => {
      if (v.amount < 0) throw new Error('negative');
      if (v.amount === 99) return job.complete({ doubled: 'no' } as never);
      return job.complete({ doubled: v.amount * 2 });
    },
  });

  it('fetches exactly the input schema\'s keys', () => {
    expect(worker.fetchVariables).toEqual(['amount']);
  });

  it('completes with the handler\'s variables', async () => {
    const { job, calls } = fakeJob({ amount: 2 });
    await expect(worker.handler(job)).resolves.toBe(JOB_ACTION_ACKNOWLEDGEMENT);
    expect(calls).toEqual([{ kind: 'complete', arg: { doubled: 4 } }]);
  });

  it('fails without retries when the variables do not fit the contract', async () => {
    const { job, calls } = fakeJob({ amount: 'two' });
    await worker.handler(job);
    expect(calls[0].kind).toBe('fail');
    expect(calls[0].arg).toMatchObject({ retries: 0 });
  });

  it('turns a crash into a failure that counts retries down, never into a business error', async () => {
    const { job, calls } = fakeJob({ amount: -1 });
    await worker.handler(job);
    expect(calls).toEqual([{ kind: 'fail', arg: { errorMessage: expect.stringContaining('系统将自动重试'), retries: 2 } }]);
    expect((calls[0].arg as { errorMessage: string }).errorMessage).toContain('技术信息：negative');
  });

  it('turns bad data a handler names into an incident at once, in its own Chinese words', async () => {
    const bad = defineWorker({
      taskType: 'test.bad-data', clock: systemClock, input: z.object({}), output: z.object({}),
      handler: async () => { throw new BadData('送达日期早于文书签发时间，请更正送达日期后重试'); },
    });
    const { job, calls } = fakeJob({});
    await bad.handler(job);
    expect(calls).toEqual([{ kind: 'fail', arg: { errorMessage: '送达日期早于文书签发时间，请更正送达日期后重试', retries: 0 } }]);
  });

  it('refuses to complete with a result that breaks the output schema', async () => {
    const { job, calls } = fakeJob({ amount: 99 });
    await worker.handler(job);
    expect(calls[0].kind).toBe('fail');
  });
});

describe('the workers', () => {
  it('cover every job type of the contract', () => {
    const deps = { ds: {} as WorkerDeps['ds'], clock: systemClock, rules: loadLegalRules(), logger: console } as WorkerDeps;
    expect(createWorkers(deps).map((w) => w.taskType).sort()).toEqual([
      'blacklist.check-repair', 'blacklist.issue-document', 'blacklist.record-decision', 'blacklist.record-repair-decision', 'blacklist.remove', 'blacklist.set-term',
      'case.close', 'case.link-duplicates', 'case.register', 'case.set-status', 'complaint.assess', 'criminal-threshold.check', 'deadline.compute',
      'document.issue', 'document.record-service', 'draw.publication-overdue', 'draw.publication-period', 'grading.close-objections', 'grading.finalize', 'grading.notify', 'grading.propose', 'late-fee.compute', 'mail.send',
      'patrol.issue-order', 'patrol.open-case', 'patrol.raise-warning', 'patrol.record', 'patrol.record-follow-up', 'penalty.assess',
      'review.issue-document', 'review.open-case', 'review.record-result', 'review.record-review', 'review.record-verification',
      'warning.close', 'warning.escalate', 'warning.record-handling', 'warning.route',
    ]);
  });
});

describe('late fees (行政处罚法 第72条)', () => {
  const due = Date.parse('2026-12-10T23:59:59+08:00');
  it('adds 3 % of the fine a day from the day after the deadline', () => {
    expect(lateFee(10000, due, Date.parse('2026-12-10T12:00:00+08:00'), 3, 1)).toMatchObject({ amount: 0, days: 0 });
    expect(lateFee(10000, due, Date.parse('2026-12-13T09:00:00+08:00'), 3, 1)).toMatchObject({ amount: 900, days: 3, capped: false });
  });
  it('never exceeds the fine', () => {
    expect(lateFee(10000, due, Date.parse('2027-02-28T09:00:00+08:00'), 3, 1)).toMatchObject({ amount: 10000, capped: true });
  });
});

describe('case outcomes derived at closure', () => {
  it('follows what the lifecycle decided', () => {
    expect(deriveOutcome({ investigationOutcome: 'order-to-correct', corrected: 'yes' })).toBe('corrected');
    expect(deriveOutcome({ investigationOutcome: 'order-to-correct', corrected: 'no', policeOutcome: 'accepted' })).toBe('referred-to-police');
    expect(deriveOutcome({ investigationOutcome: 'order-to-correct', corrected: 'no', policeOutcome: 'refused', penaltyOutcome: 'paid' })).toBe('penalty');
    expect(deriveOutcome({ investigationOutcome: 'withdraw', withdrawalApproved: true })).toBe('withdrawn');
    expect(deriveOutcome({ investigationOutcome: 'transfer' })).toBe('transferred');
    expect(deriveOutcome({})).toBe('no-violation');
  });
});

describe('contract deadlines', () => {
  const cal = buildCalendarData();
  const rules = loadLegalRules().rules;
  const ctx = (variables: Record<string, unknown>, now = Date.parse('2026-09-30T10:00:00+08:00')) => ({ cal, rules, now, variables, filedAt: null });

  it('registration across National Day 2026: 5 工作日 from 2026-09-30 ends on 2026-10-13, holidays listed', () => {
    const d = computeContractDeadline('intake.acceptanceDecision', ctx({ receivedAt: '2026-09-30T10:00:00+08:00' }), {});
    expect(d.process).toMatchObject({ dueAt: '2026-10-13T23:59:59+08:00', unit: 'workingDays', count: 5 });
    expect(d.process.skipped.map((s) => s.date)).toEqual(['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07', '2026-10-11']);
    expect(d.process.explanation).toContain('节假日');
  });

  it('marks a wage-arrears acceptance due-soon once the office’s registration target (the same day) has passed', () => {
    const d = computeContractDeadline('intake.acceptanceDecision', ctx({ receivedAt: '2026-09-30T10:00:00+08:00', isWageArrears: true }), {});
    expect(d.process).toMatchObject({ dueAt: '2026-10-13T23:59:59+08:00', warnAt: '2026-09-30T23:59:59+08:00' });
    expect(computeContractDeadline('intake.acceptanceDecision', ctx({ receivedAt: '2026-09-30T10:00:00+08:00' }), {}).warnAtMs).toBeNull();
  });

  it('computes a one-period deadline from the rule it names, and names the variable it lacks', () => {
    const d = computeContractDeadline('police.decision', ctx({ transferredAt: '2026-11-20T10:00:00+08:00' }), {});
    expect(d.process).toMatchObject({ rule: 'police.decision', count: 3, unit: 'days', startEvent: '公安机关接受移送', legalSource: rules['police.decision'].source });
    expect(() => computeContractDeadline('police.decision', ctx({}), {})).toThrow(expect.objectContaining({ rule: 'police.decision', variable: 'transferredAt' }));
  });

  it('starts acceptance again from completed materials', () => {
    const d = computeContractDeadline('intake.acceptanceDecision', ctx({ receivedAt: '2026-09-01T10:00:00+08:00', materialsCompletedAt: '2026-11-02T10:00' }), {});
    expect(d.process.dueDate).toBe('2026-11-09');
    expect(d.process.startEvent).toBe('补正材料提交');
  });

  it('gives the investigation a warning 10 工作日 before its end and the extended limit', () => {
    const inv = computeContractDeadline('investigation.limit', ctx({ filedAt: '2026-11-02T10:00:00+08:00' }), {});
    expect(inv.warnAtMs).toBeLessThan(inv.dueAtMs);
    const ext = computeContractDeadline('investigation.extension', ctx({ filedAt: '2026-11-02T10:00:00+08:00' }), {});
    expect(ext.process.count).toBe(90);
  });

  it('refuses a hearing too close for its 7 日 notice', () => {
    const now = Date.parse('2026-11-20T10:00:00+08:00');
    expect(() => computeContractDeadline('punishment.hearingNotice', ctx({ hearingAt: '2026-11-24T09:00:00+08:00' }, now), {})).toThrow(HearingNoticeTooShort);
    const ok = computeContractDeadline('punishment.hearingNotice', ctx({ hearingAt: '2026-12-15T09:00:00+08:00' }, now), {});
    expect(ok.process.noticeBy).toBeDefined();
  });

  it('reads the dates forms and messages send', () => {
    expect(parseInstant('2026-11-20')).toBe(Date.parse('2026-11-20T00:00:00+08:00'));
    expect(parseInstant('2026-11-20T09:30')).toBe(Date.parse('2026-11-20T09:30:00+08:00'));
    expect(parseInstant('2026-11-20T09:30:00Z')).toBe(Date.parse('2026-11-20T09:30:00Z'));
    expect(parseInstant('soon')).toBeNull();
  });
});
