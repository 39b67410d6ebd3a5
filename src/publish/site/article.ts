/**
 * An article page: headline, lead, lead figure (translated caption and credit), byline, the three
 * dates (the Vietnamese original's, our first publication, the last correction) in the audience's
 * locale and time zone, the correction note, the body as translated, the source line, related
 * stories; the layout adds the story in other languages (the switcher) and the feeds. Pure: data, strings and date formats in.
 */
import { sourceLineHtml } from '../feed-document.ts';
import { escapeXml as escapeHtml } from '../../core/escape.ts';
import { attrs } from '../xml.ts';
import { ARTICLE_SIZES, pictureHtml } from './body.ts';
import { renderLayout, type Strings } from './layout.ts';
import { articleMetadata } from './metadata.ts';
import type { Article, SiteShell } from './model.ts';
import { storyList } from './pages.ts';
import { httpUrl, topicPath } from '../../core/urls.ts';

export interface DateFormats { dateTime: Intl.DateTimeFormat; date: Intl.DateTimeFormat }

export const timeHtml = (d: Date, format: Intl.DateTimeFormat) => `<time${attrs({ datetime: d.toISOString() })}>${escapeHtml(format.format(d))}</time>`;

export function renderArticle(shell: SiteShell, t: Strings, dates: DateFormats, stored: Article, alternateLocales: string[]): string {
  const { audience } = shell;
  const article = withSafeOriginal(stored);
  const lead = article.lead;
  const imageAlt = lead?.caption ? plain(lead.caption) : '';
  const dateRows = [
    `<div><dt>${escapeHtml(t('site:published'))}</dt> <dd>${timeHtml(article.firstPublishedAt, dates.dateTime)}</dd></div>`,
    article.corrections > 0 ? `<div><dt>${escapeHtml(t('site:corrected'))}</dt> <dd>${timeHtml(article.updatedAt, dates.dateTime)}</dd></div>` : '',
    article.originalPublishedAt ? `<div><dt>${escapeHtml(t('site:originalPublished'))}</dt> <dd>${timeHtml(article.originalPublishedAt, dates.dateTime)}</dd></div>` : '',
  ];
  const figure = lead ? [
    '<figure class="lead-figure">',
    pictureHtml(lead.image, { alt: imageAlt, sizes: ARTICLE_SIZES, eager: true }),
    lead.caption || lead.credit
      ? `<figcaption>${lead.caption}${lead.credit ? ` <span class="credit">${escapeHtml(lead.credit)}</span>` : ''}</figcaption>` : '',
    '</figure>',
  ].join('') : '';
  const note = article.corrections > 0
    ? `<p class="correction" role="note">${escapeHtml(t('feeds:correctionNote', { date: dates.dateTime.format(article.updatedAt) }))}</p>` : '';
  const related = article.related.length
    ? `<section class="related"${attrs({ 'aria-labelledby': 'related' })}><h2 id="related">${escapeHtml(t('site:related'))}</h2>${storyList(article.related, t, dates, { headingLevel: 3 })}</section>` : '';
  const main = [
    '<article class="article">',
    '<header class="article-head">',
    article.topic ? `<p class="kicker"><a${attrs({ href: topicPath(audience.id, article.topic.slug) })}>${escapeHtml(article.topic.name)}</a></p>` : '',
    `<h1>${escapeHtml(article.title)}</h1>`,
    article.summary ? `<p class="lead">${escapeHtml(article.summary)}</p>` : '',
    article.author ? `<p class="byline">${escapeHtml(t('site:byline', { author: article.author }))}</p>` : '',
    `<dl class="dates">${dateRows.join('')}</dl>`,
    '</header>',
    figure,
    note,
    factCheckHtml(article, t),
    `<div class="body">${article.bodyHtml}</div>`,
    sourceLineHtml(article, shell.credit),
    '</article>',
    related,
  ].filter(Boolean).join('\n');

  const switchTo = new Map(article.alternates.filter((a) => a.audienceId).map((a) => [a.audienceId!, a.path]));
  const original = article.alternates.find((a) => !a.audienceId);
  return renderLayout(shell, t, {
    title: `${article.title} · ${audience.publicationName}`,
    description: article.summary || undefined,
    canonical: article.url,
    alternates: [{ hreflang: audience.language, href: article.url }, ...article.alternates.map((a) => ({ hreflang: a.language, href: a.url }))],
    head: articleMetadata({ article, shell, alternateLocales, imageAlt: imageAlt || article.title }),
    switchTo,
    original: original ? { url: original.url, name: original.languageName } : undefined,
    main,
  });
}

/** What the answer reviews, visible on the page as the ClaimReview markup requires: the claim, its rating, where it was said. */
function factCheckHtml(article: Article, t: Strings): string {
  const check = article.factCheck;
  if (!check) return '';
  const where = check.appearances.flatMap((a) => {
    const url = httpUrl(a.url);
    return url ? [`<li><a${attrs({ href: url, rel: 'nofollow noopener' })}>${escapeHtml(a.outlet)}</a></li>`] : [];
  });
  return [
    `<aside class="fact-check"${attrs({ 'aria-labelledby': 'fact-check' })}>`,
    `<h2 id="fact-check">${escapeHtml(t('site:factCheckTitle'))}</h2>`,
    `<blockquote lang="vi">${escapeHtml(check.claim)}</blockquote>`,
    `<p class="rating">${escapeHtml(t('site:factCheckRating', { rating: check.rating.name }))}</p>`,
    where.length ? `<p>${escapeHtml(t('site:factCheckSeenIn'))}</p><ul>${where.join('')}</ul>` : '',
    '</aside>',
  ].join('');
}

/**
 * The Vietnamese original's link only as an http(s) URL (core/urls.ts): it came from a source and
 * may predate the ingest guard; the other languages' links are ours.
 */
function withSafeOriginal(article: Article): Article {
  const alternates = article.alternates.flatMap((a) => {
    if (a.audienceId) return [a];
    const url = httpUrl(a.url);
    return url ? [{ ...a, url, path: url }] : [];
  });
  return { ...article, originalUrl: httpUrl(article.originalUrl), alternates };
}

const plain = (html: string) => html.replace(/<[^>]*>/g, '').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();
