/**
 * The draw computation alone: the same seed and inputs give the same draw, a changed input or seed is
 * caught, grade weights shift the odds, conflicts are never drawn, and a shortage is reported.
 */
import { checkDraw, computeDraw, drawSize, inputsText, resultText, sha256, DrawShortage, type DrawInputs } from '../../../src/credit/draw-random';

const id = (p: string, i: number) => `${p}${String(i).padStart(6, '0')}`;

function inputs(n: number, inspectors: number, over: Partial<DrawInputs['params']> = {}): DrawInputs {
  return {
    version: 1,
    params: { proportionPercent: 10, perEmployer: 2, excludeGridInspector: true, weights: { A: 1, B: 2, C: 4, '-': 2 }, ...over },
    grids: ['g0', 'g1', 'g2'],
    employers: Array.from({ length: n }, (_, i) => [id('e', i), i % 3, (['A', 'B', 'C', '-'] as const)[i % 4]] as [string, number, 'A' | 'B' | 'C' | '-']),
    inspectors: Array.from({ length: inspectors }, (_, i) => [id('u', i), [i % 3]] as [string, number[]]),
    recusals: [],
  };
}

describe('random draw computation', () => {
  it('gives the same draw for the same seed and inputs, and another for another seed', () => {
    const inp = inputs(1000, 12);
    const a = computeDraw('seed-1', inp);
    expect(resultText(computeDraw('seed-1', JSON.parse(inputsText(inp))))).toBe(resultText(a));
    expect(a.picks).toHaveLength(100);
    expect(resultText(computeDraw('seed-2', inp))).not.toBe(resultText(a));
  });

  it('detects a changed input or a changed result when the stored draw is checked', () => {
    const inp = inputs(200, 6);
    const inputsJson = inputsText(inp);
    const resultJson = resultText(computeDraw('s', inp));
    const stored = { seed: 's', inputsJson, inputsSha256: sha256(inputsJson), resultJson, resultSha256: sha256(resultJson) };
    expect(checkDraw(stored)).toEqual({ inputsIntact: true, resultIntact: true, resultMatches: true, problem: null });
    const fewer = inputsText({ ...inp, employers: inp.employers.slice(1) });
    expect(checkDraw({ ...stored, inputsJson: fewer })).toMatchObject({ inputsIntact: false, resultMatches: false });
    const otherResult = resultText({ picks: [...JSON.parse(resultJson).picks].reverse() });
    expect(checkDraw({ ...stored, resultJson: otherResult })).toMatchObject({ resultIntact: false, resultMatches: false });
  });

  it('draws heavier grades more often', () => {
    const inp = inputs(4000, 12, { weights: { A: 1, B: 1, C: 20, '-': 1 } });
    const grade = new Map(inp.employers.map(([e, , g]) => [e, g]));
    const picks = computeDraw('weights', inp).picks;
    const c = picks.filter(([e]) => grade.get(e) === 'C').length;
    // A quarter of the register is C; with weight 20 they take most of a 10 % draw.
    expect(c / picks.length).toBeGreaterThan(0.7);
  });

  it('draws every C-graded employer when the office says so, and the rest of the sample from the others', () => {
    // 1000 employers, a quarter C: a 10 % draw (100) holds all 250 C-graded ones and nobody else.
    const inp = inputs(1000, 12, { alwaysGradeC: true });
    const grade = new Map(inp.employers.map(([e, , g]) => [e, g]));
    const picks = computeDraw('always-c', inp).picks;
    expect(picks).toHaveLength(250);
    expect(picks.every(([e]) => grade.get(e) === 'C')).toBe(true);
    // A 40 % draw (400): the 250 C-graded ones, then 150 others; reproducible from the seed.
    const wide = { ...inp, params: { ...inp.params, proportionPercent: 40 } };
    const widePicks = computeDraw('always-c', wide).picks;
    expect(widePicks).toHaveLength(400);
    expect(widePicks.filter(([e]) => grade.get(e) === 'C')).toHaveLength(250);
    expect(resultText(computeDraw('always-c', JSON.parse(inputsText(wide))))).toBe(resultText({ picks: widePicks }));
    // Without the option a C-graded employer may be left out (weights only).
    const byWeight = computeDraw('always-c', { ...wide, params: { ...wide.params, alwaysGradeC: false } }).picks;
    expect(byWeight.filter(([e]) => grade.get(e) === 'C').length).toBeLessThan(250);
  });

  it('never sends an inspector of the employer\'s own grid or a recused one, and two different ones', () => {
    const inp = inputs(300, 6, { proportionPercent: 100 });
    inp.recusals = [[id('u', 1), id('e', 0)]];
    for (const [employer, chosen] of computeDraw('conflicts', inp).picks) {
      const grid = inp.employers.find((e) => e[0] === employer)![1];
      expect(new Set(chosen).size).toBe(2);
      for (const u of chosen) expect(inp.inspectors.find((i) => i[0] === u)![1]).not.toContain(grid);
      if (employer === id('e', 0)) expect(chosen).not.toContain(id('u', 1));
    }
    // Without the grid rule an inspector of the grid may be sent.
    const free = computeDraw('conflicts', { ...inp, params: { ...inp.params, excludeGridInspector: false } }).picks;
    expect(free.some(([e, chosen]) => chosen.some((u) => inp.inspectors.find((i) => i[0] === u)![1].includes(inp.employers.find((x) => x[0] === e)![1])))).toBe(true);
  });

  it('reports an employer left with too few inspectors', () => {
    const inp = inputs(3, 2, { proportionPercent: 100 });
    expect(() => computeDraw('short', inp)).toThrow(DrawShortage);
  });

  it('sizes a draw by the proportion, rounded up, at least one', () => {
    expect(drawSize(100000, 5)).toBe(5000);
    expect(drawSize(3, 5)).toBe(1);
    expect(drawSize(7, 100)).toBe(7);
  });
});
