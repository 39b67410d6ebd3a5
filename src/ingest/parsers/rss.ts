/** RSS 2.0 (and RSS 1.0/RDF) to IngestedItems. */
import { parseFeedDate } from '../dates.ts';
import { FeedFormatError, type IngestedItem } from '../item.ts';
import { absolute, parseXml, text } from './xml.ts';

export function parseRss(baseUrl: string, body: string): IngestedItem[] {
  const doc = parseXml(body);
  const channel = doc.rss?.channel ?? doc['rdf:RDF'];
  if (!channel) throw new FeedFormatError('RSS document without a channel');
  const items: any[] = doc.rss?.channel?.item ?? doc['rdf:RDF']?.item ?? [];
  return items.map((raw): IngestedItem => {
    const item = raw && typeof raw === 'object' ? raw : {};
    const link = absolute(text(item.link), baseUrl);
    const enclosure = (item.enclosure ?? []).find((e: any) => String(e['@_type'] ?? '').startsWith('image/'));
    const media = (item['media:content'] ?? []).find((m: any) => String(m['@_medium'] ?? m['@_type'] ?? '').startsWith('image'));
    // many Vietnamese CMSs put the thumbnail only in the description's HTML
    const described = /<img[^>]+src=["']([^"']+)["']/i.exec(text(item.description))?.[1];
    return {
      guid: text(item.guid) || link || '',
      url: link,
      title: text(item.title),
      summary: text(item.description),
      bodyHtml: text(item['content:encoded']),
      author: text(item['dc:creator']) || text(item.author) || undefined,
      category: text(item.category) || undefined,
      imageUrl: absolute(enclosure?.['@_url'] ?? media?.['@_url'] ?? item['media:thumbnail']?.['@_url'] ?? described, baseUrl),
      publishedAt: parseFeedDate(text(item.pubDate) || text(item['dc:date'])),
      rawDate: text(item.pubDate) || text(item['dc:date']) || undefined,
    };
  });
}

