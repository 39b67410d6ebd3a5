/**
 * The public site of every audience: from a request path to a page (or a redirect), through the
 * loaders and the pure renderers. HTTP (caching, compression, headers) is the web layer's.
 */
import { isStoredId } from '../../core/ids.ts';
import type { i18n } from 'i18next';
import { localeOf, type AudienceConfig } from '../../core/audience.ts';
import { audienceDateFormat, listTopics, publishedAudiences } from '../load.ts';
import { renderArticle } from './article.ts';
import type { Strings } from './layout.ts';
import { loadArticle, type RatingScale } from './load-article.ts';
import { loadArchiveDays, loadArchiveMonths, loadSitemapMonth, loadStoryList, localSpan, searchPublished, SEARCH_MAX_OFFSET, type SiteLoadDeps } from './load.ts';
import { renderRobots, renderSitemapIndex, renderUrlset, SITEMAP_LIMIT } from './sitemaps.ts';
import type { SiteAudience, SiteLogo, SiteShell } from './model.ts';
import { renderArchive, renderArchiveDay, renderArchiveMonth, renderError, renderHome, renderSearch, renderTopic } from './pages.ts';
import { archivePath, homePath, RESERVED_PATHS, searchPath, sitemapIndexPath, topicPath } from '../../core/urls.ts';

export interface SiteDeps {
  db: SiteLoadDeps['db'];
  i18n: i18n;
  publicUrl: string;
  audiences: readonly AudienceConfig[];
  clock: () => Date;
  /** publishing.publicationName: an audience without its own name uses it. */
  publicationName: string;
  /** The audience `/` leads to when the reader's languages match none (the first audience when absent). */
  defaultAudience?: string | undefined;
  /** The stylesheet's URL (with its content hash) and each audience's logo. */
  stylesheet: string;
  logos: ReadonlyMap<string, SiteLogo>;
  /** The scale false claims are rated on: an answer's page reviews its claim on it (ClaimReview). */
  ratingScale: RatingScale;
}

export type SiteAnswer =
  | { status: 200 | 404 | 410; html: string; audienceId: string; /** May be kept and served again until the site changes. */ cacheable: boolean }
  | { status: 301 | 302; location: string; /** The answer depends on Accept-Language. */ negotiated?: boolean };

const PAGE = 20;
const PRIORITY_DAYS = 3;

const capitalise = (s: string, locale: string) => s.charAt(0).toLocaleUpperCase(locale) + s.slice(1);

const languageNames = new Map<string, string>();
/** A language's own name in itself: "Français", "Русский", "简体中文", "ລາວ", "Tiếng Việt" (made once per language). */
export function languageName(language: string): string {
  let name = languageNames.get(language);
  if (name === undefined) {
    try {
      name = capitalise(new Intl.DisplayNames([language], { type: 'language' }).of(language) ?? language, language);
    } catch {
      name = language;
    }
    if (languageNames.size < 500) languageNames.set(language, name);
  }
  return name;
}

const textDirection = (language: string): 'ltr' | 'rtl' => ((new Intl.Locale(language) as Intl.Locale & { textInfo?: { direction?: string } }).textInfo?.direction === 'rtl' ? 'rtl' : 'ltr');

/** Picks the audience whose language the reader asks for first (Accept-Language), among those given. */
export function negotiate(header: string | undefined, audiences: readonly { id: string; language: string }[]): string | undefined {
  if (!header) return undefined;
  const wanted = header.split(',').map((part, i) => {
    const [tag, ...params] = part.trim().split(';');
    const q = Number(/q=([\d.]+)/.exec(params.join(';'))?.[1] ?? 1);
    return { tag: tag!.toLowerCase(), q: Number.isFinite(q) ? q : 0, i };
  }).filter((w) => w.tag && w.q > 0).sort((a, b) => b.q - a.q || a.i - b.i);
  for (const w of wanted) {
    const exact = audiences.find((a) => a.language.toLowerCase() === w.tag);
    const base = exact ?? audiences.find((a) => a.language.toLowerCase().split('-')[0] === w.tag.split('-')[0]);
    if (base) return base.id;
  }
  return undefined;
}

export interface Site {
  /** robots.txt and the sitemaps: undefined (at once) for any other path. */
  document(path: string): Promise<{ body: string; type: string } | undefined> | undefined;
  answer(path: string, query: URLSearchParams, acceptLanguage: string | undefined): Promise<SiteAnswer | undefined>;
  /** The audiences with something public (the language switcher, `/`, robots.txt). */
  liveAudiences(now: Date): Promise<AudienceConfig[]>;
  shellOf(audience: AudienceConfig, live: readonly AudienceConfig[]): SiteShell;
}

export function createSite(deps: SiteDeps): Site {
  const byId = new Map(deps.audiences.map((a) => [a.id, a]));
  const siteAudiences = new Map<string, SiteAudience>(deps.audiences.map((a) => [a.id, {
    id: a.id,
    language: a.language,
    locale: localeOf(a),
    dir: textDirection(a.language),
    timeZone: a.timeZone,
    publicationName: a.publicationName ?? deps.publicationName,
    logo: deps.logos.get(a.id),
    languageName: languageName(a.language),
  }]));
  const load: SiteLoadDeps = { db: deps.db, i18n: deps.i18n, publicUrl: deps.publicUrl, audiences: deps.audiences };
  // i18next's t costs tens of microseconds a call, dozens of calls a page: a word without values is looked up once per language
  const strings = new Map<string, Strings>();
  const stringsOf = (a: AudienceConfig): Strings => {
    let cached = strings.get(a.language);
    if (!cached) {
      const t = deps.i18n.getFixedT(a.language, 'site') as unknown as Strings;
      const words = new Map<string, string>();
      cached = (key, values) => {
        if (values) return t(key, values);
        let word = words.get(key);
        if (word === undefined) words.set(key, word = t(key));
        return word;
      };
      strings.set(a.language, cached);
    }
    return cached;
  };
  const datesOf = (a: AudienceConfig) => ({ dateTime: audienceDateFormat(a), date: audienceDateFormat(a, 'date') });

  const liveAudiences = async (now: Date) => {
    const live = await publishedAudiences(deps.db, deps.audiences.map((a) => a.id), now);
    return deps.audiences.filter((a) => live.has(a.id));
  };
  const shellOf = (audience: AudienceConfig, live: readonly AudienceConfig[]): SiteShell => ({
    audience: siteAudiences.get(audience.id)!,
    publicUrl: deps.publicUrl,
    audiences: deps.audiences.filter((a) => a.id === audience.id || live.includes(a)).map((a) => siteAudiences.get(a.id)!),
    stylesheet: deps.stylesheet,
    credit: audience.credit ?? deps.i18n.getFixedT(audience.language, 'feeds')('credit'),
  });

  async function page(audience: AudienceConfig, rest: string[], query: URLSearchParams, now: Date): Promise<SiteAnswer> {
    const live = await liveAudiences(now);
    const shell = shellOf(audience, live);
    const t = stringsOf(audience);
    const dates = datesOf(audience);
    const ok = (html: string, cacheable = true) => ({ status: 200 as const, html, audienceId: audience.id, cacheable });
    const notFound = () => ({ status: 404 as const, html: renderError(shell, t, 404), audienceId: audience.id, cacheable: false });
    const [first, second, third, fourth, fifth] = rest;

    if (rest.length === 0) {
      const since = new Date(now.getTime() - PRIORITY_DAYS * 86_400_000);
      const [priority, latest, topics] = await Promise.all([
        loadStoryList(load, { audience, now, limit: 3, priorityOnly: true, from: since }),
        loadStoryList(load, { audience, now, limit: PAGE }),
        listTopics(deps.db, deps.i18n, audience),
      ]);
      return ok(renderHome(shell, t, dates, { priority, latest, topics }));
    }
    if (first === 'topics' && second && /^[a-z0-9-]+$/.test(second) && rest.length === 2) {
      const topics = await listTopics(deps.db, deps.i18n, audience);
      const topic = topics.find((tp) => tp.slug === second);
      if (!topic) return notFound();
      const before = parseCursor(query.get('before'));
      const stories = await loadStoryList(load, { audience, now, limit: PAGE + 1, topic: topic.slug, before });
      const last = stories.length > PAGE ? stories[PAGE - 1] : undefined;
      const older = last ? `?before=${last.firstPublishedAt.getTime()}-${last.translationId}` : undefined;
      return ok(renderTopic(shell, t, dates, { topic, stories: stories.slice(0, PAGE), older, topics }), !query.has('before'));
    }
    if (first === 'search' && rest.length === 1) {
      // a reader's words, bounded: the form says 200 characters, a hand-made address gets the same
      const words = (query.get('q') ?? '').replace(/\s+/g, ' ').trim().slice(0, 200);
      const offset = Math.min(Math.max(0, Number.parseInt(query.get('from') ?? '0', 10) || 0), SEARCH_MAX_OFFSET);
      const found = words ? await searchPublished(load, { audience, now, words, offset, limit: PAGE }) : { stories: [], more: false };
      const more = found.more ? `${searchPath(audience.id)}?${new URLSearchParams({ q: words, from: String(offset + PAGE) })}` : undefined;
      return ok(renderSearch(shell, t, dates, { words, stories: found.stories, more }), !words);
    }
    if (first === 'archive') {
      const [year, month, day] = [second, third, fourth].map((p) => (p === undefined ? undefined : /^\d{1,4}$/.test(p) ? Number(p) : NaN));
      if (fifth !== undefined || [year, month, day].some((n) => Number.isNaN(n))) return notFound();
      if (year === undefined) return ok(renderArchive(shell, t, await loadArchiveMonths(deps.db, audience, now)));
      if (year < 1970 || year > 9999 || month === undefined || month < 1 || month > 12) return notFound();
      if (day === undefined) return ok(renderArchiveMonth(shell, t, year, month, await loadArchiveDays(deps.db, audience, year, month, now)));
      if (day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return notFound();
      const { from, to } = localSpan(audience.timeZone, year, month, day);
      const stories = await loadStoryList(load, { audience, now, limit: 500, from, to });
      return ok(renderArchiveDay(shell, t, dates, { year, month, day }, stories));
    }
    return notFound();
  }

  async function article(audience: AudienceConfig, id: number, now: Date): Promise<SiteAnswer> {
    const t = stringsOf(audience);
    const { lookup: found, live } = await loadArticle({ ...load, languageName, tableLabel: t('site:table'), ratingScale: deps.ratingScale }, audience, id, now);
    const shell = shellOf(audience, deps.audiences.filter((a) => live.has(a.id)));
    if (found.kind !== 'found') {
      const status = found.kind === 'gone' ? 410 : 404;
      return { status, html: renderError(shell, t, status), audienceId: audience.id, cacheable: status === 410 };
    }
    const locales = found.article.alternates.flatMap((a) => (a.audienceId && byId.has(a.audienceId) ? [localeOf(byId.get(a.audienceId)!)] : []));
    return { status: 200, html: renderArticle(shell, t, datesOf(audience), found.article, locales), audienceId: audience.id, cacheable: true };
  }

  const XML = 'application/xml; charset=utf-8';
  async function sitemapIndex(audience: AudienceConfig, now: Date) {
    const months = await loadArchiveMonths(deps.db, audience, now);
    const at = (p: string) => `${deps.publicUrl}${p}`;
    return renderSitemapIndex([
      { loc: at(`/${audience.id}/sitemap-pages.xml`) },
      ...months.map((m) => ({ loc: at(`/${audience.id}/sitemap-${m.year}-${String(m.month).padStart(2, '0')}.xml`) })),
      { loc: at(`/feeds/${audience.id}/news-sitemap.xml`) },
    ]);
  }
  async function pagesSitemap(audience: AudienceConfig, now: Date) {
    const [topics, months] = await Promise.all([listTopics(deps.db, deps.i18n, audience), loadArchiveMonths(deps.db, audience, now)]);
    const live = await liveAudiences(now);
    const at = (p: string) => `${deps.publicUrl}${p}`;
    const homes = live.map((a) => ({ hreflang: a.language, href: at(homePath(a.id)) }));
    return renderUrlset([
      { loc: at(homePath(audience.id)), alternates: homes.length > 1 ? homes : [] },
      ...topics.map((tp) => ({ loc: at(topicPath(audience.id, tp.slug)) })),
      { loc: at(archivePath(audience.id)) },
      ...months.map((m) => ({ loc: at(archivePath(audience.id, m.year, m.month)) })),
    ]);
  }

  return {
    liveAudiences,
    shellOf,
    document(path) {
      if (path === '/robots.txt') {
        return liveAudiences(deps.clock()).then((live) => ({
          type: 'text/plain; charset=utf-8',
          body: renderRobots(live.flatMap((a) => [`${deps.publicUrl}${sitemapIndexPath(a.id)}`])),
        }));
      }
      const m = /^\/([a-z0-9-]+)\/sitemap(?:-(pages|(\d{4})-(\d{2})))?\.xml$/.exec(path);
      const audience = m ? byId.get(m[1]!) : undefined;
      if (!m || !audience) return undefined;
      const now = deps.clock();
      if (!m[2]) return sitemapIndex(audience, now).then((body) => ({ type: XML, body }));
      if (m[2] === 'pages') return pagesSitemap(audience, now).then((body) => ({ type: XML, body }));
      const year = Number(m[3]);
      const month = Number(m[4]);
      if (month < 1 || month > 12) return Promise.resolve(undefined);
      return loadSitemapMonth(load, audience, localSpan(audience.timeZone, year, month), now, SITEMAP_LIMIT).then((urls) => ({ type: XML, body: renderUrlset(urls) }));
    },
    async answer(path, query, acceptLanguage) {
      const now = deps.clock();
      const parts = path.split('/').slice(1);
      if (path === '/') {
        const live = await liveAudiences(now);
        // nothing public yet: the desk answers / (its sign-in)
        if (!live.length) return undefined;
        const fallback = live.find((a) => a.id === (deps.defaultAudience ?? deps.audiences[0]!.id)) ?? live[0]!;
        const chosen = negotiate(acceptLanguage, live) ?? fallback.id;
        return { status: 302, location: homePath(chosen), negotiated: true };
      }
      if (parts[0] === 'read') {
        const audience = byId.get(parts[1] ?? '');
        if (!audience) return undefined;
        const id = Number(parts[2]);
        if (parts.length !== 3 || !/^\d{1,10}$/.test(parts[2] ?? '') || !isStoredId(id)) return errorPage(audience, now);
        return article(audience, id, now);
      }
      const audience = byId.get(parts[0] ?? '');
      if (!audience) {
        // a reader's mistyped address: a page in the default audience's language, not the API's JSON
        if (RESERVED_PATHS.has(parts[0] ?? '') || !parts[0]) return undefined;
        return errorPage(byId.get(deps.defaultAudience ?? '') ?? deps.audiences[0]!, now);
      }
      if (parts.length === 1) return { status: 301, location: homePath(audience.id) };
      // a trailing slash is the page; without it, the same page's address with one
      const rest = parts.slice(1);
      if (rest.at(-1) !== '') {
        return rest.length <= 5 && rest.every((p) => /^[a-z0-9-]+$/.test(p)) ? { status: 301, location: `${path}/` } : errorPage(audience, now);
      }
      return page(audience, rest.slice(0, -1), query, now);
    },
  };

  async function errorPage(audience: AudienceConfig, now: Date): Promise<SiteAnswer> {
    const shell = shellOf(audience, await liveAudiences(now));
    return { status: 404, html: renderError(shell, stringsOf(audience), 404), audienceId: audience.id, cacheable: false };
  }
}

function parseCursor(raw: string | null): { at: Date; id: number } | undefined {
  const m = raw ? /^(\d{1,15})-(\d{1,10})$/.exec(raw) : null;
  return m && isStoredId(Number(m[2])) ? { at: new Date(Number(m[1])), id: Number(m[2]) } : undefined;
}
