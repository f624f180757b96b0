import { gramsOf, normaliseSearchText, searchKeyOf } from '../../../src/employers/search';

describe('employer search grams', () => {
  it('indexes every three consecutive characters of name and address, the last two with an end mark', () => {
    const grams = gramsOf('宏达建筑', '金水路1号');
    expect(grams).toEqual(expect.arrayContaining(['宏达建', '达建筑', '建筑\u007f', '金水路', '路1号', '1号\u007f']));
    // No gram spans the two texts.
    expect(grams.some((g) => g.includes('筑金'))).toBe(false);
    expect(new Set(grams).size).toBe(grams.length);
  });

  it('folds width, case and spaces the same way for files and searches', () => {
    expect(normaliseSearchText('ＡＢ Ｃ公司')).toBe('abc公司');
    expect(searchKeyOf('ａｂ')).toEqual({ kind: 'prefix', prefix: 'ab' });
    expect(searchKeyOf('恒信冷链')).toEqual({ kind: 'grams', grams: ['恒信冷', '信冷链'] });
    expect(searchKeyOf('恒')).toEqual({ kind: 'none' });
  });

  it('keeps characters outside the basic plane whole', () => {
    expect(gramsOf('𠮷野家')).toEqual(['𠮷野家', '野家\u007f']);
  });
});
