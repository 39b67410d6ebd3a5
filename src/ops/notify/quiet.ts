/**
 * When a non-urgent notification may go out: not in the person's quiet hours, and at their digest
 * hour when they take digests. Times of day are minutes after midnight in the person's own time
 * zone (an IANA name); pure functions of an explicit `now`. On the day a clock changes (summer
 * time) the wait may be an hour off: the message then goes an hour early or late, never lost.
 */

/** Minutes after local midnight of `at` in `timeZone`. */
export function minutesOfDay(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const num = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return num('hour') * 60 + num('minute');
}

export interface QuietHours { start: number; end: number }

/** Whether local minute `m` lies in [start, end), the window may run past midnight (22:00–07:00). */
export function isQuiet(m: number, quiet: QuietHours): boolean {
  if (quiet.start === quiet.end) return false;
  return quiet.start < quiet.end ? m >= quiet.start && m < quiet.end : m >= quiet.start || m < quiet.end;
}

/** The start of the next local minute `target` at or after `now` (now itself when it is that minute). */
function nextLocalMinute(now: Date, timeZone: string, target: number): Date {
  const wait = (target - minutesOfDay(now, timeZone) + 1440) % 1440;
  if (wait === 0) return now;
  const startOfMinute = Math.floor(now.getTime() / 60_000) * 60_000;
  return new Date(startOfMinute + wait * 60_000);
}

/** `at`, or the end of the quiet hours it falls in. */
export function afterQuietHours(at: Date, timeZone: string, quiet: QuietHours | null): Date {
  if (!quiet || !isQuiet(minutesOfDay(at, timeZone), quiet)) return at;
  return nextLocalMinute(at, timeZone, quiet.end);
}

/** When a non-urgent notification written at `now` goes out: the next digest hour (if digests), out of quiet hours. */
export function releaseTime(now: Date, prefs: { timeZone: string; quiet: QuietHours | null; digestHour: number | null }): Date {
  const at = prefs.digestHour === null ? now : nextLocalMinute(now, prefs.timeZone, prefs.digestHour * 60);
  return afterQuietHours(at, prefs.timeZone, prefs.quiet);
}
