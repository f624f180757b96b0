/**
 * How urgent a due date looks in lists. The thresholds are constants here until the supervisor
 * settings make them configurable per office; the colour always comes with words, never alone.
 */
import { chinaDay } from './dom';

/** Due within this many hours: 黄 (due soon). */
export const DUE_SOON_HOURS = 72;
/** Overdue by at most this many hours: still 橙 (just overdue); later it is 红 (seriously overdue). */
export const JUST_OVERDUE_HOURS = 48;

export type Urgency = 'none' | 'soon' | 'today' | 'overdue' | 'serious';

export const URGENCY_LABELS: Record<Urgency, string> = { none: '', soon: '即将到期', today: '今日到期', overdue: '刚逾期', serious: '严重逾期' };

export function urgency(due: string | number | null | undefined, now = Date.now()): Urgency {
  if (due === null || due === undefined || due === '') return 'none';
  const at = new Date(due).getTime();
  if (Number.isNaN(at)) return 'none';
  const hours = (at - now) / 3600_000;
  if (hours < -JUST_OVERDUE_HOURS) return 'serious';
  if (hours < 0) return 'overdue';
  if (chinaDay(at) === chinaDay(now)) return 'today';
  if (hours <= DUE_SOON_HOURS) return 'soon';
  return 'none';
}
