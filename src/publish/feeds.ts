/**
 * Building an audience's feed files from its publications and writing them atomically under
 * feeds/<audience>/ (temporary file, then rename), so a reader never gets half a file.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { i18n } from 'i18next';
import type { AudienceConfig } from '../config.ts';
import type { Db } from '../store/db.ts';
import type { FeedDocument } from './feed-document.ts';
import { renderRss } from './rss.ts';

export interface FeedDeps {
  db: Db;
  i18n: i18n;
  feedsDir: string;
  publicUrl: string;
  itemsPerFeed: number;
  clock: () => Date;
}

/** The public URL of a published translation's page. */
export function translationUrl(publicUrl: string, audienceId: string, translationId: number): string {
  return `${publicUrl}/read/${audienceId}/${translationId}`;
}

export async function loadFeedDocument(deps: FeedDeps, audience: AudienceConfig): Promise<FeedDocument> {
  const rows = await deps.db.selectFrom('publications as p')
    .innerJoin('translations as t', 't.id', 'p.translation_id')
    .innerJoin('stories as s', 's.id', 't.story_id')
    .select(['p.translation_id', 'p.title', 'p.summary', 'p.body_html', 'p.first_published_at', 'p.updated_at', 's.category', 's.attribution', 's.url as original_url'])
    .where('p.audience_id', '=', audience.id)
    .where('p.withdrawn_at', 'is', null)
    .orderBy('p.first_published_at', 'desc').orderBy('p.translation_id', 'desc')
    .limit(deps.itemsPerFeed)
    .execute();
  const t = deps.i18n.getFixedT(audience.language, 'feeds');
  return {
    audienceId: audience.id,
    language: audience.language,
    title: t(audience.feedTitleKey.replace(/^feeds:/, '')),
    description: t(audience.feedDescriptionKey.replace(/^feeds:/, '')),
    siteUrl: `${deps.publicUrl}/read/${audience.id}`,
    selfUrl: `${deps.publicUrl}/feeds/${audience.id}/rss.xml`,
    items: rows.map((r) => {
      const url = translationUrl(deps.publicUrl, audience.id, r.translation_id);
      return {
        id: url,
        url,
        title: r.title,
        summary: r.summary,
        contentHtml: r.body_html,
        firstPublishedAt: r.first_published_at,
        updatedAt: r.updated_at,
        category: r.category ?? undefined,
        attribution: r.attribution ?? undefined,
        originalUrl: r.original_url ?? undefined,
      };
    }),
  };
}

export async function buildFeeds(deps: FeedDeps, audience: AudienceConfig): Promise<string[]> {
  const doc = await loadFeedDocument(deps, audience);
  const file = path.join(deps.feedsDir, audience.id, 'rss.xml');
  await writeAtomically(file, renderRss(doc, deps.clock()));
  return [file];
}

export async function writeAtomically(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, content);
  await rename(temp, file);
}
