/**
 * Where supervision reads and changes user tasks: the embedded engine's task tables, or in Zeebe mode
 * (ENGINE=zeebe) the service's copy of the cluster's user tasks kept by the task sync
 * (src/engine/zeebe/tasks.ts). Both are read under the embedded engine's column names, so the
 * aggregates, colours and escalations are written once.
 */
import type { Settings } from '../config/settings';

export interface TaskSource {
  kind: 'embedded' | 'zeebe';
  table: string;
  candidates: string;
  /** The task key's column in `table` and in `candidates`. */
  keyColumn: string;
  candidateKeyColumn: string;
  /** The select list giving id, root_id, element_id, form_id, bpmn_process_id, name, assignee, candidate_groups, due_date, created_at, priority. */
  columns: string;
  /** A task key as the table stores it: embedded keys are integers, Zeebe's 64-bit keys decimal strings. */
  param(key: string): string | number;
}

export const EMBEDDED_TASKS: TaskSource = {
  kind: 'embedded', table: 'engine_user_tasks', candidates: 'engine_user_task_candidates', keyColumn: 'id', candidateKeyColumn: 'task_id',
  columns: 'id, root_id, element_id, form_id, bpmn_process_id, name, assignee, candidate_groups, due_date, created_at, priority',
  param: (key) => Number(key),
};

export const ZEEBE_TASKS: TaskSource = {
  kind: 'zeebe', table: 'zeebe_user_tasks', candidates: 'zeebe_user_task_candidates', keyColumn: 'user_task_key', candidateKeyColumn: 'user_task_key',
  // Cases are linked to Zeebe's process instances through case_processes.process_instance_key.
  columns: 'user_task_key AS id, process_instance_key AS root_id, element_id, form_id, bpmn_process_id, name, assignee, candidate_groups, due_date, created_at, priority',
  param: (key) => String(key),
};

export const taskSourceFor = (settings: Pick<Settings, 'ENGINE'>): TaskSource => (settings.ENGINE === 'zeebe' ? ZEEBE_TASKS : EMBEDDED_TASKS);
