/** JSON Feed 1.0/1.1 to IngestedItems. */
import { parseFeedDate } from '../dates.ts';
import { FeedFormatError, type IngestedItem } from '../item.ts';
import { escapeHtml } from '../../core/escape.ts';
import { httpUrl } from '../../core/urls.ts';

// only http(s) links are kept (core/urls.ts)
const absolute = (url: unknown, base: string): string | undefined => (typeof url === 'string' ? httpUrl(url, base) : undefined);

/** A JSON value as an object of unknown fields (anything else as none). */
type JsonObject = Readonly<Record<string, unknown>>;
const object = (v: unknown): JsonObject | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : undefined);
const first = (v: unknown): unknown => (Array.isArray(v) ? v[0] : undefined);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

export function parseJsonFeed(baseUrl: string, body: string): IngestedItem[] {
  let doc: JsonObject | undefined;
  try {
    doc = object(JSON.parse(body));
  } catch (err) {
    throw new FeedFormatError(`malformed JSON Feed: ${(err as Error).message}`);
  }
  if (!doc || !Array.isArray(doc.items)) throw new FeedFormatError('JSON Feed without an items array');
  return (doc.items as unknown[]).map((raw): IngestedItem => {
    // an entry that is not an object becomes an item without a title, which cleaning rejects by name
    const item = object(raw) ?? {};
    const url = absolute(item.url, baseUrl);
    const date = str(item.date_published) || str(item.date_modified);
    return {
      guid: str(item.id) || url || '',
      url,
      title: str(item.title),
      summary: str(item.summary),
      bodyHtml: str(item.content_html) || (str(item.content_text) ? `<p>${escapeHtml(str(item.content_text))}</p>` : ''),
      // 1.1 names authors, 1.0 one author
      author: str(object(first(item.authors))?.name) || str(object(item.author)?.name) || undefined,
      category: str(first(item.tags)) || undefined,
      imageUrl: absolute(item.image ?? item.banner_image, baseUrl),
      publishedAt: parseFeedDate(date),
      rawDate: date || undefined,
    };
  });
}
