/**
 * VK (ВКонтакте) wall posts: title, summary, the link sentence and hashtags, counted in characters
 * as VK counts a string's length (UTF-16 code units). VK takes long posts — about 16,000 characters
 * (15,895 is the figure VK's clients enforce; VK's method documentation gives none) — and folds a
 * post after a few lines in the feed, so the title comes first. The link also travels as the
 * post's link attachment, from which VK draws its card.
 */
import type { FormattedPost, PostContent } from './content.ts';
import { fitParts, hashtagLine, joinBlocks } from './count.ts';

export const vkLimit = 15_895;

export const vkLength = (text: string) => text.length;

export function formatVk(content: PostContent): FormattedPost {
  const assemble = (p: { title: string; summary: string; hashtags: string }) => joinBlocks(p.title, p.summary, content.strings.readMore, p.hashtags);
  const parts = fitParts({ title: content.title, summary: content.summary, hashtags: hashtagLine(content.hashtags) }, content.language, assemble, (t) => vkLength(t) <= vkLimit);
  const text = assemble(parts);
  return { text, length: vkLength(text), limit: vkLimit, unit: 'UTF-16 code units' };
}
