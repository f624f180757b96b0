// A/B/C grading from a year's record (企业劳动保障守法诚信等级评价办法, 2016): each grade with the records that justify it.
import { loadLegalRules } from '../../../src/config/legal-rules';
import { proposeGrade, type GradingRecord } from '../../../src/credit/grading';

const rules = loadLegalRules().rules;
const kase = (id: string, outcome: string, categories: string[] = ['wage-arrears']): GradingRecord => ({ kind: 'case', id, label: `案件${id}`, outcome, categories });

describe('proposed grades', () => {
  it('A: no violation found (cases without one do not count)', () => {
    expect(proposeGrade([], rules)).toEqual({ grade: 'A', reasons: [] });
    expect(proposeGrade([kase('1', 'no-violation'), kase('2', 'referred-arbitration')], rules).grade).toBe('A');
  });

  it('B: a violation found, none of C', () => {
    const p = proposeGrade([kase('1', 'corrected'), kase('2', 'withdrawn')], rules);
    expect(p).toEqual({ grade: 'B', reasons: [{ kind: 'case', id: '1', text: '案件1：查处违法行为', criterion: 'violation' }] });
  });

  it('C: violations found as often as the rule says, each named', () => {
    const three = ['1', '2', '3'].map((id) => kase(id, 'penalty'));
    const p = proposeGrade(three, rules);
    expect(p.grade).toBe('C');
    expect(p.reasons.map((r) => r.id)).toEqual(['1', '2', '3']);
    expect(p.reasons[0].text).toContain(`达到${rules['credit.violationsForC'].value}次`);
    expect(proposeGrade(three.slice(0, 2), rules).grade).toBe('B');
    // An office that sets the figure to 2 grades two violations C.
    const two = loadLegalRules({ rules: { 'credit.violationsForC': 2 } }).rules;
    expect(proposeGrade(three.slice(0, 2), two).grade).toBe('C');
  });

  it('C: child labour, criminal liability, a listing for a mass incident or an order refused', () => {
    expect(proposeGrade([kase('1', 'corrected', ['child-labour'])], rules).reasons[0].text).toContain('使用童工');
    expect(proposeGrade([kase('1', 'referred-to-police')], rules).reasons[0].text).toContain('刑事责任');
    const listed = proposeGrade([{ kind: 'listing', id: 'L', label: '列入名单', outcome: 'mass-incident', categories: [] }], rules);
    expect(listed).toEqual({ grade: 'C', reasons: [{ kind: 'listing', id: 'L', text: '列入名单：因拖欠工资引发群体性、极端事件', criterion: 'mass-incident' }] });
    expect(proposeGrade([{ kind: 'listing', id: 'L', label: '列入名单', outcome: 'criminal-threshold', categories: [] }], rules).reasons[0].text).toContain('拒不支付');
  });

  it('C: a penalty the court was asked to enforce, or a patrol order found not obeyed; a patrol order alone is a violation', () => {
    const enforced = proposeGrade([{ ...kase('1', 'penalty'), refused: true }], rules);
    expect(enforced.grade).toBe('C');
    expect(enforced.reasons).toEqual([expect.objectContaining({ criterion: 'refused-order', text: expect.stringContaining('强制执行') })]);
    const patrol = (refused: boolean): GradingRecord => ({ kind: 'patrol', id: 'P', label: '2026年6月日常巡查', outcome: 'order', categories: [], refused });
    expect(proposeGrade([patrol(false)], rules)).toEqual({ grade: 'B', reasons: [{ kind: 'patrol', id: 'P', text: '2026年6月日常巡查：查处违法行为', criterion: 'violation' }] });
    expect(proposeGrade([patrol(true)], rules).reasons[0]).toMatchObject({ criterion: 'refused-order', text: expect.stringContaining('仍未改正') });
    // Patrol orders count towards the number of violations with the cases.
    expect(proposeGrade([patrol(false), kase('1', 'corrected'), kase('2', 'penalty')], rules).grade).toBe('C');
  });
});
