/**
 * X: 280 weighted characters, counted by twitter-text (config v3): Latin and most punctuation
 * weigh 1, CJK and Vietnamese precomposed letters (U+1EA0–U+1EF9) weigh 2, an emoji 2, a URL 23,
 * after NFC normalisation. The card comes from the page's tags, or from the uploaded image.
 */
import twitterText from 'twitter-text';
import type { FormattedPost, PostContent } from './content.ts';
import { fitParts, hashtagLine, joinBlocks } from './count.ts';

export const xLimit = 280;

export function xLength(text: string): number {
  return twitterText.parseTweet(text).weightedLength;
}

export function formatX(content: PostContent): FormattedPost {
  const assemble = (p: { title: string; summary: string; hashtags: string }) => joinBlocks(p.title, p.summary, content.strings.readMore, p.hashtags);
  const fits = (t: string) => twitterText.parseTweet(t).valid;
  const parts = fitParts({ title: content.title, summary: content.summary, hashtags: hashtagLine(content.hashtags) }, content.language, assemble, fits);
  const text = assemble(parts);
  return { text, length: xLength(text), limit: xLimit, unit: 'weighted characters' };
}
