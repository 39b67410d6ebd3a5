/**
 * Feeds: (1) regenerating one audience's three feeds (RSS, Atom, JSON Feed) after a publish, at
 * 1,000 and at 100,000 stories, and their ratio (target: < 30 ms, ratio ≤ 1.5); the full rebuild a
 * publish triggers (topics, ninjs, sitemap, partner copies, discovery, OPML) is reported too.
 * (2) Serving a feed through the whole service vs a bare node:http server returning the same
 * bytes, 200s and 304s, with autocannon (50 connections, a separate process) in the same run
 * (targets: ≥ 60% and ≥ 80%).
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, get as httpGet, type IncomingHttpHeaders, type Server } from 'node:http';
import path from 'node:path';
import { sql } from 'kysely';
import { stringify } from 'yaml';
import { loadConfig } from '../src/config.ts';
import type { AudienceConfig } from '../src/core/audience.ts';
import { createI18n } from '../src/i18n.ts';
import { createLogger } from '../src/log.ts';
import { FeedFiles } from '../src/publish/feed-files.ts';
import { buildCoreFeeds, buildFeeds, type FeedDeps } from '../src/publish/feeds.ts';
import { startService } from '../src/service.ts';
import type { Db } from '../src/store/db.ts';
import { benchDatabase, percentile, report } from './support.ts';
import { scratchDir } from '../test/support/scratch.ts';

const BENCH = 'feeds';
const audiences: AudienceConfig[] = [
  { id: 'en', language: 'en', provider: 'manual', timeZone: 'UTC', feedTitleKey: 'feeds:title', feedDescriptionKey: 'feeds:description' },
  { id: 'fr', language: 'fr', provider: 'manual', timeZone: 'Europe/Paris', feedTitleKey: 'feeds:title', feedDescriptionKey: 'feeds:description' },
];

/** Adds stories `from`..`to`, each translated and published for en and fr, with ~2.5 KB bodies, in three statements. */
async function seed(db: Db, from: number, to: number) {
  await sql`INSERT INTO stories (guid, url, title, summary, body_html, attribution, category, image_url, content_hash, ingested_at, updated_at)
    SELECT 'g' || n, 'https://baoquocte.vn/bai-' || n || '.html', 'Tin số ' || n, 'Tóm tắt ' || n,
           repeat('<p>Bộ Ngoại giao cho biết đã chỉ đạo Đại sứ quán liên hệ với cơ quan chức năng sở tại. </p>', 28),
           'Báo Thế giới và Việt Nam', (ARRAY['Thời sự', 'Đối ngoại', 'Kinh tế'])[1 + n % 3], 'https://baoquocte.vn/anh-' || n || '.jpg',
           md5(n::text), now() - make_interval(mins => ${to} - n), now() - make_interval(mins => ${to} - n)
    FROM generate_series(${from}::int, ${to}::int) AS n`.execute(db);
  await sql`INSERT INTO translations (story_id, audience_id, language, state, provider, title, summary, body_html)
    SELECT s.id, a.id, a.id, 'published', 'manual', 'Story ' || s.guid, 'Summary ' || s.guid, s.body_html
    FROM stories s CROSS JOIN (VALUES ('en'), ('fr')) AS a(id)
    WHERE s.guid IN (SELECT 'g' || n FROM generate_series(${from}::int, ${to}::int) AS n)`.execute(db);
  await sql`INSERT INTO publications (translation_id, audience_id, title, summary, body_html, first_published_at, updated_at, guid, topic, topic_name)
    SELECT t.id, t.audience_id, t.title, t.summary, t.body_html, s.ingested_at, s.ingested_at,
           'tag:bench.example.org,2026-11-20:' || t.audience_id || '/' || t.id,
           CASE s.category WHEN 'Thời sự' THEN 'thoi-su' WHEN 'Đối ngoại' THEN 'doi-ngoai' ELSE 'kinh-te' END, s.category
    FROM translations t JOIN stories s ON s.id = t.story_id
    WHERE t.id NOT IN (SELECT translation_id FROM publications)`.execute(db);
  await sql`INSERT INTO feed_topics (audience_id, slug, name) VALUES ('en', 'thoi-su', 'Thời sự'), ('en', 'doi-ngoai', 'Đối ngoại'), ('en', 'kinh-te', 'Kinh tế'),
    ('fr', 'thoi-su', 'Thời sự'), ('fr', 'doi-ngoai', 'Đối ngoại'), ('fr', 'kinh-te', 'Kinh tế') ON CONFLICT DO NOTHING`.execute(db);
  await sql`ANALYZE`.execute(db);
}

function fetchRaw(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; rawHeaders: string[]; body: Buffer }>((resolve, reject) => {
    httpGet(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

/** The answer's own headers, without those node:http adds by itself (date, connection, keep-alive). */
const rawHeaders = (raw: string[]) => raw.filter((_, i) => i % 2 === 0 && !['date', 'connection', 'keep-alive'].includes(raw[i]!.toLowerCase())).flatMap((name) => [name, raw[raw.indexOf(name) + 1]!]);

function autocannon(url: string, headers: Record<string, string>): Promise<number> {
  const args = [path.resolve('node_modules/autocannon/autocannon.js'), '-c', '50', '-d', '6', '-j'];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}=${v}`);
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('error', reject);
    child.on('close', () => {
      try {
        const result = JSON.parse(out);
        if (result.non2xx && !headers['if-none-match']) return reject(new Error(`${url}: ${result.non2xx} non-2xx answers`));
        resolve(result.requests.average);
      } catch (err) {
        reject(err);
      }
    });
  });
}

async function regeneration() {
  // two databases, 1,000 and 100,000 stories, timed in alternation so that a change in the
  // machine's load (other processes) colours both sizes alike
  const sizes = [['1k', 1_000], ['100k', 100_000]] as const;
  const i18n = await createI18n(path.resolve('locales'));
  const setups: { label: string; database: Awaited<ReturnType<typeof benchDatabase>>; deps: FeedDeps }[] = [];
  for (const [label, total] of sizes) {
    const database = await benchDatabase();
    const t0 = performance.now();
    await seed(database.db, 1, total);
    report(BENCH, { figure: `seed ${label} stories (stories, translations, publications by INSERT … SELECT generate_series)`, value: Math.round(performance.now() - t0), unit: 'ms' });
    const feedsDir = scratchDir('bench-feeds');
    const deps: FeedDeps = {
      db: database.db, i18n, files: new FeedFiles(feedsDir), publicUrl: 'https://bench.example.org',
      itemsPerFeed: 50, clock: () => new Date(), audiences, hubs: ['https://hub.example.org/'], publicationName: 'doingoai',
    };
    setups.push({ label, database, deps });
  }
  try {
    const core = new Map<string, number[]>();
    const full = new Map<string, number[]>();
    // publishes come seconds apart: the compressed copies of the previous rebuild are on disk
    // before the next one is timed (they are written after a rebuild returns)
    const sample = async (into: Map<string, number[]>, label: string, fn: () => Promise<unknown>) => {
      for (const { deps } of setups) await deps.files!.flush();
      const t0 = performance.now();
      await fn();
      into.set(label, [...(into.get(label) ?? []), performance.now() - t0]);
    };
    for (const { deps } of setups) for (let i = 0; i < 5; i++) await buildFeeds(deps, audiences[0]!); // warm up
    for (let round = 0; round < 40; round++) {
      for (const { label, deps } of setups) await sample(core, label, () => buildCoreFeeds(deps, audiences[0]!));
    }
    for (let round = 0; round < 20; round++) {
      for (const { label, deps } of setups) await sample(full, label, () => buildFeeds(deps, audiences[0]!, { topics: ['doi-ngoai'] }));
    }
    const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);
    for (const { label } of setups) {
      report(BENCH, { figure: `regenerate one audience's three feeds after a publish, ${label} stories (median of 40)`, value: +median(core.get(label)!).toFixed(2), unit: 'ms', target: '< 30', p90: +percentile([...core.get(label)!].sort((a, b) => a - b), 90).toFixed(2) });
      report(BENCH, { figure: `everything a publish rebuilds (3 feeds, a topic's 3, ninjs, sitemap, partner copies, page, OPML), ${label} stories (median of 20)`, value: +median(full.get(label)!).toFixed(2), unit: 'ms' });
    }
    report(BENCH, { figure: 'regeneration time, 100k ÷ 1k stories', value: +(median(core.get('100k')!) / median(core.get('1k')!)).toFixed(2), unit: 'ratio', target: '≤ 1.5' });
  } finally {
    for (const { database } of setups) await database.close();
  }
}

async function serving() {
  const database = await benchDatabase();
  const dir = scratchDir('bench-service');
  const configFile = path.join(dir, 'config.yaml');
  writeFileSync(configFile, stringify({ audiences: audiences.map((a) => ({ id: a.id, language: a.language, provider: 'manual' })), publishing: { publicUrl: 'https://bench.example.org', itemsPerFeed: 50 } }));
  const config = loadConfig({ CONFIG_FILE: configFile, PORT: '0', FEEDS_DIR: path.join(dir, 'feeds'), DATA_DIR: path.join(dir, 'data') }, path.resolve('.'));
  await seed(database.db, 1, 200);
  const service = await startService(config, createLogger('silent'), { schedule: false, database });
  let bare: Server | undefined;
  try {
    await service.settled(); // the start rebuilds every feed
    const ourUrl = `${service.url.replace('localhost', '127.0.0.1')}/feeds/en/rss.xml`;
    const gz = { 'accept-encoding': 'gzip' };
    // the baseline replays exactly what the service answers (status, headers, gzip bytes), nothing else
    const first = await fetchRaw(ourUrl, gz);
    const etag = first.headers.etag as string;
    const second = await fetchRaw(ourUrl, { ...gz, 'if-none-match': etag });
    if (second.status !== 304) throw new Error(`expected a 304, got ${second.status}`);
    const ok = rawHeaders(first.rawHeaders);
    const notModified = rawHeaders(second.rawHeaders);
    bare = createServer((req, res) => {
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, notModified);
        res.end();
        return;
      }
      res.writeHead(200, ok);
      res.end(first.body);
    });
    await new Promise<void>((r) => bare!.listen(0, '127.0.0.1', r));
    const bareUrl = `http://127.0.0.1:${(bare.address() as { port: number }).port}/feeds/en/rss.xml`;
    const cond = { ...gz, 'if-none-match': etag };
    await autocannon(ourUrl, gz); // warm up both
    await autocannon(bareUrl, gz);
    // alternate the two servers, twice, so a change in the machine's load colours both alike
    const runs = { bare200: 0, ours200: 0, bare304: 0, ours304: 0 };
    for (let i = 0; i < 2; i++) {
      runs.bare200 += await autocannon(bareUrl, gz) / 2;
      runs.ours200 += await autocannon(ourUrl, gz) / 2;
      runs.bare304 += await autocannon(bareUrl, cond) / 2;
      runs.ours304 += await autocannon(ourUrl, cond) / 2;
    }
    const { bare200, ours200, bare304, ours304 } = runs;
    report(BENCH, { figure: `bare node:http, 200 with the same headers and ${first.body.length} gzip bytes`, value: Math.round(bare200), unit: 'req/s' });
    report(BENCH, { figure: 'service, GET /feeds/en/rss.xml 200 (gzip)', value: Math.round(ours200), unit: 'req/s', baseline: Math.round(bare200), ratio: +(ours200 / bare200).toFixed(2), target: '≥ 0.60' });
    report(BENCH, { figure: 'bare node:http, 304 with the same headers', value: Math.round(bare304), unit: 'req/s' });
    report(BENCH, { figure: 'service, 304 on If-None-Match', value: Math.round(ours304), unit: 'req/s', baseline: Math.round(bare304), ratio: +(ours304 / bare304).toFixed(2), target: '≥ 0.80', ratioToBare200: +(ours304 / bare200).toFixed(2) });
  } finally {
    await new Promise<void>((r) => (bare ? bare.close(() => r()) : r()));
    await service.close();
    await database.close();
  }
}

// FEEDS_BENCH=regeneration or =serving runs one half (while tuning); both by default
const only = process.env.FEEDS_BENCH;
if (!only || only === 'regeneration') await regeneration();
if (!only || only === 'serving') await serving();
