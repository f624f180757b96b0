// The warning rules over one employer's complaints (seed 004's figures from the legal-rules registry),
// the look-back period, and the colour ladder's escalation.
import { loadLegalRules } from '../../../src/config/legal-rules';
import { escalated } from '../../../src/prevention/model';
import { evaluateFacts, lookbackStart } from '../../../src/prevention/warning-rules';

const rules = loadLegalRules().rules;
const facts = (over: Partial<Parameters<typeof evaluateFacts>[0]>) => ({ employerId: 'e', arrearsComplaints: 1, maxOwedFen: 300_000, maxWorkers: 3, latestAt: 0, ...over });

describe('warning rules', () => {
  it('give nothing without an arrears complaint, yellow for one, orange for two within the period', () => {
    expect(evaluateFacts(facts({ arrearsComplaints: 0 }), rules)).toBeNull();
    expect(evaluateFacts(facts({}), rules)?.colour).toBe('yellow');
    const two = evaluateFacts(facts({ arrearsComplaints: 2 }), rules)!;
    expect(two.colour).toBe('orange');
    expect(two.reasons.join('；')).toContain('一年内被投诉2次以上');
  });

  it('give red for 100,000 元 at once or more than 20 workers, and not for 20', () => {
    expect(evaluateFacts(facts({ maxOwedFen: 100_000_00 }), rules)?.colour).toBe('red');
    expect(evaluateFacts(facts({ maxOwedFen: 99_999_99 }), rules)?.colour).toBe('yellow');
    expect(evaluateFacts(facts({ maxWorkers: 21 }), rules)?.colour).toBe('red');
    expect(evaluateFacts(facts({ maxWorkers: 20 }), rules)?.colour).toBe('yellow');
  });

  it('follow an office override of the figures', () => {
    const local = loadLegalRules({ rules: { 'warning.minArrearsAmount': 50000, 'warning.minComplaints': 3 } }).rules;
    expect(evaluateFacts(facts({ maxOwedFen: 60_000_00 }), local)?.colour).toBe('red');
    expect(evaluateFacts(facts({ arrearsComplaints: 2 }), local)?.colour).toBe('yellow');
  });

  it('look back twelve months from the day in China', () => {
    const now = Date.parse('2026-12-06T10:00:00+08:00');
    expect(new Date(lookbackStart(rules, now)).toISOString()).toBe('2025-12-05T16:00:00.000Z');
  });

  it('escalate yellow to orange to red, and red stays red', () => {
    expect([escalated('yellow'), escalated('orange'), escalated('red')]).toEqual(['orange', 'red', 'red']);
  });
});
