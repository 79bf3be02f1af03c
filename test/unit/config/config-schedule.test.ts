import { describe, expect, it } from 'vitest';
import { loadRunSettings } from '../../../src/config.js';
import { scheduleProblem } from '../../../src/config-schedule.js';
import { ConfigurationError } from '../../../src/model/errors.js';

const PREFIX = (got: string): string =>
  `RECONCILE_SCHEDULE must be an NCRONTAB expression with six fields, {second} {minute} {hour} {day} {month} {day-of-week} (e.g. "0 0 * * * *" for hourly or "0 30 6 * * Mon-Fri" for 06:30 on weekdays); got "${got}"`;

describe('RECONCILE_SCHEDULE: the NCRONTAB Azure Functions documents', () => {
  const accepted: { reason: string; schedule: string }[] = [
    { reason: 'the default, hourly at the top of the hour', schedule: '0 0 * * * *' },
    { reason: 'an interval of minutes, from the Learn examples', schedule: '0 */5 * * * *' },
    { reason: 'a range of hours', schedule: '0 0 9-17 * * *' },
    { reason: 'a range of weekdays by number', schedule: '0 30 9 * * 1-5' },
    { reason: 'month and day names, abbreviated, any case', schedule: '0 30 9 * Jan mon' },
    { reason: 'month and day names in full', schedule: '0 30 9 * January,March Monday-Friday' },
    { reason: 'a list and a stepped range', schedule: '0 0,30 8-18/2 * * *' },
    { reason: '29 February fires in leap years', schedule: '0 0 0 29 2 *' },
    { reason: 'every second is extreme but valid', schedule: '* * * * * *' },
  ];
  for (const c of accepted) {
    it(`accepts: ${c.reason}`, () => {
      expect(scheduleProblem(c.schedule)).toBeUndefined();
    });
  }

  const refused: { reason: string; schedule: string; message: string }[] = [
    { reason: 'six fields of nonsense: the old check counted fields only', schedule: 'a b c d e f', message: `${PREFIX('a b c d e f')}: in the second field, "a" is not a number from 0 to 59.` },
    { reason: 'a classic five-field cron lacks the seconds', schedule: '0 * * * *', message: `${PREFIX('0 * * * *')}: it has 5 fields. Azure Functions adds a seconds field first: put "0 " before a five-field cron expression.` },
    { reason: 'seven fields (Quartz\'s year) are not NCRONTAB', schedule: '0 0 * * * * 2027', message: `${PREFIX('0 0 * * * * 2027')}: it has 7 fields.` },
    { reason: 'words are not a schedule', schedule: 'hourly', message: `${PREFIX('hourly')}: it has 1 field.` },
    { reason: 'a TimeSpan works only on an App Service plan', schedule: '01:00:00', message: `${PREFIX('01:00:00')}: a TimeSpan (hh:mm:ss) schedule works only on an App Service plan, and the Function App runs on Flex Consumption.` },
    { reason: 'second 60 is out of range', schedule: '60 0 * * * *', message: `${PREFIX('60 0 * * * *')}: in the second field, 60 is outside 0-59.` },
    { reason: 'hour 24 is out of range', schedule: '0 0 24 * * *', message: `${PREFIX('0 0 24 * * *')}: in the hour field, 24 is outside 0-23.` },
    { reason: 'day 0 is out of range', schedule: '0 0 0 0 * *', message: `${PREFIX('0 0 0 0 * *')}: in the day field, 0 is outside 1-31.` },
    { reason: 'month 13 is out of range', schedule: '0 0 0 1 13 *', message: `${PREFIX('0 0 0 1 13 *')}: in the month field, 13 is outside 1-12.` },
    { reason: 'the docs number days 0 to 6: 7 for Sunday is refused', schedule: '0 0 0 * * 7', message: `${PREFIX('0 0 0 * * 7')}: in the day-of-week field, 7 is outside 0-6 (Sunday is 0).` },
    { reason: 'a misspelt month name', schedule: '0 0 0 1 Jna *', message: `${PREFIX('0 0 0 1 Jna *')}: in the month field, "Jna" is neither a number from 1 to 12 nor an English month name (e.g. Jan or January).` },
    { reason: 'names only in month and day-of-week', schedule: '0 0 Mon * * *', message: `${PREFIX('0 0 Mon * * *')}: in the hour field, "Mon" is not a number from 0 to 23.` },
    { reason: 'Quartz\'s ? is not NCRONTAB', schedule: '0 0 0 ? * *', message: `${PREFIX('0 0 0 ? * *')}: in the day field, "?" is not a value, *, a range (a-b), a list (a,b) or an interval (*/n or a-b/n); NCRONTAB has no ? L W # or H.` },
    { reason: 'Quartz\'s nth weekday is not NCRONTAB', schedule: '0 0 0 * * MON#2', message: `${PREFIX('0 0 0 * * MON#2')}: in the day-of-week field, "MON#2" is not a value, *, a range (a-b), a list (a,b) or an interval (*/n or a-b/n); NCRONTAB has no ? L W # or H.` },
    { reason: 'an empty list entry', schedule: '0 0,,30 * * * *', message: `${PREFIX('0 0,,30 * * * *')}: in the minute field, "0,,30" is not a value, *, a range (a-b), a list (a,b) or an interval (*/n or a-b/n); NCRONTAB has no ? L W # or H.` },
    { reason: 'an interval of zero never advances', schedule: '0 */0 * * * *', message: `${PREFIX('0 */0 * * * *')}: in the minute field, "*/0": the interval must be from 1 to 59.` },
    { reason: 'an interval longer than its field fires only once', schedule: '*/90 * * * * *', message: `${PREFIX('*/90 * * * * *')}: in the second field, "*/90": the interval must be from 1 to 59.` },
    { reason: 'an interval after a single value is not documented', schedule: '0 5/15 * * * *', message: `${PREFIX('0 5/15 * * * *')}: in the minute field, "5/15": an interval goes after * or a range (*/15 or 5-59/15).` },
    { reason: 'a backwards range', schedule: '0 0 17-9 * * *', message: `${PREFIX('0 0 17-9 * * *')}: in the hour field, the range "17-9" runs backwards (write it from the lower value up).` },
    { reason: 'a backwards range of day names', schedule: '0 0 0 * * Fri-Mon', message: `${PREFIX('0 0 0 * * Fri-Mon')}: in the day-of-week field, the range "Fri-Mon" runs backwards (write it from the lower value up).` },
    { reason: '31 February never comes: croner finds no next run', schedule: '0 0 0 31 2 *', message: `${PREFIX('0 0 0 31 2 *')}: it never fires (no such date, e.g. 31 in a month of 30 days or fewer).` },
    { reason: '31 April never comes either', schedule: '0 0 0 31 Apr *', message: `${PREFIX('0 0 0 31 Apr *')}: it never fires (no such date, e.g. 31 in a month of 30 days or fewer).` },
  ];
  for (const c of refused) {
    it(`refuses: ${c.reason}`, () => {
      expect(scheduleProblem(c.schedule)).toBe(c.message);
    });
  }

  it('loadRunSettings stops with SETTINGS_INVALID, one line per problem, the schedule and the numbers together', () => {
    let caught: unknown;
    try {
      loadRunSettings({ RECONCILE_SCHEDULE: 'a b c d e f', RUN_DEADLINE_SECONDS: '1e3', RUN_HTTP_WAIT_SECONDS: '0x10' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigurationError);
    const e = caught as ConfigurationError;
    expect(e.code).toBe('SETTINGS_INVALID');
    expect(e.message.split('\n- ').slice(1)).toEqual([
      `${PREFIX('a b c d e f')}: in the second field, "a" is not a number from 0 to 59.`,
      'RUN_DEADLINE_SECONDS must be a whole number of seconds from 60 to 86400 (keep it below host.json functionTimeout); got "1e3".',
      'RUN_HTTP_WAIT_SECONDS must be a whole number of seconds from 1 to 220 (Azure closes HTTP requests after 230 s); got "0x10".',
    ]);
  });

  it('loadRunSettings keeps a valid schedule as written, for the timer trigger', () => {
    expect(loadRunSettings({ RECONCILE_SCHEDULE: ' 0 30 6 * * Mon-Fri ' }).reconcileSchedule).toBe('0 30 6 * * Mon-Fri');
  });
});
