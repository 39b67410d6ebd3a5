/**
 * Resuming parked translations: a quota exhausted at the provider (456) or a monthly budget
 * spent (the ceiling over all audiences, or an audience's own). Scheduled when something is parked, it asks the provider's usage. The parked work is sent
 * again only when what is left of the quota can hold all of it (or the count went down: a new
 * period), or with `force` (`npm run cli -- translate resume`): a quota a few characters short of
 * its limit would otherwise resume, fail again at once and park again, check after check. While
 * something stays parked it schedules itself again.
 */
import { z } from 'zod';
import { defineJob } from '../jobs/queue.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { billedThisMonth, billedThisMonthByAudience, clearQuotaExhausted, getProviderState, parkedCharacters, recordProviderUsage } from '../store/translation-usage.ts';
import type { Provider } from './translator.ts';

export const TRANSLATE_RESUME = 'translate-resume';

/** A provider without a usage report is tried again this long after its quota ran out. */
export const QUOTA_RETRY_WITHOUT_USAGE_MS = 3600_000;

export interface ResumeDeps {
  db: Db;
  log: Logger;
  /** Every machine provider in use. */
  providers: readonly Provider[];
  monthlyCharacterBudget: number | undefined;
  /** The audiences' own monthly budgets as they stand now. */
  audienceBudgets?(): readonly { audienceId: string; monthlyCharacters: number }[];
  clock(): Date;
  /** Sends a translate job for every story with machine work that is not parked. */
  dispatchPending(): Promise<number>;
  scheduleCheck(): Promise<void>;
}

/** Clears what can be cleared; answers whether something stays parked. */
export async function resumeParked(deps: ResumeDeps, force: boolean): Promise<{ resumed: number; stillParked: boolean }> {
  for (const provider of deps.providers) {
    const state = await getProviderState(deps.db, provider.name);
    if (!state?.quota_exhausted_since) continue;
    let back = force;
    if (!back && provider.usage) {
      try {
        const usage = await provider.usage();
        if (usage) {
          const previous = state.character_count == null ? undefined : Number(state.character_count);
          await recordProviderUsage(deps.db, provider.name, usage, deps.clock());
          const reset = previous !== undefined && usage.count < previous;
          const waiting = await parkedCharacters(deps.db, provider.name);
          back = reset || usage.limit - usage.count >= waiting;
          if (!back) deps.log.info({ provider: provider.name, used: usage.count, limit: usage.limit, waiting }, `${provider.name} quota: ${usage.limit - usage.count} characters left, ${waiting} waiting; still parked`);
        }
      } catch (err) {
        deps.log.warn({ err: (err as Error).message }, `${provider.name} usage could not be read; quota stays parked`);
      }
    }
    // a provider that reports no usage (Google) is tried again an hour after its quota ran out
    const tryAgain = !back && !provider.usage && deps.clock().getTime() - state.quota_exhausted_since.getTime() >= QUOTA_RETRY_WITHOUT_USAGE_MS;
    if (!back && !tryAgain) continue;
    await clearQuotaExhausted(deps.db, provider.name, { tryAgain });
    await deps.db.updateTable('translations').set({ mt_waiting: null }).where('mt_waiting', '=', 'quota').where('provider', '=', provider.name).execute();
    deps.log.warn(`${provider.name} quota is available again${force ? ' (resumed by hand)' : ''}: parked translations resume`);
  }
  const budgetLeft = deps.monthlyCharacterBudget === undefined || await billedThisMonth(deps.db, deps.clock()) < deps.monthlyCharacterBudget;
  if (force || budgetLeft) {
    // under the ceiling, an audience whose own budget is still spent stays parked (a new month, a raised budget: it goes)
    const own = force ? [] : deps.audienceBudgets?.() ?? [];
    const billed = own.length ? await billedThisMonthByAudience(deps.db, deps.clock()) : new Map<string, number>();
    const spent = own.filter((b) => (billed.get(b.audienceId) ?? 0) >= b.monthlyCharacters).map((b) => b.audienceId);
    let q = deps.db.updateTable('translations').set({ mt_waiting: null }).where('mt_waiting', '=', 'budget');
    if (spent.length) q = q.where('audience_id', 'not in', spent);
    await q.execute();
  }
  const resumed = await deps.dispatchPending();
  const parked = await deps.db.selectFrom('translations').select('id').where('mt_waiting', 'is not', null).limit(1).executeTakeFirst();
  return { resumed, stillParked: !!parked };
}

export function translateResumeJob(deps: ResumeDeps) {
  return defineJob({
    name: TRANSLATE_RESUME,
    payload: z.object({ force: z.boolean().default(false) }),
    queue: { retryLimit: 3, retryDelay: 30, expireInSeconds: 300 },
    async handle({ force }) {
      const { stillParked } = await resumeParked(deps, force);
      if (stillParked) await deps.scheduleCheck();
    },
  });
}
