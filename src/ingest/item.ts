import { AppError } from '../errors.ts';

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
  /** The article's own credit line ("Nguồn tin: Theo …"), when the page or the sender gives one. */
  attribution?: string | undefined;
  /** The date as the source wrote it, kept to name it when it cannot be read. */
  rawDate?: string | undefined;
}

/** A source answer that cannot be read as a feed; its message is shown on the source. */
export class FeedFormatError extends AppError {
  constructor(message: string) {
    super('feed_unreadable', message);
  }
}
