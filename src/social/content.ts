/**
 * A post's content from the database: the publication's current text (so a correction approved
 * before the post goes out is what is posted), the link to its page, the channel's hashtags and
 * the audience's strings from locales/<lang>/social.json. Null when nothing is live to post.
 */
import type { i18n } from 'i18next';
import { translationUrl } from '../core/urls.ts';
import type { Db } from '../store/db.ts';
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

export async function loadLiveTranslation(deps: { db: Db; i18n: i18n; publicUrl: string }, translationId: number, opts: { language: string; hashtags: readonly string[] }): Promise<LiveTranslation | null> {
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
      strings: { readMore: t('readMore', { url }), readMoreLabel: t('readMoreLabel') },
    },
  };
}
