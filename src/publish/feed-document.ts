/**
 * The feed as data, independent of format: what the renderers (rss.ts, …) turn into bytes.
 * Built from publications by feeds.ts; renderers are pure functions of this and a clock.
 */
export interface FeedDocument {
  audienceId: string;
  /** BCP 47 tag of every item's text. */
  language: string;
  title: string;
  description: string;
  /** The public page of the feed's audience. */
  siteUrl: string;
  /** This feed's own URL (rel="self"). */
  selfUrl: string;
  /** Newest first. */
  items: FeedItem[];
}

export interface FeedItem {
  /** Stable for the life of the translation: corrections keep it. */
  id: string;
  url: string;
  title: string;
  summary: string;
  contentHtml: string;
  firstPublishedAt: Date;
  updatedAt: Date;
  category: string | undefined;
  attribution: string | undefined;
  originalUrl: string | undefined;
}
