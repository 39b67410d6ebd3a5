/**
 * Reading the public site's pages from the database. Every query is an index look-up or a range of
 * one page's rows (publications_feed_order, publications_topic_order, the translations of one story),
 * so a page costs the same with a thousand stories as with a million; the archive's month list is
 * the one grouped read, an index-only scan of the audience's publications.
 */
import { sql } from 'kysely';
import type { i18n } from 'i18next';
import type { AudienceConfig } from '../../core/audience.ts';
import { imageVariants, type ImageVariant } from '../../core/media.ts';
import { variantSize } from '../../ingest/images.ts';
import type { Db } from '../../store/db.ts';
import '../../store/schema-feeds.ts';
import '../../store/schema-ingest.ts';
import { topicName } from '../topics.ts';
import type { ImageSource, ResponsiveImage, StoryCard } from './model.ts';
import { mediaPath, translationUrl as articleUrl } from '../../core/urls.ts';

export interface SiteLoadDeps {
  db: Db;
  i18n: i18n;
  publicUrl: string;
  /** Every configured audience: translations of audiences no longer configured are not linked. */
  audiences: readonly AudienceConfig[];
}

/** A stored image's sizes, from its large variant's proportions (the smaller ones are made on first request if missing). */
export function responsiveImage(hash: string, large: { width: number; height: number }): ResponsiveImage {
  const source = (variant: ImageVariant): ImageSource => ({ url: mediaPath(hash, variant), ...variantSize(variant, large) });
  const widths = (variants: ImageVariant[]) => {
    const out: ImageSource[] = [];
    for (const v of variants) {
      const s = source(v);
      if (!out.some((o) => o.width === s.width)) out.push(s); // a small original gives the same size thrice
    }
    return out;
  };
  return {
    jpeg: widths(['w480', 'w960', 'large']),
    webp: widths(['w480-webp', 'w960-webp', 'large-webp']),
    card: { ...source('card'), type: imageVariants.card.mime },
    cardX: { ...source('card-x'), type: imageVariants['card-x'].mime },
  };
}

/** Every stored image of these stories (by story, then by source URL), without the bytes. */
export async function loadImages(deps: Pick<SiteLoadDeps, 'db'>, storyIds: number[], opts: { leadOnly: boolean }) {
  const byStory = new Map<number, { lead: { sourceUrl: string; image: ResponsiveImage } | undefined; bySource: Map<string, ResponsiveImage> }>();
  if (!storyIds.length) return byStory;
  let query = deps.db.selectFrom('story_images as si')
    .innerJoin('image_variants as v', (j) => j.onRef('v.hash', '=', 'si.hash').on('v.variant', '=', 'large'))
    .select(['si.story_id', 'si.position', 'si.hash', 'si.source_url', 'v.width', 'v.height'])
    .where('si.story_id', 'in', storyIds);
  if (opts.leadOnly) query = query.where('si.position', '=', 0);
  for (const r of await query.execute()) {
    const entry = byStory.get(r.story_id) ?? { lead: undefined, bySource: new Map() };
    const image = responsiveImage(r.hash, r);
    entry.bySource.set(r.source_url, image);
    if (r.position === 0) entry.lead = { sourceUrl: r.source_url, image };
    byStory.set(r.story_id, entry);
  }
  return byStory;
}

export interface ListQuery {
  audience: AudienceConfig;
  now: Date;
  limit: number;
  topic?: string | undefined;
  /** Keyset: stories published before this one (first_published_at, translation_id). */
  before?: { at: Date; id: number } | undefined;
  /** A day (or any span) of the archive: [from, to). */
  from?: Date | undefined;
  to?: Date | undefined;
  priorityOnly?: boolean;
}

/** Stories of an audience, newest first, with their lead images and topics in the audience's language. */
export async function loadStoryList(deps: SiteLoadDeps, q: ListQuery): Promise<StoryCard[]> {
  let query = publicCards(deps, q.audience, q.now).limit(q.limit);
  if (q.topic) query = query.where('p.topic', '=', q.topic);
  if (q.priorityOnly) query = query.where('s.priority', '=', true);
  if (q.from) query = query.where('p.first_published_at', '>=', q.from);
  if (q.to) query = query.where('p.first_published_at', '<', q.to);
  if (q.before) {
    const { at, id } = q.before;
    query = query.where((eb) => eb.or([eb('p.first_published_at', '<', at), eb.and([eb('p.first_published_at', '=', at), eb('p.translation_id', '<', id)])]));
  }
  return cardsOf(deps, q.audience, await query.execute());
}

/** What the public sees of an audience now (not withdrawn, past any embargo), newest first, as card rows. */
function publicCards(deps: Pick<SiteLoadDeps, 'db'>, audience: AudienceConfig, now: Date) {
  return deps.db.selectFrom('publications as p')
    .innerJoin('translations as t', 't.id', 'p.translation_id')
    .innerJoin('stories as s', 's.id', 't.story_id')
    .select(['p.translation_id', 'p.title', 'p.summary', 'p.first_published_at', 'p.topic', 'p.topic_name', 't.story_id', 's.priority'])
    .where('p.audience_id', '=', audience.id)
    .where('p.withdrawn_at', 'is', null)
    .where('p.first_published_at', '<=', now)
    .orderBy('p.first_published_at', 'desc').orderBy('p.translation_id', 'desc');
}

interface CardRow { translation_id: number; title: string; summary: string; first_published_at: Date; topic: string | null; topic_name: string | null; story_id: number; priority: boolean }

/** Publication rows as cards, with their lead images and topics in the audience's language. */
async function cardsOf(deps: SiteLoadDeps, audience: AudienceConfig, rows: readonly CardRow[]): Promise<StoryCard[]> {
  const images = await loadImages(deps, [...new Set(rows.map((r) => r.story_id))], { leadOnly: true });
  return rows.map((r) => ({
    translationId: r.translation_id,
    audienceId: audience.id,
    path: articleUrl('', audience.id, r.translation_id),
    title: r.title,
    summary: r.summary,
    firstPublishedAt: r.first_published_at,
    priority: r.priority,
    topic: r.topic && r.topic_name ? { slug: r.topic, name: topicName(deps.i18n, audience.language, r.topic, r.topic_name) } : undefined,
    image: images.get(r.story_id)?.lead?.image,
  }));
}

/** The first day of each month with stories, newest first, in the audience's time zone. */
export async function loadArchiveMonths(db: Db, audience: AudienceConfig, now: Date): Promise<{ year: number; month: number; count: number }[]> {
  const rows = await sql<{ year: number; month: number; count: string }>`
    SELECT extract(year FROM m)::int AS year, extract(month FROM m)::int AS month, count AS count FROM (
      SELECT date_trunc('month', first_published_at AT TIME ZONE ${audience.timeZone}) AS m, count(*) AS count
      FROM publications WHERE audience_id = ${audience.id} AND withdrawn_at IS NULL AND first_published_at <= ${now}
      GROUP BY 1) months ORDER BY m DESC`.execute(db);
  return rows.rows.map((r) => ({ year: r.year, month: r.month, count: Number(r.count) }));
}

/** The span of a day (or of a month, without `day`) in the audience's time zone, as instants. */
export function localSpan(timeZone: string, year: number, month: number, day?: number): { from: Date; to: Date } {
  const next = day === undefined ? new Date(Date.UTC(year, month, 1)) : new Date(Date.UTC(year, month - 1, day + 1));
  return { from: zonedMidnight(timeZone, year, month, day ?? 1), to: zonedMidnight(timeZone, next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate()) };
}

/** Midnight of a local date in a time zone, as an instant (the offset at that moment, DST included). */
function zonedMidnight(timeZone: string, year: number, month: number, day: number): Date {
  const guess = Date.UTC(year, month - 1, day);
  const offsetAt = (t: number) => {
    const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
      .formatToParts(new Date(t)).map((p) => [p.type, p.value]));
    return Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!) - t;
  };
  const first = guess - offsetAt(guess);
  return new Date(guess - offsetAt(first));
}

/** Stories per day of one month (day of month → count), in the audience's time zone. */
export async function loadArchiveDays(db: Db, audience: AudienceConfig, year: number, month: number, now: Date): Promise<Map<number, number>> {
  const { from, to } = localSpan(audience.timeZone, year, month);
  const rows = await sql<{ day: number; count: string }>`
    SELECT extract(day FROM first_published_at AT TIME ZONE ${audience.timeZone})::int AS day, count(*) AS count
    FROM publications WHERE audience_id = ${audience.id} AND withdrawn_at IS NULL AND first_published_at <= ${now}
      AND first_published_at >= ${from} AND first_published_at < ${to}
    GROUP BY 1`.execute(db);
  return new Map(rows.rows.map((r) => [r.day, Number(r.count)]));
}

/** One month's articles of an audience for its sitemap, each with the story's other published translations (hreflang). */
export async function loadSitemapMonth(deps: SiteLoadDeps, audience: AudienceConfig, span: { from: Date; to: Date }, now: Date, limit: number) {
  const rows = await deps.db.selectFrom('publications as p')
    .innerJoin('translations as t', 't.id', 'p.translation_id')
    .select(['p.translation_id', 'p.updated_at', 't.story_id', 't.language'])
    .where('p.audience_id', '=', audience.id).where('p.withdrawn_at', 'is', null)
    .where('p.first_published_at', '<=', now).where('p.first_published_at', '>=', span.from).where('p.first_published_at', '<', span.to)
    .orderBy('p.first_published_at', 'desc').orderBy('p.translation_id', 'desc')
    .limit(limit)
    .execute();
  const storyIds = [...new Set(rows.map((r) => r.story_id))];
  const known = new Set(deps.audiences.map((a) => a.id));
  const siblings = new Map<number, { hreflang: string; href: string }[]>();
  if (storyIds.length) {
    const all = await deps.db.selectFrom('translations as t').innerJoin('publications as p', 'p.translation_id', 't.id')
      .select(['t.story_id', 't.id', 't.audience_id', 't.language'])
      .where('t.story_id', 'in', storyIds).where('p.withdrawn_at', 'is', null).where('p.first_published_at', '<=', now)
      .orderBy('t.audience_id').execute();
    for (const s of all) {
      if (!known.has(s.audience_id)) continue;
      const list = siblings.get(s.story_id) ?? [];
      list.push({ hreflang: s.language, href: articleUrl(deps.publicUrl, s.audience_id, s.id) });
      siblings.set(s.story_id, list);
    }
  }
  return rows.map((r) => {
    const alternates = siblings.get(r.story_id) ?? [];
    return { loc: articleUrl(deps.publicUrl, audience.id, r.translation_id), lastmod: r.updated_at, alternates: alternates.length > 1 ? alternates : [] };
  });
}

/** The most results a search pages through: past them, other words find better than paging. */
export const SEARCH_MAX_OFFSET = 500;

/**
 * An audience's published stories whose published text holds the words (021_site_search.sql: the
 * publication's own text, stemmed in its language, diacritics folded, CJK and Lao letter by
 * letter), newest first, one page and whether there is another.
 */
/** Words of scripts written without spaces (indexed letter by letter) are looked for as phrases. */
const unspacedRun = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Lao}]+/gu;
export const searchWords = (words: string) => (words.includes('"') ? words : words.replace(unspacedRun, (run) => `"${run}"`)).normalize('NFC');

export async function searchPublished(deps: SiteLoadDeps, q: { audience: AudienceConfig; now: Date; words: string; offset: number; limit: number }): Promise<{ stories: StoryCard[]; more: boolean }> {
  const offset = Math.min(Math.max(0, q.offset), SEARCH_MAX_OFFSET);
  const rows = await publicCards(deps, q.audience, q.now)
    .where(sql<boolean>`p.search @@ websearch_to_tsquery(search_config(${q.audience.language}), search_split(${searchWords(q.words)}))`)
    .offset(offset).limit(q.limit + 1)
    .execute();
  return { stories: await cardsOf(deps, q.audience, rows.slice(0, q.limit)), more: rows.length > q.limit && offset + q.limit < SEARCH_MAX_OFFSET };
}
