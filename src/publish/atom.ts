/**
 * Atom 1.0 (RFC 4287), written directly. The `feed` package's Atom has no xml:lang, cannot give an
 * entry several alternate links with hreflang, guesses enclosure types from file names and passes
 * XML-illegal characters through; fixing that after it would mean rewriting its XML with regular
 * expressions, so this renderer writes the few elements itself, every value through escapeXml.
 * Withdrawn entries are announced with RFC 6721 tombstones. Pure: same document and clock, same bytes.
 */
import { itemHtml, lastChange, withSafeLinks, type FeedDocument, type FeedItem } from './feed-document.ts';
import { attrs, element, isoSeconds } from './xml.ts';

function entry(feed: FeedDocument, item: FeedItem): string {
  const lines = [
    '  <entry>',
    `    ${element('id', item.id)}`,
    `    ${element('title', item.title, { type: 'text' })}`,
    ...(item.author ? [`    <author>${element('name', item.author)}</author>`] : []),
    // readers disagree on which alternate is the entry's link (rss-parser takes the first, feedparser
    // the last): the entry's own page is both, first without hreflang and last with it, which
    // RFC 4287's one-alternate-per-(type, hreflang) rule allows
    `    <link${attrs({ rel: 'alternate', type: 'text/html', href: item.url })}/>`,
  ];
  for (const t of item.translations) lines.push(`    <link${attrs({ rel: 'alternate', type: 'text/html', hreflang: t.language, href: t.url })}/>`);
  if (item.originalUrl) {
    lines.push(`    <link${attrs({ rel: 'alternate', type: 'text/html', hreflang: 'vi', href: item.originalUrl })}/>`);
    lines.push(`    <link${attrs({ rel: 'via', type: 'text/html', hreflang: 'vi', href: item.originalUrl, title: item.attribution })}/>`);
  }
  lines.push(`    <link${attrs({ rel: 'alternate', type: 'text/html', hreflang: item.language, href: item.url })}/>`);
  const image = item.image;
  if (image?.type && image.length) lines.push(`    <link${attrs({ rel: 'enclosure', type: image.type, length: image.length, href: image.url })}/>`);
  if (image) {
    lines.push(`    <media:content${attrs({ url: image.url, medium: 'image', type: image.type, fileSize: image.length, width: image.width, height: image.height })}/>`);
    lines.push(`    <media:thumbnail${attrs({ url: image.url, width: image.width, height: image.height })}/>`);
  }
  lines.push(`    ${element('published', isoSeconds(item.firstPublishedAt))}`);
  lines.push(`    ${element('updated', isoSeconds(item.updatedAt))}`);
  // Atom has no element for the original's date: Dublin Core's, as in the RSS feed
  if (item.originalPublishedAt) lines.push(`    ${element('dcterms:created', isoSeconds(item.originalPublishedAt))}`);
  if (item.category) lines.push(`    <category${attrs({ term: item.category.slug, label: item.category.name })}/>`);
  if (item.summary) lines.push(`    ${element('summary', item.summary, { type: 'text' })}`);
  lines.push(`    ${element('content', itemHtml(item, feed.credit), { type: 'html' })}`);
  lines.push('  </entry>');
  return lines.join('\n');
}

export function renderAtom(feed: FeedDocument, now: Date): string {
  const head = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/" xmlns:at="http://purl.org/atompub/tombstones/1.0" xmlns:dcterms="http://purl.org/dc/terms/"${attrs({ 'xml:lang': feed.language })}>`,
    // the self URL is the feed's identity: stable per audience and format
    `  ${element('id', feed.links.atom)}`,
    `  ${element('title', feed.title, { type: 'text' })}`,
    `  ${element('subtitle', feed.description, { type: 'text' })}`,
    `  ${element('updated', isoSeconds(lastChange(feed, now)))}`,
    `  <author>${element('name', feed.title)}${element('uri', feed.siteUrl)}</author>`,
    `  <link${attrs({ rel: 'self', type: 'application/atom+xml', href: feed.links.atom })}/>`,
    `  <link${attrs({ rel: 'alternate', type: 'text/html', hreflang: feed.language, href: feed.siteUrl })}/>`,
    ...feed.hubs.map((hub) => `  <link${attrs({ rel: 'hub', href: hub })}/>`),
    `  ${element('generator', 'doingoai')}`,
  ];
  if (feed.credit) head.push(`  ${element('rights', feed.credit, { type: 'text' })}`);
  const tombstones = feed.withdrawn.map((w) => `  <at:deleted-entry${attrs({ ref: w.id, when: isoSeconds(w.withdrawnAt) })}/>`);
  return [...head, ...feed.items.map((i) => entry(feed, withSafeLinks(i))), ...tombstones, '</feed>', ''].join('\n');
}
