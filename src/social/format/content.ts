/**
 * What a post says, before any network shapes it: the translation's title and summary, the link to
 * its page, the channel's hashtags and the audience's localized strings. Built once per post; each
 * network's formatter turns it into text of that network's length, counted its way.
 */
export interface PostContent {
  /** The audience's language (BCP 47), for word boundaries and the network's `lang`. */
  language: string;
  title: string;
  summary: string;
  /** The published translation's page. */
  url: string;
  hashtags: readonly string[];
  /**
   * The post on this network that this one answers (an official answer to a false claim said
   * there): a Mastodon status URL, a Bluesky at:// URI. A network that can reply posts as a reply
   * to it; with none, `strings.readMore` already names the false claim's address.
   */
  replyTo?: string | undefined;
  /** Localized sentences, placeholders already filled. */
  strings: {
    /** e.g. "Read more: https://…" — a whole sentence holding the URL. */
    readMore: string;
    /** e.g. "Read the full story" — the text of a link whose target is the URL. */
    readMoreLabel: string;
  };
}

/** A post as one network will show it, with its length counted the way that network counts. */
export interface FormattedPost {
  text: string;
  /** What a reader sees, where `text` carries markup (Telegram's HTML). */
  visibleText?: string;
  length: number;
  /** null: the network sets no limit we enforce (webhook). */
  limit: number | null;
  /** What `length` counts, for people reading a preview. */
  unit: 'characters' | 'graphemes' | 'weighted characters' | 'UTF-16 code units';
}
