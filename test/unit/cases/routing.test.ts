import { loadLegalRules } from '../../../src/config/legal-rules';
import { assessComplaint, bundledRoutingTable, isWageArrears, violationEnd, type RoutingTable } from '../../../src/cases/routing';
import { ClaimCategory } from '../../../src/cases/model';

const rules = loadLegalRules().rules;
const received = Date.parse('2026-11-20T10:00:00+08:00');
// The routing choice is the decision table shipped in decisions/complaint-routing.dmn.
let table: RoutingTable;
beforeAll(async () => { table = await bundledRoutingTable(); });
const assess = (categories: ClaimCategory[], extra: Partial<Parameters<typeof assessComplaint>[1]> = {}) =>
  assessComplaint(rules, { claims: categories.map((category) => ({ category })), receivedAt: received, employerIdentified: true, withinJurisdiction: true, ...extra }, table);

describe('routing rules (诉前引导)', () => {
  it('sends inspection matters to inspection, with social-insurance matters alongside', () => {
    expect(assess(['wage-arrears']).suggestedRoute).toBe('inspection');
    expect(assess(['no-written-contract', 'social-insurance-arrears'])).toMatchObject({ suggestedRoute: 'inspection', matterTypes: ['inspection', 'social-insurance'] });
    expect(assess(['child-labour']).suggestedRoute).toBe('inspection');
  });

  it('sends social-insurance contributions or fraud alone to the audit', () => {
    expect(assess(['social-insurance-arrears']).suggestedRoute).toBe('social-insurance-audit');
    expect(assess(['social-insurance-fraud', 'social-insurance-arrears']).suggestedRoute).toBe('social-insurance-audit');
  });

  it('sends disputes to arbitration with the written notice of 条例 第21条', () => {
    const a = assess(['dismissal-compensation', 'employment-relation']);
    expect(a.suggestedRoute).toBe('arbitration');
    expect(a.reasons.join()).toContain('第21条');
  });

  it('refuses a violation that ended more than 2 years before the complaint (条例 第20条)', () => {
    const a = assess(['wage-arrears'], { violationEndedOn: '2023-08-31' });
    expect(a).toMatchObject({ withinLimitation: false, suggestedRoute: 'not-accepted', limitationFrom: '2024-11-20' });
    expect(assess(['wage-arrears'], { violationEndedOn: '2024-11-20' }).withinLimitation).toBe(true);
    expect(assess(['wage-arrears'], { violationEndedOn: '2024-11-19' }).withinLimitation).toBe(false);
  });

  it('counts a continuing violation from its end: a claim without an end keeps it within the period', () => {
    expect(violationEnd({ claims: [{ category: 'wage-arrears', periodTo: '2023-01-01' }, { category: 'working-hours' }] })).toBeNull();
    expect(violationEnd({ claims: [{ category: 'wage-arrears', periodTo: '2023-01-01' }, { category: 'working-hours', periodTo: '2023-05-01' }] })).toBe('2023-05-01');
  });

  it('asks for completion without an identified employer, and refuses outside the jurisdiction', () => {
    expect(assess(['wage-arrears'], { employerIdentified: false }).suggestedRoute).toBe('completion');
    const a = assess(['wage-arrears'], { withinJurisdiction: false });
    expect(a.suggestedRoute).toBe('not-accepted');
    expect(a.reasons.join()).toContain('第13条');
  });

  it('reads the limitation period from the rules (an installation may change it)', () => {
    const longer = loadLegalRules({ rules: { 'intake.limitation': 3 } }).rules;
    expect(assessComplaint(longer, { claims: [{ category: 'wage-arrears' }], receivedAt: received, violationEndedOn: '2023-12-01', employerIdentified: true, withinJurisdiction: true }, table).withinLimitation).toBe(true);
  });

  it('knows wage arrears for the office targets', () => {
    expect(isWageArrears([{ category: 'minimum-wage' }])).toBe(true);
    expect(isWageArrears([{ category: 'working-hours' }])).toBe(false);
  });
});
