/**
 * loadRunSettings (src/config.ts): the timer's schedule, the run deadline and the HTTP wait, with
 * their defaults and one message per bad value. NCRONTAB with six fields: Learn "Timer trigger for
 * Azure Functions" (NCRONTAB expressions); the 230 s HTTP limit: Learn "Azure Functions hosting
 * options" (learn.microsoft.com/azure/azure-functions/functions-scale).
 */
import { describe, expect, it } from 'vitest';
import { loadRunSettings } from '../../src/config.js';

describe('loadRunSettings', () => {
  it('defaults: hourly, 55 minutes per run, 200 s before 202, and the timer only reports (plan mode)', () => {
    expect(loadRunSettings({})).toEqual({ reconcileSchedule: '0 0 * * * *', runDeadlineSeconds: 3300, runHttpWaitSeconds: 200, reconcileMode: 'plan' });
  });

  it('reads each setting', () => {
    expect(loadRunSettings({ RECONCILE_SCHEDULE: '0 30 */2 * * 1-5', RUN_DEADLINE_SECONDS: '600', RUN_HTTP_WAIT_SECONDS: '30', RECONCILE_MODE: 'apply' })).toEqual({
      reconcileSchedule: '0 30 */2 * * 1-5',
      runDeadlineSeconds: 600,
      runHttpWaitSeconds: 30,
      reconcileMode: 'apply',
    });
  });

  it.each([
    { env: { RECONCILE_SCHEDULE: '0 * * * *' }, problem: 'RECONCILE_SCHEDULE must be an NCRONTAB expression with six fields, {second} {minute} {hour} {day} {month} {day-of-week} (e.g. "0 0 * * * *" for hourly or "0 30 6 * * Mon-Fri" for 06:30 on weekdays); got "0 * * * *": it has 5 fields. Azure Functions adds a seconds field first: put "0 " before a five-field cron expression.', reason: 'five-field cron misses the seconds field the timer trigger needs' },
    { env: { RUN_DEADLINE_SECONDS: '59' }, problem: 'RUN_DEADLINE_SECONDS must be a whole number of seconds from 60 to 86400 (keep it below host.json functionTimeout); got "59".', reason: 'a run needs at least a minute' },
    { env: { RUN_HTTP_WAIT_SECONDS: '230' }, problem: 'RUN_HTTP_WAIT_SECONDS must be a whole number of seconds from 1 to 220 (Azure closes HTTP requests after 230 s); got "230".', reason: 'the answer must leave before the load balancer closes the request' },
    { env: { RECONCILE_MODE: 'dry-run' }, problem: 'RECONCILE_MODE must be "plan" (the timer only reports) or "apply" (the timer changes the tenant); got "dry-run". Leave it "plan" until the reports read right, then set it to "apply".', reason: 'the mode is one of two words, checked at start with the other run settings' },
    { env: { RUN_HTTP_WAIT_SECONDS: '1.5' }, problem: 'RUN_HTTP_WAIT_SECONDS must be a whole number of seconds from 1 to 220 (Azure closes HTTP requests after 230 s); got "1.5".', reason: 'whole seconds only' },
  ])('$problem ($reason)', ({ env, problem }) => {
    expect(() => loadRunSettings(env)).toThrow(`The app settings are not valid:\n- ${problem}`);
  });

  it('a bad RECONCILE_MODE is listed with the other run-setting problems, in one SETTINGS_INVALID', () => {
    let thrown: unknown;
    try {
      loadRunSettings({ RUN_DEADLINE_SECONDS: '10', RECONCILE_MODE: 'yes' });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ code: 'SETTINGS_INVALID' });
    const lines = (thrown as Error).message.split('\n');
    expect(lines.slice(1).map((l) => l.split(' ')[1])).toEqual(['RECONCILE_MODE', 'RUN_DEADLINE_SECONDS']);
  });
});
