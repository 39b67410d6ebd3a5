/**
 * The minute sweep of the publication outbox (effects.ts): carries out the effects whose holder
 * went quiet or whose retry came due. Scheduled through pg-boss, so one instance runs it each
 * minute; safe to run twice, since every effect is.
 */
import { z } from 'zod';
import { defineJob } from '../jobs/queue.ts';
import { sweepPublicationEffects, type PublishDeps } from './publisher.ts';

export const EFFECTS_SWEEP_CRON = '* * * * *';

export function effectsSweepJob(d: PublishDeps) {
  return defineJob({
    name: 'feeds.effects-sweep',
    payload: z.object({}).passthrough().nullish(),
    // the next minute's run is the retry
    queue: { retryLimit: 0, expireInSeconds: 600 },
    async handle() {
      const { done, failed } = await sweepPublicationEffects(d);
      if (done || failed) d.log?.info({ done, failed }, 'pending consequences of publications carried out by the sweep');
    },
  });
}
