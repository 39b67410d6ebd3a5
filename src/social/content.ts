/**
 * A post's content from the database: the publication's current text (so a correction approved
 * before the post goes out is what is posted), the link to its page, the channel's hashtags and
 * the audience's strings from locales/<lang>/social.json. Null when nothing is live to post.
 */
import type { i18n } from 'i18next';
import { translationUrl } from '../core/urls.ts';
import type { Db } from '../store/db.ts';
import '../store/schema-monitoring.ts';
import type { PostContent } from './format/content.ts';

export interface LiveTranslation {
  translationId: number;
  storyId: number;
  audienceId: string;
  priority: boolean;
  imageUrl: string | null;
  content: PostContent;
  /** Alt text of the image card, in the audience's language. */
  imageAlt: string;
  /** When the public may first see it (an embargo); nothing is posted before. */
  publicFrom: Date;
}

/** Titles and summaries are plain text (ingest and the desk keep them so); a post wants them on one line each. */
export function plainText(text: string): string {
  return text.replace(/\s+/g, ' ').trim().normalize('NFC');
}

/**
 * When the story is the official answer to a false claim: where it was first said, and the post on
 * `network` to reply to (the earliest appearance recorded on that network with its post).
 */
async function answeredClaim(db: Db, storyId: number, network: string): Promise<{ url: string; replyTo: string | undefined } | undefined> {
  const appearances = await db.selectFrom('false_claims as c').innerJoin('false_claim_appearances as a', 'a.false_claim_id', 'c.id')
    .select(['a.url', 'a.network', 'a.post_ref']).where('c.answer_story_id', '=', storyId).orderBy('a.first_seen_at').orderBy('a.id').execute();
  if (!appearances.length) return undefined;
  const post = appearances.find((a) => a.network === network && a.post_ref);
  return { url: post?.url ?? appearances[0]!.url, replyTo: post?.post_ref ?? undefined };
}

export async function loadLiveTranslation(deps: { db: Db; i18n: i18n; publicUrl: string }, translationId: number, opts: { language: string; hashtags: readonly string[]; network: string }): Promise<LiveTranslation | null> {
  const row = await deps.db.selectFrom('publications as p')
    .innerJoin('translations as t', 't.id', 'p.translation_id')
    .innerJoin('stories as s', 's.id', 't.story_id')
    .select(['t.id', 't.story_id', 't.state', 'p.audience_id', 'p.title', 'p.summary', 'p.withdrawn_at', 'p.first_published_at', 's.priority', 's.image_url'])
    .where('p.translation_id', '=', translationId)
    .executeTakeFirst();
  if (!row || row.withdrawn_at || row.state === 'withdrawn') return null;
  const t = deps.i18n.getFixedT(opts.language, 'social');
  const url = translationUrl(deps.publicUrl, row.audience_id, row.id);
  const title = plainText(row.title);
  const claim = await answeredClaim(deps.db, row.story_id, opts.network);
  // a reply sits under the post it answers; any other post names where the false claim was said
  const readMore = claim && !claim.replyTo ? t('readMoreAnswer', { url, claimUrl: claim.url }) : t('readMore', { url });
  return {
    translationId: row.id,
    storyId: row.story_id,
    audienceId: row.audience_id,
    priority: row.priority,
    imageUrl: row.image_url,
    imageAlt: t('imageAlt', { title }),
    publicFrom: row.first_published_at,
    content: {
      language: opts.language,
      title,
      summary: plainText(row.summary),
      url,
      hashtags: opts.hashtags,
      ...(claim?.replyTo ? { replyTo: claim.replyTo } : {}),
      strings: { readMore, readMoreLabel: t('readMoreLabel') },
    },
  };
}
