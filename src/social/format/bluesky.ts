/**
 * Bluesky: 300 graphemes. Links and hashtags are only live through facets, whose positions are
 * UTF-8 byte offsets (start inclusive, end exclusive); @atproto/api's RichText finds them. The
 * link card is an `app.bsky.embed.external` the poster supplies (the network does not scrape).
 */
import { RichText, type AppBskyRichtextFacet } from '@atproto/api';
import type { FormattedPost, PostContent } from './content.ts';
import { fitParts, graphemeLength, hashtagLine, joinBlocks, trimToFit } from './count.ts';

export const blueskyLimit = 300;
/** The card's description is shown in a few lines; longer text is cut by the apps anyway. */
const cardDescriptionGraphemes = 300;

export interface BlueskyPost extends FormattedPost {
  facets: AppBskyRichtextFacet.Main[];
  card: { uri: string; title: string; description: string };
}

/** Extended grapheme clusters, as the lexicon's maxGraphemes counts them (Intl.Segmenter: RichText's own counter is ~20× slower). */
export function blueskyLength(text: string): number {
  return graphemeLength(text);
}

export function formatBluesky(content: PostContent): BlueskyPost {
  const assemble = (p: { title: string; summary: string; hashtags: string }) => joinBlocks(p.title, p.summary, content.strings.readMore, p.hashtags);
  const parts = fitParts({ title: content.title, summary: content.summary, hashtags: hashtagLine(content.hashtags) }, content.language, assemble, (t) => blueskyLength(t) <= blueskyLimit);
  const rt = new RichText({ text: assemble(parts) });
  rt.detectFacetsWithoutResolution();
  return {
    text: rt.text,
    length: blueskyLength(rt.text),
    limit: blueskyLimit,
    unit: 'graphemes',
    facets: rt.facets ?? [],
    card: {
      uri: content.url,
      title: content.title,
      description: trimToFit(content.summary, content.language, (s) => graphemeLength(s) <= cardDescriptionGraphemes),
    },
  };
}
