/** Address rules placing addresses in grids, and the spreadsheet cell rules of the import and export. */
import { AddressRule, houseNumber, placeAddress } from '../../../src/org/address-rules';
import { neutralise } from '../../../src/employers/export';
import { looksLikeFormula, parseCsv } from '../../../src/employers/spreadsheet';

const rule = (over: Partial<AddressRule>): AddressRule => ({
  id: over.id ?? 'r', officeId: 'o', gridId: 'g', kind: 'street', street: null, numberFrom: null, numberTo: null, parity: 'all', community: null,
  createdBy: 'admin', createdAt: 0, updatedAt: 0, ...over,
});

describe('address rules', () => {
  const rules = [
    rule({ id: 'whole', gridId: 'street-grid', street: '解放路' }),
    rule({ id: 'odd', gridId: 'odd-grid', street: '解放路', numberFrom: 1, numberTo: 99, parity: 'odd' }),
    rule({ id: 'community', gridId: 'community-grid', kind: 'community', community: '铭功路社区' }),
  ];

  it('reads the house number after the street, with or without spaces', () => {
    expect(houseNumber('郑州市二七区解放路 18 号', '解放路')).toBe(18);
    expect(houseNumber('郑州市二七区解放路18-2号', '解放路')).toBe(18);
    expect(houseNumber('郑州市二七区解放路', '解放路')).toBeNull();
  });

  it('prefers a community, then a number range, then a whole street', () => {
    expect(placeAddress(rules, '郑州市二七区解放路 17 号')).toEqual({ gridId: 'odd-grid', ruleId: 'odd' });
    expect(placeAddress(rules, '郑州市二七区解放路 18 号')).toEqual({ gridId: 'street-grid', ruleId: 'whole' });
    expect(placeAddress(rules, '郑州市二七区解放路 101 号')).toEqual({ gridId: 'street-grid', ruleId: 'whole' });
    expect(placeAddress(rules, '二七区铭功路社区解放路 17 号')).toEqual({ gridId: 'community-grid', ruleId: 'community' });
  });

  it('leaves an address unplaced when no rule or two grids of the same rank match', () => {
    expect(placeAddress(rules, '郑州市金水区人民路 1 号')).toEqual({ gridId: null, reason: 'no-rule', gridIds: [] });
    const tie = [...rules, rule({ id: 'odd2', gridId: 'other-grid', street: '解放路', numberFrom: 11, numberTo: 21, parity: 'all' })];
    expect(placeAddress(tie, '解放路 17 号')).toEqual({ gridId: null, reason: 'ambiguous', gridIds: ['odd-grid', 'other-grid'] });
  });
});

describe('spreadsheet cells', () => {
  it('neutralises text a spreadsheet would run as a formula', () => {
    expect(neutralise('=HYPERLINK("http://x","y")')).toBe('\'=HYPERLINK("http://x","y")');
    for (const t of ['+1', '-1+2', '@SUM(A1)', '\t=1']) expect(neutralise(t).startsWith('\'')).toBe(true);
    expect(neutralise('郑州宏达建筑劳务有限公司')).toBe('郑州宏达建筑劳务有限公司');
  });

  it('takes plain negative numbers for numbers and the rest for formulas on import', () => {
    expect(looksLikeFormula('-12')).toBe(false);
    expect(looksLikeFormula('-1+2')).toBe(true);
    expect(looksLikeFormula('=1+2')).toBe(true);
    expect(looksLikeFormula('郑州')).toBe(false);
  });

  it('parses quoted csv fields with commas, quotes and line breaks', () => {
    expect(parseCsv('a,"b,c","d""e"\r\n"f\ng",h\n')).toEqual([['a', 'b,c', 'd"e'], ['f\ng', 'h']]);
  });
});
