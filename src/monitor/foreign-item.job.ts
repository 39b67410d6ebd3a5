/**
 * The durable job of one foreign item: its translation into Vietnamese (translate/foreign.ts).
 * Payloads carry the item's id; running twice translates nothing twice. A provider that is
 * rate-limited, down or out of quota makes the job fail, and pg-boss tries it again later with
 * backoff; a provider that refuses the request, or no provider for the pair, is recorded on the
 * item (vi_error) and shown on the monitoring page.
 */
import { z } from 'zod';
import { defineJob } from '../jobs/queue.ts';
import { translateForeignItem, type ForeignTranslateDeps } from '../translate/foreign.ts';

export const FOREIGN_ITEM = 'monitor-foreign-item';
export const foreignItemPayload = z.object({ itemId: z.number().int().positive() });

export function foreignItemJob(deps: ForeignTranslateDeps) {
  return defineJob({
    name: FOREIGN_ITEM,
    payload: foreignItemPayload,
    queue: { retryLimit: 8, retryDelay: 30, retryBackoff: true, expireInSeconds: 15 * 60 },
    batchSize: 4,
    async handle({ itemId }) {
      await translateForeignItem(deps, itemId);
    },
  });
}
