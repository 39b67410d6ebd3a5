/**
 * IPTC ninjs 3.1 (News in JSON) for agencies that ingest structured news: one ninjs object per
 * translation in `items`, newest first (the envelope is ours: ninjs defines single items). `uri` is the same stable tag: URI as the feeds' ids;
 * `version` counts the published versions (1 + corrections). Pure: same document and clock, same bytes.
 */
import { sourceLineHtml, withSafeLinks, type FeedDocument, type FeedItem } from './feed-document.ts';
import { xmlSafe } from '../core/escape.ts';
import { isoSeconds } from './xml.ts';

// ninjs 3.1 admits no properties beyond its own (unevaluatedProperties: false): the item's page
// is a rendition, the original and the other languages are associations (name + uri required)
function ninjsItem(feed: FeedDocument, item: FeedItem) {
  const image = item.image;
  const associations = [
    ...(image ? [{
      name: 'featureimage', rel: 'featureimage', uri: image.url, type: 'picture',
      renditions: [{ name: 'card', href: image.url, ...(image.type ? { contentType: image.type } : {}), ...(image.width ? { width: image.width } : {}), ...(image.height ? { height: image.height } : {}), ...(image.length ? { sizeInBytes: image.length } : {}) }],
    }] : []),
    ...(item.originalUrl ? [{ name: 'original', rel: 'translationOf', uri: item.originalUrl, type: 'text', language: 'vi', ...(item.attribution ? { copyrightHolder: xmlSafe(item.attribution) } : {}) }] : []),
    ...item.translations.map((t) => ({ name: `translation-${t.language}`, rel: 'translation', uri: t.url, type: 'text', language: t.language })),
  ];
  return {
    uri: item.id,
    standard: { name: 'ninjs', version: '3.1', schema: 'http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#' },
    type: 'text',
    representationType: 'full',
    version: String(item.version),
    firstCreated: isoSeconds(item.firstPublishedAt),
    versionCreated: isoSeconds(item.updatedAt),
    // the original's date: when the content was first created, in Vietnamese
    ...(item.originalPublishedAt ? { contentCreated: isoSeconds(item.originalPublishedAt) } : {}),
    ...(item.embargoUntil && feed.restricted ? { embargoedUntil: isoSeconds(item.embargoUntil) } : {}),
    pubStatus: 'usable',
    language: item.language,
    headlines: [{ role: 'main', value: xmlSafe(item.title) }],
    ...(item.author ? { by: xmlSafe(item.author) } : {}),
    descriptions: [
      ...(item.summary ? [{ role: 'summary', contentType: 'text/plain', value: xmlSafe(item.summary) }] : []),
      ...(item.correctionNote ? [{ role: 'correction', contentType: 'text/plain', value: xmlSafe(item.correctionNote) }] : []),
    ],
    bodies: [{ role: 'main', contentType: 'text/html', value: xmlSafe(`${item.contentHtml}${sourceLineHtml(item, feed.credit)}`) }],
    ...(feed.credit ? { usageTerms: xmlSafe(feed.credit) } : {}),
    ...(item.attribution ? { copyrightHolder: xmlSafe(item.attribution) } : {}),
    ...(item.category ? { subjects: [{ name: xmlSafe(item.category.name), literal: item.category.slug }] } : {}),
    renditions: [{ name: 'web', href: item.url, contentType: 'text/html' }],
    ...(associations.length ? { associations } : {}),
  };
}

export function renderNinjs(feed: FeedDocument, now: Date): string {
  return `${JSON.stringify({
    title: xmlSafe(feed.title),
    language: feed.language,
    generated: isoSeconds(now),
    schema: 'http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json',
    items: feed.items.map((i) => ninjsItem(feed, withSafeLinks(i))),
  }, null, 1)}\n`;
}
