/**
 * The durable translation job: one per story (not per story × audience), so that every audience
 * of a story is translated in one parallel round and a priority story jumps the queue as a whole.
 * Retries of individual audiences are decided by translateStory (failures.ts): short waits are
 * slept here, longer ones put the job back with a start time. Safe to run twice.
 */
import { z } from 'zod';
import { defineJob } from '../jobs/queue.ts';
import { RETRY } from './failures.ts';
import { translateStory, type TranslateDeps } from './service.ts';

export const TRANSLATE_STORY = 'translate-story';
export const storyPayload = z.object({ storyId: z.number().int().positive(), priority: z.boolean().default(false) });

export interface TranslateStoryJobDeps extends TranslateDeps {
  /** Sends a job (bound after the queue starts). */
  send(name: string, payload: object, options: { startAfter?: Date; priority?: number }): Promise<unknown>;
  /** Parks are checked again by the resume job; this makes sure one is scheduled. */
  scheduleQuotaCheck(): Promise<void>;
  /** Stories fetched at once; requests in flight are capped separately by the limiter. */
  batchSize: number;
  sleep?(ms: number): Promise<void>;
}

export const jobPriority = (priority: boolean) => (priority ? 10 : 0);

export function translateStoryJob(deps: TranslateStoryJobDeps) {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return defineJob({
    name: TRANSLATE_STORY,
    payload: storyPayload,
    // a handler that throws (the database away) is retried by pg-boss; provider failures are not thrown
    queue: { retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 15 * 60 },
    batchSize: deps.batchSize,
    async handle({ storyId, priority }) {
      for (;;) {
        const outcome = await translateStory(deps, storyId);
        const log = deps.log.child({ job: TRANSLATE_STORY, story_id: storyId });
        if (outcome.stored || outcome.failed || outcome.waitingForPeople) {
          log.info(outcome, `story ${storyId}: ${outcome.stored} machine draft(s) stored, ${outcome.waitingForPeople} waiting for a translator, ${outcome.failed} failed`);
        }
        if (outcome.parked) await deps.scheduleQuotaCheck();
        if (outcome.retryAfterMs === undefined) return;
        if (outcome.retryAfterMs <= RETRY.inlineWaitMs) {
          await sleep(outcome.retryAfterMs);
          continue;
        }
        await deps.send(TRANSLATE_STORY, { storyId, priority }, { startAfter: new Date(Date.now() + outcome.retryAfterMs), priority: jobPriority(priority) });
        return;
      }
    },
  });
}
