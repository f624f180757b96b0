/**
 * One name per deadline: the legal rule's id (src/config/legal-rules.ts, "Deadline ids"). Every
 * deadline a diagram or form reads, and every one a diagram asks deadline.compute for, is such an id;
 * each has a Chinese title; and the nested `deadlines` variable is read and written by those ids.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CONTRACT_RULES } from '../../../src/cases/case-deadlines';
import { deadlineAt, listDeadlines, withDeadline } from '../../../src/cases/deadline-paths';
import { DEADLINE_VARIANTS, DEFAULT_LEGAL_RULES, deadlineTitle } from '../../../src/config/legal-rules';

const ROOT = path.join(__dirname, '../../..');
const files = (dir: string, ext: string) => fs.readdirSync(path.join(ROOT, dir)).filter((f) => f.endsWith(ext)).map((f) => path.join(dir, f));

/** Deadlines of the prevention and credit lifecycles, which their own workers compute (not case deadlines). */
const OTHER_DEADLINES = new Set(['patrol', 'patrolFollowUp', 'gradingObjection', 'gradingObjectionDecision', 'drawPublication', 'warningHandling',
  'reviewSubmission', 'reviewReminder', 'reviewCorrection']);
const FIELDS = new Set(['dueAt', 'warnAt', 'noticeBy', 'dueDate', 'extendedTo']);
const known = new Set<string>(CONTRACT_RULES);

describe('deadline ids', () => {
  it('every case deadline is a legal rule of the registry or a variant declared beside it, with a Chinese title', () => {
    for (const id of CONTRACT_RULES) {
      expect(Object.hasOwn(DEFAULT_LEGAL_RULES, id) || Object.hasOwn(DEADLINE_VARIANTS, id)).toBe(true);
      expect(deadlineTitle(id)).toMatch(/^[\u4e00-\u9fff（）、]+$/);
    }
    // Nesting by the dots needs no id to be a level of another.
    for (const a of CONTRACT_RULES) for (const b of CONTRACT_RULES) expect(b.startsWith(`${a}.`)).toBe(false);
  });

  it('diagrams and forms read and compute deadlines by those ids only', () => {
    const wrong: string[] = [];
    for (const file of [...files('workflows', '.bpmn'), ...files('forms', '.form')]) {
      const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
      for (const m of text.matchAll(/deadlines\.([A-Za-z][A-Za-z.]*[A-Za-z])/g)) {
        const parts = m[1].split('.');
        while (parts.length > 1 && FIELDS.has(parts[parts.length - 1])) parts.pop();
        const id = parts.join('.');
        if (!known.has(id) && !OTHER_DEADLINES.has(id)) wrong.push(`${file}: deadlines.${m[1]}`);
      }
      for (const m of text.matchAll(/<zeebe:header key="rule" value="([^"]*)"/g)) {
        for (const id of m[1].split(',')) if (!known.has(id.trim())) wrong.push(`${file}: rule ${id}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('reads, sets and lists deadlines by dotted id in the nested variable', () => {
    const d = (dueAt: string) => ({ rule: 'x', dueAt });
    let tree = withDeadline({ patrol: d('p') }, 'investigation.limit', d('a'));
    tree = withDeadline(tree, 'investigation.extension', d('b'));
    expect(tree).toEqual({ patrol: d('p'), investigation: { limit: d('a'), extension: d('b') } });
    expect(deadlineAt(tree, 'investigation.limit')).toEqual(d('a'));
    expect(deadlineAt(tree, 'investigation')).toBeUndefined();
    expect(deadlineAt(tree, 'police.decision')).toBeUndefined();
    expect(listDeadlines(tree).map(([id]) => id)).toEqual(['patrol', 'investigation.limit', 'investigation.extension']);
    // The input is not changed: levels are copied.
    const before = JSON.stringify(tree);
    withDeadline(tree, 'investigation.limit', d('c'));
    expect(JSON.stringify(tree)).toBe(before);
  });
});
