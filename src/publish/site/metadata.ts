/**
 * What other sites read from an article page: Open Graph (Facebook, LinkedIn, Telegram, Mastodon and
 * Bluesky draw link cards from it), the X card, and schema.org NewsArticle JSON-LD for search engines,
 * naming the Vietnamese original it translates. Every URL here is absolute. Pure.
 *
 * The JSON-LD is a data block (<script type="application/ld+json">): browsers never run it, so the
 * pages' script-free CSP does not stop it; "<" is escaped so no text can close the element.
 */
import { attrs } from '../xml.ts';
import type { Article, SiteShell } from './model.ts';

/** og:locale wants ll_CC: en-GB → en_GB, zh-Hans → zh_CN (Open Graph knows no scripts). */
const ogLocales = new Map<string, string>();
export function ogLocale(locale: string): string {
  let og = ogLocales.get(locale);
  if (!og) {
    const l = new Intl.Locale(locale).maximize();
    og = `${l.language}_${l.region ?? l.language.toUpperCase()}`;
    if (ogLocales.size < 500) ogLocales.set(locale, og);
  }
  return og;
}

export interface ArticleMetaInput {
  article: Article;
  shell: SiteShell;
  /** Locales of the other languages' audiences (og:locale:alternate). */
  alternateLocales: string[];
  /** The caption, or the title, as the image's description. */
  imageAlt: string;
}

const meta = (property: string, content: string | number | undefined, key: 'property' | 'name' = 'property') =>
  content === undefined || content === '' ? '' : `<meta${attrs({ [key]: property, content })}>`;

export function articleMetadata({ article, shell, alternateLocales, imageAlt }: ArticleMetaInput): string {
  const abs = (path: string) => `${shell.publicUrl}${path}`;
  const { audience } = shell;
  const image = article.lead?.image;
  const iso = (d: Date) => d.toISOString();
  const lines = [
    meta('og:type', 'article'),
    meta('og:site_name', audience.publicationName),
    meta('og:title', article.title),
    meta('og:description', article.summary),
    meta('og:url', article.url),
    meta('og:locale', ogLocale(audience.locale)),
    ...alternateLocales.map((l) => meta('og:locale:alternate', ogLocale(l))),
    ...(image ? [
      meta('og:image', abs(image.card.url)), meta('og:image:type', image.card.type),
      meta('og:image:width', image.card.width), meta('og:image:height', image.card.height), meta('og:image:alt', imageAlt),
    ] : []),
    meta('article:published_time', iso(article.firstPublishedAt)),
    meta('article:modified_time', iso(article.updatedAt)),
    meta('article:author', article.author),
    meta('article:section', article.topic?.name),
    meta('twitter:card', image ? 'summary_large_image' : 'summary', 'name'),
    meta('twitter:title', article.title, 'name'),
    meta('twitter:description', article.summary, 'name'),
    ...(image ? [meta('twitter:image', abs(image.cardX.url), 'name'), meta('twitter:image:alt', imageAlt, 'name')] : []),
    `<script type="application/ld+json">${jsonForHtml(newsArticle({ article, shell, alternateLocales, imageAlt }))}</script>`,
    article.factCheck ? `<script type="application/ld+json">${jsonForHtml(claimReview(article, shell))}</script>` : '',
  ];
  return lines.filter(Boolean).join('\n');
}

/** JSON inside an HTML element: nothing in it can end the element or start a comment. */
export const jsonForHtml = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

/** The publication as an organisation: publisher of articles, author of reviews. */
function publisherOf(shell: SiteShell): Record<string, unknown> {
  const { audience } = shell;
  return {
    '@type': 'NewsMediaOrganization',
    name: audience.publicationName,
    url: `${shell.publicUrl}/${audience.id}/`,
    ...(audience.logo ? { logo: { '@type': 'ImageObject', url: `${shell.publicUrl}${audience.logo.path}`, width: audience.logo.width, height: audience.logo.height } } : {}),
  };
}

/**
 * schema.org ClaimReview of the false claim an answer reviews, as Google's fact-check markup reads
 * it: claimReviewed, reviewRating (the configured scale, alternateName in the page's language),
 * url; author and datePublished; itemReviewed a Claim naming every appearance, the first one as
 * firstAppearance.
 */
export function claimReview(article: Article, shell: SiteShell): Record<string, unknown> {
  const check = article.factCheck!;
  const work = (a: (typeof check.appearances)[number]) => ({
    '@type': 'CreativeWork', url: a.url, inLanguage: a.language, datePublished: a.firstSeenAt.toISOString(), publisher: { '@type': 'Organization', name: a.outlet },
  });
  const first = check.appearances[0];
  return {
    '@context': 'https://schema.org',
    '@type': 'ClaimReview',
    url: article.url,
    claimReviewed: check.claim,
    inLanguage: shell.audience.language,
    datePublished: article.firstPublishedAt.toISOString(),
    dateModified: article.updatedAt.toISOString(),
    author: publisherOf(shell),
    reviewRating: { '@type': 'Rating', ratingValue: check.rating.value, bestRating: check.rating.best, worstRating: check.rating.worst, alternateName: check.rating.name },
    itemReviewed: {
      '@type': 'Claim',
      ...(first ? { datePublished: first.firstSeenAt.toISOString(), author: { '@type': 'Organization', name: first.outlet }, firstAppearance: work(first) } : {}),
      appearance: check.appearances.map(work),
    },
  };
}

/** schema.org NewsArticle, as Google's article rich results read it, with the original as translationOfWork. */
export function newsArticle({ article, shell }: ArticleMetaInput): Record<string, unknown> {
  const abs = (path: string) => `${shell.publicUrl}${path}`;
  const { audience } = shell;
  const publisher = publisherOf(shell);
  const image = article.lead?.image;
  const original = article.originalUrl || article.originalPublishedAt ? {
    '@type': 'NewsArticle',
    inLanguage: 'vi',
    ...(article.originalUrl ? { url: article.originalUrl } : {}),
    ...(article.originalPublishedAt ? { datePublished: article.originalPublishedAt.toISOString() } : {}),
    ...(article.author ? { author: { '@type': 'Person', name: article.author } } : {}),
    ...(article.attribution ? { publisher: { '@type': 'Organization', name: article.attribution } } : {}),
  } : undefined;
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: article.title,
    ...(article.summary ? { description: article.summary } : {}),
    inLanguage: audience.language,
    url: article.url,
    mainEntityOfPage: { '@type': 'WebPage', '@id': article.url },
    datePublished: article.firstPublishedAt.toISOString(),
    dateModified: article.updatedAt.toISOString(),
    ...(image ? { image: [abs(image.card.url), abs(image.cardX.url), abs(image.jpeg.at(-1)!.url)] } : {}),
    // the story's author wrote the original; the publication translated and reviewed it
    author: article.author ? [{ '@type': 'Person', name: article.author }] : [{ '@type': 'Organization', name: article.attribution ?? audience.publicationName }],
    publisher,
    translator: { '@type': 'Organization', name: audience.publicationName },
    ...(article.topic ? { articleSection: article.topic.name } : {}),
    ...(original ? { translationOfWork: original } : {}),
    ...(article.originalUrl ? { isBasedOn: article.originalUrl } : {}),
  };
}
