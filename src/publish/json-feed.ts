/**
 * JSON Feed 1.1, written directly: the `feed` package writes 1.0 (no `language`, a single
 * `author`) and guesses attachment types from file names. Translations of the same story and the
 * Vietnamese original (its URL, publisher and date) go in the `_translations` extension (JSON Feed extensions start with "_").
 * Pure: same document and clock, same bytes.
 */
import { itemHtml, withSafeLinks, type FeedDocument } from './feed-document.ts';
import { xmlSafe } from '../core/escape.ts';
import { isoSeconds } from './xml.ts';

// lone surrogates would be written as \uD8xx escapes that many JSON readers refuse
const clean = (s: string) => xmlSafe(s);

export function renderJsonFeed(feed: FeedDocument, _now: Date): string {
  const doc = {
    version: 'https://jsonfeed.org/version/1.1',
    title: clean(feed.title),
    description: clean(feed.description),
    home_page_url: feed.siteUrl,
    feed_url: feed.links.json,
    language: feed.language,
    authors: [{ name: clean(feed.title), url: feed.siteUrl }],
    ...(feed.hubs.length ? { hubs: feed.hubs.map((url) => ({ type: 'WebSub', url })) } : {}),
    items: feed.items.map(withSafeLinks).map((item) => ({
      id: item.id,
      url: item.url,
      title: clean(item.title),
      ...(item.summary ? { summary: clean(item.summary) } : {}),
      content_html: clean(itemHtml(item, feed.credit)),
      ...(item.image ? { image: item.image.url } : {}),
      date_published: isoSeconds(item.firstPublishedAt),
      date_modified: isoSeconds(item.updatedAt),
      language: item.language,
      ...(item.author ? { authors: [{ name: clean(item.author) }] } : {}),
      ...(item.category ? { tags: [clean(item.category.name)] } : {}),
      // an attachment needs a MIME type: only a stored image, whose type is known, becomes one
      ...(item.image?.type ? { attachments: [{ url: item.image.url, mime_type: item.image.type, ...(item.image.length ? { size_in_bytes: item.image.length } : {}) }] } : {}),
      _translations: {
        about: feed.siteUrl,
        ...(item.originalUrl || item.originalPublishedAt ? { original: {
          language: 'vi',
          ...(item.originalUrl ? { url: item.originalUrl } : {}),
          ...(item.attribution ? { publisher: clean(item.attribution) } : {}),
          ...(item.originalPublishedAt ? { date_published: isoSeconds(item.originalPublishedAt) } : {}),
        } } : {}),
        alternates: item.translations,
        ...(item.correctionNote ? { correction: clean(item.correctionNote) } : {}),
        ...(feed.restricted && item.embargoUntil ? { embargoed_until: isoSeconds(item.embargoUntil) } : {}),
      },
    })),
  };
  return `${JSON.stringify(doc, null, 1)}\n`;
}
