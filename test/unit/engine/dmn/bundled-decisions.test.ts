/** The decision tables shipped in decisions/: they compile, every rule names its legal source, and they answer as documented. */
import fs from 'node:fs';
import path from 'node:path';
import { compileDmn } from '../../../../src/engine/dmn/parse';
import { evaluateDecision } from '../../../../src/engine/dmn/evaluate';
import type { CompiledDrg } from '../../../../src/engine/dmn/types';
import { DECISIONS_DIR } from '../../../../src/paths';

const load = async (file: string): Promise<CompiledDrg> => {
  const { drg, problems } = await compileDmn(fs.readFileSync(path.join(DECISIONS_DIR, file), 'utf8'));
  expect(problems).toEqual([]);
  return drg!;
};

describe('decisions/penalty-discretion.dmn', () => {
  const fines = { refusalFineMin: 2000, refusalFineMax: 20000 };
  const propose = async (violationKind: string, workerCount: number, amountOwed: number, isRepeat: boolean) =>
    evaluateDecision(await load('penalty-discretion.dmn'), 'penalty-discretion', { violationKind, workerCount, amountOwed, isRepeat, ...fines });

  it('gives every rule an annotation with its legal source', async () => {
    const drg = await load('penalty-discretion.dmn');
    const table = drg.decisions[0].logic;
    expect(table.kind === 'decisionTable' && table.rules.every((r) => /《.+》第.+条/.test(r.annotation ?? ''))).toBe(true);
  });

  it.each([
    ['child-labour', 2, 0, false, { level: '严重', proposedFine: 10000 }],
    ['working-hours', 5, 0, false, { level: '一般', fineMin: 500, fineMax: 1500, proposedFine: 1000 }],
    ['working-hours', 12, 0, false, { level: '较重', fineMin: 3600, fineMax: 6000 }],
    ['working-hours', 1, 0, true, { level: '较重', proposedFine: 400 }],
    ['wage-arrears', 3, 6000, false, { level: '一般', fineMin: 2000, fineMax: 5000, proposedFine: 3000 }],
    ['wage-arrears', 12, 150000, false, { level: '严重', fineMin: 10000, fineMax: 20000 }],
    ['minimum-wage', 1, 100, true, { level: '严重' }],
    ['no-written-contract', 1, 0, false, { level: '一般', fineMin: 2000, fineMax: 20000, proposedFine: 2000 }],
  ])('%s, %d workers, %d yuan, repeat %s', async (kind, workers, amount, repeat, expected) => {
    const r = await propose(kind, workers, amount, repeat);
    expect(r.failureMessage).toBeUndefined();
    expect(r.output).toMatchObject(expected);
  });
});

describe('decisions/complaint-routing.dmn', () => {
  it('gives every rule an annotation with its legal source', async () => {
    const table = (await load('complaint-routing.dmn')).decisions[0].logic;
    expect(table.kind === 'decisionTable' && table.rules.every((r) => /《.+》/.test(r.annotation ?? ''))).toBe(true);
  });
});
