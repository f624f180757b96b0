/**
 * Where supervision's reports read user tasks: the engine's task table described by the engine itself
 * (src/engine/read-model/task-tables.ts) — the embedded engine's own tables, or in Zeebe mode the
 * service's copy of the cluster's user tasks. Both read under the embedded engine's column names, so the
 * aggregates, colours and escalations are written once. Reports only read them: priority and
 * reassignment go through the engine port's commands.
 */
import type { Settings } from '../config/settings';
import { EMBEDDED_TASKS, ZEEBE_TASKS, type TaskTable } from '../engine/read-model/task-tables';

export type TaskSource = TaskTable;
export { EMBEDDED_TASKS, ZEEBE_TASKS };

export const taskSourceFor = (settings: Pick<Settings, 'ENGINE'>): TaskSource => (settings.ENGINE === 'zeebe' ? ZEEBE_TASKS : EMBEDDED_TASKS);
