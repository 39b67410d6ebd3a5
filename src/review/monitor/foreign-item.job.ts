/**
 * The durable job of one foreign item: its translation into Vietnamese (translate/foreign.ts),
 * then the watch list matched against both texts (watch-terms.ts).
 * Payloads carry the item's id; running twice translates nothing twice. A provider that is
 * rate-limited, down or out of quota makes the job fail, and pg-boss tries it again later with
 * backoff; a provider that refuses the request, or no provider for the pair, is recorded on the
 * item (vi_error) and shown on the monitoring page.
 */
import { z } from 'zod';
import { defineJob } from '../../jobs/queue.ts';
import { translateForeignItem, type ForeignTranslateDeps } from '../../translate/foreign.ts';
import type { WatchList } from './watch-terms.ts';

export const FOREIGN_ITEM = 'monitor-foreign-item';
export const foreignItemPayload = z.object({ itemId: z.number().int().positive() });

export interface ForeignItemJobDeps extends ForeignTranslateDeps {
  watch: WatchList;
}

export function foreignItemJob(deps: ForeignItemJobDeps) {
  return defineJob({
    name: FOREIGN_ITEM,
    payload: foreignItemPayload,
    queue: { retryLimit: 8, retryDelay: 30, retryBackoff: true, expireInSeconds: 15 * 60 },
    batchSize: 4,
    async handle({ itemId }) {
      // matched after the translation, so that a Vietnamese form is found in the Vietnamese text too
      if (await translateForeignItem(deps, itemId) === 'gone') return;
      const hits = await deps.watch.matchItem(itemId, deps.clock());
      if (hits.length) deps.log.info({ foreign_item_id: itemId, watch_terms: hits.map((h) => h.termId) }, `foreign item ${itemId} names ${hits.length} watched term(s)`);
    },
  });
}
