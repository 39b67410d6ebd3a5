/** Stories: the Vietnamese originals. Upserts are idempotent by (source, guid) and by URL. */
import type { CleanStory } from '../ingest/clean.ts';
import type { Db } from './db.ts';
import type { StoryRow } from './schema.ts';

export type UpsertOutcome = { outcome: 'new' | 'updated' | 'unchanged'; story: StoryRow };

export interface StoryExtras {
  attribution?: string | undefined;
  priority?: boolean;
}

/**
 * Inserts the story, or updates it when the same item (same source and guid, or same URL) comes
 * back with other text: the old text is kept as a story revision and the version goes up.
 * Runs in one transaction, so a crash leaves either the whole story or nothing.
 */
export async function upsertStory(db: Db, sourceId: string | null, item: CleanStory, extras: StoryExtras = {}): Promise<UpsertOutcome> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('stories').selectAll()
      .where((eb) => eb.or([
        eb.and([eb(eb.fn.coalesce('source_id', eb.val('')), '=', sourceId ?? ''), eb('guid', '=', item.guid)]),
        ...(item.url ? [eb('url', '=', item.url)] : []),
      ]))
      .orderBy('id').limit(1).forUpdate().executeTakeFirst();
    if (!existing) {
      const story = await trx.insertInto('stories').values({
        source_id: sourceId,
        guid: item.guid,
        url: item.url ?? null,
        title: item.title,
        summary: item.summary,
        body_html: item.bodyHtml,
        author: item.author ?? null,
        attribution: extras.attribution ?? null,
        category: item.category ?? null,
        priority: extras.priority ?? false,
        image_url: item.imageUrl ?? null,
        content_hash: item.contentHash,
        published_at: item.publishedAt ?? null,
      }).returningAll().executeTakeFirstOrThrow();
      await trx.insertInto('story_revisions').values({ story_id: story.id, version: 1, title: story.title, summary: story.summary, body_html: story.body_html }).execute();
      return { outcome: 'new', story };
    }
    if (existing.content_hash === item.contentHash) return { outcome: 'unchanged', story: existing };
    const story = await trx.updateTable('stories').set({
      title: item.title,
      summary: item.summary,
      body_html: item.bodyHtml,
      image_url: item.imageUrl ?? existing.image_url,
      category: item.category ?? existing.category,
      content_hash: item.contentHash,
      version: existing.version + 1,
      updated_at: new Date(),
    }).where('id', '=', existing.id).returningAll().executeTakeFirstOrThrow();
    await trx.insertInto('story_revisions').values({ story_id: story.id, version: story.version, title: story.title, summary: story.summary, body_html: story.body_html }).execute();
    return { outcome: 'updated', story };
  });
}

export function getStory(db: Db, id: number): Promise<StoryRow | undefined> {
  return db.selectFrom('stories').selectAll().where('id', '=', id).executeTakeFirst();
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
