/**
 * Cleaning an item into a story: every text in Unicode NFC (decomposed Vietnamese breaks matching,
 * deduplication and glossary lookups, and costs a quarter more at the provider), HTML reduced to an
 * allowlist and every URL made absolute (core/sanitize.ts), the credit line and images gathered.
 * Pure functions.
 */
import { createHash } from 'node:crypto';
import { escapeHtml } from '../core/escape.ts';
import { overBound } from '../core/bounds.ts';
import { cleanHtmlAsync, plainText, stripControls } from '../core/sanitize.ts';
import { httpUrl } from '../core/urls.ts';
import type { IngestedItem } from './item.ts';

/** Longer ids are kept as their hash; longer links are dropped (both are indexed). */
const MAX_GUID = 500;
const MAX_URL = 2048;

/** An item after cleaning: the same fields, in NFC, sanitized, with its images gathered and a hash of its text. */
export interface CleanStory extends Omit<IngestedItem, 'rawDate'> {
  /** Lead image first, then the body's images, absolute http(s) URLs without repeats. */
  imageUrls: string[];
  contentHash: string;
}

/** A short block that credits where an article comes from ("Nguồn tin: Theo …", "Theo TTXVN: …"). */
export const SOURCE_LINE = /^\s*(nguồn(?:\s+tin)?|theo|tác giả|nguồn bài)\s*:\s*\S/iu;

/** Reasons an item cannot become a story; recorded on the source, never thrown past the poller. */
export class ItemRejectedError extends Error {
  readonly code = 'item_rejected';
}

/** A link or image kept only as an http(s) URL (core/urls.ts: no javascript:, data:, file:, …) and not too long. */
const usableUrl = (u: string | undefined) => {
  const url = httpUrl(u);
  return url && url.length <= MAX_URL ? url : undefined;
};

/** The id a story is known by within its source: the item's guid, else its link. */
export function guidOf(item: Pick<IngestedItem, 'guid' | 'url'>): string | undefined {
  const guid = stripControls(item.guid).normalize('NFC').trim() || usableUrl(item.url);
  if (!guid) return undefined;
  return guid.length > MAX_GUID ? `sha256:${createHash('sha256').update(guid).digest('hex')}` : guid;
}

/**
 * Bounded (core/bounds.ts: characters, tags and entities, before any parsing), then sanitized; a
 * large body is sanitized off the event loop. Throws ItemRejectedError naming the reason.
 */
export async function cleanItem(item: IngestedItem, baseUrl: string | undefined): Promise<CleanStory> {
  for (const [field, text] of [['title', item.title], ['summary', item.summary], ['body', item.bodyHtml]] as const) {
    const over = overBound(field, text);
    if (over) throw new ItemRejectedError(`item ${item.guid || item.url || '(no id)'}: ${over.message}`);
  }
  const title = plainText(item.title);
  if (!title) throw new ItemRejectedError(`item ${item.guid || item.url || '(no id)'} has an empty title`);
  const url = usableUrl(item.url);
  const guid = guidOf(item);
  if (!guid) throw new ItemRejectedError(`item "${title}" has neither a guid nor a usable link`);
  const summary = plainText(item.summary);
  let body = await cleanHtmlAsync(item.bodyHtml || (item.summary ? `<p>${escapeHtml(summary)}</p>` : ''), url ?? baseUrl);
  let attribution = item.attribution ? plainText(item.attribution) || undefined : undefined;
  if (!attribution) {
    // a feed body that ends with the article's credit line: kept as attribution, not as body text
    const last = /<p>((?:(?!<p>).)*)<\/p>$/s.exec(body);
    const line = last ? plainText(last[1]!) : '';
    if (line && line.length < 200 && SOURCE_LINE.test(line) && last!.index > 0) {
      attribution = line;
      body = body.slice(0, last!.index).trim();
    }
  }
  return {
    guid,
    url,
    title,
    summary,
    bodyHtml: body,
    author: item.author ? plainText(item.author) || undefined : undefined,
    category: item.category ? plainText(item.category) || undefined : undefined,
    imageUrl: usableUrl(item.imageUrl),
    publishedAt: item.publishedAt,
    attribution,
    imageUrls: imageUrlsOf(usableUrl(item.imageUrl), body),
    contentHash: contentHash(title, summary, body),
  };
}

function imageUrlsOf(lead: string | undefined, bodyHtml: string): string[] {
  const urls = [lead, ...[...bodyHtml.matchAll(/<img[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'))];
  return [...new Set(urls.filter((u): u is string => !!u && /^https?:/.test(u)))];
}

export function contentHash(title: string, summary: string, bodyHtml: string): string {
  return createHash('sha256').update(`${title}\u0000${summary}\u0000${bodyHtml}`).digest('hex');
}
