import { answerKind, checkAnswer } from '../../../src/cases/answer-catalog';

const NOW = Date.parse('2026-12-06T10:00:00+08:00');
const finePaid = answerKind('fine-paid')!;
const paths = (variables: Record<string, unknown>) => checkAnswer(finePaid, variables, NOW).map((d) => d.path);

describe('outside answer fields', () => {
  it('takes amounts in yuan with two decimals, floating point included', () => {
    for (const paidAmount of [0.29, 1.1, 2000, 19999.99]) expect(paths({ paidAt: '2026-12-05T09:30:00+08:00', paidAmount })).toEqual([]);
    for (const paidAmount of [0.001, -1, '100', Number.NaN]) expect(paths({ paidAt: '2026-12-05T09:30:00+08:00', paidAmount })).toEqual(['body.variables.paidAmount']);
  });

  it('refuses impossible and future dates, missing fields and other keys', () => {
    expect(paths({ paidAt: '2027-02-30T09:00:00+08:00', paidAmount: 1 })).toEqual(['body.variables.paidAt']);
    expect(paths({ paidAt: '2026-12-20T09:00:00+08:00', paidAmount: 1 })).toEqual(['body.variables.paidAt']);
    expect(paths({ paidAt: '2026-12-05T09:00', paidAmount: 1 })).toEqual(['body.variables.paidAt']);
    expect(paths({ paidAmount: 1, caseId: 'x' }).sort()).toEqual(['body.variables.caseId', 'body.variables.paidAt']);
  });
});
