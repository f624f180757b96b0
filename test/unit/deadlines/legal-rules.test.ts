import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_LEGAL_RULES, InvalidLegalRulesError, loadLegalRules, loadLegalRulesFile, rulesForOffice } from '../../../src/config/legal-rules';

function problemsOf(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof InvalidLegalRulesError) return e.problems;
    throw e;
  }
  throw new Error('expected InvalidLegalRulesError');
}

describe('legal rules', () => {
  it('default to the national figures, each with its source', () => {
    const { rules } = loadLegalRules();
    expect(rules['intake.acceptanceDecision']).toMatchObject({ value: 5, unit: 'workingDays' });
    expect(rules['investigation.limit']).toMatchObject({ value: 60, unit: 'workingDays', source: '劳动保障监察条例 第17条' });
    expect(rules['punishment.decision']).toMatchObject({ value: 90, unit: 'calendarDays' });
    expect(rules['punishment.hearingRequest']).toMatchObject({ value: 5, unit: 'workingDays' });
    expect(rules['police.transfer']).toMatchObject({ value: 24, unit: 'hours' });
    expect(rules['preservation.courtRuling']).toMatchObject({ value: 48, unit: 'hours' });
    expect(rules['criminal.singleWorker.minAmount']).toMatchObject({ value: 5000, range: [5000, 20000] });
    expect(rules['criminal.multiWorker.minTotal']).toMatchObject({ value: 30000, range: [30000, 100000] });
    for (const [id, r] of Object.entries(DEFAULT_LEGAL_RULES)) {
      expect([id, r.source.length > 0, r.title.length > 0]).toEqual([id, true, true]);
    }
  });

  it('take overrides as a bare value or with unit, source and note, and per office', () => {
    const set = loadLegalRules(JSON.stringify({
      rules: {
        'criminal.singleWorker.minAmount': 10000,
        'preservation.courtRuling': { value: 3, unit: 'workingDays', source: '指导意见', note: '地方协议' },
      },
      offices: { '001': { 'wageArrears.closure': 5 } },
    }));
    expect(set.rules['criminal.singleWorker.minAmount']).toMatchObject({ value: 10000, unit: 'yuan', source: DEFAULT_LEGAL_RULES['criminal.singleWorker.minAmount'].source });
    expect(set.rules['preservation.courtRuling']).toMatchObject({ value: 3, unit: 'workingDays', source: '指导意见', note: '地方协议' });
    expect(rulesForOffice(set, '001')['wageArrears.closure'].value).toBe(5);
    expect(rulesForOffice(set, '001')['criminal.singleWorker.minAmount'].value).toBe(10000); // inherits the installation's
    expect(rulesForOffice(set, '002')['wageArrears.closure'].value).toBe(7);
    expect(rulesForOffice(set, null)['wageArrears.closure'].value).toBe(7);
  });

  it('refuse a bad file listing every problem', () => {
    const problems = problemsOf(() => loadLegalRules({
      rules: {
        'no.such.rule': 1,
        'criminal.singleWorker.minAmount': 25000,
        'criminal.multiWorker.minTotal': 20000,
        'investigation.limit': -1,
        'punishment.decision': { value: 90, unit: 'weeks' },
        'criminal.multiWorker.minWorkers': 2.5,
        'correction.refusalFine.min': 30000,
      },
      offices: { '001': { 'punishment.lateFeeRate': 0 } },
    }));
    expect(problems.map((p) => p.path)).toEqual([
      'rules.no.such.rule',
      'rules.criminal.singleWorker.minAmount.value',
      'rules.criminal.multiWorker.minTotal.value',
      'rules.investigation.limit.value',
      'rules.punishment.decision.unit',
      'rules.criminal.multiWorker.minWorkers.value',
      'rules.correction.refusalFine.min',
      'offices.001.punishment.lateFeeRate.value',
    ]);
    expect(problems[1].message).toMatch(/5000–20000/);
  });

  it('refuse wrong shapes and bad JSON with a readable message', () => {
    const shape = problemsOf(() => loadLegalRules({ rules: { 'investigation.limit': 'sixty' }, extra: true }));
    expect(shape.length).toBeGreaterThanOrEqual(2);
    expect(() => loadLegalRules('{ not json')).toThrow(/legal rules:\n {2}\(file\): not valid JSON/);
    expect(() => loadLegalRules({ rules: { 'investigation.limit': { value: 30, unknownKey: 1 } } })).toThrow(InvalidLegalRulesError);
  });

  it('read a settings file, and name it when it is missing or invalid', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'legal-rules-'));
    try {
      const file = path.join(dir, 'legal-rules.json');
      fs.writeFileSync(file, JSON.stringify({ rules: { 'criminal.multiWorker.minTotal': 50000 } }));
      expect(loadLegalRulesFile(file).rules['criminal.multiWorker.minTotal'].value).toBe(50000);
      fs.writeFileSync(file, JSON.stringify({ rules: { 'criminal.multiWorker.minTotal': 500 } }));
      expect(() => loadLegalRulesFile(file)).toThrow(new RegExp(`legal rules file ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      expect(() => loadLegalRulesFile(path.join(dir, 'missing.json'))).toThrow(/cannot read/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
