/** The checks of a task priority and of a new offer, the same on both engines (Zeebe's rules). */
import type { TaskReassignment } from './port-types';
import { reject } from './rejection';

/** Zeebe's range of task priorities. */
const PRIORITY_RANGE = { min: 0, max: 100 } as const;
/** The candidates tables' name column holds this many characters (the embedded engine's is the shorter). */
const MAX_CANDIDATE_NAME = 64;

export function checkPriority(priority: number): number {
  if (!Number.isInteger(priority) || priority < PRIORITY_RANGE.min || priority > PRIORITY_RANGE.max) {
    throw reject.invalidArgument('INVALID_PRIORITY', `A task priority is a whole number from ${PRIORITY_RANGE.min} to ${PRIORITY_RANGE.max}.`);
  }
  return priority;
}

/** The offer with its names checked and each named once. */
export function checkReassignment(to: TaskReassignment): TaskReassignment {
  const names = [...to.candidateGroups, ...(to.candidateUsers ?? [])];
  if (names.some((n) => typeof n !== 'string' || !n || n.length > MAX_CANDIDATE_NAME)) {
    throw reject.invalidArgument('INVALID_CANDIDATES', `Candidate groups and users are names of 1 to ${MAX_CANDIDATE_NAME} characters.`);
  }
  return { assignee: to.assignee, candidateGroups: [...new Set(to.candidateGroups)], ...(to.candidateUsers ? { candidateUsers: [...new Set(to.candidateUsers)] } : {}) };
}
