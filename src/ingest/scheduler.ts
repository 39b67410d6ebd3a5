/**
 * Polling on schedule. Each source's cron expression sets its next_poll_at (src/ingest/schedule.ts);
 * a node-cron tick in every instance sends one pg-boss job per due source with the source id as
 * singletonKey on a "stately" queue, so however many instances tick, a source has at most one poll
 * queued and one running. The poll itself also holds an advisory lock on the source (which covers
 * "poll now" from the API). Each source is its own job: a slow or failing source delays no other.
 */
import cron, { type ScheduledTask } from 'node-cron';
import { z } from 'zod';
import type { Clock } from '../core/clock.ts';
import { AppError } from '../errors.ts';
import { defineJob, type JobQueue } from '../jobs/queue.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { dueSources } from '../store/sources.ts';

export const POLL_SOURCE_JOB = 'ingest.poll-source';

/** Polls running at once in one instance. */
const MAX_CONCURRENT_POLLS = 8;

/**
 * The job hands its poll to this instance and completes at once, so the queue's worker is free for
 * the next source at once: a source that hangs for its whole timeout delays no other. Nothing is
 * lost by completing early: until a poll finishes, the source's next_poll_at stays due and the next
 * tick sends it again (the advisory lock turns a second concurrent poll away). `drain()` waits for
 * the polls still running (the service calls it when it stops).
 */
export function pollSourceJob(deps: { poll(sourceId: string): Promise<unknown>; log: Logger; maxConcurrent?: number }) {
  const running = new Set<Promise<unknown>>();
  const limit = deps.maxConcurrent ?? MAX_CONCURRENT_POLLS;
  const job = defineJob({
    name: POLL_SOURCE_JOB,
    payload: z.object({ sourceId: z.string() }),
    // no queue retries: a failed poll is recorded on the source, which backs off by itself
    queue: { policy: 'stately', retryLimit: 0, expireInSeconds: 15 * 60 },
    async handle({ sourceId }) {
      while (running.size >= limit) await Promise.race(running);
      const poll: Promise<unknown> = deps.poll(sourceId).catch((err) => {
        if (err instanceof AppError && (err.code === 'conflict' || err.code === 'not_found')) return;
        // the reason is on the source (lastError) and in the poller's log line
        deps.log.debug({ source_id: sourceId, err: (err as Error).message }, 'scheduled poll failed');
      }).finally(() => running.delete(poll));
      running.add(poll);
    },
  });
  return Object.assign(job, {
    async drain() {
      while (running.size) await Promise.allSettled([...running]);
    },
  });
}

export interface PollScheduler {
  /** Sends a poll job for every due source; returns how many were sent (not already queued). */
  tick(): Promise<number>;
  stop(): Promise<void>;
}

export function startPollScheduler(deps: { db: Db; log: Logger; jobs: JobQueue; clock: Clock; tickSeconds: number; start?: boolean }): PollScheduler {
  const tick = async () => {
    let sent = 0;
    for (const source of await dueSources(deps.db, deps.clock())) {
      const id = await deps.jobs.send(POLL_SOURCE_JOB, { sourceId: source.id }, { singletonKey: source.id });
      if (id) sent++;
    }
    return sent;
  };
  const every = deps.tickSeconds < 60 ? `*/${deps.tickSeconds} * * * * *` : `*/${Math.max(1, Math.round(deps.tickSeconds / 60))} * * * *`;
  let task: ScheduledTask | undefined;
  if (deps.start !== false) {
    task = cron.schedule(every, () => tick().catch((err) => deps.log.error({ err }, 'could not look for due sources')), { name: 'ingest:due-sources', noOverlap: true });
    void tick().catch((err) => deps.log.error({ err }, 'could not look for due sources'));
  }
  return {
    tick,
    async stop() {
      await task?.stop();
      await task?.destroy();
    },
  };
}
