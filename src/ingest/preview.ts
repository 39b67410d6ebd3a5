/**
 * What a source URL yields, before it is saved: fetched through the same guarded fetcher and read
 * by the same parsers as a poll, nothing stored. The desk shows it on the new-source form, so a
 * wrong address, a page that is not a feed or an empty feed is seen before the source exists.
 */
import type { Config } from '../config.ts';
import { plainText } from '../core/sanitize.ts';
import type { Fetcher } from './fetch.ts';
import { detectFormat, parseSource, type SourceFormat } from './parsers/index.ts';

export interface SourcePreview {
  format: SourceFormat;
  /** The URL after redirects. */
  url: string;
  total: number;
  items: { title: string; url: string | undefined; publishedAt: Date | undefined; summary: string }[];
}

export async function previewSource(fetcher: Fetcher, ingest: Config['ingest'], url: string, kind: string, limit = 5): Promise<SourcePreview> {
  const answer = await fetcher.fetchText(url, { timeoutMs: ingest.timeoutMs, maxBodyBytes: ingest.maxBodyBytes, maxDecodedBytes: ingest.maxDecodedBytes, maxRedirects: ingest.maxRedirects });
  if (answer.status !== 'ok') throw new Error('a first request cannot be answered "not modified"');
  const items = parseSource(kind, answer.url, answer.body);
  return {
    format: detectFormat(answer.body), url: answer.url, total: items.length,
    items: items.slice(0, limit).map((i) => ({ title: plainText(i.title), url: i.url, publishedAt: i.publishedAt, summary: plainText(i.summary).slice(0, 300) })),
  };
}
