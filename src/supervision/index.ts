/** Supervision (督办): service levels, the escalation runner, the dashboard's aggregates and commands. */
export { DEFAULT_SERVICE_LEVELS, loadServiceLevels, loadServiceLevelsFile, serviceLevelsFileFor, InvalidServiceLevelsError } from './service-levels';
export type { ServiceLevel, EscalationAction, Span } from './service-levels';
export { EscalationRunner } from './runner';
export type { RunResult } from './runner';
export { scheduleOf, urgencyAt, COLOUR_OF_URGENCY } from './schedule';
export type { Colour, Urgency } from './schedule';
export { EMBEDDED_TASKS, ZEEBE_TASKS, taskSourceFor } from './task-source';
export type { TaskSource } from './task-source';
