/**
 * A Google News sitemap (sitemaps.org with the news: extension): Google News no longer reads
 * submitted RSS feeds, it reads these. Only articles of the last two days belong in it.
 * Pure: same document and clock, same bytes.
 */

export interface SitemapEntry { url: string; title: string; firstPublishedAt: Date; language: string }
import { element, isoSeconds } from './xml.ts';

export const NEWS_SITEMAP_WINDOW_MS = 2 * 24 * 3600 * 1000;

/** Google News wants ISO 639 codes, except zh-cn and zh-tw for the two Chinese scripts. */
export function newsLanguage(tag: string): string {
  const lower = tag.toLowerCase();
  if (lower.startsWith('zh')) return /hant|tw|hk|mo/.test(lower) ? 'zh-tw' : 'zh-cn';
  return lower.split('-')[0]!;
}

export function renderNewsSitemap(entries: readonly SitemapEntry[], now: Date, publicationName: string): string {
  const since = now.getTime() - NEWS_SITEMAP_WINDOW_MS;
  const urls = entries.filter((i) => i.firstPublishedAt.getTime() >= since && i.firstPublishedAt <= now).map((i) => [
    '  <url>',
    `    ${element('loc', i.url)}`,
    '    <news:news>',
    `      <news:publication>${element('news:name', publicationName)}${element('news:language', newsLanguage(i.language))}</news:publication>`,
    `      ${element('news:publication_date', isoSeconds(i.firstPublishedAt))}`,
    `      ${element('news:title', i.title)}`,
    '    </news:news>',
    '  </url>',
  ].join('\n'));
  return ['<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">',
    ...urls, '</urlset>', ''].join('\n');
}
