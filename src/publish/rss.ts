/** RSS 2.0 through the `rss` package. Pure: same document and clock, same bytes. */
import RSS from 'rss';
import type { FeedDocument } from './feed-document.ts';

// XML 1.0 forbids these code points even when escaped or in CDATA; the `rss` package passes them on.
const XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
export const xmlSafe = (s: string) => s.replace(XML_ILLEGAL, '');

export function renderRss(feed: FeedDocument, now: Date): string {
  const lastChange = feed.items.reduce<Date | undefined>((latest, i) => (!latest || i.updatedAt > latest ? i.updatedAt : latest), undefined);
  const rss = new RSS({
    title: xmlSafe(feed.title),
    description: xmlSafe(feed.description),
    feed_url: feed.selfUrl,
    site_url: feed.siteUrl,
    language: feed.language,
    pubDate: lastChange ?? now,
    ttl: 5,
    generator: 'doingoai',
    custom_namespaces: { atom: 'http://www.w3.org/2005/Atom' },
    custom_elements: [{ 'atom:link': { _attr: { href: feed.selfUrl, rel: 'self', type: 'application/rss+xml' } } }],
  });
  for (const item of feed.items) {
    rss.item({
      title: xmlSafe(item.title),
      description: xmlSafe(item.contentHtml || item.summary),
      url: item.url,
      guid: item.id,
      date: item.firstPublishedAt,
      categories: item.category ? [xmlSafe(item.category)] : [],
    });
  }
  // the package stamps lastBuildDate with the wall clock; the caller's clock keeps output reproducible
  return rss.xml({ indent: true }).replace(/<lastBuildDate>.*?<\/lastBuildDate>/, `<lastBuildDate>${now.toUTCString()}</lastBuildDate>`);
}
