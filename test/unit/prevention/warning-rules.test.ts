// The warning rules over one employer's complaints (seed 004's figures from the legal-rules registry),
// the look-back period, and the colour ladder's escalation.
import { loadLegalRules } from '../../../src/config/legal-rules';
import { escalated } from '../../../src/prevention/model';
import { loadSettings } from '../../../src/config/settings';
import { creditColours, evaluateFacts, lookbackStart } from '../../../src/prevention/warning-rules';

const rules = loadLegalRules().rules;
const colours = creditColours(loadSettings({}));
const facts = (over: Partial<Parameters<typeof evaluateFacts>[0]>) => ({ employerId: 'e', arrearsComplaints: 1, maxOwedFen: 300_000, maxWorkers: 3, latestAt: 0, ...over });

describe('warning rules', () => {
  it('give nothing without an arrears complaint, yellow for one, orange for two within the period', () => {
    expect(evaluateFacts(facts({ arrearsComplaints: 0 }), rules, colours)).toBeNull();
    expect(evaluateFacts(facts({}), rules, colours)?.colour).toBe('yellow');
    const two = evaluateFacts(facts({ arrearsComplaints: 2 }), rules, colours)!;
    expect(two.colour).toBe('orange');
    expect(two.reasons.join('；')).toContain('一年内被投诉2次以上');
  });

  it('give red for 100,000 元 at once or more than 20 workers, and not for 20', () => {
    expect(evaluateFacts(facts({ maxOwedFen: 100_000_00 }), rules, colours)?.colour).toBe('red');
    expect(evaluateFacts(facts({ maxOwedFen: 99_999_99 }), rules, colours)?.colour).toBe('yellow');
    expect(evaluateFacts(facts({ maxWorkers: 21 }), rules, colours)?.colour).toBe('red');
    expect(evaluateFacts(facts({ maxWorkers: 20 }), rules, colours)?.colour).toBe('yellow');
  });

  it('follow an office override of the figures', () => {
    const local = loadLegalRules({ rules: { 'warning.minArrearsAmount': 50000, 'warning.minComplaints': 3 } }).rules;
    expect(evaluateFacts(facts({ maxOwedFen: 60_000_00 }), local, colours)?.colour).toBe('red');
    expect(evaluateFacts(facts({ arrearsComplaints: 2 }), local, colours)?.colour).toBe('yellow');
  });

  it('give the settings\' colours for a C grade (orange) and a blacklisting (red), keeping every reason, the strongest colour winning', () => {
    const c = evaluateFacts(facts({ arrearsComplaints: 0, grade: { grade: 'C', year: 2026, at: 5 } }), rules, colours)!;
    expect(c).toEqual({ colour: 'orange', reasons: ['2026年度劳动保障守法诚信等级评为C级'] });
    expect(evaluateFacts(facts({ arrearsComplaints: 0, grade: { grade: 'B', year: 2026, at: 5 } }), rules, colours)).toBeNull();
    const listed = evaluateFacts(facts({ grade: { grade: 'C', year: 2026, at: 5 }, listedAt: 7 }), rules, colours)!;
    expect(listed.colour).toBe('red');
    expect(listed.reasons).toEqual(['近12个月内欠薪投诉1次', '2026年度劳动保障守法诚信等级评为C级', '已列入拖欠农民工工资失信联合惩戒对象名单']);
    // An office that treats a C grade as red, and a listing as orange (settings).
    const local = creditColours(loadSettings({ WARNING_COLOUR_GRADE_C: 'red', WARNING_COLOUR_LISTED: 'orange' }));
    expect(evaluateFacts(facts({ arrearsComplaints: 0, listedAt: 7 }), rules, local)?.colour).toBe('orange');
    expect(evaluateFacts(facts({ arrearsComplaints: 2, grade: { grade: 'C', year: 2026, at: 5 } }), rules, local)?.colour).toBe('red');
    expect(() => loadSettings({ WARNING_COLOUR_LISTED: 'purple' })).toThrow();
  });

  it('look back twelve months from the day in China', () => {
    const now = Date.parse('2026-12-06T10:00:00+08:00');
    expect(new Date(lookbackStart(rules, now)).toISOString()).toBe('2025-12-05T16:00:00.000Z');
  });

  it('escalate yellow to orange to red, and red stays red', () => {
    expect([escalated('yellow'), escalated('orange'), escalated('red')]).toEqual(['orange', 'red', 'red']);
  });
});
