/**
 * Sitemaps for search engines (sitemaps.org 0.9): per audience an index of a page sitemap (home,
 * topics, archive months) and one article sitemap per month, each article with its hreflang
 * alternates (every published translation of the story, itself included, as Google asks), plus the
 * Google News sitemap the feeds already write; and robots.txt naming every audience's index. Pure.
 */
import { escapeXml } from '../../core/escape.ts';
import { element, isoSeconds } from '../xml.ts';

export interface SitemapUrl { loc: string; lastmod?: Date | undefined; alternates?: { hreflang: string; href: string }[] }

/** At most this many URLs per sitemap file (the protocol's limit). */
export const SITEMAP_LIMIT = 50_000;

export function renderUrlset(urls: readonly SitemapUrl[]): string {
  const withAlternates = urls.some((u) => u.alternates?.length);
  const body = urls.slice(0, SITEMAP_LIMIT).map((u) => [
    '  <url>',
    `    ${element('loc', u.loc)}`,
    u.lastmod ? `    ${element('lastmod', isoSeconds(u.lastmod))}` : '',
    ...(u.alternates ?? []).map((a) => `    <xhtml:link rel="alternate" hreflang="${escapeXml(a.hreflang)}" href="${escapeXml(a.href)}"/>`),
    '  </url>',
  ].filter(Boolean).join('\n'));
  return ['<?xml version="1.0" encoding="UTF-8"?>',
    `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"${withAlternates ? ' xmlns:xhtml="http://www.w3.org/1999/xhtml"' : ''}>`,
    ...body, '</urlset>', ''].join('\n');
}

export function renderSitemapIndex(sitemaps: readonly { loc: string; lastmod?: Date | undefined }[]): string {
  return ['<?xml version="1.0" encoding="UTF-8"?>', '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ...sitemaps.map((m) => `  <sitemap>${element('loc', m.loc)}${m.lastmod ? element('lastmod', isoSeconds(m.lastmod)) : ''}</sitemap>`),
    '</sitemapindex>', ''].join('\n');
}

/** robots.txt: the desk, the API and partner feeds are not for crawlers; every audience's sitemaps are named. */
export function renderRobots(sitemaps: readonly string[]): string {
  return ['User-agent: *', 'Disallow: /ui/', 'Disallow: /api/', 'Disallow: /partner/', 'Allow: /', '', ...sitemaps.map((s) => `Sitemap: ${s}`), ''].join('\n');
}
