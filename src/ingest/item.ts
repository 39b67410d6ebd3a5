/** What every parser returns: one item of a source, in our words, before cleaning. */
export interface IngestedItem {
  /** The source's own id for the item (guid, Atom id, JSON Feed id); falls back to the link. */
  guid: string;
  url: string | undefined;
  title: string;
  summary: string;
  /** Full body HTML when the source carries it (content:encoded, Atom content, content_html). */
  bodyHtml: string;
  author: string | undefined;
  category: string | undefined;
  imageUrl: string | undefined;
  publishedAt: Date | undefined;
}

/** A source answer that cannot be read as a feed; its message is shown on the source. */
export class FeedFormatError extends Error {
  readonly code = 'feed_unreadable';
}
