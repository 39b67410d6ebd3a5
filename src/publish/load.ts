/**
 * Reading a feed's items from the database. Every query is bounded by the feed's length (an index
 * range scan of the newest N publications, then look-ups by those ids), so a rebuild costs the
 * same with a thousand stories as with a million.
 */
import { sql } from 'kysely';
import type { i18n } from 'i18next';
import { localeOf, type AudienceConfig } from '../core/audience.ts';
import { mediaPath, translationUrl } from '../core/urls.ts';
import type { Db } from '../store/db.ts';
import '../store/schema-feeds.ts';
import '../store/schema-ingest.ts';
import type { FeedItem, LeadImage, WithdrawnItem } from './feed-document.ts';
import { topicName } from './topics.ts';

/** Takedowns stay announced (Atom tombstones) this long. */
export const TOMBSTONE_DAYS = 30;

export interface ItemQuery {
  audience: AudienceConfig;
  /** Only this topic's items. */
  topic?: string | undefined;
  /** Partner feeds: items under embargo too. */
  includeEmbargoed: boolean;
  limit: number;
  now: Date;
}

/** A tag: URI (RFC 4151) naming a translation for good: minted once, stored with its publication. */
export function mintItemId(authority: string, firstPublishedAt: Date, audienceId: string, translationId: number): string {
  return `tag:${authority},${firstPublishedAt.toISOString().slice(0, 10)}:${audienceId}/${translationId}`;
}

export interface LoadDeps { db: Db; i18n: i18n; publicUrl: string; audiences?: readonly AudienceConfig[] }

const dateFormats = new Map<string, Intl.DateTimeFormat>();
/**
 * Dates and times as the audience reads them: its locale (en-GB: "2 December 2026 at 01:03 GMT")
 * in its time zone, the zone named, since readers abroad see the note far from Hanoi. A formatter
 * costs ~1 ms to make, so one per locale, zone and style is kept.
 */
export function audienceDateFormat(audience: Pick<AudienceConfig, 'language' | 'locale' | 'targetCode' | 'timeZone'>, style: 'dateTime' | 'date' = 'dateTime'): Intl.DateTimeFormat {
  const locale = localeOf(audience);
  const key = `${locale}|${audience.timeZone}|${style}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, style === 'date'
      ? { dateStyle: 'long', timeZone: audience.timeZone }
      : { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short', timeZone: audience.timeZone });
    dateFormats.set(key, format);
  }
  return format;
}

export async function loadItems(deps: LoadDeps, q: ItemQuery): Promise<FeedItem[]> {
  let query = deps.db.selectFrom('publications as p')
    .innerJoin('translations as t', 't.id', 'p.translation_id')
    .innerJoin('stories as s', 's.id', 't.story_id')
    .select(['p.translation_id', 'p.guid', 'p.title', 'p.summary', 'p.body_html', 'p.first_published_at', 'p.updated_at',
      'p.correction_count', 'p.embargo_until', 'p.topic', 'p.topic_name', 't.story_id', 't.language',
      's.attribution', 's.url as original_url', 's.image_url', 's.author', 's.published_at'])
    .where('p.audience_id', '=', q.audience.id)
    .where('p.withdrawn_at', 'is', null)
    .orderBy('p.first_published_at', 'desc').orderBy('p.translation_id', 'desc')
    .limit(q.limit);
  if (q.topic) query = query.where('p.topic', '=', q.topic);
  // an embargoed publication's first_published_at is the moment its embargo lifts
  if (!q.includeEmbargoed) query = query.where('p.first_published_at', '<=', q.now);
  const rows = await query.execute();
  if (!rows.length) return [];

  const storyIds = [...new Set(rows.map((r) => r.story_id))];
  const [siblings, images] = await Promise.all([loadTranslations(deps, storyIds, q), loadLeadImages(deps.db, deps.publicUrl, storyIds)]);
  const t = deps.i18n.getFixedT(q.audience.language, 'feeds');
  const dateFormat = audienceDateFormat(q.audience);

  return rows.map((r) => {
    const url = translationUrl(deps.publicUrl, q.audience.id, r.translation_id);
    const seen = new Set([r.language]);
    const translations = (siblings.get(r.story_id) ?? []).filter((s) => s.translationId !== r.translation_id && !seen.has(s.language) && seen.add(s.language))
      .map((s) => ({ language: s.language, url: s.url }));
    const image = images.get(r.story_id) ?? (r.image_url ? { url: r.image_url, type: undefined, length: undefined, width: undefined, height: undefined } : undefined);
    return {
      id: r.guid ?? mintItemId('doingoai', r.first_published_at, q.audience.id, r.translation_id),
      url,
      language: r.language,
      title: r.title,
      summary: r.summary,
      contentHtml: r.body_html,
      firstPublishedAt: r.first_published_at,
      updatedAt: r.updated_at,
      version: 1 + r.correction_count,
      correctionNote: r.correction_count > 0 ? t('correctionNote', { date: dateFormat.format(r.updated_at) }) : undefined,
      category: r.topic && r.topic_name ? { slug: r.topic, name: topicName(deps.i18n, q.audience.language, r.topic, r.topic_name) } : undefined,
      author: r.author ?? undefined,
      originalPublishedAt: r.published_at ?? undefined,
      attribution: r.attribution ?? undefined,
      originalUrl: r.original_url ?? undefined,
      translations,
      image,
      embargoUntil: r.embargo_until && r.embargo_until > q.now ? r.embargo_until : undefined,
    } satisfies FeedItem;
  });
}

/** The published translations of these stories, in every audience (for hreflang alternates). */
async function loadTranslations(deps: LoadDeps, storyIds: number[], q: ItemQuery) {
  let query = deps.db.selectFrom('translations as t')
    .innerJoin('publications as p', 'p.translation_id', 't.id')
    .select(['t.story_id', 't.id', 't.audience_id', 't.language'])
    .where('t.story_id', 'in', storyIds)
    .where('p.withdrawn_at', 'is', null)
    .orderBy('t.audience_id');
  if (!q.includeEmbargoed) query = query.where('p.first_published_at', '<=', q.now);
  const known = deps.audiences ? new Set(deps.audiences.map((a) => a.id)) : undefined;
  const byStory = new Map<number, { translationId: number; language: string; url: string }[]>();
  for (const r of await query.execute()) {
    if (known && !known.has(r.audience_id)) continue; // an audience removed from the configuration has no pages
    const list = byStory.get(r.story_id) ?? [];
    list.push({ translationId: r.id, language: r.language, url: translationUrl(deps.publicUrl, r.audience_id, r.id) });
    byStory.set(r.story_id, list);
  }
  return byStory;
}

/**
 * Lead images stored by ingestion (src/ingest/images.ts): the 1200×630 JPEG "card" variant, served
 * from our own /media/ URL with its exact type, size and dimensions (one query for the whole feed,
 * without the bytes). A story whose image was not stored falls back to stories.image_url, with no
 * type or size: the renderers then give Media RSS only, never an enclosure with a guessed type.
 */
async function loadLeadImages(db: Db, publicUrl: string, storyIds: number[]): Promise<Map<number, LeadImage>> {
  const variant = 'card';
  const rows = await db.selectFrom('story_images as si')
    .innerJoin('image_variants as v', 'v.hash', 'si.hash')
    .select(['si.story_id', 'si.hash', 'v.mime', 'v.width', 'v.height', sql<number>`octet_length(v.data)`.as('bytes')])
    .where('si.story_id', 'in', storyIds).where('si.position', '=', 0).where('v.variant', '=', variant)
    .execute();
  return new Map(rows.map((r) => [r.story_id, { url: `${publicUrl}${mediaPath(r.hash, variant)}`, type: r.mime, length: Number(r.bytes), width: r.width, height: r.height }]));
}

export async function loadWithdrawn(db: Db, q: { audienceId: string; topic?: string | undefined; now: Date; limit: number }): Promise<WithdrawnItem[]> {
  const { audienceId, now, limit } = q;
  let query = db.selectFrom('publications')
    .select(['translation_id', 'guid', 'first_published_at', 'withdrawn_at'])
    .where('audience_id', '=', audienceId)
    .where('withdrawn_at', 'is not', null)
    .where('withdrawn_at', '>', sql<Date>`${now}::timestamptz - make_interval(days => ${TOMBSTONE_DAYS})`)
    .orderBy('withdrawn_at', 'desc').limit(limit);
  if (q.topic) query = query.where('topic', '=', q.topic);
  const rows = await query.execute();
  return rows.map((r) => ({ id: r.guid ?? mintItemId('doingoai', r.first_published_at, audienceId, r.translation_id), withdrawnAt: r.withdrawn_at! }));
}

/** What a news sitemap needs of the last days' items: no bodies, no look-ups. */
export async function loadSitemapEntries(deps: LoadDeps, q: { audience: AudienceConfig; since: Date; now: Date; limit: number }) {
  const rows = await deps.db.selectFrom('publications as p')
    .innerJoin('translations as t', 't.id', 'p.translation_id')
    .select(['p.translation_id', 'p.title', 'p.first_published_at', 't.language'])
    .where('p.audience_id', '=', q.audience.id)
    .where('p.withdrawn_at', 'is', null)
    .where('p.first_published_at', '<=', q.now)
    .where('p.first_published_at', '>=', q.since)
    .orderBy('p.first_published_at', 'desc').orderBy('p.translation_id', 'desc')
    .limit(q.limit)
    .execute();
  return rows.map((r) => ({ url: translationUrl(deps.publicUrl, q.audience.id, r.translation_id), title: r.title, firstPublishedAt: r.first_published_at, language: r.language }));
}

/** The audience's topics, named in its language (see topicName), in slug order. */
export async function listTopics(db: Db, i18n: i18n, audience: Pick<AudienceConfig, 'id' | 'language'>): Promise<{ slug: string; name: string }[]> {
  const rows = await db.selectFrom('feed_topics').select(['slug', 'name']).where('audience_id', '=', audience.id).orderBy('slug').execute();
  return rows.map((r) => ({ slug: r.slug, name: topicName(i18n, audience.language, r.slug, r.name) }));
}

/** Whether the audience has anything public now (audiences with nothing are left out of the OPML and the site's language lists). */
export async function publishedAudiences(db: Db, audienceIds: readonly string[], now: Date): Promise<Set<string>> {
  if (!audienceIds.length) return new Set();
  // one index probe per audience (publications_feed_order), whatever the table's size
  const rows = await sql<{ audience_id: string }>`SELECT a.id AS audience_id FROM unnest(${sql.val([...audienceIds])}::text[]) AS a(id)
    WHERE EXISTS (SELECT 1 FROM publications p WHERE p.audience_id = a.id AND p.withdrawn_at IS NULL AND p.first_published_at <= ${now})`.execute(db);
  return new Set(rows.rows.map((r) => r.audience_id));
}

export interface PublicationState { translationId: number; audienceId: string; firstPublishedAt: Date; withdrawnAt: Date | null }

/** The publications of these translations (none for a translation never published). */
export async function publicationsOf(db: Db, translationIds: readonly number[]): Promise<Map<number, PublicationState>> {
  if (!translationIds.length) return new Map();
  const rows = await db.selectFrom('publications').select(['translation_id', 'audience_id', 'first_published_at', 'withdrawn_at'])
    .where('translation_id', 'in', translationIds).execute();
  return new Map(rows.map((r) => [r.translation_id, { translationId: r.translation_id, audienceId: r.audience_id, firstPublishedAt: r.first_published_at, withdrawnAt: r.withdrawn_at }]));
}

/** Whether the public reads it now: published, past any embargo, not withdrawn. */
export const isPublicNow = (p: PublicationState | undefined, now: Date): p is PublicationState => Boolean(p && !p.withdrawnAt && p.firstPublishedAt <= now);
