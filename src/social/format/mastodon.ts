/**
 * Mastodon: 500 characters unless the instance sets its own limit, counted in graphemes, with every URL counted as 23
 * whatever its length (app/validators/status_length_validator.rb). The server builds the link
 * card itself from the page's OpenGraph tags.
 */
import type { FormattedPost, PostContent } from './content.ts';
import { fitParts, graphemeLength, hashtagLine, joinBlocks } from './count.ts';

export const mastodonLimit = 500;
const urlWeight = 23;
const urls = /https?:\/\/[^\s<>"]+/gu;

export function mastodonLength(text: string): number {
  return graphemeLength(text.replace(urls, 'x'.repeat(urlWeight)));
}

/** `limit`: the instance's own, where it set one (instances may raise or lower the default). */
export function formatMastodon(content: PostContent, limit: number = mastodonLimit): FormattedPost {
  const assemble = (p: { title: string; summary: string; hashtags: string }) => joinBlocks(p.title, p.summary, content.strings.readMore, p.hashtags);
  const parts = fitParts({ title: content.title, summary: content.summary, hashtags: hashtagLine(content.hashtags) }, content.language, assemble, (t) => mastodonLength(t) <= limit);
  const text = assemble(parts);
  return { text, length: mastodonLength(text), limit, unit: 'characters' };
}
