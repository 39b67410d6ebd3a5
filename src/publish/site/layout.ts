/**
 * The frame every page of an audience's site shares: the document head (language and direction,
 * canonical URL, hreflang alternates, the one stylesheet, feeds, page metadata) and the masthead
 * (logo and publication name, sections, language switcher) and footer. Pure: strings come in through
 * `t`, already bound to the audience's language; no script, no inline style (the pages' CSP allows
 * neither), every image from our own origin.
 */
import { escapeXml as escapeHtml } from '../../core/escape.ts';
import { attrs } from '../xml.ts';
import type { SiteAudience, SiteShell } from './model.ts';
import { archivePath, feedsPath, homePath, searchPath } from '../../core/urls.ts';

export type Strings = (key: string, values?: Record<string, unknown>) => string;

export interface PageFrame {
  title: string;
  description?: string | undefined;
  canonical?: string | undefined;
  /** hreflang alternates of this page (its own language included), and x-default. */
  alternates?: { hreflang: string; href: string }[];
  /** Extra head elements, already HTML (Open Graph, JSON-LD). */
  head?: string;
  /** The language switcher's target per audience (this story in that language), else that audience's home. */
  switchTo?: ReadonlyMap<string, string>;
  /** The Vietnamese original, last in the switcher on article pages. */
  original?: { url: string; name: string } | undefined;
  /** Which section of the masthead is this page's. */
  section?: 'home' | 'archive' | 'search' | 'feeds' | undefined;
  main: string;
  /** 404 and 410 pages, search results: kept out of search indexes. */
  noindex?: boolean;
}

const FEED_TYPES = [
  { file: 'atom.xml', type: 'application/atom+xml', label: 'formatAtom' },
  { file: 'rss.xml', type: 'application/rss+xml', label: 'formatRss' },
  { file: 'feed.json', type: 'application/feed+json', label: 'formatJson' },
] as const;

/** The audience's feeds as links (for the head and the footer); `t` reads the feeds namespace. */
export const feedLinks = (shell: SiteShell, t: Strings) =>
  FEED_TYPES.map((f) => ({ href: `${shell.publicUrl}${feedsPath(shell.audience.id)}${f.file}`, type: f.type, label: t(`feeds:${f.label}`) }));

function logoImg(audience: SiteAudience): string {
  if (!audience.logo) return '';
  // decorative: the publication's name is beside it
  return `<img${attrs({ src: audience.logo.path, width: audience.logo.width, height: audience.logo.height, alt: '' })}>`;
}

function languageSwitcher(shell: SiteShell, t: Strings, frame: PageFrame): string {
  const others = shell.audiences.filter((a) => a.id !== shell.audience.id);
  if (!others.length && !frame.original) return '';
  const items = others.map((a) => {
    const href = frame.switchTo?.get(a.id) ?? homePath(a.id);
    return `<li><a${attrs({ href, hreflang: a.language, lang: a.language })}>${escapeHtml(a.languageName)}</a></li>`;
  });
  if (frame.original) items.push(`<li><a${attrs({ href: frame.original.url, hreflang: 'vi', lang: 'vi', rel: 'external' })}>${escapeHtml(frame.original.name)}</a></li>`);
  return `<nav class="languages"${attrs({ 'aria-label': t('site:languages') })}><ul><li><span aria-current="true"${attrs({ lang: shell.audience.language })}>${escapeHtml(shell.audience.languageName)}</span></li>${items.join('')}</ul></nav>`;
}

export function renderLayout(shell: SiteShell, t: Strings, frame: PageFrame): string {
  const { audience } = shell;
  // links inside the site are root-relative: the pages work under any host name; only what other
  // sites read (canonical, hreflang, metadata) names the public URL
  const home = homePath(audience.id);
  const feeds = feedLinks(shell, t);
  const current = (s: PageFrame['section']) => (frame.section === s ? ' aria-current="page"' : '');
  const head = [
    '<!DOCTYPE html>',
    `<html${attrs({ lang: audience.language, dir: audience.dir })}>`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(frame.title)}</title>`,
    frame.description ? `<meta${attrs({ name: 'description', content: frame.description })}>` : '',
    frame.noindex ? '<meta name="robots" content="noindex">' : '',
    '<meta name="color-scheme" content="light dark">',
    `<link rel="stylesheet"${attrs({ href: shell.stylesheet })}>`,
    audience.logo ? `<link rel="icon"${attrs({ href: audience.logo.path, type: audience.logo.path.endsWith('.svg') ? 'image/svg+xml' : 'image/png' })}>` : '',
    frame.canonical ? `<link rel="canonical"${attrs({ href: frame.canonical })}>` : '',
    ...(frame.alternates ?? []).map((a) => `<link rel="alternate"${attrs({ hreflang: a.hreflang, href: a.href })}>`),
    ...feeds.map((f) => `<link rel="alternate"${attrs({ type: f.type, title: `${audience.publicationName} (${f.label})`, href: f.href })}>`),
    frame.head ?? '',
    '</head>',
  ];
  const body = [
    '<body>',
    `<a class="skip" href="#main">${escapeHtml(t('site:skip'))}</a>`,
    '<header class="masthead">',
    `<div class="bar"><a class="brand"${attrs({ href: home })}>${logoImg(audience)}<span>${escapeHtml(audience.publicationName)}</span></a>`,
    `<nav class="sections"${attrs({ 'aria-label': t('site:sections') })}><ul>`,
    `<li><a${attrs({ href: home })}${current('home')}>${escapeHtml(t('site:home'))}</a></li>`,
    `<li><a${attrs({ href: archivePath(audience.id) })}${current('archive')}>${escapeHtml(t('site:archive'))}</a></li>`,
    `<li><a${attrs({ href: searchPath(audience.id) })}${current('search')}>${escapeHtml(t('site:search'))}</a></li>`,
    `<li><a${attrs({ href: feedsPath(audience.id) })}${current('feeds')}>${escapeHtml(t('site:feeds'))}</a></li>`,
    '</ul></nav></div>',
    languageSwitcher(shell, t, frame),
    '</header>',
    `<main id="main" tabindex="-1">${frame.main}</main>`,
    '<footer class="colophon">',
    `<p>${escapeHtml(t('site:about', { publication: audience.publicationName }))} ${escapeHtml(shell.credit)}</p>`,
    `<p>${escapeHtml(t('site:followFeeds'))} ${feeds.map((f) => `<a${attrs({ href: f.href, type: f.type })}>${escapeHtml(f.label)}</a>`).join(' · ')}</p>`,
    // the newsroom's own door: present, but quiet
    `<p class="desk"><a href="/ui/login" rel="nofollow">${escapeHtml(t('site:desk'))}</a></p>`,
    '</footer>',
    '</body>',
    '</html>',
    '',
  ];
  return [...head, ...body].filter(Boolean).join('\n');
}
