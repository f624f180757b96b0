/**
 * Service levels without a database: overrides from the settings file, which level a task gets, and
 * the colours and escalation instants on the holiday calendar (National Day 2026 included).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadLegalRules } from '../../../src/config/legal-rules';
import { buildCalendarData } from '../../../src/deadlines/calendar';
import { endOfChinaDay, startOfChinaDay } from '../../../src/deadlines/china-time';
import { levelsReached, scheduleOf, urgencyAt } from '../../../src/supervision/schedule';
import {
  InvalidServiceLevelsError, levelForDeadline, levelForTask, loadServiceLevels, loadServiceLevelsFile, serviceLevelsFileFor,
} from '../../../src/supervision/service-levels';

const cal = buildCalendarData();
const at = (iso: string) => Date.parse(iso);
const facts = (elementId: string, claimCategories: string[] = []) => ({ elementId, formId: null, bpmnProcessId: 'inspection-case', route: 'inspection', claimCategories });

describe('service levels', () => {
  it('picks the most specific level, the task’s own before its case type’s', () => {
    const levels = loadServiceLevels();
    expect(levelForTask(levels, facts('Task_Investigate')).id).toBe('default');
    expect(levelForTask(levels, facts('Task_Investigate', ['wage-arrears'])).id).toBe('wage-arrears');
    expect(levelForTask(levels, facts('Task_Triage', ['wage-arrears'])).id).toBe('triage');
    expect(levelForTask(levels, facts('Task_ApproveExtension')).id).toBe('extension-approval');
    expect(levelForDeadline(levels, 'police.decision')?.id).toBe('outside-answers');
    expect(levelForDeadline(levels, 'correction.period')).toBeNull();
  });

  it('takes overrides and new levels from service-levels.json beside the legal-rules file, and refuses bad ones listing each problem', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sla-'));
    const rulesFile = path.join(dir, 'legal-rules.json');
    expect(serviceLevelsFileFor(rulesFile)).toBeNull();
    fs.writeFileSync(path.join(dir, 'service-levels.json'), JSON.stringify({ serviceLevels: {
      default: { goal: { count: 3, unit: 'workingDays' } },
      hearing: { title: '听证', appliesTo: { elementIds: ['Task_HoldHearing'] }, deadline: { count: 5, unit: 'calendarDays' } },
    } }));
    const levels = loadServiceLevelsFile(serviceLevelsFileFor(rulesFile));
    expect(levels.find((l) => l.id === 'default')!.goal).toEqual({ count: 3, unit: 'workingDays' });
    const hearing = levelForTask(levels, facts('Task_HoldHearing'));
    expect(hearing).toMatchObject({ id: 'hearing', deadline: { count: 5, unit: 'calendarDays' }, red: levels[0].red });
    fs.rmSync(dir, { recursive: true, force: true });

    expect(() => loadServiceLevels({ serviceLevels: { x: { goal: { count: -1, unit: 'hours' } } } })).toThrow(InvalidServiceLevelsError);
    const problems = (() => {
      try {
        loadServiceLevels({ serviceLevels: { fresh: { deadline: { count: 2, unit: 'workingDays' } }, default: { appliesTo: { elementIds: ['a'] } } } });
        return [];
      } catch (e) {
        return (e as InvalidServiceLevelsError).problems.map((p) => p.path);
      }
    })();
    expect(problems).toEqual(['serviceLevels.fresh', 'serviceLevels.default.appliesTo']);
    expect(() => loadServiceLevels('{')).toThrow(/not valid JSON/);
  });

  it('takes the legal periods and office targets they name from the legal rules, overrides included', () => {
    const national = loadServiceLevels();
    expect(national.find((l) => l.id === 'statutory-penalty')).toMatchObject({ deadline: { count: 90, unit: 'calendarDays' }, goal: { count: 15, unit: 'calendarDays' } });
    const local = loadLegalRules({ rules: { 'investigation.warning': 15, 'wageArrears.closure': 5 } }).rules;
    const levels = loadServiceLevels(undefined, undefined, local);
    expect(levels.find((l) => l.id === 'statutory-investigation')!.goal).toEqual({ count: 15, unit: 'workingDays' });
    expect(levels.find((l) => l.id === 'closure-target')!.deadline).toEqual({ count: 5, unit: 'calendarDays' });
    // The file may name a rule too; a rule that is not a period in days is refused.
    const named = loadServiceLevels({ serviceLevels: { approvals: { goal: { rule: 'punishment.decisionWarning' } } } }, undefined, local);
    expect(named.find((l) => l.id === 'approvals')!.goal).toEqual({ count: 15, unit: 'calendarDays' });
    expect(() => loadServiceLevels({ serviceLevels: { approvals: { deadline: { rule: 'police.transfer' } } } })).toThrow(/serviceLevels\.approvals\.deadline: police\.transfer is in hours/);
    expect(() => loadServiceLevels({ serviceLevels: { approvals: { deadline: { rule: 'no.such.rule' } } } })).toThrow(/no\.such\.rule is not a period/);
  });

  it('colours a task by its own due date: 黄 from the goal, 橙 on the day and just after, 红 when seriously overdue', () => {
    const level = loadServiceLevels().find((l) => l.id === 'default')!; // goal 2, red 3, passed every 2 working days × 3
    // Due Wednesday 2026-09-30, just before the National Day holiday (10-01..10-07; 10-10 is an adjusted working Saturday).
    const due = endOfChinaDay('2026-09-30').getTime();
    const s = scheduleOf(cal, level, at('2026-09-01T09:00:00+08:00'), due);
    expect(s.goalAt).toBe(startOfChinaDay('2026-09-28').getTime()); // 25–27 are the Mid-Autumn holiday
    expect(urgencyAt(s, at('2026-09-27T12:00:00+08:00'))).toBe('none');
    expect(urgencyAt(s, at('2026-09-28T08:00:00+08:00'))).toBe('soon');
    expect(urgencyAt(s, at('2026-09-30T08:00:00+08:00'))).toBe('today');
    expect(urgencyAt(s, at('2026-10-01T08:00:00+08:00'))).toBe('overdue');
    // Three working days after 09-30: 10-08, 10-09, 10-10 (adjusted) → 红 from 10-11.
    expect(urgencyAt(s, at('2026-10-10T20:00:00+08:00'))).toBe('overdue');
    expect(urgencyAt(s, at('2026-10-11T00:00:01+08:00'))).toBe('serious');
    // Passed-deadline levels every 2 working days skip the holiday (the last day each level waits out).
    expect(s.levels.map((l) => [l.level, new Date(l.at - 1 + 8 * 3600_000).toISOString().slice(0, 10)])).toEqual([
      ['goal', '2026-09-27'], ['deadline', '2026-09-30'], ['passed-1', '2026-10-09'], ['passed-2', '2026-10-12'], ['passed-3', '2026-10-14'],
    ]);
    expect(levelsReached(s, at('2026-10-09T12:00:00+08:00')).map((l) => l.level)).toEqual(['goal', 'deadline']);
    expect(levelsReached(s, at('2026-10-10T12:00:00+08:00')).map((l) => l.level)).toEqual(['goal', 'deadline', 'passed-1']);
  });

  it('counts the deadline from the task’s creation when it has no due date of its own', () => {
    const level = loadServiceLevels().find((l) => l.id === 'wage-arrears')!; // 3 calendar days
    const s = scheduleOf(cal, level, at('2026-11-20T15:00:00+08:00'), null);
    expect(s.dueDate).toBe('2026-11-23');
    expect(urgencyAt(s, at('2026-11-22T09:00:00+08:00'))).toBe('soon');
  });
});
