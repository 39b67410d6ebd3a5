/**
 * The public site's URL scheme, in one place. Every audience has its site under /<audience>/ (audience
 * ids never take a path the service answers: config.ts refuses them). Article pages stay where feeds,
 * posts, sitemaps and partners' systems already link: /read/<audience>/<id> (translationUrl), the
 * canonical URL, answered directly with no redirect (card scrapers and readers follow one hop less) and
 * with no title slug in it (a correction may change the title; the id is what names the article).
 *
 *   /<audience>/                          home: priority and latest stories, topics
 *   /<audience>/topics/<slug>/            a topic's stories, newest first (?before= pages back)
 *   /<audience>/archive/                  the months with stories
 *   /<audience>/archive/<yyyy>/<mm>/      the days of a month
 *   /<audience>/archive/<yyyy>/<mm>/<dd>/ the stories of one day (in the audience's time zone)
 *   /read/<audience>/<id>                 an article
 *   /<audience>/sitemap.xml               the audience's sitemap index (sitemaps.org), listed in /robots.txt
 *   /site/site.css, /site/logo/<audience>.<ext>   the stylesheet and logos
 */
export { translationUrl as articleUrl } from '../../core/urls.ts';

export const homePath = (audienceId: string) => `/${audienceId}/`;
export const topicPath = (audienceId: string, slug: string) => `/${audienceId}/topics/${slug}/`;
export const archivePath = (audienceId: string, year?: number, month?: number, day?: number) =>
  `/${audienceId}/archive/${[year, month, day].filter((n): n is number => n !== undefined).map((n, i) => (i ? String(n).padStart(2, '0') : String(n))).join('/')}${year !== undefined ? '/' : ''}`;
export const feedsPath = (audienceId: string) => `/feeds/${audienceId}/`;
export const sitemapIndexPath = (audienceId: string) => `/${audienceId}/sitemap.xml`;
