/**
 * The public URL scheme, in one place: where a published translation's page and a story image's
 * variants live. Renderers, social posts and the routes that answer these paths all build and read
 * them here, so a path never changes in one place only. Pure functions.
 */
import { imageVariants, isImageVariant, type ImageVariant } from './media.ts';

/** Paths at the top of the site that belong to the service: no audience may be named like them (the site lives at /<audience>/). */
export const RESERVED_PATHS: ReadonlySet<string> = new Set(['ui', 'api', 'feeds', 'partner', 'media', 'read', 'site', 'healthz', 'readyz', 'metrics', 'robots.txt', 'sitemap.xml', 'favicon.ico', 'static', 'assets']);

/**
 * The one guard for every URL a story carries (its link, its images): an absolute http(s) URL as
 * a browser reads it, or undefined. The WHATWG parser does what browsers do before looking at the
 * scheme (drops leading and trailing control characters and spaces, and tabs and newlines anywhere,
 * folds the scheme's case), so `\tJava\nScript:…` is seen as the javascript: URL it is; anything
 * but http: and https: (javascript:, data:, vbscript:, file:, …) is refused. Used where a URL
 * enters (every parser, cleaning, the push API) and again where it leaves (every renderer), so a
 * bad row stored before this guard existed cannot reach a page either. `base` resolves a relative
 * URL (a feed's links); without it, only an absolute URL passes.
 */
export function httpUrl(raw: string | null | undefined, base?: string): string | undefined {
  if (typeof raw !== 'string' || !raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    return undefined;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
}

/** The public URL of a published translation's page. */
export function translationUrl(publicUrl: string, audienceId: string, translationId: number): string {
  return `${publicUrl}/read/${audienceId}/${translationId}`;
}

/*
 * The public site (publish/site/): every audience's pages live under /<audience>/ (RESERVED_PATHS
 * keeps audience ids off the service's own paths). Article pages stay where feeds, posts, sitemaps
 * and partners' systems already link, translationUrl's /read/<audience>/<id>: the canonical URL,
 * answered directly with no redirect (card scrapers follow one hop less) and with no title slug (a
 * correction may change the title; the id is what names the article).
 *
 *   /<audience>/                          home: priority and latest stories, topics
 *   /<audience>/topics/<slug>/            a topic's stories, newest first (?before= pages back)
 *   /<audience>/archive/[<yyyy>/<mm>/[<dd>/]]   months, the days of a month, one day's stories
 *   /<audience>/search/?q=                the audience's published stories found by their words
 *   /<audience>/sitemap.xml               the audience's sitemap index, listed in /robots.txt
 *   /site/site-<hash>.css, /site/logo-<hash>.<ext>   the stylesheet and logos
 */
export const homePath = (audienceId: string) => `/${audienceId}/`;
export const topicPath = (audienceId: string, slug: string) => `/${audienceId}/topics/${slug}/`;
export const archivePath = (audienceId: string, year?: number, month?: number, day?: number) =>
  `/${audienceId}/archive/${[year, month, day].filter((n): n is number => n !== undefined).map((n, i) => (i ? String(n).padStart(2, '0') : String(n))).join('/')}${year !== undefined ? '/' : ''}`;
export const searchPath = (audienceId: string) => `/${audienceId}/search/`;
export const feedsPath = (audienceId: string) => `/feeds/${audienceId}/`;
export const sitemapIndexPath = (audienceId: string) => `/${audienceId}/sitemap.xml`;

/** The path of one variant of an image, by the sha-256 of its bytes: `/media/<hash>-<variant>.<ext>`. */
export const mediaPath = (hash: string, variant: ImageVariant) => `/media/${hash}-${variant}.${imageVariants[variant].ext}`;

/** The hash and variant named by a file under /media/, or undefined when it names none. */
export function parseMediaFile(file: string): { hash: string; variant: ImageVariant } | undefined {
  const m = /^([0-9a-f]{64})-([a-z0-9-]+)\.(jpg|webp)$/.exec(file);
  if (!m || !isImageVariant(m[2]!) || imageVariants[m[2]].ext !== m[3]) return undefined;
  return { hash: m[1]!, variant: m[2] };
}
