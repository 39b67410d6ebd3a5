/**
 * Stories: the Vietnamese originals. Upserts are idempotent by (source, guid) and by canonical URL;
 * a new story whose text is a near-duplicate of an earlier one is linked to it (duplicate_of).
 */
import { sql } from 'kysely';
import { inTransaction, type Db } from '../store/db.ts';
import type { StoryRow } from '../store/schema.ts';
import '../store/schema-ingest.ts';
import type { CleanStory } from './clean.ts';
import { fingerprint, hammingDistance, matchingText, NEAR_DUPLICATE_BITS } from './fingerprint.ts';

export type UpsertOutcome = { outcome: 'new' | 'updated' | 'unchanged'; story: StoryRow };

export interface StoryExtras {
  attribution?: string | undefined;
  priority?: boolean;
  origin?: 'feed' | 'push';
  pushedBy?: string | undefined;
}


/**
 * Inserts the story, or updates it when the same item (same source and guid, or same URL) comes
 * back with other text: the new text is kept as a story revision and the version goes up.
 * Joins the caller's transaction (or opens one), so a crash leaves either the whole story or nothing.
 * Two callers with the same item at once (a sender retrying before its first push answered) are
 * serialised: the second waits for the first to commit and then finds its story.
 * `now`: the caller's clock reading, a changed story's updated_at.
 */
export async function upsertStory(db: Db, sourceId: string | null, item: CleanStory, now: Date, extras: StoryExtras = {}): Promise<UpsertOutcome> {
  return inTransaction(db, async (trx) => {
    await lockStoryKeys(trx, sourceId, item);
    const existing = await trx.selectFrom('stories').selectAll()
      .where((eb) => eb.or([
        eb.and([eb(eb.fn.coalesce('source_id', eb.val('')), '=', sourceId ?? ''), eb('guid', '=', item.guid)]),
        ...(item.url ? [eb('url', '=', item.url)] : []),
      ]))
      .orderBy('id').limit(1).forUpdate().executeTakeFirst();
    const print = fingerprint(matchingText(item.title, item.summary, item.bodyHtml));
    if (!existing) {
      const duplicateOf = print ? await findNearDuplicate(trx, print.simhash, print.bands) : undefined;
      // the story and its first revision in one statement (one round trip, the body sent once)
      const story = await trx
        .with('s', (db) => db.insertInto('stories').values(newStoryValues(sourceId, item, extras, print, duplicateOf)).returningAll())
        .with('r', (db) => db.insertInto('story_revisions').columns(['story_id', 'version', 'title', 'summary', 'body_html'])
          .expression((eb) => eb.selectFrom('s').select(['id', eb.val(1).as('version'), 'title', 'summary', 'body_html'])))
        .selectFrom('s').selectAll().executeTakeFirstOrThrow();
      return { outcome: 'new', story };
    }
    if (existing.content_hash === item.contentHash) return { outcome: 'unchanged', story: existing };
    // another source carrying the same URL does not rewrite the story: its own source's text rules,
    // so two feeds that differ in a summary cannot make a story flip between their versions
    if ((existing.source_id ?? null) !== sourceId) return { outcome: 'unchanged', story: existing };
    const story = await trx.updateTable('stories').set({
      title: item.title,
      summary: item.summary,
      body_html: item.bodyHtml,
      image_url: item.imageUrl ?? existing.image_url,
      category: item.category ?? existing.category,
      attribution: extras.attribution ?? item.attribution ?? existing.attribution,
      published_at: item.publishedAt ?? existing.published_at,
      content_hash: item.contentHash,
      simhash: print?.simhash ?? null,
      simhash_bands: print?.bands ?? null,
      version: existing.version + 1,
      updated_at: now,
    }).where('id', '=', existing.id).returningAll().executeTakeFirstOrThrow();
    await trx.insertInto('story_revisions').values({ story_id: story.id, version: story.version, title: story.title, summary: story.summary, body_html: story.body_html }).execute();
    return { outcome: 'updated', story };
  });
}

/**
 * Transaction-scoped advisory locks on the keys a story is known by (source and guid, URL). FOR UPDATE
 * cannot lock a row that does not exist yet, so without these two first pushes both insert and one
 * fails on stories_source_guid. Taken in a fixed order so two items sharing one key cannot deadlock.
 */
async function lockStoryKeys(trx: Db, sourceId: string | null, item: CleanStory): Promise<void> {
  const keys = [`story:${sourceId ?? ''}:${item.guid}`, ...(item.url ? [`story-url:${item.url}`] : [])].sort();
  for (const key of keys) await sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
}

function newStoryValues(sourceId: string | null, item: CleanStory, extras: StoryExtras, print: ReturnType<typeof fingerprint>, duplicateOf: number | undefined) {
  return {
    source_id: sourceId,
    guid: item.guid,
    url: item.url ?? null,
    title: item.title,
    summary: item.summary,
    body_html: item.bodyHtml,
    author: item.author ?? null,
    attribution: extras.attribution ?? item.attribution ?? null,
    category: item.category ?? null,
    priority: extras.priority ?? false,
    image_url: item.imageUrl ?? null,
    content_hash: item.contentHash,
    published_at: item.publishedAt ?? null,
    duplicate_of: duplicateOf ?? null,
    simhash: print?.simhash ?? null,
    simhash_bands: print?.bands ?? null,
    origin: extras.origin ?? ('feed' as const),
    pushed_by: extras.pushedBy ?? null,
  };
}

/**
 * upsertStory for many items of one source, in the caller's transaction, in a handful of
 * statements: one lookup of the stories they already are, one of near-duplicate candidates, one
 * insert of the new stories and one of their first revisions. Changed items take upsertStory's
 * path. Items must have distinct guids and URLs (the poller drops repeats first).
 */
export async function upsertStories(trx: Db, sourceId: string, items: readonly CleanStory[], now: Date): Promise<UpsertOutcome[]> {
  if (!items.length) return [];
  const urls = items.map((i) => i.url).filter((u): u is string => !!u);
  const existing = await trx.selectFrom('stories').selectAll()
    .where((eb) => eb.or([
      eb.and([eb(eb.fn.coalesce('source_id', eb.val('')), '=', sourceId), eb('guid', 'in', items.map((i) => i.guid))]),
      ...(urls.length ? [eb('url', 'in', urls)] : []),
    ]))
    .orderBy('id').forUpdate().execute();
  const byGuid = new Map(existing.filter((e) => e.source_id === sourceId).map((e) => [e.guid, e]));
  const byUrl = new Map<string, StoryRow>();
  for (const e of existing) if (e.url && !byUrl.has(e.url)) byUrl.set(e.url, e);

  const results: (UpsertOutcome | undefined)[] = items.map(() => undefined);
  const fresh: { index: number; item: CleanStory; print: ReturnType<typeof fingerprint> }[] = [];
  for (const [index, item] of items.entries()) {
    const match = byGuid.get(item.guid) ?? (item.url ? byUrl.get(item.url) : undefined);
    // an unchanged item (the common case of a feed without validators) costs no further query
    if (match && (match.content_hash === item.contentHash || (match.source_id ?? null) !== sourceId)) results[index] = { outcome: 'unchanged', story: match };
    else if (match) results[index] = await upsertStory(trx, sourceId, item, now);
    else fresh.push({ index, item, print: fingerprint(matchingText(item.title, item.summary, item.bodyHtml)) });
  }
  if (fresh.length) {
    const bands = [...new Set(fresh.flatMap((f) => f.print?.bands ?? []))];
    const candidates = bands.length
      ? await trx.selectFrom('stories').select(['id', 'simhash']).where('duplicate_of', 'is', null)
        .where(sql<boolean>`simhash_bands && ${sql.val(bands)}::integer[]`).orderBy('id').limit(1000).execute()
      : [];
    const near = (simhash: string) => candidates.find((c) => c.simhash !== null && hammingDistance(c.simhash, simhash) <= NEAR_DUPLICATE_BITS)?.id;
    // an earlier item of this batch may be the original of a later one: linked after the insert
    const withinBatch = new Map<number, number>();
    fresh.forEach((f, i) => {
      if (!f.print || near(f.print.simhash) !== undefined) return;
      const earlier = fresh.slice(0, i).findIndex((g) => g.print && hammingDistance(g.print.simhash, f.print!.simhash) <= NEAR_DUPLICATE_BITS);
      if (earlier >= 0) withinBatch.set(i, earlier);
    });
    const inserted = await trx.insertInto('stories')
      .values(fresh.map((f) => newStoryValues(sourceId, f.item, {}, f.print, f.print ? near(f.print.simhash) : undefined)))
      .returningAll().execute();
    // PostgreSQL returns the rows of a multi-row VALUES insert in order; the guid check keeps us honest
    inserted.forEach((row, i) => {
      if (row.guid !== fresh[i]!.item.guid) throw new Error('stories were returned out of order');
    });
    for (const [i, earlier] of withinBatch) {
      inserted[i] = await trx.updateTable('stories').set({ duplicate_of: inserted[earlier]!.id }).where('id', '=', inserted[i]!.id).returningAll().executeTakeFirstOrThrow();
    }
    await trx.insertInto('story_revisions').columns(['story_id', 'version', 'title', 'summary', 'body_html'])
      .expression((eb) => eb.selectFrom('stories').select(['id', eb.val(1).as('version'), 'title', 'summary', 'body_html']).where('id', 'in', inserted.map((r) => r.id)))
      .execute();
    fresh.forEach((f, i) => {
      results[f.index] = { outcome: 'new', story: inserted[i]! };
    });
  }
  return results as UpsertOutcome[];
}

/** The earliest original story whose fingerprint is within NEAR_DUPLICATE_BITS of this one. */
async function findNearDuplicate(db: Db, simhash: string, bands: number[]): Promise<number | undefined> {
  const candidates = await db.selectFrom('stories').select(['id', 'simhash'])
    .where('duplicate_of', 'is', null)
    .where(sql<boolean>`simhash_bands && ${sql.val(bands)}::integer[]`)
    .orderBy('id').limit(200).execute();
  return candidates.find((c) => c.simhash !== null && hammingDistance(c.simhash, simhash) <= NEAR_DUPLICATE_BITS)?.id;
}

export function getStory(db: Db, id: number): Promise<StoryRow | undefined> {
  return db.selectFrom('stories').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listStoryRevisions(db: Db, storyId: number) {
  return db.selectFrom('story_revisions').selectAll().where('story_id', '=', storyId).orderBy('version').execute();
}

/** Newest first, keyset-paged by (ingested_at, id): stable under inserts, fast at any depth. */
export async function listStories(db: Db, page: { limit: number; before?: { at: Date; id: number } | undefined }): Promise<StoryRow[]> {
  let q = db.selectFrom('stories').selectAll().orderBy('ingested_at', 'desc').orderBy('id', 'desc').limit(page.limit);
  if (page.before) {
    const { at, id } = page.before;
    q = q.where((eb) => eb.or([eb('ingested_at', '<', at), eb.and([eb('ingested_at', '=', at), eb('id', '<', id)])]));
  }
  return q.execute();
}

/** A source's newest stories, for its desk page. */
export function recentStoriesOf(db: Db, sourceId: string, limit = 30) {
  return db.selectFrom('stories').select(['id', 'title', 'ingested_at', 'published_at', 'priority']).where('source_id', '=', sourceId)
    .orderBy('ingested_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}
