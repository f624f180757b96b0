/** The one service-date rule: compared as days for a day, as moments for a moment, in China's time. */
import { checkServiceDate } from '../../../src/documents/service-date';

const ISSUED = Date.parse('2026-12-03T15:30:00+08:00');
const NOW = Date.parse('2026-12-06T09:00:00+08:00');
const facts = { issuedAt: ISSUED, documentTitle: '限期改正指令书', now: NOW, daysAhead: 0 };

describe('checkServiceDate', () => {
  it('takes the issue day as a day, recorded at the issue time, and a later day at its start', () => {
    expect(checkServiceDate('2026-12-03', facts)).toEqual({ ok: true, servedAt: ISSUED });
    expect(checkServiceDate('2026-12-04', facts)).toEqual({ ok: true, servedAt: Date.parse('2026-12-04T00:00:00+08:00') });
    expect(checkServiceDate('2026-12-06', facts)).toMatchObject({ ok: true });
  });

  it('refuses a day before the issue day, in Chinese, naming what to correct', () => {
    expect(checkServiceDate('2026-12-02', facts)).toEqual({
      ok: false, reason: 'before-issue', message: '送达日期2026年12月2日早于《限期改正指令书》签发时间（2026年12月3日），请更正送达日期后重试',
    });
  });

  it('compares a moment on the issue day with the issue time, and names both times', () => {
    expect(checkServiceDate('2026-12-03T16:00:00+08:00', facts)).toMatchObject({ ok: true });
    expect(checkServiceDate('2026-12-03T10:00:00+08:00', facts)).toMatchObject({
      ok: false, message: '送达日期2026年12月3日 10:00早于《限期改正指令书》签发时间（2026年12月3日 15:30），请更正送达日期后重试',
    });
  });

  it('refuses a day after today unless the setting allows it, whatever the server\'s zone (China\'s day)', () => {
    expect(checkServiceDate('2026-12-07', facts)).toMatchObject({ ok: false, reason: 'future', message: expect.stringContaining('晚于今天') });
    expect(checkServiceDate('2026-12-07', { ...facts, daysAhead: 1 })).toMatchObject({ ok: true });
    // 2026-12-06T23:30+08:00 is still today in China though it is 15:30 UTC.
    expect(checkServiceDate('2026-12-06T23:30:00+08:00', facts)).toMatchObject({ ok: true });
  });

  it('refuses what is not a date', () => {
    expect(checkServiceDate('next tuesday', facts)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(checkServiceDate(null, facts)).toMatchObject({ ok: false, reason: 'invalid' });
  });
});
