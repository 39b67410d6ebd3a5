/** JSON Feed 1.0/1.1 to IngestedItems. */
import { parseFeedDate } from '../dates.ts';
import { FeedFormatError, type IngestedItem } from '../item.ts';
import { escapeHtml } from '../../core/escape.ts';
import { httpUrl } from '../../core/urls.ts';

// only http(s) links are kept (core/urls.ts)
const absolute = (url: unknown, base: string): string | undefined => (typeof url === 'string' ? httpUrl(url, base) : undefined);

export function parseJsonFeed(baseUrl: string, body: string): IngestedItem[] {
  let doc: any;
  try {
    doc = JSON.parse(body);
  } catch (err) {
    throw new FeedFormatError(`malformed JSON Feed: ${(err as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || !Array.isArray(doc.items)) throw new FeedFormatError('JSON Feed without an items array');
  return doc.items.map((raw: unknown): IngestedItem => {
    // an entry that is not an object becomes an item without a title, which cleaning rejects by name
    const item = (raw && typeof raw === 'object' ? raw : {}) as Record<string, any>;
    const url = absolute(item.url, baseUrl);
    const date = str(item.date_published) || str(item.date_modified);
    return {
      guid: str(item.id) || url || '',
      url,
      title: str(item.title),
      summary: str(item.summary),
      bodyHtml: str(item.content_html) || (str(item.content_text) ? `<p>${escapeHtml(str(item.content_text))}</p>` : ''),
      author: str(item.authors?.[0]?.name) || str(item.author?.name) || undefined,
      category: Array.isArray(item.tags) ? str(item.tags[0]) || undefined : undefined,
      imageUrl: absolute(item.image ?? item.banner_image, baseUrl),
      publishedAt: parseFeedDate(date),
      rawDate: date || undefined,
    };
  });
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

