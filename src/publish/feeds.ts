/**
 * Building an audience's feed files from its publications: RSS, Atom and JSON Feed for the audience
 * and for each topic, ninjs, the Google News sitemap, the discovery page, the partners' private
 * copies (embargoed items included) and the OPML index. Each file is written atomically with its
 * compressed forms (feed-files.ts). A rebuild of one audience holds a PostgreSQL advisory lock, so
 * two rebuilds (two approvals at once, or two instances) cannot write an older state over a newer one.
 */
import { sql } from 'kysely';
import type { i18n } from 'i18next';
import type { AudienceConfig } from '../core/audience.ts';
import type { Clock } from '../core/clock.ts';
import type { Db } from '../store/db.ts';
import { renderAtom } from './atom.ts';
import { renderDiscoveryPage, renderOpml, type FeedLink, type FeedListing } from './discovery.ts';
import type { FeedDocument, FeedFormat } from './feed-document.ts';
import type { FeedFiles } from './feed-files.ts';
import { renderJsonFeed } from './json-feed.ts';
import { listTopics, loadItems, loadSitemapEntries, loadWithdrawn, publishedAudiences, type LoadDeps } from './load.ts';
import { NEWS_SITEMAP_WINDOW_MS, renderNewsSitemap } from './news-sitemap.ts';
import { renderNinjs } from './ninjs.ts';
import { renderRss } from './rss.ts';
import { topicName } from './topics.ts';
import { homePath, topicPath } from '../core/urls.ts';

export interface FeedDeps {
  db: Db;
  i18n: i18n;
  publicUrl: string;
  itemsPerFeed: number;
  clock: Clock;
  /** Shared with the web layer so a rebuilt file is served at once (one per feedsDir, made in service.ts). */
  files: FeedFiles;
  /** WebSub hubs announced in every feed (rel="hub"); none, an empty list. */
  hubs: readonly string[];
  /** For the Google News sitemap's news:name. */
  publicationName?: string;
  /** Every audience: for the OPML index and hreflang alternates. */
  audiences?: readonly AudienceConfig[];
  /** The public site's stylesheet URL: the discovery pages wear it. */
  stylesheet?: string;
  /** Told after an audience's files were rebuilt (the public site forgets the pages it keeps). Must not throw. */
  onRebuilt?: (audienceId: string) => void;
}

const FORMATS: { format: FeedFormat; file: string; type: string; labelKey: string; render: (d: FeedDocument, now: Date) => string }[] = [
  { format: 'rss', file: 'rss.xml', type: 'application/rss+xml', labelKey: 'formatRss', render: renderRss },
  { format: 'atom', file: 'atom.xml', type: 'application/atom+xml', labelKey: 'formatAtom', render: renderAtom },
  { format: 'json', file: 'feed.json', type: 'application/feed+json', labelKey: 'formatJson', render: renderJsonFeed },
];

/** Where a feed lives: `dir` in the feed files' folder and the URL path that serves it. */
interface Place { dir: string; urlPath: string }
const publicPlace = (audienceId: string, topic?: string): Place =>
  topic ? { dir: `${audienceId}/${topic}`, urlPath: `/feeds/${audienceId}/${topic}` } : { dir: audienceId, urlPath: `/feeds/${audienceId}` };
/** Partner copies live under _partner/, a folder no public URL reaches (audience ids have no "_"). */
const partnerPlace = (audienceId: string): Place => ({ dir: `_partner/${audienceId}`, urlPath: `/partner/feeds/${audienceId}` });


function credit(deps: FeedDeps, audience: AudienceConfig): string {
  return audience.credit ?? deps.i18n.getFixedT(audience.language, 'feeds')('credit');
}

function feedTitle(deps: FeedDeps, audience: AudienceConfig): { title: string; description: string } {
  const t = deps.i18n.getFixedT(audience.language, 'feeds');
  return { title: t(audience.feedTitleKey.replace(/^feeds:/, '')), description: t(audience.feedDescriptionKey.replace(/^feeds:/, '')) };
}

async function documentFor(deps: FeedDeps, db: Db, audience: AudienceConfig, place: Place, opts: { topic?: { slug: string; name: string }; restricted: boolean; now: Date }): Promise<FeedDocument> {
  const load: LoadDeps = { db, i18n: deps.i18n, publicUrl: deps.publicUrl, ...(deps.audiences ? { audiences: deps.audiences } : {}) };
  const [items, withdrawn] = await Promise.all([
    loadItems(load, { audience, topic: opts.topic?.slug, includeEmbargoed: opts.restricted, limit: deps.itemsPerFeed, now: opts.now }),
    loadWithdrawn(db, { audienceId: audience.id, topic: opts.topic?.slug, now: opts.now, limit: deps.itemsPerFeed }),
  ]);
  const { title, description } = feedTitle(deps, audience);
  const t = deps.i18n.getFixedT(audience.language, 'feeds');
  const links = Object.fromEntries(FORMATS.map((f) => [f.format, `${deps.publicUrl}${place.urlPath}/${f.file}`])) as Record<FeedFormat, string>;
  return {
    audienceId: audience.id,
    language: audience.language,
    title: opts.topic ? t('topicTitle', { title, topic: opts.topic.name }) : title,
    description,
    // the audience's site (its topic's page for a topic feed): where a reader of the feed goes next
    siteUrl: `${deps.publicUrl}${opts.topic ? topicPath(audience.id, opts.topic.slug) : homePath(audience.id)}`,
    links,
    hubs: opts.restricted ? [] : deps.hubs,
    credit: credit(deps, audience),
    restricted: opts.restricted,
    items,
    withdrawn,
  };
}

async function writeFormats(files: FeedFiles, doc: FeedDocument, place: Place, now: Date): Promise<string[]> {
  await Promise.all(FORMATS.map((f) => files.write(`${place.dir}/${f.file}`, f.render(doc, now), now)));
  return FORMATS.map((f) => doc.links[f.format]);
}

/** Runs `work` holding this audience's rebuild lock (transaction-scoped advisory lock). */
function withAudienceLock<T>(db: Db, audienceId: string, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`doingoai:feeds:${audienceId}`}))`.execute(trx);
    return work(trx);
  });
}

/**
 * Only the three feeds of one audience (RSS, Atom, JSON Feed), for the feeds benchmark's figure
 * of that name; a publish rebuilds them together with everything else (buildFeeds). Returns the
 * URLs of the feeds written.
 */
export async function buildCoreFeeds(deps: FeedDeps, audience: AudienceConfig): Promise<string[]> {
  const now = deps.clock();
  return withAudienceLock(deps.db, audience.id, async (db) => {
    const doc = await documentFor(deps, db, audience, publicPlace(audience.id), { restricted: false, now });
    return writeFormats(deps.files, doc, publicPlace(audience.id), now);
  });
}

export interface BuildOptions {
  /** Topic slugs whose feeds changed; every topic of the audience when absent. */
  topics?: readonly string[];
  /** false: leave the OPML index of every audience's feeds alone (buildAllFeeds writes it once). */
  opml?: boolean;
}

/**
 * Every file of one audience after a change. Returns the URLs of the public feeds written (the
 * topics WebSub subscribers follow).
 */
export async function buildFeeds(deps: FeedDeps, audience: AudienceConfig, opts: BuildOptions = {}): Promise<string[]> {
  const now = deps.clock();
  const files = deps.files;
  return withAudienceLock(deps.db, audience.id, async (db) => {
    const main = publicPlace(audience.id);
    const allTopics = await listTopics(db, deps.i18n, audience);
    const topics = opts.topics ? allTopics.filter((t) => opts.topics!.includes(t.slug)) : allTopics;
    const [doc, partnerDoc, topicDocs, sitemapItems] = await Promise.all([
      documentFor(deps, db, audience, main, { restricted: false, now }),
      documentFor(deps, db, audience, partnerPlace(audience.id), { restricted: true, now }),
      Promise.all(topics.map(async (topic) => ({ topic, doc: await documentFor(deps, db, audience, publicPlace(audience.id, topic.slug), { topic, restricted: false, now }) }))),
      loadSitemapEntries({ db, i18n: deps.i18n, publicUrl: deps.publicUrl }, { audience, since: new Date(now.getTime() - NEWS_SITEMAP_WINDOW_MS), limit: 1000, now }),
    ]);
    const written = await Promise.all([
      writeFormats(files, doc, main, now),
      ...topicDocs.map((t) => writeFormats(files, t.doc, publicPlace(audience.id, t.topic.slug), now)),
      writeFormats(files, partnerDoc, partnerPlace(audience.id), now).then(() => []),
      files.write(`${main.dir}/ninjs.json`, renderNinjs(doc, now), now).then(() => []),
      files.write(`_partner/${audience.id}/ninjs.json`, renderNinjs(partnerDoc, now), now).then(() => []),
      files.write(`${main.dir}/news-sitemap.xml`, renderNewsSitemap(sitemapItems, now, audience.publicationName ?? deps.publicationName ?? doc.title), now).then(() => []),
      files.write(`${main.dir}/index.html`, discoveryPage(deps, audience, allTopics), now).then(() => []),
    ]);
    if (opts.opml !== false) await writeOpml(deps, db, now);
    deps.onRebuilt?.(audience.id);
    return written.flat();
  });
}

function listingOf(deps: FeedDeps, audience: AudienceConfig, topics: readonly { slug: string; name: string }[]): FeedListing {
  const t = deps.i18n.getFixedT(audience.language, 'feeds');
  const links = (urlPath: string): FeedLink[] => FORMATS.map((f) => ({ label: t(f.labelKey), url: `${deps.publicUrl}${urlPath}/${f.file}`, type: f.type }));
  const main = publicPlace(audience.id).urlPath;
  return {
    audienceId: audience.id,
    language: audience.language,
    ...feedTitle(deps, audience),
    siteUrl: `${deps.publicUrl}${homePath(audience.id)}`,
    feeds: [...links(main),
      { label: t('formatNinjs'), url: `${deps.publicUrl}${main}/ninjs.json`, type: 'application/json' },
      { label: t('formatSitemap'), url: `${deps.publicUrl}${main}/news-sitemap.xml`, type: 'application/xml' }],
    topics: topics.map((topic) => ({
      name: topic.name,
      title: t('topicTitle', { title: feedTitle(deps, audience).title, topic: topic.name }),
      siteUrl: `${deps.publicUrl}${topicPath(audience.id, topic.slug)}`,
      feeds: links(publicPlace(audience.id, topic.slug).urlPath),
    })),
  };
}

function discoveryPage(deps: FeedDeps, audience: AudienceConfig, topics: readonly { slug: string; name: string }[]): string {
  const t = deps.i18n.getFixedT(audience.language, 'feeds');
  const listing = listingOf(deps, audience, topics);
  return renderDiscoveryPage(listing, {
    pageTitle: t('discoveryTitle', { title: listing.title }),
    intro: t('discoveryIntro'),
    allStories: t('allStories'),
    byTopic: t('byTopic'),
    opmlLink: t('opmlLink'),
  }, `${deps.publicUrl}/feeds/index.opml`, { stylesheet: deps.stylesheet, home: { url: homePath(audience.id), name: audience.publicationName ?? listing.title } });
}

function writeOpml(deps: FeedDeps, db: Db, now: Date): Promise<unknown> {
  return listings(deps, db, now).then((all) => deps.files.write('index.opml', renderOpml(all, now, deps.publicationName ?? 'doingoai'), now));
}

/** The audiences with something public, each with its topics (named in its language): what the OPML lists. */
async function listings(deps: FeedDeps, db: Db, now: Date): Promise<FeedListing[]> {
  const live = await publishedAudiences(db, (deps.audiences ?? []).map((a) => a.id), now);
  const audiences = (deps.audiences ?? []).filter((a) => live.has(a.id));
  const topics = audiences.length
    ? await db.selectFrom('feed_topics').select(['audience_id', 'slug', 'name']).where('audience_id', 'in', audiences.map((a) => a.id)).orderBy('slug').execute()
    : [];
  return audiences.map((a) => listingOf(deps, a, topics.filter((t) => t.audience_id === a.id).map((t) => ({ slug: t.slug, name: topicName(deps.i18n, a.language, t.slug, t.name) }))));
}

/** Every audience's files (at start, and by `npm run cli -- feeds build`). */
export async function buildAllFeeds(deps: FeedDeps & { audiences: readonly AudienceConfig[] }): Promise<string[]> {
  const out: string[] = [];
  for (const audience of deps.audiences) out.push(...await buildFeeds(deps, audience, { opml: false }));
  await writeOpml(deps, deps.db, deps.clock());
  return out;
}
