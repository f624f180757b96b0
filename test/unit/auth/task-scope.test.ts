/**
 * Tasks of processes without a case (a patrol, a warning, a grading run, a written review) are seen as
 * their recorded scope says: only in their office, and there by who sees their grid or is offered them.
 * The instances themselves are managed (inspected, cancelled, repaired) by their own office's staff only.
 */
import { decide, type ProcessRef, type TaskRef } from '../../../src/auth/policy';
import type { Principal } from '../../../src/auth/principal';

const person = (over: Partial<Principal>): Principal => ({
  userId: 'u', username: 'u', displayName: 'u', officeId: 'office-a', roles: ['handler'], gridIds: [], visibleGridIds: [], groups: [], ...over,
});
const task = (over: Partial<TaskRef>): TaskRef => ({ assignee: null, candidateGroups: [], candidateUsers: [], state: 'created', case: null, ...over });

describe('tasks of processes without a case', () => {
  const gradingReview = task({ candidateGroups: ['legal'], scope: { officeId: 'office-a', gridId: null } });
  const patrol = task({ candidateGroups: ['JF-01'], scope: { officeId: 'office-a', gridId: 'grid-jf01' } });

  it('are hidden from the staff of another office, even office-wide roles offered the group', () => {
    expect(decide(person({ roles: ['legal'], groups: ['legal'] }), 'task.read', gradingReview)).toBe('allow');
    expect(decide(person({ officeId: 'office-b', roles: ['legal'], groups: ['legal'] }), 'task.read', gradingReview)).toBe('hidden');
    expect(decide(person({ officeId: 'office-b', roles: ['supervisor'], groups: ['supervisor'] }), 'task.read', patrol)).toBe('hidden');
    expect(decide(person({ officeId: 'office-b', roles: ['grid_officer'], groups: ['JF-01'], visibleGridIds: ['grid-jf01'] }), 'task.complete', patrol)).toBe('hidden');
  });

  it('are seen in their office by the grid\'s staff and by those offered them, not by another grid\'s handler', () => {
    expect(decide(person({ roles: ['grid_officer'], groups: ['JF-01'], gridIds: ['grid-jf01'], visibleGridIds: ['grid-jf01'] }), 'task.complete', patrol)).toBe('allow');
    expect(decide(person({ roles: ['supervisor'], groups: ['supervisor'] }), 'task.read', patrol)).toBe('allow');
    expect(decide(person({ groups: ['RM'], gridIds: ['grid-rm'], visibleGridIds: ['grid-rm'] }), 'task.read', patrol)).toBe('hidden');
    // Without a recorded scope (an instance started by the API for testing) the task is judged by its candidates alone.
    expect(decide(person({ officeId: 'office-b', roles: ['legal'], groups: ['legal'] }), 'task.read', task({ candidateGroups: ['legal'] }))).toBe('allow');
  });
});

describe('process instances without a case', () => {
  const grading: ProcessRef = { case: null, scope: { officeId: 'office-a', gridId: null } };

  it('are managed and repaired by their own office\'s staff only', () => {
    expect(decide(person({ roles: ['supervisor'] }), 'process.manage', grading)).toBe('allow');
    expect(decide(person({ officeId: 'office-b', roles: ['supervisor'] }), 'process.manage', grading)).toBe('hidden');
    expect(decide(person({ officeId: 'office-b', roles: ['admin'] }), 'process.repair', grading)).toBe('hidden');
    expect(decide(person({ roles: ['handler'] }), 'process.manage', grading)).toBe('hidden');
    // With no scope recorded (an instance started through the API without a case) any office's staff, as before.
    expect(decide(person({ officeId: 'office-b', roles: ['legal'] }), 'process.manage', { case: null })).toBe('allow');
  });
});
