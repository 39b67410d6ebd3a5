/**
 * IPTC ninjs 3.1 (News in JSON) for agencies that ingest structured news: one ninjs object per
 * translation in `items`, newest first. `uri` is the same stable tag: URI as the feeds' ids;
 * `version` counts the published versions (1 + corrections). Pure: same document and clock, same bytes.
 */
import { sourceLineHtml, type FeedDocument, type FeedItem } from './feed-document.ts';
import { isoSeconds, xmlSafe } from './xml.ts';

function ninjsItem(feed: FeedDocument, item: FeedItem) {
  const image = item.image;
  return {
    uri: item.id,
    type: 'text',
    representationType: 'full',
    version: String(item.version),
    firstCreated: isoSeconds(item.firstPublishedAt),
    versionCreated: isoSeconds(item.updatedAt),
    ...(item.embargoUntil && feed.restricted ? { embargoedUntil: isoSeconds(item.embargoUntil) } : {}),
    pubStatus: 'usable',
    language: item.language,
    headlines: [{ role: 'main', value: xmlSafe(item.title) }],
    ...(item.summary ? { descriptions: [{ role: 'summary', contentType: 'text/plain', value: xmlSafe(item.summary) }] } : {}),
    bodies: [{ role: 'main', contentType: 'text/html', value: xmlSafe(`${item.contentHtml}${sourceLineHtml(item, feed.credit)}`) }],
    ...(item.correctionNote ? { edNote: xmlSafe(item.correctionNote) } : {}),
    ...(feed.credit ? { usageTerms: xmlSafe(feed.credit) } : {}),
    ...(item.attribution ? { copyrightHolder: xmlSafe(item.attribution) } : {}),
    ...(item.category ? { subjects: [{ name: xmlSafe(item.category.name), literal: item.category.slug }] } : {}),
    links: [
      { href: item.url, rel: 'canonical', contentType: 'text/html' },
      ...item.translations.map((t) => ({ href: t.url, rel: 'alternate', contentType: 'text/html', title: t.language })),
      ...(item.originalUrl ? [{ href: item.originalUrl, rel: 'alternate', contentType: 'text/html', title: 'vi' }] : []),
    ],
    ...(image ? {
      associations: {
        featureimage: {
          uri: image.url,
          type: 'picture',
          renditions: [{ name: 'original', href: image.url, ...(image.type ? { contentType: image.type } : {}), ...(image.width ? { width: image.width } : {}), ...(image.height ? { height: image.height } : {}), ...(image.length ? { sizeInBytes: image.length } : {}) }],
        },
      },
    } : {}),
  };
}

export function renderNinjs(feed: FeedDocument, now: Date): string {
  return `${JSON.stringify({
    title: xmlSafe(feed.title),
    language: feed.language,
    generated: isoSeconds(now),
    schema: 'http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json',
    items: feed.items.map((i) => ninjsItem(feed, i)),
  }, null, 1)}\n`;
}
