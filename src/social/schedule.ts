/**
 * Where a post goes in a channel's schedule, as pure functions of the channel's windows, the
 * places already taken and the time: the first window at or after now with room, and the post's
 * minute within it (posts of one window are spaced apart). Priority stories skip the windows.
 */
import { occurrences, parseCron, type CronSchedule } from '../core/schedule.ts';

export interface WindowPlan {
  windows: readonly string[];
  timeZone: string;
  maxPostsPerWindow: number;
  spacingMinutes: number;
}

export interface Slot {
  /** The window's start; null for a priority post. */
  windowAt: Date | null;
  scheduledAt: Date;
}

/** A posting window's expression: windows start on whole minutes, so a seconds field must be 0. */
export function parseWindow(expression: string): CronSchedule {
  const schedule = parseCron(expression);
  if (schedule.seconds.size !== 1 || !schedule.seconds.has(0)) throw new Error(`cron "${expression}": posting windows are whole minutes; the seconds field must be 0`);
  return schedule;
}

/** The windows of all the plan's cron expressions, merged in time order, at or after `from`. */
export function* windowsFrom(plan: WindowPlan, from: Date): Generator<Date> {
  const streams = plan.windows.map((w) => occurrences(parseWindow(w), from, plan.timeZone));
  const heads = streams.map((s) => s.next());
  let last = -Infinity;
  for (;;) {
    let best = -1;
    heads.forEach((h, i) => {
      if (!h.done && (best < 0 || h.value.getTime() < (heads[best]!.value as Date).getTime())) best = i;
    });
    if (best < 0) return;
    const at = heads[best]!.value as Date;
    heads[best] = streams[best]!.next();
    if (at.getTime() === last) continue; // two expressions naming one minute are one window
    last = at.getTime();
    yield at;
  }
}

/**
 * The next free slot. `taken` counts the posts already holding a place in each window (by the
 * window's epoch milliseconds). Throws when no window has room within the horizon.
 */
export function nextFreeSlot(plan: WindowPlan, now: Date, taken: ReadonlyMap<number, number>, opts: { priority?: boolean; maxWindows?: number } = {}): Slot {
  if (opts.priority) return { windowAt: null, scheduledAt: now };
  let seen = 0;
  for (const windowAt of windowsFrom(plan, now)) {
    const used = taken.get(windowAt.getTime()) ?? 0;
    if (used < plan.maxPostsPerWindow) {
      return { windowAt, scheduledAt: new Date(windowAt.getTime() + used * plan.spacingMinutes * 60_000) };
    }
    if (++seen >= (opts.maxWindows ?? 5000)) break;
  }
  throw new Error('no posting window with room in the schedule');
}

export type CatchUpRule = 'post_late' | 'next_window' | 'skip';

/**
 * What to do with a scheduled post found due: send it, or — when it is later than the grace
 * (the service was down at its time) and the rule says so — move it or skip it. Posts placed by a
 * person or by priority, and retries, are always sent.
 */
export function catchUp(post: { scheduledAt: Date; windowAt: Date | null; attempts: number }, now: Date, rule: CatchUpRule, graceMinutes: number): 'send' | 'next_window' | 'skip' {
  if (!post.windowAt || post.attempts > 0 || rule === 'post_late') return 'send';
  return now.getTime() - post.scheduledAt.getTime() > graceMinutes * 60_000 ? rule : 'send';
}
