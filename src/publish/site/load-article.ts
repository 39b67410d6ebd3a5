/**
 * One article page's data in one statement, one round trip: the publication (by translation id),
 * its story's other published translations, its images, the newest stories of its topic with their
 * lead images, the false claim it answers with its appearances, and the audiences with something
 * public (the language switcher). Each part is a primary-key look-up or one index range
 * (publications_topic_order, publications_feed_order), so the page costs the same with a thousand
 * stories as with a million. One statement rather than six because on a busy machine each round
 * trip to PostgreSQL, not the reading itself, was most of a page's time.
 */
import { sql } from 'kysely';
import type { AudienceConfig } from '../../core/audience.ts';
import { topicName } from '../topics.ts';
import { prepareBody } from './body.ts';
import { responsiveImage, type SiteLoadDeps } from './load.ts';
import type { Alternate, Article, FactCheck, ResponsiveImage, StoryCard } from './model.ts';
import type { FalseClaimsConfig } from '../../config.ts';
import { runPrepared } from '../../store/db.ts';
import '../../store/schema-monitoring.ts';
import { translationUrl as articleUrl } from '../../core/urls.ts';

export type ArticleLookup = { kind: 'found'; article: Article } | { kind: 'gone' } | { kind: 'missing' };

const RELATED = 4;

/** The scale false claims are rated on (falseClaims in the configuration). */
export type RatingScale = Pick<FalseClaimsConfig, 'ratings' | 'bestRating' | 'worstRating'>;

interface ArticleRow {
  live: string[];
  title: string | null; summary: string; body_html: string; first_published_at: Date; updated_at: Date; correction_count: number;
  withdrawn_at: Date | null; topic: string | null; topic_name: string | null;
  story_id: number | null; original_url: string | null; attribution: string | null; author: string | null; published_at: Date | null;
  /** [translation id, audience, language] */
  siblings: [number, string, string][] | null;
  /** [position, hash, source URL, large width, large height], by position */
  images: [number, string, string, number, number][] | null;
  /** [translation id, title, summary, first published, topic, topic name, priority, lead hash, width, height], newest first */
  related: [number, string, string, string, string | null, string | null, boolean, string | null, number | null, number | null][] | null;
  claim: { text: string; rating: string; appearances: [string, string, string, string][] } | null;
}

/** The audiences with something public now, and the article if the public may read it. */
export interface ArticlePage { live: ReadonlySet<string>; lookup: ArticleLookup }

export async function loadArticle(deps: SiteLoadDeps & { languageName(language: string): string; tableLabel: string; ratingScale: RatingScale }, audience: AudienceConfig, translationId: number, now: Date): Promise<ArticlePage> {
  const visible = (alias: string) => sql.raw(`${alias}.withdrawn_at IS NULL AND ${alias}.first_published_at <= `);
  const related = (onTopic: boolean) => sql`(SELECT rp.translation_id, rp.title, rp.summary, rp.first_published_at, rp.topic, rp.topic_name FROM publications rp
      WHERE ${sql.raw(onTopic ? 'a.topic IS NOT NULL AND rp.topic = a.topic' : 'a.topic IS NULL')} AND rp.audience_id = ${audience.id} AND ${visible('rp')}${now}
      ORDER BY rp.first_published_at DESC, rp.translation_id DESC LIMIT ${RELATED + 1})`;
  // prepared: planning this statement cost PostgreSQL ten times what running it does (8 ms vs 0.8 on a busy machine)
  const [row] = await runPrepared(deps.db, 'site-article', sql<ArticleRow>`
    WITH a AS (
      SELECT p.title, p.summary, p.body_html, p.first_published_at, p.updated_at, p.correction_count, p.withdrawn_at, p.topic, p.topic_name,
             t.story_id, s.url AS original_url, s.attribution, s.author, s.published_at
      FROM publications p JOIN translations t ON t.id = p.translation_id JOIN stories s ON s.id = t.story_id
      WHERE p.translation_id = ${translationId} AND p.audience_id = ${audience.id})
    SELECT
      ARRAY(SELECT x.id FROM unnest(${deps.audiences.map((x) => x.id)}::text[]) AS x(id)
        WHERE EXISTS (SELECT 1 FROM publications q WHERE q.audience_id = x.id AND ${visible('q')}${now})) AS live,
      a.*,
      (SELECT json_agg(json_build_array(t2.id, t2.audience_id, t2.language)) FROM translations t2 JOIN publications p2 ON p2.translation_id = t2.id
        WHERE t2.story_id = a.story_id AND t2.id <> ${translationId} AND ${visible('p2')}${now}) AS siblings,
      (SELECT json_agg(json_build_array(si.position, si.hash, si.source_url, v.width, v.height) ORDER BY si.position)
        FROM story_images si JOIN image_variants v ON v.hash = si.hash AND v.variant = 'large' WHERE si.story_id = a.story_id) AS images,
      (SELECT json_agg(json_build_array(r.translation_id, r.title, r.summary, r.first_published_at, r.topic, r.topic_name, rs.priority, li.hash, li.width, li.height)
          ORDER BY r.first_published_at DESC, r.translation_id DESC)
        FROM (${related(true)} UNION ALL ${related(false)}) r
        JOIN translations rt ON rt.id = r.translation_id JOIN stories rs ON rs.id = rt.story_id
        LEFT JOIN LATERAL (SELECT si.hash, v.width, v.height FROM story_images si JOIN image_variants v ON v.hash = si.hash AND v.variant = 'large'
          WHERE si.story_id = rt.story_id AND si.position = 0 LIMIT 1) li ON true) AS related,
      (SELECT json_build_object('text', fc.text, 'rating', fc.rating, 'appearances', (SELECT coalesce(json_agg(json_build_array(ap.url, ap.outlet, ap.language, ap.first_seen_at) ORDER BY ap.first_seen_at, ap.id), '[]')
          FROM false_claim_appearances ap WHERE ap.false_claim_id = fc.id))
        FROM false_claims fc WHERE fc.answer_story_id = a.story_id) AS claim
    FROM (SELECT 1) one LEFT JOIN a ON true`);
  const live = new Set(row!.live);
  // an item under embargo does not exist yet for the public
  if (row!.story_id === null || row!.first_published_at > now) return { live, lookup: { kind: 'missing' } };
  if (row!.withdrawn_at) return { live, lookup: { kind: 'gone' } };
  return { live, lookup: { kind: 'found', article: articleOf(deps, audience, translationId, row as ArticleRow & { story_id: number; title: string }) } };
}

function articleOf(deps: SiteLoadDeps & { languageName(language: string): string; tableLabel: string; ratingScale: RatingScale }, audience: AudienceConfig, translationId: number, row: ArticleRow & { story_id: number; title: string }): Article {
  const order = new Map(deps.audiences.map((a, i) => [a.id, i]));
  const alternates: Alternate[] = (row.siblings ?? [])
    // an audience taken out of the configuration has no pages any more
    .filter(([, audienceId]) => order.has(audienceId))
    .sort((a, b) => order.get(a[1])! - order.get(b[1])!)
    .map(([id, audienceId, language]) => ({ language, audienceId, url: articleUrl(deps.publicUrl, audienceId, id), path: articleUrl('', audienceId, id), languageName: deps.languageName(language) }));
  if (row.original_url) alternates.push({ language: 'vi', audienceId: undefined, url: row.original_url, path: row.original_url, languageName: deps.languageName('vi') });

  const bySource = new Map<string, ResponsiveImage>();
  let lead: { sourceUrl: string; image: ResponsiveImage } | undefined;
  for (const [position, hash, sourceUrl, width, height] of row.images ?? []) {
    const image = responsiveImage(hash, { width, height });
    bySource.set(sourceUrl, image);
    if (position === 0) lead = { sourceUrl, image };
  }
  const body = prepareBody(row.body_html, { leadSourceUrl: lead?.sourceUrl, bySource }, { table: deps.tableLabel });
  const topicOf = (slug: string | null, name: string | null) => (slug && name ? { slug, name: topicName(deps.i18n, audience.language, slug, name) } : undefined);
  const related: StoryCard[] = (row.related ?? []).map(([id, title, summary, at, slug, name, priority, hash, width, height]) => ({
    translationId: id,
    audienceId: audience.id,
    path: articleUrl('', audience.id, id),
    title,
    summary,
    firstPublishedAt: new Date(at),
    priority,
    topic: topicOf(slug, name),
    image: hash ? responsiveImage(hash, { width: width!, height: height! }) : undefined,
  }));
  return {
    translationId,
    url: articleUrl(deps.publicUrl, audience.id, translationId),
    title: row.title,
    summary: row.summary,
    bodyHtml: body.html,
    author: row.author ?? undefined,
    attribution: row.attribution ?? undefined,
    originalUrl: row.original_url ?? undefined,
    originalPublishedAt: row.published_at ?? undefined,
    firstPublishedAt: row.first_published_at,
    updatedAt: row.updated_at,
    corrections: row.correction_count,
    topic: topicOf(row.topic, row.topic_name),
    lead: lead ? { image: lead.image, caption: body.leadCaption?.caption ?? '', credit: body.leadCaption?.credit ?? '' } : undefined,
    alternates,
    related: related.filter((r) => r.translationId !== translationId).slice(0, RELATED),
    factCheck: row.claim ? factCheckOf(deps.ratingScale, row.claim, audience.language) : undefined,
  };
}

/**
 * The false claim a story answers, rated on the configured scale. A rating no longer on the scale
 * (the scale was changed) leaves the page without a ClaimReview rather than with a wrong one.
 */
function factCheckOf(scale: RatingScale, claim: NonNullable<ArticleRow['claim']>, language: string): FactCheck | undefined {
  const rating = scale.ratings.find((r) => r.id === claim.rating);
  if (!rating) return undefined;
  const name = rating.names[language] ?? rating.names[language.split('-')[0]!] ?? rating.names.en!;
  return {
    claim: claim.text,
    rating: { value: rating.value, best: scale.bestRating, worst: scale.worstRating, name },
    appearances: claim.appearances.map(([url, outlet, lang, at]) => ({ url, outlet, language: lang, firstSeenAt: new Date(at) })),
  };
}
