/**
 * The public site with 100,000 stories published in English and French (a topic each, a stored lead
 * image each, ~2.5 KB bodies): (1) an article page's server time, rendered from the database every
 * time (the page cache cleared before each request; the Server-Timing the service sends, read over
 * loopback; target p95 < 10 ms), its weight (HTML < 30 KB, gzip < 10 KB) and what it makes the
 * browser fetch before it can paint (one stylesheet, cached for a year); (2) serving an article
 * page through the whole service vs a bare node:http server answering the same headers and bytes,
 * with autocannon (50 connections, a separate process) in the same run (target ≥ 0.8).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, get as httpGet, type IncomingHttpHeaders, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { parseHTML } from 'linkedom';
import sharp from 'sharp';
import { stringify } from 'yaml';
import { loadConfig } from '../src/config.ts';
import { renderVariants } from '../src/ingest/images.ts';
import { createLogger } from '../src/log.ts';
import { startService } from '../src/service.ts';
import { benchDatabase, percentile, report } from './support.ts';
import { scratchDir } from '../test/support/scratch.ts';

const BENCH = 'site';
const STORIES = 100_000;

function fetchRaw(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; rawHeaders: string[]; body: Buffer; ms: number }>((resolve, reject) => {
    const t0 = performance.now();
    httpGet(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks), ms: performance.now() - t0 }));
    }).on('error', reject);
  });
}

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
        if (result.non2xx) return reject(new Error(`${url}: ${result.non2xx} non-2xx answers`));
        resolve(result.requests.average);
      } catch (err) {
        reject(err);
      }
    });
  });
}

const rawHeaders = (raw: string[]) => raw.flatMap((name, i) => (i % 2 === 0 && !['date', 'connection', 'keep-alive'].includes(name.toLowerCase()) ? [name, raw[i + 1]!] : []));

const database = await benchDatabase();
const { db } = database;
const t0 = performance.now();
// one stored image shared by every story (the page reads its sizes, never its bytes)
const bytes = await sharp({ create: { width: 1800, height: 1200, channels: 3, background: '#3a6ea5' } }).png().toBuffer();
const hash = createHash('sha256').update(bytes).digest('hex');
const variants = await renderVariants(bytes, 40_000_000);
await db.insertInto('images').values({ hash, source_url: 'https://baoquocte.vn/anh.png', mime: variants.mime, width: 1800, height: 1200, bytes: bytes.length }).execute();
await db.insertInto('image_variants').values(variants.outputs.map((v) => ({ hash, ...v }))).execute();
await sql`INSERT INTO stories (guid, url, title, summary, body_html, author, attribution, category, content_hash, published_at, ingested_at, updated_at, priority)
  SELECT 'g' || n, 'https://baoquocte.vn/bai-' || n || '.html', 'Tin số ' || n, 'Tóm tắt ' || n,
         '<figure><img src="https://baoquocte.vn/anh.png" alt="" /><figcaption>Ảnh minh họa. (Ảnh: TTXVN)</figcaption></figure>' || repeat('<p>Bộ Ngoại giao cho biết đã chỉ đạo Đại sứ quán liên hệ với cơ quan chức năng sở tại. </p>', 28),
         'Thu Hằng', 'Báo Thế giới và Việt Nam', (ARRAY['Thời sự', 'Đối ngoại', 'Kinh tế'])[1 + n % 3], md5(n::text),
         now() - make_interval(mins => ${STORIES} - n + 60), now() - make_interval(mins => ${STORIES} - n), now() - make_interval(mins => ${STORIES} - n), n % 50 = 0
  FROM generate_series(1, ${STORIES}::int) AS n`.execute(db);
await sql`INSERT INTO story_images (story_id, position, hash, source_url) SELECT id, 0, ${hash}, 'https://baoquocte.vn/anh.png' FROM stories`.execute(db);
await sql`INSERT INTO translations (story_id, audience_id, language, state, provider, title, summary, body_html)
  SELECT s.id, a.id, a.id, 'published', 'manual', 'Story ' || s.guid || ': the Foreign Ministry spokesperson on protecting citizens abroad',
         'In the first ten months of the year, overseas missions handled 1,245 cases and assisted more than 3,600 citizens.',
         replace(replace(s.body_html, 'Ảnh minh họa. (Ảnh: TTXVN)', 'An illustration. (Photo: VNA)'), 'Bộ Ngoại giao cho biết đã chỉ đạo Đại sứ quán liên hệ với cơ quan chức năng sở tại.', 'The Foreign Ministry said it had told the embassy to contact the local authorities at once.')
  FROM stories s CROSS JOIN (VALUES ('en'), ('fr')) AS a(id)`.execute(db);
await sql`INSERT INTO publications (translation_id, audience_id, title, summary, body_html, first_published_at, updated_at, guid, topic, topic_name)
  SELECT t.id, t.audience_id, t.title, t.summary, t.body_html, s.ingested_at, s.ingested_at, 'tag:bench.example.org,2026-11-20:' || t.audience_id || '/' || t.id,
         CASE s.category WHEN 'Thời sự' THEN 'thoi-su' WHEN 'Đối ngoại' THEN 'doi-ngoai' ELSE 'kinh-te' END, s.category
  FROM translations t JOIN stories s ON s.id = t.story_id`.execute(db);
await sql`INSERT INTO feed_topics (audience_id, slug, name) SELECT a, s, n FROM (VALUES ('en'), ('fr')) AS x(a), (VALUES ('thoi-su', 'Thời sự'), ('doi-ngoai', 'Đối ngoại'), ('kinh-te', 'Kinh tế')) AS y(s, n)`.execute(db);
await sql`VACUUM ANALYZE`.execute(db);
report(BENCH, { figure: `seed ${STORIES} stories × 2 audiences`, value: Math.round(performance.now() - t0), unit: 'ms' });

const dir = scratchDir('site-bench');
const configFile = path.join(dir, 'config.yaml');
const logo = path.resolve('config/logos/doingoai.svg');
writeFileSync(configFile, stringify({
  audiences: [
    { id: 'en', language: 'en', locale: 'en-GB', provider: 'manual', timeZone: 'Europe/London', publicationName: 'Viet Nam News', logo },
    { id: 'fr', language: 'fr', provider: 'manual', timeZone: 'Europe/Paris', publicationName: 'Actualités du Viet Nam', logo },
  ],
  publishing: { publicUrl: 'https://bench.example.org' },
}));
const config = loadConfig({ CONFIG_FILE: configFile, PORT: '0', FEEDS_DIR: path.join(dir, 'feeds'), DATA_DIR: path.join(dir, 'data') }, path.resolve('.'));
const service = await startService(config, createLogger('silent'), { schedule: false, database });
let bare: Server | undefined;
try {
  await service.settled();
  const base = service.url.replace('localhost', '127.0.0.1');
  const ids = (await sql<{ id: number }>`SELECT translation_id AS id FROM publications WHERE audience_id = 'en' ORDER BY random() LIMIT 400`.execute(db)).rows.map((r) => r.id);

  // (1) rendered from the database every time: a story different from the last, the page cache
  // forgotten by asking with a query string (pages with one are never kept)
  const server: number[] = [];
  const roundTrip: number[] = [];
  const cpu: number[] = [];
  for (const [i, id] of ids.entries()) {
    const before = process.cpuUsage();
    const res = await fetchRaw(`${base}/read/en/${id}?bench=${i}`);
    const used = process.cpuUsage(before);
    if (res.status !== 200) throw new Error(`article ${id}: ${res.status}`);
    const timing = /app;dur=([\d.]+)/.exec(String(res.headers['server-timing']))?.[1];
    if (i >= 50) { // the first requests warm the JIT and the connection pool
      server.push(Number(timing));
      roundTrip.push(res.ms);
      cpu.push((used.user + used.system) / 1000);
    }
  }
  server.sort((a, b) => a - b);
  roundTrip.sort((a, b) => a - b);
  const load = os.loadavg()[0]!.toFixed(1);
  report(BENCH, { figure: `article page, server time rendered from the database, ${STORIES} stories (p95 of ${server.length})`, value: +percentile(server, 95).toFixed(2), unit: 'ms', target: '< 10', p50: +percentile(server, 50).toFixed(2), loadAverage: load });
  cpu.sort((a, b) => a - b);
  // the service runs in this process: its CPU per page (with the client's small share), which the machine's load colours far less than wall time
  report(BENCH, { figure: 'article page, CPU time of this process per page rendered from the database (p95; PostgreSQL\'s own time not included)', value: +percentile(cpu, 95).toFixed(2), unit: 'ms', p50: +percentile(cpu, 50).toFixed(2) });
  report(BENCH, { figure: 'article page, loopback round trip rendered from the database (p95)', value: +percentile(roundTrip, 95).toFixed(2), unit: 'ms', p50: +percentile(roundTrip, 50).toFixed(2) });

  const sample = await fetchRaw(`${base}/read/en/${ids[0]}`);
  const html = sample.body.toString('utf8');
  report(BENCH, { figure: 'article page HTML', value: +(sample.body.length / 1024).toFixed(1), unit: 'KB', target: '< 30' });
  report(BENCH, { figure: 'article page HTML, gzip', value: +(gzipSync(sample.body).length / 1024).toFixed(1), unit: 'KB', target: '< 10' });
  // what blocks the first paint: stylesheets and scripts in the head (images and the logo do not)
  const { document } = parseHTML(html);
  const blocking = [...document.querySelectorAll('head link[rel="stylesheet"], script[src], head script:not([type="application/ld+json"])')].map((e) => e.getAttribute('href') ?? e.getAttribute('src') ?? 'inline');
  const css = await fetchRaw(`${base}${blocking[0]}`);
  report(BENCH, { figure: 'render-blocking requests of an article page', value: blocking.length, unit: 'requests', target: '1 (the stylesheet)', stylesheet: blocking[0], cacheControl: css.headers['cache-control'], stylesheetKB: +(css.body.length / 1024).toFixed(1) });

  // (2) throughput: the service (the page kept in memory after its first rendering) vs a bare
  // node:http server replaying the same status, headers and gzip bytes
  const url = `${base}/read/en/${ids[1]}`;
  const gz = { 'accept-encoding': 'gzip' };
  await fetchRaw(url, gz);
  const first = await fetchRaw(url, gz);
  const headers = rawHeaders(first.rawHeaders);
  bare = createServer((_req, res) => {
    res.writeHead(200, headers);
    res.end(first.body);
  });
  await new Promise<void>((r) => bare!.listen(0, '127.0.0.1', r));
  const bareUrl = `http://127.0.0.1:${(bare.address() as { port: number }).port}${new URL(url).pathname}`;
  await autocannon(url, gz);
  await autocannon(bareUrl, gz);
  let ours = 0;
  let baseline = 0;
  for (let i = 0; i < 2; i++) { // alternated, so a change in the machine's load colours both alike
    baseline += await autocannon(bareUrl, gz) / 2;
    ours += await autocannon(url, gz) / 2;
  }
  report(BENCH, { figure: `bare node:http, 200 with the same headers and ${first.body.length} gzip bytes`, value: Math.round(baseline), unit: 'req/s' });
  report(BENCH, { figure: 'service, GET /read/en/<id> 200 (gzip)', value: Math.round(ours), unit: 'req/s', baseline: Math.round(baseline), ratio: +(ours / baseline).toFixed(2), target: '≥ 0.80' });
} finally {
  await new Promise<void>((r) => (bare ? bare.close(() => r()) : r()));
  await service.close();
  await database.close();
}
