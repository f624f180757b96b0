/**
 * How urgent work looks in lists. The colour of a task comes from the server, which computes it from
 * the service levels (src/supervision/service-levels.ts: goal, deadline, passed deadline on the
 * holiday calendar), so every page and the supervisor's dashboard agree. The colour always comes
 * with words, never alone.
 */
import { get } from './api';
import { chinaDay } from './dom';

/** none · 黄 soon · 橙 today / overdue · 红 serious. */
export type Urgency = 'none' | 'soon' | 'today' | 'overdue' | 'serious';
export type Colour = 'yellow' | 'orange' | 'red';

export const URGENCY_LABELS: Record<Urgency, string> = { none: '', soon: '即将到期', today: '今日到期', overdue: '刚逾期', serious: '严重逾期' };
export const COLOUR_LABELS: Record<Colour, string> = { yellow: '黄色预警', orange: '橙色预警', red: '红色预警' };

interface TaskColour { taskKey: string; urgency: Urgency; colour: Colour | null }

/** The server's urgency of open tasks, by task key; tasks it does not answer for are left out. */
export async function taskUrgencies(keys: string[]): Promise<Map<string, Urgency>> {
  const out = new Map<string, Urgency>();
  for (let i = 0; i < keys.length; i += 200) {
    const part = keys.slice(i, i + 200);
    const r = await get<{ items: TaskColour[] }>(`/api/supervision/task-colours?keys=${part.join(',')}`).catch(() => ({ items: [] as TaskColour[] }));
    for (const t of r.items) out.set(t.taskKey, t.urgency);
  }
  return out;
}

/**
 * For a statutory deadline shown on the case page, which carries no service level of its own there:
 * due today is 橙, past it 红 (the dashboard shows the service-level colour of these limits).
 */
export function urgency(due: string | number | null | undefined, now = Date.now()): Urgency {
  if (due === null || due === undefined || due === '') return 'none';
  const at = new Date(due).getTime();
  if (Number.isNaN(at)) return 'none';
  if (at < now) return chinaDay(at) === chinaDay(now) ? 'overdue' : 'serious';
  if (chinaDay(at) === chinaDay(now)) return 'today';
  return 'none';
}
