/**
 * Items of foreign outlets (a source whose language is not the desk's): fetched, parsed and
 * cleaned like any story, then stored in `foreign_items`, never in `stories`. Nothing that publishes
 * reads that table, so a foreign item cannot reach a translator's queue, a feed, the site or a post;
 * it is only read, in Vietnamese, on the monitoring pages.
 *
 * After each commit the new and changed items are handed on (`onForeignItemReady`: their
 * translation into Vietnamese); a hand-off lost to a crash is found again by `untranslatedItems`.
 */
import { sql } from 'kysely';
import type { Clock } from '../core/clock.ts';
import type { MonitoringReason } from '../core/failure-reasons.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import type { SourceRow } from '../store/schema.ts';
import type { ForeignItemRow } from '../store/schema-monitoring.ts';
import '../store/schema-monitoring.ts';
import type { CleanStory } from './clean.ts';
import { fingerprint, hammingDistance, matchingText, NEAR_DUPLICATE_BITS } from './fingerprint.ts';

export interface ForeignIntakeDeps {
  db: Db;
  log: Logger;
  clock: Clock;
  /** Called once per new or changed item, after it is committed. */
  onForeignItemReady(item: ForeignItemRow): Promise<void> | void;
}

export type ForeignOutcome = { outcome: 'new' | 'updated' | 'unchanged'; item: ForeignItemRow } | { error: Error };

/** Stores a batch of one foreign source's items, each in its own statement of one transaction. */
export async function intakeForeign(deps: ForeignIntakeDeps, source: Pick<SourceRow, 'id' | 'language'>, items: readonly CleanStory[]): Promise<ForeignOutcome[]> {
  let results: ForeignOutcome[];
  const now = deps.clock();
  try {
    results = await deps.db.transaction().execute(async (trx) => {
      // a lost commit is fetched again at the next poll, as for domestic stories
      await sql`SET LOCAL synchronous_commit = off`.execute(trx);
      const out: ForeignOutcome[] = [];
      for (const item of items) out.push(await upsertForeignItem(trx, source, item, now));
      return out;
    });
  } catch {
    // one bad item must not lose the others: each on its own
    results = [];
    for (const item of items) results.push(await upsertForeignItem(deps.db, source, item, now).catch((error: Error) => ({ error })));
  }
  for (const r of results) {
    if ('error' in r || r.outcome === 'unchanged') continue;
    const log = deps.log.child({ source_id: source.id, foreign_item_id: r.item.id });
    log.info(`${r.outcome === 'new' ? 'read' : 'read again'} "${r.item.title}" (${r.item.language}) from a foreign outlet; waiting for its Vietnamese translation`);
    try {
      await deps.onForeignItemReady(r.item);
    } catch (err) {
      log.error({ err }, 'foreign item stored, but handing it on for translation failed; it is picked up at the next start');
    }
  }
  return results;
}

async function upsertForeignItem(db: Db, source: Pick<SourceRow, 'id' | 'language'>, item: CleanStory, now: Date): Promise<ForeignOutcome> {
  const existing = await db.selectFrom('foreign_items').selectAll()
    .where('source_id', '=', source.id).where('guid', '=', item.guid).forUpdate().executeTakeFirst();
  const print = fingerprint(matchingText(item.title, item.summary, item.bodyHtml));
  const text = {
    url: item.url ?? null, language: source.language, title: item.title, summary: item.summary, body_html: item.bodyHtml,
    published_at: item.publishedAt ?? null, content_hash: item.contentHash, simhash: print?.simhash ?? null, simhash_bands: print?.bands ?? null,
  };
  if (!existing) {
    const sameAs = print ? await findSameStory(db, print.simhash, print.bands) : undefined;
    const row = await db.insertInto('foreign_items').values({ source_id: source.id, guid: item.guid, ...text, same_as: sameAs ?? null })
      .returningAll().executeTakeFirstOrThrow();
    return { outcome: 'new', item: row };
  }
  if (existing.content_hash === item.contentHash && existing.language === source.language) return { outcome: 'unchanged', item: existing };
  const row = await db.updateTable('foreign_items').set({ ...text, version: existing.version + 1, vi_error: null, vi_error_reasons: null, updated_at: now })
    .where('id', '=', existing.id).returningAll().executeTakeFirstOrThrow();
  return { outcome: 'updated', item: row };
}

/** The first item of the story this fingerprint belongs to (any outlet), as stories find their re-runs. */
async function findSameStory(db: Db, simhash: string, bands: number[]): Promise<number | undefined> {
  const candidates = await db.selectFrom('foreign_items').select(['id', 'simhash'])
    .where('same_as', 'is', null)
    .where(sql<boolean>`simhash_bands && ${sql.val(bands)}::integer[]`)
    .orderBy('id').limit(200).execute();
  return candidates.find((c) => c.simhash !== null && hammingDistance(c.simhash, simhash) <= NEAR_DUPLICATE_BITS)?.id;
}

export function getForeignItem(db: Db, id: number): Promise<ForeignItemRow | undefined> {
  return db.selectFrom('foreign_items').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Items whose current text has no Vietnamese translation and no recorded reason why. */
export async function untranslatedItems(db: Db, limit = 1000): Promise<number[]> {
  const rows = await db.selectFrom('foreign_items').select('id')
    .where(sql<boolean>`vi_version IS DISTINCT FROM version`).where('vi_error', 'is', null)
    .orderBy('id').limit(limit).execute();
  return rows.map((r) => r.id);
}

/** The stored titles of a foreign source's items, by guid (a re-poll fetches no page it already read). */
export async function knownForeignTitles(db: Db, sourceId: string, guids: readonly string[]): Promise<Map<string, string>> {
  if (!guids.length) return new Map();
  const rows = await db.selectFrom('foreign_items').select(['guid', 'title']).where('source_id', '=', sourceId).where('guid', 'in', guids).execute();
  return new Map(rows.map((r) => [r.guid, r.title]));
}

/**
 * Stores the Vietnamese translation of `version` of the item; nothing when the item changed since
 * (the newer text is translated by its own hand-off). Answers whether it was stored.
 */
export async function storeVietnamese(db: Db, id: number, version: number, vi: { title: string; summary: string; bodyHtml: string; provider: string }, at: Date): Promise<boolean> {
  const r = await db.updateTable('foreign_items').set({
    vi_title: vi.title, vi_summary: vi.summary, vi_body_html: vi.bodyHtml, vi_version: version, vi_provider: vi.provider, vi_error: null, vi_error_reasons: null, vi_translated_at: at,
  }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Why there is no translation (no provider for the pair, a refused request); the desk shows it. */
export async function recordVietnameseFailure(db: Db, id: number, version: number, reason: string, reasons: MonitoringReason[]): Promise<void> {
  await db.updateTable('foreign_items').set({ vi_error: reason.slice(0, 2000), vi_error_reasons: JSON.stringify(reasons) }).where('id', '=', id).where('version', '=', version).execute();
}
