/**
 * Polling on schedule. Each source's cron expression sets its next_poll_at (src/ingest/schedule.ts);
 * a node-cron tick in every instance sends one pg-boss job per due source with the source id as
 * singletonKey on a "stately" queue, so however many instances tick, a source has at most one poll
 * queued and one running. The poll itself also holds an advisory lock on the source (which covers
 * "poll now" from the API). Each source is its own job: a slow or failing source delays no other.
 */
import cron, { type ScheduledTask } from 'node-cron';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { defineJob, type JobQueue } from '../jobs/queue.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { dueSources } from '../store/sources.ts';

export const POLL_SOURCE_JOB = 'ingest.poll-source';

export function pollSourceJob(deps: { poll(sourceId: string): Promise<unknown>; log: Logger }) {
  return defineJob({
    name: POLL_SOURCE_JOB,
    payload: z.object({ sourceId: z.string() }),
    // no queue retries: a failed poll is recorded on the source, which backs off by itself
    queue: { policy: 'stately', retryLimit: 0, expireInSeconds: 15 * 60 },
    async handle({ sourceId }) {
      try {
        await deps.poll(sourceId);
      } catch (err) {
        if (err instanceof AppError && (err.code === 'conflict' || err.code === 'not_found')) return;
        // the reason is on the source (lastError) and in the poller's log line
        deps.log.debug({ source_id: sourceId, err: (err as Error).message }, 'scheduled poll failed');
      }
    },
  });
}

export interface PollScheduler {
  /** Sends a poll job for every due source; returns how many were sent (not already queued). */
  tick(): Promise<number>;
  stop(): Promise<void>;
}

export function startPollScheduler(deps: { db: Db; log: Logger; jobs: JobQueue; clock: () => Date; tickSeconds: number; start?: boolean }): PollScheduler {
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
