/** RSS 2.0 (and RSS 1.0/RDF) to IngestedItems. */
import { parseFeedDate } from '../dates.ts';
import { FeedFormatError, type IngestedItem } from '../item.ts';
import { absolute, attr, element, elements, parseXml, text } from './xml.ts';

export function parseRss(baseUrl: string, body: string): IngestedItem[] {
  const doc = parseXml(body);
  const rssChannel = element(element(doc.rss)?.channel);
  const rdf = element(doc['rdf:RDF']);
  if (!rssChannel && !rdf) throw new FeedFormatError('RSS document without a channel');
  // RSS 2.0 keeps its items in the channel, RSS 1.0 beside it
  return elements(rssChannel ? rssChannel.item : rdf!.item).map((item): IngestedItem => {
    const link = absolute(text(item.link), baseUrl);
    const enclosure = elements(item.enclosure).find((e) => (attr(e, 'type') ?? '').startsWith('image/'));
    const media = elements(item['media:content']).find((m) => (attr(m, 'medium') ?? attr(m, 'type') ?? '').startsWith('image'));
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
      imageUrl: absolute(attr(enclosure, 'url') ?? attr(media, 'url') ?? attr(item['media:thumbnail'], 'url') ?? described, baseUrl),
      publishedAt: parseFeedDate(text(item.pubDate) || text(item['dc:date'])),
      rawDate: text(item.pubDate) || text(item['dc:date']) || undefined,
    };
  });
}
