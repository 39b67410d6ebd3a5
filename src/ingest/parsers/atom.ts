/** Atom 1.0 to IngestedItems; xml:base is honoured for relative links. */
import { parseFeedDate } from '../dates.ts';
import { FeedFormatError, type IngestedItem } from '../item.ts';
import { absolute, attr, element, elements, parseXml, text } from './xml.ts';

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
  const feed = element(parseXml(xhtmlAsHtml(body)).feed);
  if (!feed) throw new FeedFormatError('Atom document without a feed element');
  const base = absolute(attr(feed, 'xml:base'), baseUrl) ?? baseUrl;
  return elements(feed.entry).map((entry): IngestedItem => {
    const links = elements(entry.link);
    const alternate = links.find((l) => (attr(l, 'rel') ?? 'alternate') === 'alternate');
    const image = links.find((l) => attr(l, 'rel') === 'enclosure' && (attr(l, 'type') ?? '').startsWith('image/'));
    const url = absolute(attr(alternate, 'href'), base);
    return {
      guid: text(entry.id) || url || '',
      url,
      title: text(entry.title),
      summary: text(entry.summary),
      bodyHtml: text(entry.content),
      author: text(element(entry.author)?.name) || undefined,
      category: attr(entry.category, 'term') || undefined,
      imageUrl: absolute(attr(image, 'href'), base),
      publishedAt: parseFeedDate(text(entry.published) || text(entry.updated)),
      rawDate: text(entry.published) || text(entry.updated) || undefined,
    };
  });
}
