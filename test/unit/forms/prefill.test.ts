/**
 * The case's dates and coded values as a form's text shows them: 2027年2月26日 (with the time only
 * when it is not the end of a day), outcomes in words, never an ISO timestamp or an enum value.
 */
import { chineseDate, displayValues, formFields } from '../../../src/forms/prefill';

describe('form display values', () => {
  it('writes dates the Chinese way, in Beijing time', () => {
    expect(chineseDate('2027-02-26T23:59:59+08:00')).toBe('2027年2月26日');
    expect(chineseDate('2027-02-26')).toBe('2027年2月26日');
    expect(chineseDate('2027-02-26T06:30:00Z')).toBe('2027年2月26日 14:30');
    expect(chineseDate('not a date')).toBeUndefined();
    expect(chineseDate(undefined)).toBeUndefined();
  });

  it('names deadlines, channels and outcomes in words', () => {
    const d = displayValues({
      deadlines: { correction: { period: { dueAt: '2026-12-14T23:59:59+08:00' } }, investigation: { limit: { dueAt: '2027-02-26T23:59:59.999+08:00' } } },
      channel: 'window', reconsiderationResult: 'upheld', investigationOutcome: 'order-to-correct', policeDecisionAt: '2026-12-20T10:00:00+08:00',
      penaltyAssessment: { legalReviewRequired: true }, somethingElse: 'x',
    }, null);
    expect(d).toEqual({
      deadlines: { correction: { period: '2026年12月14日' }, investigation: { limit: '2027年2月26日' } },
      channel: '窗口', reconsiderationResult: '维持不予立案', investigationOutcome: '责令限期改正', policeDecisionAt: '2026年12月20日 10:00', majorCase: '是',
    });
    expect(JSON.stringify(d)).not.toMatch(/\d{4}-\d{2}-\d{2}T|window|upheld/);
  });

  it('an unknown coded value is a dash, not the value', () => {
    expect(displayValues({ policeOutcome: 'something-new' }, null).policeOutcome).toBe('—');
  });

  it('finds keyed fields inside groups', () => {
    const keys = formFields({ components: [{ type: 'text' }, { type: 'group', components: [{ key: 'teamLead', type: 'textfield' }] }, { key: 'amountOwed', type: 'number' }] }).map((f) => f.key);
    expect(keys).toEqual(['teamLead', 'amountOwed']);
  });
});
