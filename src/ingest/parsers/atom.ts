/** Atom 1.0 to IngestedItems; xml:base is honoured for relative links. */
import { parseFeedDate } from '../dates.ts';
import { FeedFormatError, type IngestedItem } from '../item.ts';
import { absolute, parseXml, text } from './xml.ts';

/**
 * XHTML content (type="xhtml") is markup inside the feed, which an XML parser turns into a tree that
 * loses the text's order; it is rewritten as escaped HTML first, its wrapping <div> dropped.
 */
function xhtmlAsHtml(body: string): string {
  return body.replace(/<(content|summary|title)(\s[^>]*type=["']xhtml["'][^>]*)>([\s\S]*?)<\/\1>/g, (_all, tag: string, attrs: string, inner: string) => {
    const unwrapped = inner.trim().replace(/^<div[^>]*>([\s\S]*)<\/div>$/, '$1');
    const escaped = unwrapped.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    return `<${tag}${attrs.replace(/type=["']xhtml["']/, 'type="html"')}>${escaped}</${tag}>`;
  });
}

export function parseAtom(baseUrl: string, body: string): IngestedItem[] {
  const doc = parseXml(xhtmlAsHtml(body));
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
      rawDate: text(entry.published) || text(entry.updated) || undefined,
    };
  });
}

