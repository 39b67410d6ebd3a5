/**
 * Feed parsers: one per format, each turning the raw document into IngestedItems, chosen by
 * detectFormat from the content itself (a source's configured kind is not trusted).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { FeedFormatError, type IngestedItem } from './item.ts';
import { parseFeedDate } from './dates.ts';

export type FeedFormat = 'rss' | 'atom' | 'jsonfeed';

export function detectFormat(body: string): FeedFormat {
  const head = body.replace(/^\uFEFF/, '').trimStart().slice(0, 2048);
  if (head.startsWith('{')) {
    if (/"version"\s*:\s*"https:\/\/jsonfeed\.org\/version\//.test(body.slice(0, 4096))) return 'jsonfeed';
    throw new FeedFormatError('the answer is JSON but not a JSON Feed (no jsonfeed.org version)');
  }
  if (/<rss[\s>]/.test(head) || /<rdf:RDF[\s>]/.test(head)) return 'rss';
  if (/<feed[\s>]/.test(head)) return 'atom';
  if (/<html[\s>]|<!doctype html/i.test(head)) throw new FeedFormatError('the answer is an HTML page, not a feed');
  throw new FeedFormatError('the answer is neither RSS, Atom nor JSON Feed');
}

export function parseFeed(baseUrl: string, body: string): IngestedItem[] {
  switch (detectFormat(body)) {
    case 'rss': return parseRss(baseUrl, body);
    case 'atom': return parseAtom(baseUrl, body);
    case 'jsonfeed': return parseJsonFeed(baseUrl, body);
  }
}

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  // only the five XML entities and character references; DTD entities are refused below
  processEntities: true,
  htmlEntities: false,
  trimValues: true,
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => ['item', 'entry', 'link', 'category', 'enclosure', 'media:content'].includes(name),
});

function parseXml(body: string): Record<string, any> {
  // Feeds have no business declaring entities; refusing them rules out XXE and expansion bombs.
  if (/<!ENTITY/i.test(body)) throw new FeedFormatError('the feed declares XML entities (refused: external entities and entity expansion are not processed)');
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw new FeedFormatError(`malformed XML at line ${valid.err.line}: ${valid.err.msg}`);
  return xml.parse(body) as Record<string, any>;
}

function text(node: unknown): string {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return text(node[0]);
  if (typeof node === 'object') return text((node as Record<string, unknown>)['#text']);
  return '';
}

function absolute(url: string | undefined, base: string): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url.trim(), base).toString();
  } catch {
    return undefined;
  }
}

export function parseRss(baseUrl: string, body: string): IngestedItem[] {
  const doc = parseXml(body);
  const channel = doc.rss?.channel ?? doc['rdf:RDF'];
  if (!channel) throw new FeedFormatError('RSS document without a channel');
  const items: any[] = doc.rss?.channel?.item ?? doc['rdf:RDF']?.item ?? [];
  return items.map((item): IngestedItem => {
    const link = absolute(text(item.link), baseUrl);
    const enclosure = (item.enclosure ?? []).find((e: any) => String(e['@_type'] ?? '').startsWith('image/'));
    const media = (item['media:content'] ?? []).find((m: any) => String(m['@_medium'] ?? m['@_type'] ?? '').startsWith('image'));
    return {
      guid: text(item.guid) || link || '',
      url: link,
      title: text(item.title),
      summary: text(item.description),
      bodyHtml: text(item['content:encoded']),
      author: text(item['dc:creator']) || text(item.author) || undefined,
      category: text(item.category) || undefined,
      imageUrl: absolute(enclosure?.['@_url'] ?? media?.['@_url'], baseUrl),
      publishedAt: parseFeedDate(text(item.pubDate) || text(item['dc:date'])),
    };
  });
}

export function parseAtom(baseUrl: string, body: string): IngestedItem[] {
  const doc = parseXml(body);
  if (!doc.feed) throw new FeedFormatError('Atom document without a feed element');
  const base = absolute(doc.feed['@_xml:base'], baseUrl) ?? baseUrl;
  const entries: any[] = doc.feed.entry ?? [];
  return entries.map((entry): IngestedItem => {
    const links: any[] = entry.link ?? [];
    const alternate = links.find((l) => (l['@_rel'] ?? 'alternate') === 'alternate');
    const image = links.find((l) => l['@_rel'] === 'enclosure' && String(l['@_type'] ?? '').startsWith('image/'));
    const url = absolute(alternate?.['@_href'], base);
    return {
      guid: text(entry.id) || url || '',
      url,
      title: text(entry.title),
      summary: text(entry.summary),
      bodyHtml: text(entry.content),
      author: text(entry.author?.name) || undefined,
      category: (entry.category ?? [])[0]?.['@_term'] || undefined,
      imageUrl: absolute(image?.['@_href'], base),
      publishedAt: parseFeedDate(text(entry.published) || text(entry.updated)),
    };
  });
}

export function parseJsonFeed(baseUrl: string, body: string): IngestedItem[] {
  let doc: any;
  try {
    doc = JSON.parse(body);
  } catch (err) {
    throw new FeedFormatError(`malformed JSON Feed: ${(err as Error).message}`);
  }
  if (!Array.isArray(doc.items)) throw new FeedFormatError('JSON Feed without an items array');
  return doc.items.map((item: any): IngestedItem => {
    const url = absolute(item.url, baseUrl);
    return {
      guid: String(item.id ?? url ?? ''),
      url,
      title: String(item.title ?? ''),
      summary: String(item.summary ?? ''),
      bodyHtml: String(item.content_html ?? (item.content_text ? `<p>${escapeHtml(String(item.content_text))}</p>` : '')),
      author: item.authors?.[0]?.name ?? item.author?.name ?? undefined,
      category: Array.isArray(item.tags) ? item.tags[0] : undefined,
      imageUrl: absolute(item.image ?? item.banner_image, baseUrl),
      publishedAt: parseFeedDate(item.date_published ?? item.date_modified),
    };
  });
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
