/**
 * The feed as data, independent of format: what the renderers (rss.ts, atom.ts, json-feed.ts,
 * ninjs.ts, news-sitemap.ts) turn into bytes. Built from publications by load.ts; renderers are
 * pure functions of this and a clock.
 */
import { escapeXml } from '../core/escape.ts';
import { httpUrl } from '../core/urls.ts';

export type FeedFormat = 'rss' | 'atom' | 'json';

export interface FeedDocument {
  audienceId: string;
  /** BCP 47 tag of every item's text. */
  language: string;
  title: string;
  description: string;
  /** The public page of the feed's audience. */
  siteUrl: string;
  /** This feed's URL in each format: the renderer of a format uses its own as rel="self". */
  links: Record<FeedFormat, string>;
  /** WebSub hubs (rel="hub"). */
  hubs: readonly string[];
  /** The audience's credit line, e.g. "Translated from Vietnamese; reviewed by our editors." */
  credit: string;
  /** A private (partner) feed: embargoed items included, marked as such. */
  restricted: boolean;
  /** Newest first. */
  items: FeedItem[];
  /** Items taken down recently: Atom announces them as tombstones (RFC 6721). */
  withdrawn: WithdrawnItem[];
}

export interface FeedItem {
  /** A tag: URI minted at first publication; corrections and a new public URL keep it. */
  id: string;
  url: string;
  /** BCP 47 tag of this item's text (the audience's language). */
  language: string;
  title: string;
  summary: string;
  /** Sanitized HTML of the translated body. */
  contentHtml: string;
  /** When the public (or, before an embargo lifts, the partners) first saw it. */
  firstPublishedAt: Date;
  /** The last change of the published text: a correction moves it, nothing else does. */
  updatedAt: Date;
  /** Published versions: 1, plus one per correction. */
  version: number;
  /** In the item's language, when the item was corrected since first publication. */
  correctionNote: string | undefined;
  /** The topic: a stable slug and its name in the item's language (the source's own name when untranslated). */
  category: { slug: string; name: string } | undefined;
  /** Who wrote the Vietnamese original (a byline, as the source gave it). */
  author: string | undefined;
  /** When the Vietnamese original was published, as the source dated it. */
  originalPublishedAt: Date | undefined;
  /** Who published the Vietnamese original. */
  attribution: string | undefined;
  /** The Vietnamese original. */
  originalUrl: string | undefined;
  /** The same story in the other audiences' languages. */
  translations: { language: string; url: string }[];
  image: LeadImage | undefined;
  embargoUntil: Date | undefined;
}

export interface LeadImage {
  url: string;
  /** Known only when the image was fetched and stored: never guessed from the file name. */
  type: string | undefined;
  length: number | undefined;
  width: number | undefined;
  height: number | undefined;
}

export interface WithdrawnItem {
  id: string;
  withdrawnAt: Date;
}

/**
 * The item with only http(s) links from outside (core/urls.ts): the original's URL and the image
 * as stored came from a source and may predate the ingest guard. Every renderer reads its items
 * through this, so a bad stored row loses its link instead of reaching a reader (or the desk's
 * origin) as a script. The item's own URLs are made from the public URL and need no check.
 */
export function withSafeLinks(item: FeedItem): FeedItem {
  const imageUrl = httpUrl(item.image?.url);
  return { ...item, originalUrl: httpUrl(item.originalUrl), image: item.image && imageUrl ? { ...item.image, url: imageUrl } : undefined };
}

/** The source line appended to every item: the credit, and the original with its publisher (an http(s) link only). */
export function sourceLineHtml(item: Pick<FeedItem, 'originalUrl' | 'attribution'>, credit: string): string {
  const originalUrl = httpUrl(item.originalUrl);
  const original = originalUrl
    ? ` <a href="${escapeXml(originalUrl)}" hreflang="vi">${escapeXml(item.attribution ?? originalUrl)}</a>`
    : item.attribution ? ` ${escapeXml(item.attribution)}` : '';
  return credit || original ? `<p class="source">${escapeXml(credit)}${original}</p>` : '';
}

/** The item's full HTML as readers show it: correction note first, then the text, then the source line. */
export function itemHtml(item: FeedItem, credit: string): string {
  const note = item.correctionNote ? `<p class="correction"><em>${escapeXml(item.correctionNote)}</em></p>` : '';
  return `${note}${item.contentHtml}${sourceLineHtml(item, credit)}`;
}

/** The latest change of any item, or `fallback` for an empty feed. */
export function lastChange(feed: FeedDocument, fallback: Date): Date {
  let latest: Date | undefined;
  for (const i of feed.items) if (!latest || i.updatedAt > latest) latest = i.updatedAt;
  for (const w of feed.withdrawn) if (!latest || w.withdrawnAt > latest) latest = w.withdrawnAt;
  return latest ?? fallback;
}
