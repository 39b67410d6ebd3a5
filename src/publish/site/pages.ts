/**
 * The site's list pages (home, topic, archive of months, of days, of one day) and its 404 and 410
 * pages, in the audience's language. Pure: data, strings and date formats in, HTML out.
 */
import { escapeXml as escapeHtml } from '../../core/escape.ts';
import { attrs } from '../xml.ts';
import { pictureHtml } from './body.ts';
import { renderLayout, type Strings } from './layout.ts';
import type { SiteShell, StoryCard } from './model.ts';
import { archivePath, homePath, searchPath, topicPath } from '../../core/urls.ts';

export interface ListDates { date: Intl.DateTimeFormat; dateTime: Intl.DateTimeFormat }

const CARD_SIZES = '(min-width: 60em) 18em, (min-width: 40em) 40vw, calc(100vw - 2rem)';

/** A list of stories as cards: image, topic, title, date, summary. */
export function storyList(cards: readonly StoryCard[], t: Strings, dates: ListDates, opts: { headingLevel: 2 | 3; eagerFirst?: boolean; withTopic?: boolean }): string {
  const h = `h${opts.headingLevel}`;
  const items = cards.map((c, i) => [
    `<li class="card${c.priority ? ' priority' : ''}">`,
    c.image ? `<div class="thumb">${pictureHtml(c.image, { alt: '', sizes: CARD_SIZES, eager: opts.eagerFirst === true && i === 0 })}</div>` : '',
    `<${h}><a${attrs({ href: c.path })}>${escapeHtml(c.title)}</a></${h}>`,
    `<p class="meta">${opts.withTopic !== false && c.topic ? `<a${attrs({ href: topicPath(c.audienceId, c.topic.slug) })}>${escapeHtml(c.topic.name)}</a> · ` : ''}<time${attrs({ datetime: c.firstPublishedAt.toISOString() })}>${escapeHtml(dates.date.format(c.firstPublishedAt))}</time></p>`,
    c.summary ? `<p class="summary">${escapeHtml(c.summary)}</p>` : '',
    '</li>',
  ].join(''));
  return `<ul class="cards">${items.join('')}</ul>`;
}

export interface HomeData { priority: StoryCard[]; latest: StoryCard[]; topics: { slug: string; name: string }[] }

export function renderHome(shell: SiteShell, t: Strings, dates: ListDates, data: HomeData): string {
  const { audience } = shell;
  const shown = new Set(data.priority.map((c) => c.translationId));
  const latest = data.latest.filter((c) => !shown.has(c.translationId));
  const main = [
    `<h1 class="visually-hidden">${escapeHtml(audience.publicationName)}</h1>`,
    data.priority.length ? `<section class="top"${attrs({ 'aria-labelledby': 'top' })}><h2 id="top">${escapeHtml(t('site:priority'))}</h2>${storyList(data.priority, t, dates, { headingLevel: 3, eagerFirst: true })}</section>` : '',
    // every story may be on top already: then there is no "latest" to show
    latest.length || !data.priority.length ? `<section class="latest"${attrs({ 'aria-labelledby': 'latest' })}><h2 id="latest">${escapeHtml(t('site:latest'))}</h2>` : '',
    latest.length ? storyList(latest, t, dates, { headingLevel: 3, eagerFirst: !data.priority.length }) : data.priority.length ? '' : `<p>${escapeHtml(t('site:noStories'))}</p>`,
    latest.length ? `<p class="more"><a${attrs({ href: archivePath(audience.id) })}>${escapeHtml(t('site:moreInArchive'))}</a></p>` : '',
    latest.length || !data.priority.length ? '</section>' : '',
    topicMenu(shell, t, data.topics),
  ].filter(Boolean).join('\n');
  return renderLayout(shell, t, {
    title: audience.publicationName,
    description: t('site:about', { publication: audience.publicationName }),
    canonical: `${shell.publicUrl}${homePath(audience.id)}`,
    alternates: [
      ...shell.audiences.map((a) => ({ hreflang: a.language, href: `${shell.publicUrl}${homePath(a.id)}` })),
      { hreflang: 'x-default', href: `${shell.publicUrl}/` },
    ],
    section: 'home',
    main,
  });
}

function topicMenu(shell: SiteShell, t: Strings, topics: { slug: string; name: string }[]): string {
  if (!topics.length) return '';
  return `<section class="topics"${attrs({ 'aria-labelledby': 'topics' })}><h2 id="topics">${escapeHtml(t('site:topics'))}</h2><ul>${topics
    .map((tp) => `<li><a${attrs({ href: topicPath(shell.audience.id, tp.slug) })}>${escapeHtml(tp.name)}</a></li>`).join('')}</ul></section>`;
}

export interface TopicData { topic: { slug: string; name: string }; stories: StoryCard[]; older: string | undefined; topics: { slug: string; name: string }[] }

export function renderTopic(shell: SiteShell, t: Strings, dates: ListDates, data: TopicData): string {
  const { audience } = shell;
  const url = `${shell.publicUrl}${topicPath(audience.id, data.topic.slug)}`;
  const main = [
    `<h1>${escapeHtml(data.topic.name)}</h1>`,
    data.stories.length ? storyList(data.stories, t, dates, { headingLevel: 2, eagerFirst: true, withTopic: false }) : `<p>${escapeHtml(t('site:noStories'))}</p>`,
    data.older ? `<p class="more"><a${attrs({ href: data.older, rel: 'next' })}>${escapeHtml(t('site:older'))}</a></p>` : '',
    topicMenu(shell, t, data.topics.filter((tp) => tp.slug !== data.topic.slug)),
  ].filter(Boolean).join('\n');
  return renderLayout(shell, t, { title: `${data.topic.name} · ${audience.publicationName}`, canonical: url, main });
}

export interface ArchiveMonth { year: number; month: number; count: number }

export function renderArchive(shell: SiteShell, t: Strings, months: ArchiveMonth[]): string {
  const { audience } = shell;
  const monthName = new Intl.DateTimeFormat(audience.locale, { month: 'long', timeZone: 'UTC' });
  const years = [...new Set(months.map((m) => m.year))];
  const main = [
    `<h1>${escapeHtml(t('site:archive'))}</h1>`,
    months.length ? '' : `<p>${escapeHtml(t('site:noStories'))}</p>`,
    ...years.map((y) => `<section class="year"${attrs({ 'aria-labelledby': `y${y}` })}><h2 id="y${y}">${escapeHtml(new Intl.DateTimeFormat(audience.locale, { year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(y, 6, 1)))}</h2><ul class="months">${months
      .filter((m) => m.year === y)
      .map((m) => `<li><a${attrs({ href: archivePath(audience.id, m.year, m.month) })}>${escapeHtml(monthName.format(Date.UTC(m.year, m.month - 1, 15)))}</a> <span class="count">${escapeHtml(t('site:count', { count: m.count }))}</span></li>`).join('')}</ul></section>`),
  ].filter(Boolean).join('\n');
  return renderLayout(shell, t, { title: `${t('site:archive')} · ${audience.publicationName}`, canonical: `${shell.publicUrl}${archivePath(audience.id)}`, section: 'archive', main });
}

export function renderArchiveMonth(shell: SiteShell, t: Strings, year: number, month: number, days: ReadonlyMap<number, number>): string {
  const { audience } = shell;
  const title = new Intl.DateTimeFormat(audience.locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(year, month - 1, 15));
  const dayName = new Intl.DateTimeFormat(audience.locale, { day: 'numeric', month: 'long', weekday: 'long', timeZone: 'UTC' });
  const list = [...days.entries()].sort((a, b) => b[0] - a[0]);
  const main = [
    `<nav class="crumbs"${attrs({ 'aria-label': t('site:archive') })}><a${attrs({ href: archivePath(audience.id) })}>${escapeHtml(t('site:archive'))}</a></nav>`,
    `<h1>${escapeHtml(title)}</h1>`,
    list.length
      ? `<ul class="days">${list.map(([day, count]) => `<li><a${attrs({ href: archivePath(audience.id, year, month, day) })}>${escapeHtml(dayName.format(Date.UTC(year, month - 1, day)))}</a> <span class="count">${escapeHtml(t('site:count', { count }))}</span></li>`).join('')}</ul>`
      : `<p>${escapeHtml(t('site:noStories'))}</p>`,
  ].join('\n');
  return renderLayout(shell, t, { title: `${title} · ${audience.publicationName}`, canonical: `${shell.publicUrl}${archivePath(audience.id, year, month)}`, section: 'archive', main });
}

export function renderArchiveDay(shell: SiteShell, t: Strings, dates: ListDates, day: { year: number; month: number; day: number }, stories: StoryCard[]): string {
  const { audience } = shell;
  const title = new Intl.DateTimeFormat(audience.locale, { dateStyle: 'full', timeZone: 'UTC' }).format(Date.UTC(day.year, day.month - 1, day.day));
  const monthName = new Intl.DateTimeFormat(audience.locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(day.year, day.month - 1, 15));
  const main = [
    `<nav class="crumbs"${attrs({ 'aria-label': t('site:archive') })}><a${attrs({ href: archivePath(audience.id) })}>${escapeHtml(t('site:archive'))}</a> › <a${attrs({ href: archivePath(audience.id, day.year, day.month) })}>${escapeHtml(monthName)}</a></nav>`,
    `<h1>${escapeHtml(title)}</h1>`,
    stories.length ? storyList(stories, t, dates, { headingLevel: 2, eagerFirst: true }) : `<p>${escapeHtml(t('site:noStories'))}</p>`,
  ].join('\n');
  return renderLayout(shell, t, { title: `${title} · ${audience.publicationName}`, canonical: `${shell.publicUrl}${archivePath(audience.id, day.year, day.month, day.day)}`, section: 'archive', main });
}

export interface SearchData { words: string; stories: StoryCard[]; more: string | undefined }

/** The search form, and what it found: the audience's published stories holding the words. */
export function renderSearch(shell: SiteShell, t: Strings, dates: ListDates, data: SearchData): string {
  const { audience } = shell;
  const form = [
    `<form class="search" role="search"${attrs({ method: 'get', action: searchPath(audience.id) })}>`,
    `<label for="q">${escapeHtml(t('site:searchLabel'))}</label>`,
    `<input${attrs({ id: 'q', name: 'q', type: 'search', value: data.words, maxlength: 200, autocomplete: 'off', enterkeyhint: 'search' })}>`,
    `<button type="submit">${escapeHtml(t('site:searchButton'))}</button>`,
    '</form>',
  ].join('');
  const results = !data.words ? ''
    : data.stories.length
      ? `<section${attrs({ 'aria-labelledby': 'results' })}><h2 id="results">${escapeHtml(t('site:searchResults', { words: data.words }))}</h2>${storyList(data.stories, t, dates, { headingLevel: 3 })}${data.more ? `<p class="more"><a${attrs({ href: data.more, rel: 'next' })}>${escapeHtml(t('site:searchMore'))}</a></p>` : ''}</section>`
      : `<p role="status">${escapeHtml(t('site:searchNone', { words: data.words }))}</p>`;
  return renderLayout(shell, t, {
    title: `${data.words ? `${data.words} · ` : ''}${t('site:search')} · ${audience.publicationName}`,
    canonical: `${shell.publicUrl}${searchPath(audience.id)}`,
    section: 'search',
    // result pages are for the reader who asked, not for search engines
    noindex: Boolean(data.words),
    main: `<h1>${escapeHtml(t('site:search'))}</h1>${form}${results}`,
  });
}

/** 404 (no such page) and 410 (an article the editors withdrew), in the audience's language. */
export function renderError(shell: SiteShell, t: Strings, status: 404 | 410): string {
  const key = status === 410 ? 'gone' : 'notFound';
  const main = `<h1>${escapeHtml(t(`site:${key}Title`))}</h1><p>${escapeHtml(t(`site:${key}`))}</p><p><a${attrs({ href: homePath(shell.audience.id) })}>${escapeHtml(t('site:backHome'))}</a></p>`;
  return renderLayout(shell, t, { title: `${t(`site:${key}Title`)} · ${shell.audience.publicationName}`, main, noindex: true });
}
