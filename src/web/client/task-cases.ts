/** The case behind each inbox task: one call to /api/task-cases, or the tasks' own variables where that route is absent. */
import { ApiError, get } from './api';
import type { Task, TaskCase, TaskDetail } from './types';

let routeMissing = false;

async function fromTaskVariables(tasks: Task[]): Promise<TaskCase[]> {
  const out: TaskCase[] = [];
  const queue = [...tasks];
  // A few at a time: each answer is a database read on a machine others share.
  await Promise.all(Array.from({ length: 4 }, async () => {
    for (let t = queue.shift(); t; t = queue.shift()) {
      const d = await get<TaskDetail>(`/api/tasks/${t.key}`).catch(() => null);
      const v = d?.variables ?? {};
      const employer = v.employer as { name?: string } | undefined;
      if (typeof v.caseId === 'string') {
        out.push({ taskKey: t.key, caseId: v.caseId, caseNumber: String(v.caseNumber ?? ''), employerName: employer?.name ?? null, status: '' });
      }
    }
  }));
  return out;
}

export async function casesOfTasks(tasks: Task[]): Promise<Map<string, TaskCase>> {
  if (!tasks.length) return new Map();
  let items: TaskCase[];
  if (routeMissing) items = await fromTaskVariables(tasks);
  else {
    try {
      items = (await get<{ items: TaskCase[] }>('/api/task-cases?keys=' + tasks.map((t) => t.key).join(','))).items;
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'ROUTE_NOT_FOUND')) throw e;
      routeMissing = true;
      items = await fromTaskVariables(tasks);
    }
  }
  return new Map(items.map((i) => [i.taskKey, i]));
}
