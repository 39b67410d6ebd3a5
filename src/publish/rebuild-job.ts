/**
 * Rebuilding an audience's feeds later: when an embargo lifts (a job scheduled for that moment),
 * or when a rebuild right after a change failed. Safe to run twice: a rebuild writes what the
 * database holds now.
 */
import { z } from 'zod';
import { defineJob } from '../jobs/queue.ts';
import type { PublishDeps } from './publisher.ts';
import { buildFeeds } from './feeds.ts';

export const rebuildPayload = z.object({ audienceId: z.string(), topics: z.array(z.string()).default([]) });

export const FEED_REBUILD_JOB = 'feeds.rebuild';

export function feedRebuildJob(d: PublishDeps) {
  return defineJob({
    name: FEED_REBUILD_JOB,
    payload: rebuildPayload,
    queue: { retryLimit: 20, retryDelay: 10, retryBackoff: true, expireInSeconds: 120 },
    async handle({ audienceId, topics }) {
      const audience = d.audiences.find((a) => a.id === audienceId);
      if (!audience) return; // the audience left the configuration: nothing to build
      // built directly (not through refreshFeeds) so a failure fails the job and pg-boss retries it
      const urls = await buildFeeds(d, audience, { topics });
      await d.feedChanges?.changed(audience.id, topics, urls);
    },
  });
}
