/**
 * Finding the feeds: /feeds/index.opml (every public feed, for readers that import a list) and one
 * HTML page per audience, in its language, listing its feeds with <link rel="alternate"> tags so
 * browsers and readers discover them. Pure: strings come in already translated.
 */
import { escapeXml } from '../core/escape.ts';
import { attrs, element } from './xml.ts';

export interface FeedLink { label: string; url: string; type: string }

export interface FeedListing {
  audienceId: string;
  language: string;
  title: string;
  description: string;
  siteUrl: string;
  /** The audience's feeds (RSS, Atom, JSON Feed, ninjs, sitemap). */
  feeds: FeedLink[];
  topics: { name: string; /** The topic feed's title, e.g. "Viet Nam news in English: Economy". */ title: string; siteUrl: string; feeds: FeedLink[] }[];
}

export interface PageStrings {
  pageTitle: string;
  intro: string;
  allStories: string;
  byTopic: string;
  opmlLink: string;
}

const SUBSCRIBABLE = new Set(['application/rss+xml', 'application/atom+xml', 'application/feed+json']);
/**
 * The one format the OPML names per feed: a reader importing it subscribes once per feed, not once
 * per format. Atom, because it carries what RSS cannot: xml:lang, one alternate per language, and
 * tombstones, so a reader learns of a takedown. The other formats stay on the discovery pages.
 */
const OPML_FORMAT = 'application/atom+xml';

/** Every listed audience's feed and topic feeds, once each; listings come already filtered (audiences with something public). */
export function renderOpml(listings: readonly FeedListing[], now: Date, title: string): string {
  // type="rss" is OPML 2.0's word for any subscription, whatever the feed's format
  const outline = (text: string, link: FeedLink, language: string, siteUrl: string) =>
    `<outline${attrs({ type: 'rss', version: 'ATOM1', text, title: text, xmlUrl: link.url, htmlUrl: siteUrl, language })}/>`;
  const body = listings.map((l) => {
    const mine = l.feeds.filter((f) => f.type === OPML_FORMAT).map((f) => `      ${outline(l.title, f, l.language, l.siteUrl)}`);
    const topics = l.topics.flatMap((t) => t.feeds.filter((f) => f.type === OPML_FORMAT).map((f) => `      ${outline(t.title, f, l.language, t.siteUrl)}`));
    return [`    <outline${attrs({ text: l.title, title: l.title, language: l.language })}>`, ...mine, ...topics, '    </outline>'].join('\n');
  });
  return ['<?xml version="1.0" encoding="UTF-8"?>', '<opml version="2.0">', '  <head>', `    ${element('title', title)}`,
    `    ${element('dateCreated', now.toUTCString())}`, '  </head>', '  <body>', ...body, '  </body>', '</opml>', ''].join('\n');
}

const list = (links: FeedLink[]) => `<ul>${links.map((f) => `<li><a${attrs({ href: f.url, type: f.type })}>${escapeXml(f.label)}</a></li>`).join('')}</ul>`;

/** The site's frame around the page: its stylesheet, and the way back to the audience's home. */
export interface DiscoveryFrame { stylesheet?: string | undefined; home?: { url: string; name: string } | undefined }

export function renderDiscoveryPage(listing: FeedListing, strings: PageStrings, opmlUrl: string, frame: DiscoveryFrame = {}): string {
  const alternates = [...listing.feeds, ...listing.topics.flatMap((t) => t.feeds.map((f) => ({ ...f, label: `${t.name} (${f.label})` })))]
    .filter((f) => SUBSCRIBABLE.has(f.type))
    .map((f) => `<link${attrs({ rel: 'alternate', type: f.type, title: f.label, href: f.url })}>`);
  const topics = listing.topics.length
    ? `<h2>${escapeXml(strings.byTopic)}</h2>${listing.topics.map((t) => `<h3>${escapeXml(t.name)}</h3>${list(t.feeds)}`).join('')}`
    : '';
  return ['<!DOCTYPE html>', `<html${attrs({ lang: listing.language })}>`, '<head>', '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeXml(strings.pageTitle)}</title>`, ...alternates,
    frame.stylesheet ? `<link${attrs({ rel: 'stylesheet', href: frame.stylesheet })}>` : '', '</head>', '<body>',
    frame.home ? `<header class="masthead"><div class="bar"><a${attrs({ class: 'brand', href: frame.home.url })}><span>${escapeXml(frame.home.name)}</span></a></div></header>` : '',
    '<main id="main">',
    `<h1>${escapeXml(strings.pageTitle)}</h1>`, `<p>${escapeXml(listing.description)}</p>`, `<p>${escapeXml(strings.intro)}</p>`,
    `<h2>${escapeXml(strings.allStories)}</h2>`, list(listing.feeds), topics,
    `<p><a${attrs({ href: opmlUrl, type: 'text/x-opml' })}>${escapeXml(strings.opmlLink)}</a></p>`, '</main>', '</body>', '</html>', ''].filter(Boolean).join('\n');
}
