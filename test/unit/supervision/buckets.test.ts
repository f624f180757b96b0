/**
 * What the overdue view's SQL aggregates rely on, without a database: one instant stands for every
 * due instant of its China day and past-now flag (the colour comes out the same), and day ranges
 * are merged as the row reads use them.
 */
import { buildCalendarData } from '../../../src/deadlines/calendar';
import { startOfChinaDay } from '../../../src/deadlines/china-time';
import { daySpanSql, dueInstant } from '../../../src/supervision/buckets';
import { scheduleOf, urgencyAt } from '../../../src/supervision/schedule';
import { loadServiceLevels } from '../../../src/supervision/service-levels';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

describe('overdue buckets', () => {
  it('colour a due-dated bucket as each of its rows, for every level, around holidays and at every hour of the day', () => {
    const cal = buildCalendarData();
    // Red at 0 days makes "past now" the whole difference between orange and red.
    const levels = [...loadServiceLevels(), ...loadServiceLevels({ serviceLevels: { zero: { title: '零', appliesTo: { subject: 'task' }, red: { count: 0, unit: 'calendarDays' } } } })];
    const start = startOfChinaDay('2026-09-24').getTime();
    let checked = 0;
    for (const level of levels) {
      for (let day = start; day < start + 20 * DAY; day += DAY) {
        for (const dueAt of [day, day + 9 * HOUR + 17, day + DAY - 1]) {
          for (let now = day - 3 * DAY + 7 * HOUR; now < day + 8 * DAY; now += 5 * HOUR) {
            for (const t of [now, dueAt, dueAt + 1]) {
              const want = urgencyAt(scheduleOf(cal, level, 0, dueAt), t);
              const got = urgencyAt(scheduleOf(cal, level, 0, dueInstant(day, dueAt < t, t)), t);
              if (got !== want) throw new Error(`${level.id} due ${new Date(dueAt).toISOString()} at ${new Date(t).toISOString()}: ${got} ≠ ${want}`);
              checked++;
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('reads the span of the days from the first to the last', () => {
    const d = startOfChinaDay('2026-10-01').getTime();
    expect(daySpanSql('x', [d + DAY, d, d + 5 * DAY, d])).toEqual({ sql: 'x >= ? AND x < ?', params: [d, d + 6 * DAY] });
  });
});
