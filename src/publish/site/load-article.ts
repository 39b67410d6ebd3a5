/**
 * One article page's data: the publication, its story, its images, the other languages of the
 * story and a few related stories. Four queries, each by primary key or one index range: the
 * publication (by translation id), then in parallel the story's other translations, its images,
 * the newest stories of its topic, and the false claim it answers if any (one more for its appearances).
 */
import type { AudienceConfig } from '../../core/audience.ts';
import { topicName } from '../topics.ts';
import { prepareBody } from './body.ts';
import { loadImages, loadStoryList, type SiteLoadDeps } from './load.ts';
import type { Alternate, Article, FactCheck } from './model.ts';
import type { FalseClaimsConfig } from '../../config.ts';
import type { Db } from '../../store/db.ts';
import '../../store/schema-monitoring.ts';
import { translationUrl as articleUrl } from '../../core/urls.ts';

export type ArticleLookup = { kind: 'found'; article: Article } | { kind: 'gone' } | { kind: 'missing' };

const RELATED = 4;

/** The scale false claims are rated on (falseClaims in the configuration). */
export type RatingScale = Pick<FalseClaimsConfig, 'ratings' | 'bestRating' | 'worstRating'>;

/**
 * The false claim a story answers, with its appearances, or undefined. A rating no longer on the
 * configured scale (the scale was changed) leaves the page without a ClaimReview rather than with a wrong one.
 */
export async function loadFactCheck(db: Db, scale: RatingScale, storyId: number, language: string): Promise<FactCheck | undefined> {
  const claim = await db.selectFrom('false_claims').select(['id', 'text', 'rating']).where('answer_story_id', '=', storyId).executeTakeFirst();
  if (!claim) return undefined;
  const rating = scale.ratings.find((r) => r.id === claim.rating);
  if (!rating) return undefined;
  const appearances = await db.selectFrom('false_claim_appearances').select(['url', 'outlet', 'language', 'first_seen_at'])
    .where('false_claim_id', '=', claim.id).orderBy('first_seen_at').orderBy('id').execute();
  const name = rating.names[language] ?? rating.names[language.split('-')[0]!] ?? rating.names.en!;
  return {
    claim: claim.text,
    rating: { value: rating.value, best: scale.bestRating, worst: scale.worstRating, name },
    appearances: appearances.map((a) => ({ url: a.url, outlet: a.outlet, language: a.language, firstSeenAt: a.first_seen_at })),
  };
}

export async function loadArticle(deps: SiteLoadDeps & { languageName(language: string): string; tableLabel: string; ratingScale: RatingScale }, audience: AudienceConfig, translationId: number, now: Date): Promise<ArticleLookup> {
  const row = await deps.db.selectFrom('publications as p')
    .innerJoin('translations as t', 't.id', 'p.translation_id')
    .innerJoin('stories as s', 's.id', 't.story_id')
    .select(['p.title', 'p.summary', 'p.body_html', 'p.first_published_at', 'p.updated_at', 'p.correction_count', 'p.withdrawn_at', 'p.topic', 'p.topic_name',
      't.story_id', 's.url as original_url', 's.attribution', 's.author', 's.published_at'])
    .where('p.translation_id', '=', translationId).where('p.audience_id', '=', audience.id)
    .executeTakeFirst();
  // an item under embargo does not exist yet for the public
  if (!row || row.first_published_at > now) return { kind: 'missing' };
  if (row.withdrawn_at) return { kind: 'gone' };

  const [siblings, images, related, factCheck] = await Promise.all([
    deps.db.selectFrom('translations as t')
      .innerJoin('publications as p', 'p.translation_id', 't.id')
      .select(['t.id', 't.audience_id', 't.language'])
      .where('t.story_id', '=', row.story_id).where('t.id', '!=', translationId)
      .where('p.withdrawn_at', 'is', null).where('p.first_published_at', '<=', now)
      .execute(),
    loadImages(deps, [row.story_id], { leadOnly: false }),
    loadStoryList(deps, { audience, now, limit: RELATED + 1, topic: row.topic ?? undefined }),
    loadFactCheck(deps.db, deps.ratingScale, row.story_id, audience.language),
  ]);
  const order = new Map(deps.audiences.map((a, i) => [a.id, i]));
  const alternates: Alternate[] = siblings
    // an audience taken out of the configuration has no pages any more
    .filter((s) => order.has(s.audience_id))
    .sort((a, b) => order.get(a.audience_id)! - order.get(b.audience_id)!)
    .map((s) => ({ language: s.language, audienceId: s.audience_id, url: articleUrl(deps.publicUrl, s.audience_id, s.id), path: articleUrl('', s.audience_id, s.id), languageName: deps.languageName(s.language) }));
  if (row.original_url) alternates.push({ language: 'vi', audienceId: undefined, url: row.original_url, path: row.original_url, languageName: deps.languageName('vi') });

  const storyImages = images.get(row.story_id);
  const body = prepareBody(row.body_html, { leadSourceUrl: storyImages?.lead?.sourceUrl, bySource: storyImages?.bySource ?? new Map() }, { table: deps.tableLabel });
  return {
    kind: 'found',
    article: {
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
      topic: row.topic && row.topic_name ? { slug: row.topic, name: topicName(deps.i18n, audience.language, row.topic, row.topic_name) } : undefined,
      lead: storyImages?.lead ? { image: storyImages.lead.image, caption: body.leadCaption?.caption ?? '', credit: body.leadCaption?.credit ?? '' } : undefined,
      alternates,
      related: related.filter((r) => r.translationId !== translationId).slice(0, RELATED),
      factCheck,
    },
  };
}
