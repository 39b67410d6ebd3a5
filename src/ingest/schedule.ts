/**
 * When a source is polled next: the next match of its cron expression (read in Asia/Ho_Chi_Minh
 * time, UTC+7 all year, as the sources publish on Vietnamese office hours), or, after failures,
 * an exponential backoff that an HTTP Retry-After can only lengthen. Pure functions of a clock.
 */
import cron from 'node-cron';

const VIETNAM_OFFSET_MS = 7 * 3600_000;
/** Backoff after n consecutive failures: 1, 2, 4 … minutes, never more than 6 hours. */
export const BACKOFF_BASE_MS = 60_000;
export const BACKOFF_MAX_MS = 6 * 3600_000;

export function isValidSchedule(expr: string): boolean {
  return cron.validate(expr);
}

/** The first instant strictly after `after` that matches the expression (within a year). */
export function nextRun(expr: string, after: Date): Date {
  const f = cron.parse(expr);
  const minutes = new Set(f.minute), hours = new Set(f.hour), months = new Set(f.month);
  const doms = new Set(f.dayOfMonth.map(Number)), dows = new Set(f.dayOfWeek.map(Number));
  const domAll = doms.size >= 31, dowAll = dows.size >= 7;
  const seconds = [...f.second].sort((a, b) => a - b);
  // walk local minutes; a 6-field expression with seconds fires at the first matching second
  const startLocal = after.getTime() + VIETNAM_OFFSET_MS;
  let t = Math.floor(startLocal / 60_000) * 60_000;
  for (let i = 0; i < 366 * 24 * 60; i++, t += 60_000) {
    const d = new Date(t);
    if (!minutes.has(d.getUTCMinutes()) || !hours.has(d.getUTCHours()) || !months.has(d.getUTCMonth() + 1)) continue;
    const domOk = doms.has(d.getUTCDate()), dowOk = dows.has(d.getUTCDay()) || (d.getUTCDay() === 0 && dows.has(7));
    const dayOk = domAll && dowAll ? true : domAll ? dowOk : dowAll ? domOk : domOk || dowOk;
    if (!dayOk) continue;
    for (const s of seconds) {
      const at = t + s * 1000 - VIETNAM_OFFSET_MS;
      if (at > after.getTime()) return new Date(at);
    }
  }
  throw new Error(`the schedule "${expr}" never fires within a year`);
}

/** When to try again after `failures` consecutive failures (failures ≥ 1). */
export function backoffUntil(now: Date, failures: number, retryAfterSeconds?: number): Date {
  const backoff = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1));
  const asked = retryAfterSeconds ? Math.min(retryAfterSeconds * 1000, 24 * 3600_000) : 0;
  return new Date(now.getTime() + Math.max(backoff, asked));
}
