/**
 * The one schedule evaluator: cron expressions read in a time zone, as pure functions. "0 8 * * *"
 * in Europe/Paris is 08:00 Paris time in winter and in summer; sources are read in Vietnam's time,
 * posting windows in the channel's. node-cron only runs callbacks; a poll or a posting window must
 * be known ahead and survive restarts, so the next occurrence is computed here. Five fields
 * (minute hour day-of-month month day-of-week) or six with leading seconds. Day-of-month and
 * day-of-week, when both are restricted, match either (as in Vixie cron). A wall time skipped by a
 * DST change moves forward; a repeated one is taken the first time.
 */
export interface CronSchedule {
  seconds: ReadonlySet<number>;
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  days: ReadonlySet<number>;
  months: ReadonlySet<number>;
  weekdays: ReadonlySet<number>;
  anyDay: boolean;
  anyWeekday: boolean;
}

const monthNames = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const dayNames = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function field(text: string, min: number, max: number, names: string[] = [], nameBase = 0): Set<number> {
  const value = (s: string) => {
    const named = names.indexOf(s.toLowerCase());
    const n = named >= 0 ? named + nameBase : Number(s);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`"${s}" is out of range ${min}-${max}`);
    return n;
  };
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`"${part}" has a bad step`);
    let from = min;
    let to = max;
    if (range !== '*') {
      const [a, b] = range!.split('-');
      from = value(a!);
      to = b === undefined ? (stepText === undefined ? from : max) : value(b);
    }
    for (let n = from; n <= to; n += step) out.add(n);
  }
  return out;
}

export function parseCron(expression: string): CronSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6) throw new Error(`cron "${expression}" must have 5 or 6 fields`);
  const sec = parts.length === 6 ? parts.shift()! : '0';
  const [mi, h, d, mo, wd] = parts as [string, string, string, string, string];
  try {
    const weekdays = field(wd, 0, 7, dayNames);
    if (weekdays.delete(7)) weekdays.add(0);
    return {
      seconds: field(sec, 0, 59), minutes: field(mi, 0, 59), hours: field(h, 0, 23), days: field(d, 1, 31), months: field(mo, 1, 12, monthNames, 1), weekdays,
      anyDay: d === '*', anyWeekday: wd === '*',
    };
  } catch (err) {
    throw new Error(`cron "${expression}": ${(err as Error).message}`);
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock fields of an instant in a time zone. */
function wallClock(at: number, timeZone: string) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(at)).map((x) => [x.type, Number(x.value)]));
  return { year: p.year!, month: p.month!, day: p.day!, hour: p.hour!, minute: p.minute!, second: p.second! };
}

function offsetAt(at: number, timeZone: string): number {
  const w = wallClock(at, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(at / 1000) * 1000;
}

/** The instant of a wall time in a zone: the earlier of two, or just after a skipped hour. */
export function zonedInstant(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // the zone's offsets half a day either side cover any one transition
  const before = offsetAt(wall - 12 * 36e5, timeZone);
  const after = offsetAt(wall + 12 * 36e5, timeZone);
  const valid = [wall - before, wall - after].filter((at) => offsetAt(at, timeZone) === wall - at);
  if (valid.length) return Math.min(...valid);
  // in a DST gap the wall time does not exist: move forward by the gap
  return wall - before;
}

/** The first instant, in a zone, of the calendar month `back` months before the one `at` falls in. */
export function monthStart(at: Date, timeZone: string, back = 0): Date {
  const wall = wallClock(at.getTime(), timeZone);
  const index = wall.year * 12 + wall.month - 1 - back;
  return new Date(zonedInstant(Math.floor(index / 12), (index % 12) + 1, 1, 0, 0, timeZone));
}

/** The calendar months in a zone that [from, to) touches: each one's YYYY-MM and first instant, in order. */
export function monthsBetween(from: Date, to: Date, timeZone: string): { key: string; start: Date }[] {
  const first = wallClock(from.getTime(), timeZone);
  const months: { key: string; start: Date }[] = [];
  for (let index = first.year * 12 + first.month - 1; ; index++) {
    const year = Math.floor(index / 12);
    const month = (index % 12) + 1;
    const start = new Date(zonedInstant(year, month, 1, 0, 0, timeZone));
    if (months.length && start >= to) break;
    months.push({ key: `${year}-${String(month).padStart(2, '0')}`, start });
  }
  return months;
}

/**
 * Occurrences at or after `from`, in order, for up to `horizonDays` local days. Pure: the same
 * arguments give the same instants.
 */
export function* occurrences(schedule: CronSchedule, from: Date, timeZone: string, horizonDays = 400): Generator<Date> {
  const start = wallClock(from.getTime(), timeZone);
  const hours = [...schedule.hours].sort((a, b) => a - b);
  const minutes = [...schedule.minutes].sort((a, b) => a - b);
  const seconds = [...schedule.seconds].sort((a, b) => a - b);
  for (let i = 0; i <= horizonDays; i++) {
    const date = new Date(Date.UTC(start.year, start.month - 1, start.day + i));
    const [y, m, d, wd] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCDay()];
    if (!schedule.months.has(m)) continue;
    const dayOk = schedule.days.has(d);
    const weekdayOk = schedule.weekdays.has(wd);
    const matches = schedule.anyDay && schedule.anyWeekday ? true
      : schedule.anyDay ? weekdayOk : schedule.anyWeekday ? dayOk : dayOk || weekdayOk;
    if (!matches) continue;
    let last = -Infinity;
    for (const h of hours) {
      for (const mi of minutes) {
        const minute = zonedInstant(y, m, d, h, mi, timeZone);
        for (const sec of seconds) {
          const at = minute + sec * 1000;
          if (at < from.getTime() || at <= last) continue; // before `from`, or a DST repeat
          last = at;
          yield new Date(at);
        }
      }
    }
  }
}

/** Whether an expression parses; the message of `parseCron` says what is wrong. */
export function isValidCron(expression: string): boolean {
  try {
    parseCron(expression);
    return true;
  } catch {
    return false;
  }
}

/** The first instant strictly after `after` that the expression matches in the zone (within a year). */
export function nextRun(expression: string, after: Date, timeZone: string): Date {
  const next = occurrences(parseCron(expression), new Date(after.getTime() + 1), timeZone, 366).next();
  if (next.done) throw new Error(`the schedule "${expression}" never fires within a year`);
  return next.value;
}
