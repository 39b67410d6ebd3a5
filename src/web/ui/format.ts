/**
 * Dates and numbers as the person reads them: in their UI language and their own time zone
 * (users.time_zone), never UTC ISO. Formatters are built once per language and zone.
 */
const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(lang: string, timeZone: string, kind: 'dateTime' | 'date' | 'time'): Intl.DateTimeFormat {
  const key = `${lang}|${timeZone}|${kind}`;
  let f = cache.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions = kind === 'date' ? { dateStyle: 'medium' } : kind === 'time' ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' };
    f = new Intl.DateTimeFormat(lang, { ...options, timeZone, hourCycle: 'h23' });
    cache.set(key, f);
  }
  return f;
}

export interface Formats {
  timeZone: string;
  dateTime(d: Date | string | null | undefined): string;
  date(d: Date | string | null | undefined): string;
  time(d: Date | string | null | undefined): string;
  number(n: number): string;
  /** The value for an <input type="datetime-local"> in the person's zone. */
  inputValue(d: Date | null | undefined): string;
}

const numberFormats = new Map<string, Intl.NumberFormat>();

export function formatsFor(lang: string, timeZone: string): Formats {
  const show = (kind: 'dateTime' | 'date' | 'time') => (d: Date | string | null | undefined) => (d ? formatter(lang, timeZone, kind).format(new Date(d)) : '—');
  const nf = numberFormats.get(lang) ?? numberFormats.set(lang, new Intl.NumberFormat(lang)).get(lang)!;
  return {
    timeZone,
    dateTime: show('dateTime'), date: show('date'), time: show('time'),
    number: (n) => nf.format(n),
    inputValue: (d) => (d ? localInput(d, timeZone) : ''),
  };
}

const inputFormats = new Map<string, Intl.DateTimeFormat>();

/** "2026-11-27T15:00" for the instant, as the wall clock in `timeZone` shows it. */
export function localInput(d: Date, timeZone: string): string {
  const f = inputFormats.get(timeZone) ?? inputFormats.set(timeZone, new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })).get(timeZone)!;
  const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** The instant a wall-clock time typed in `timeZone` names ("2026-11-27T15:00"); undefined when malformed. */
export function fromLocalInput(value: string, timeZone: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value.trim());
  if (!m) return undefined;
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  // the zone's offset at that moment, found by formatting and comparing (twice, for DST edges)
  let guess = asUtc;
  for (let i = 0; i < 2; i++) {
    const shown = localInput(new Date(guess), timeZone);
    const [d, t] = shown.split('T');
    const [y, mo, da] = d!.split('-').map(Number);
    const [h, mi] = t!.split(':').map(Number);
    guess += asUtc - Date.UTC(y!, mo! - 1, da!, h!, mi!);
  }
  return new Date(guess);
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The calendar day `days` after "YYYY-MM-DD". */
export const addDays = (day: string, days: number) => {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + days)).toISOString().slice(0, 10);
};

/** Whole days in the person's zone, `to` included (so [from, to) ends at the next midnight); by default the last 90 days. */
export function dayRange(q: { from?: string | undefined; to?: string | undefined }, now: Date, zone: string) {
  const toDay = q.to ?? localInput(now, zone).slice(0, 10);
  const fromDay = q.from && q.from <= toDay ? q.from : addDays(toDay, -89);
  return { from: fromLocalInput(`${fromDay}T00:00`, zone)!, to: fromLocalInput(`${addDays(toDay, 1)}T00:00`, zone)!, fromDay, toDay };
}
