/**
 * RECONCILE_SCHEDULE: the timer trigger's NCRONTAB expression, checked at start so a schedule the
 * host would refuse, or one that means something else than intended, stops the app with a message
 * that names the field and the fix.
 *
 * The syntax is Azure Functions' NCRONTAB as Microsoft documents it
 * (https://learn.microsoft.com/azure/azure-functions/functions-bindings-timer#ncrontab-expressions):
 * six fields `{second} {minute} {hour} {day} {month} {day-of-week}`, each a value, `*`, a range
 * (`-`), a list (`,`) or an interval (`/`); months and days may be numbers or English names or
 * abbreviations, case-insensitive; days of the week are 0 to 6, 0 being Sunday. What the docs do not
 * list is refused (the stricter reading): Quartz's `?`, `L`, `W`, `#`, `H`; 7 for Sunday; an interval
 * after a single value (`5/15`); an interval longer than its field. The TimeSpan form (`hh:mm:ss`)
 * works only on an App Service plan (same page), and the product's template deploys Flex
 * Consumption (docs/deploy/main.bicep), so it is refused too.
 *
 * Once the grammar is right, croner (a maintained cron library) parses the expression and finds
 * its next occurrence: a schedule that never fires (`0 0 0 31 2 *`, 31 February) is refused.
 */
import { Cron } from 'croner';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

interface Field {
  name: string;
  min: number;
  max: number;
  /** English names, index 0 = `min`; a name may be given in full or as its first three letters. */
  names?: readonly string[];
}

const FIELDS: readonly Field[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 0, max: 6, names: DAYS },
];

const ITEM = /^(?:(\*)|([0-9A-Za-z]+)(?:-([0-9A-Za-z]+))?)(?:\/([0-9]+))?$/;

/** A value of the field as a number, or the reason it is not one. */
function valueOf(field: Field, text: string): number | string {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n < field.min || n > field.max) {
      const sunday = field.name === 'day-of-week' && n === 7 ? ' (Sunday is 0)' : '';
      return `${text} is outside ${field.min}-${field.max}${sunday}`;
    }
    return n;
  }
  const lower = text.toLowerCase();
  const index = field.names?.findIndex((name) => name === lower || (lower.length === 3 && name.startsWith(lower))) ?? -1;
  if (index >= 0) return field.min + index;
  return field.names
    ? `"${text}" is neither a number from ${field.min} to ${field.max} nor an English ${field.name === 'month' ? 'month' : 'day'} name (e.g. ${field.name === 'month' ? 'Jan or January' : 'Mon or Monday'})`
    : `"${text}" is not a number from ${field.min} to ${field.max}`;
}

/** The field with names replaced by numbers, or the reason it is not a valid field. */
function normaliseField(field: Field, text: string): { value: string } | { problem: string } {
  const out: string[] = [];
  for (const item of text.split(',')) {
    const m = ITEM.exec(item);
    if (!m) {
      return { problem: `"${item === '' ? text : item}" is not a value, *, a range (a-b), a list (a,b) or an interval (*/n or a-b/n); NCRONTAB has no ? L W # or H` };
    }
    const [, star, from, to, step] = m;
    if (step !== undefined) {
      const span = field.max - field.min;
      if (from !== undefined && to === undefined) return { problem: `"${item}": an interval goes after * or a range (*/${step} or ${from}-${field.max}/${step})` };
      const n = Number(step);
      if (n < 1 || n > span) return { problem: `"${item}": the interval must be from 1 to ${span}` };
    }
    if (star !== undefined) {
      out.push(item);
      continue;
    }
    const a = valueOf(field, from ?? '');
    if (typeof a === 'string') return { problem: a };
    let part = String(a);
    if (to !== undefined) {
      const b = valueOf(field, to);
      if (typeof b === 'string') return { problem: b };
      if (b < a) return { problem: `the range "${from}-${to}" runs backwards (write it from the lower value up)` };
      part += `-${b}`;
    }
    out.push(step === undefined ? part : `${part}/${step}`);
  }
  return { value: out.join(',') };
}

const EXAMPLE = 'e.g. "0 0 * * * *" for hourly or "0 30 6 * * Mon-Fri" for 06:30 on weekdays';

/** The problem with RECONCILE_SCHEDULE, or undefined when the timer trigger takes it. */
export function scheduleProblem(schedule: string): string | undefined {
  const prefix = `RECONCILE_SCHEDULE must be an NCRONTAB expression with six fields, {second} {minute} {hour} {day} {month} {day-of-week} (${EXAMPLE}); got "${schedule}"`;
  if (/^\d+(?::\d+){1,3}$/.test(schedule)) {
    return `${prefix}: a TimeSpan (hh:mm:ss) schedule works only on an App Service plan, and the Function App runs on Flex Consumption.`;
  }
  const parts = schedule.split(/\s+/);
  if (parts.length !== FIELDS.length) {
    const hint = parts.length === 5 ? ' Azure Functions adds a seconds field first: put "0 " before a five-field cron expression.' : '';
    return `${prefix}: it has ${parts.length} field${parts.length === 1 ? '' : 's'}.${hint}`;
  }
  const normalised: string[] = [];
  for (const [i, field] of FIELDS.entries()) {
    const r = normaliseField(field, parts[i] ?? '');
    if ('problem' in r) return `${prefix}: in the ${field.name} field, ${r.problem}.`;
    normalised.push(r.value);
  }
  let next: Date | null;
  try {
    const cron = new Cron(normalised.join(' '));
    next = cron.nextRun();
    cron.stop();
  } catch (err) {
    return `${prefix}: ${err instanceof Error ? err.message : String(err)}.`;
  }
  if (next === null) return `${prefix}: it never fires (no such date, e.g. 31 in a month of 30 days or fewer).`;
  return undefined;
}
