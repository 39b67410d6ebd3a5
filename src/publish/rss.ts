/**
 * RSS 2.0 through the `rss` package, with Media RSS, content:encoded, dcterms:modified and Atom
 * links (self, hub, hreflang alternates). Pure: same document and clock, same bytes.
 *
 * Around the package: every string passes xmlSafe first (it passes XML-illegal control characters
 * through); enclosures are written as custom elements because the package guesses a missing type
 * from the file name and writes length="0", which the W3C validator rejects, so an enclosure
 * appears only when the stored image's type and size are known; lastBuildDate is set from the
 * caller's clock, not the wall clock.
 */
import RSS from 'rss';
import { itemHtml, lastChange, withSafeLinks, type FeedDocument, type FeedItem } from './feed-document.ts';
import { escapeXml, xmlSafe } from '../core/escape.ts';
import { isoSeconds } from './xml.ts';

type XmlElement = Record<string, unknown>;

function itemElements(feed: FeedDocument, item: FeedItem): XmlElement[] {
  const out: XmlElement[] = [
    { 'content:encoded': { _cdata: xmlSafe(itemHtml(item, feed.credit)) } },
    { 'dcterms:modified': isoSeconds(item.updatedAt) },
  ];
  // the Vietnamese original's own date, beside pubDate (our first publication)
  if (item.originalPublishedAt) out.push({ 'dcterms:created': isoSeconds(item.originalPublishedAt) });
  if (item.originalUrl) out.push({ 'dc:source': xmlSafe(item.originalUrl) });
  for (const t of item.translations) {
    out.push({ 'atom:link': { _attr: { rel: 'alternate', type: 'text/html', hreflang: t.language, href: xmlSafe(t.url) } } });
  }
  if (item.originalUrl) out.push({ 'atom:link': { _attr: { rel: 'alternate', type: 'text/html', hreflang: 'vi', href: xmlSafe(item.originalUrl) } } });
  // the item's own page comes last: readers such as feedparser take the last alternate as the item's link
  out.push({ 'atom:link': { _attr: { rel: 'alternate', type: 'text/html', hreflang: item.language, href: xmlSafe(item.url) } } });
  const image = item.image;
  if (image) {
    if (image.type && image.length && image.length > 0) {
      out.push({ enclosure: { _attr: { url: xmlSafe(image.url), length: image.length, type: image.type } } });
    }
    const media: Record<string, string | number> = { url: xmlSafe(image.url), medium: 'image' };
    if (image.type) media.type = image.type;
    if (image.length) media.fileSize = image.length;
    if (image.width) media.width = image.width;
    if (image.height) media.height = image.height;
    out.push({ 'media:content': { _attr: media } });
    out.push({ 'media:thumbnail': { _attr: { url: xmlSafe(image.url), ...(image.width ? { width: image.width } : {}), ...(image.height ? { height: image.height } : {}) } } });
  }
  return out;
}

export function renderRss(feed: FeedDocument, now: Date): string {
  const rss = new RSS({
    title: xmlSafe(feed.title),
    description: xmlSafe(feed.description),
    feed_url: feed.links.rss, // the package writes it as atom:link rel="self"
    site_url: feed.siteUrl,
    language: feed.language,
    pubDate: lastChange(feed, now),
    ttl: 5,
    generator: 'doingoai',
    ...(feed.credit ? { copyright: xmlSafe(feed.credit) } : {}),
    custom_namespaces: { media: 'http://search.yahoo.com/mrss/', dcterms: 'http://purl.org/dc/terms/' },
    custom_elements: feed.hubs.map((hub) => ({ 'atom:link': { _attr: { href: hub, rel: 'hub' } } })),
  });
  for (const item of feed.items.map(withSafeLinks)) {
    rss.item({
      title: xmlSafe(item.title),
      // description is HTML to every reader: the plain-text summary is escaped so it shows as written
      description: escapeXml(item.summary || item.title),
      url: item.url,
      guid: item.id, // not a URL, so the package marks it isPermaLink="false"
      date: item.firstPublishedAt,
      categories: item.category ? [xmlSafe(item.category.name)] : [],
      // written as dc:creator: RSS's own <author> wants an e-mail address
      ...(item.author ? { author: xmlSafe(item.author) } : {}),
      custom_elements: itemElements(feed, item),
    });
  }
  return rss.xml({ indent: true }).replace(/<lastBuildDate>.*?<\/lastBuildDate>/, `<lastBuildDate>${now.toUTCString()}</lastBuildDate>`);
}
