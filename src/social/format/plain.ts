/**
 * Networks that take plain text and the link apart: a Facebook page (63,206 characters; the
 * link goes in its own field and Facebook draws the card) and a webhook (no limit: the receiver
 * gets every field and decides).
 */
import type { FormattedPost, PostContent } from './content.ts';
import { fitParts, graphemeLength, hashtagLine, joinBlocks } from './count.ts';

export const facebookLimit = 63206;

export function formatFacebook(content: PostContent): FormattedPost {
  const assemble = (p: { title: string; summary: string; hashtags: string }) => joinBlocks(p.title, p.summary, p.hashtags);
  const parts = fitParts({ title: content.title, summary: content.summary, hashtags: hashtagLine(content.hashtags) }, content.language, assemble, (t) => graphemeLength(t) <= facebookLimit);
  const text = assemble(parts);
  return { text, length: graphemeLength(text), limit: facebookLimit, unit: 'characters' };
}

export function formatWebhook(content: PostContent): FormattedPost {
  const text = joinBlocks(content.title, content.summary, content.strings.readMore, hashtagLine(content.hashtags));
  return { text, length: graphemeLength(text), limit: null, unit: 'characters' };
}
