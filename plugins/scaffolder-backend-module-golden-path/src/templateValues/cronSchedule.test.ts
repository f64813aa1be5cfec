import {
  nextActivation,
  parseCronSchedule,
  schedulePeriod,
} from './cronSchedule';

// 2026-09-21T14:13:20Z. The expected periods below were computed at this
// instant by pkg/job's Period logic on robfig/cron v3.0.1 (Go), which this
// port must agree with.
const NOW = 1_790_000_000_000;
const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
const D = 24 * H;

describe('schedulePeriod', () => {
  it.each([
    ['*/10 * * * * *', 10 * S],
    ['*/15 * * * *', 15 * MIN],
    ['5/15 * * * *', 15 * MIN],
    ['0 0,45 * * * *', 15 * MIN], // :00 and :45, so the gap :45 -> :00
    ['@hourly', H],
    ['@daily', D],
    ['@weekly', 7 * D],
    ['@monthly', 28 * D],
    ['@yearly', 365 * D],
    ['0 0 3 * * *', D],
    ['0 0 9 * * MON-FRI', D],
    ['0 0 * * sun,SAT', D],
    ['0 0 0 1 * *', 28 * D],
    ['0 0 12 13 * FRI', D], // day of month OR day of week: Thursday 13th, Friday 14th
    ['0 0 29 2 *', 1461 * D], // 2028-02-29 -> 2032-02-29
    // Paris skips 02:00-03:00 once a year: that day is 23 hours long.
    ['CRON_TZ=Europe/Paris 0 30 3 * * *', 23 * H],
    // ... and repeats 02:00-03:00 once a year: 02:30 fires twice, an hour apart.
    ['CRON_TZ=Europe/Paris 0 30 2 * * *', H],
    ['TZ=America/New_York 0 0 * * *', 23 * H],
    ['TZ=US/Eastern 0 0 * * *', 23 * H],
    ['CRON_TZ=America/Sao_Paulo 0 0 0 * * *', D],
    ['CRON_TZ=Australia/Lord_Howe 0 0 2 * * *', D], // a 30-minute daylight-saving shift
    ['CRON_TZ=Asia/Kolkata 0 30 9 * * *', D],
    ['CRON_TZ= 0 */5 * * * *', 5 * MIN], // an empty zone is UTC, as in Go
    ['CRON_TZ=Local 0 * * * *', H],
  ])('%s fires at least every %d ms', (expr, period) => {
    expect(schedulePeriod(expr, NOW)).toBe(period);
  });

  it.each([
    ['', 'schedule is empty'],
    ['   ', 'schedule is empty'],
    ['* * *', 'expected 5 to 6 fields, found 3: [* * *]'],
    ['* * * * * * *', 'expected 5 to 6 fields, found 7'],
    ['61 * * * * *', 'end of range (61) above maximum (59): 61'],
    ['0 25 * * *', 'end of range (25) above maximum (23): 25'],
    ['0 0 * * 7', 'end of range (7) above maximum (6): 7'],
    ['0 0 L * *', 'failed to parse int from L'],
    ['0 0 * * FUNDAY', 'failed to parse int from FUNDAY'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['*/5/2 * * * *', 'too many slashes: */5/2'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    [
      '30-10 * * * *',
      'beginning of range (30) beyond end of range (10): 30-10',
    ],
    ['0 0 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['-1 * * * *', 'failed to parse int from '],
    [
      'CRON_TZ=Mars/Olympus_Mons 0 * * * *',
      'provided bad location Mars/Olympus_Mons',
    ],
    ['CRON_TZ=europe/paris 0 * * * *', 'provided bad location europe/paris'], // Go's zone names are case-sensitive
    ['CRON_TZ=UTC', 'CRON_TZ=UTC must be followed by a cron expression'],
    ['@every 5m', '@every is not supported'],
    ['@fortnightly', 'unrecognized descriptor: @fortnightly'],
    ['0 0 0 30 2 *', 'never fires'],
    ['0 , * * *', 'never fires'], // an empty list matches no hour
  ])('refuses %j: %s', (expr, message) => {
    expect(() => schedulePeriod(expr, NOW)).toThrow(message);
  });
});

describe('nextActivation', () => {
  const at = (iso: string) => Date.parse(iso);
  it.each([
    ['*/15 * * * *', '2026-09-21T14:13:20Z', '2026-09-21T14:15:00Z'],
    ['0 0 9 * * MON-FRI', '2026-09-25T10:00:00Z', '2026-09-28T09:00:00Z'], // Friday -> Monday
    ['@monthly', '2026-12-15T00:00:00Z', '2027-01-01T00:00:00Z'],
    [
      'CRON_TZ=Europe/Paris 0 0 9 * * *',
      '2026-09-21T14:13:20Z',
      '2026-09-22T07:00:00Z',
    ], // CEST, UTC+2
    [
      'CRON_TZ=Europe/Paris 0 0 9 * * *',
      '2026-12-01T00:00:00Z',
      '2026-12-01T08:00:00Z',
    ], // CET, UTC+1
    // 2027-03-28 02:30 does not exist in Paris: cron moves on to the next day.
    [
      'CRON_TZ=Europe/Paris 0 30 2 * * *',
      '2027-03-27T02:00:00Z',
      '2027-03-29T00:30:00Z',
    ],
  ])('%s after %s is %s', (expr, after, want) => {
    expect(
      new Date(
        nextActivation(parseCronSchedule(expr), at(after))!,
      ).toISOString(),
    ).toBe(new Date(at(want)).toISOString());
  });

  it('returns undefined when no date within five years matches', () => {
    expect(
      nextActivation(parseCronSchedule('0 0 0 31 4 *'), NOW),
    ).toBeUndefined();
  });
});
