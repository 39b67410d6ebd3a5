/**
 * The minute fold of the counters' changes (rollups.ts): the backlog and people's figures read the
 * counters plus the changes appended since, so an hour without a fold is still exact, only slower
 * to read. Scheduled through pg-boss, so one instance runs it each minute; safe to run twice (a
 * second fold at once moves nothing, and nothing is moved twice).
 */
import { z } from 'zod';
import { defineJob } from '../jobs/queue.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { foldRollups } from './rollups.ts';

export const ROLLUPS_FOLD_CRON = '* * * * *';

export function rollupsFoldJob(deps: { db: Db; log?: Logger | undefined }) {
  return defineJob({
    name: 'ops.rollups-fold',
    payload: z.object({}).passthrough().nullish(),
    // the next minute's run is the retry
    queue: { retryLimit: 0, expireInSeconds: 300 },
    async handle() {
      const moved = await foldRollups(deps.db);
      if (moved > 10_000) deps.log?.info({ moved }, 'many counter changes folded at once');
    },
  });
}
