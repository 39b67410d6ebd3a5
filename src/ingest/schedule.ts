/**
 * When a source is polled next: the next match of its cron expression, read in Vietnam's time
 * (Asia/Ho_Chi_Minh, as the sources publish on Vietnamese office hours), or, after failures, the
 * service's backoff, which an HTTP Retry-After can only lengthen. Pure functions of a clock.
 */
import { backoffDelay, type BackoffPolicy } from '../core/backoff.ts';
import { isValidCron, nextRun as nextCronRun } from '../core/schedule.ts';

const SOURCES_TIME_ZONE = 'Asia/Ho_Chi_Minh';
/** After n consecutive failures: 1, 2, 4 … minutes, never more than 6 hours; Retry-After up to a day. */
export const POLL_BACKOFF: BackoffPolicy = { baseMs: 60_000, maxMs: 6 * 3600_000, maxRetryAfterMs: 24 * 3600_000 };

export function isValidSchedule(expr: string): boolean {
  return isValidCron(expr);
}

/** The first instant strictly after `after` that matches the expression (within a year). */
export function nextRun(expr: string, after: Date): Date {
  return nextCronRun(expr, after, SOURCES_TIME_ZONE);
}

/** When to try again after `failures` consecutive failures (failures ≥ 1). */
export function backoffUntil(now: Date, failures: number, retryAfterSeconds?: number): Date {
  return new Date(now.getTime() + backoffDelay(POLL_BACKOFF, failures, retryAfterSeconds ? retryAfterSeconds * 1000 : undefined));
}
