/**
 * The review desk's pages with 100,000 stories and 800,000 translations (8 audiences; one in ten
 * stories still open, one in 97 a priority story): time of the queue page and the editor page
 * through the whole service on loopback, sequential requests: the server's own time (its
 * Server-Timing header, from the desk's router to the rendered page; target p95 < 20 ms), the
 * process's CPU time per page (the same header; it stays readable when other work shares the
 * machine) and the loopback round trip; and their weight (target < 150 KB). The load average is
 * printed with the times, since other work on the machine shows in them.
 *
 * The seed is the state of a desk that has been running: every publication already harvested into
 * the translation memory and no machine work waiting (the drafts are the configured audiences' own,
 * manual). A seed of 720,000 unharvested publications made the service spend the whole
 * measurement harvesting them on the event loop, which was most of the 94 ms p95 once reported.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { stringify } from 'yaml';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { startService } from '../src/service.ts';
import { importTerms, parseGlossaryTsv } from '../src/store/glossary.ts';
import { createUser } from '../src/store/users.ts';
import { benchDatabase, percentile, report } from './support.ts';
import { scratchDir } from '../test/support/scratch.ts';
import { WebSession } from '../test/support/web-session.ts';

const BENCH = 'review';
const STORIES = 100_000;
const audiences = [['en', 'en'], ['fr', 'fr'], ['es', 'es'], ['ru', 'ru'], ['zh', 'zh-Hans'], ['ja', 'ja'], ['ko', 'ko'], ['lo', 'lo']] as const;

const database = await benchDatabase();
const { db } = database;
const t0 = performance.now();
await sql`INSERT INTO stories (guid, title, summary, body_html, content_hash, priority, ingested_at, updated_at)
  SELECT 'b' || n, 'Tin số ' || n || ': Người phát ngôn Bộ Ngoại giao thông tin về công tác bảo hộ công dân',
         'Trong 10 tháng đầu năm 2026, các cơ quan đại diện Việt Nam ở nước ngoài đã xử lý 1.245 vụ việc, hỗ trợ hơn 3.600 lượt công dân.',
         repeat('<p>Chiều ngày 12/11/2026, Người phát ngôn Bộ Ngoại giao Đỗ Thanh Vân cho biết Bộ Ngoại giao đã chỉ đạo các cơ quan đại diện duy trì đường dây nóng, tăng 12,5% so với cùng kỳ.</p>', 5),
         md5(n::text), n % 97 = 0, timestamptz '2026-11-27T08:00:00Z' - make_interval(mins => ${STORIES} - n), timestamptz '2026-11-27T08:00:00Z' - make_interval(mins => ${STORIES} - n)
  FROM generate_series(1, ${STORIES}::int) AS n`.execute(db);
const values = sql.join(audiences.map(([id, lang]) => sql`(${id}, ${lang})`));
await sql`INSERT INTO translations (story_id, audience_id, language, state, provider, title, summary, body_html, last_editor, created_at, updated_at, memory_version)
  SELECT s.id, a.id, a.lang,
         CASE WHEN s.id % 10 = 0 OR (s.priority AND s.id > ${STORIES} - 20000) THEN (ARRAY['machine_translated', 'in_review', 'rejected', 'queued'])[1 + (s.id / 10) % 4] ELSE 'published' END,
         'manual', 'Story ' || s.id || ': Foreign Ministry spokesperson on citizen protection',
         'In the first 10 months of 2026, overseas missions handled 1,245 cases and assisted more than 3,600 citizens.',
         repeat('<p>On the afternoon of 12 November 2026, Foreign Ministry spokesperson Do Thanh Van said the ministry had told missions to keep their hotlines open, up 12.5% year on year.</p>', 5),
         'deepl', s.ingested_at, s.ingested_at, 1
  FROM stories s CROSS JOIN (VALUES ${values}) AS a(id, lang)`.execute(db);
await sql`INSERT INTO revisions (translation_id, version, title, summary, body_html, author, kind)
  SELECT id, 1, title, summary, body_html, 'deepl', 'machine' FROM translations WHERE state <> 'published'`.execute(db);
await importTerms(db, { sourceLanguage: 'vi', targetLanguage: 'en' }, parseGlossaryTsv(readFileSync(new URL('../config/glossaries/vi-en.tsv', import.meta.url), 'utf8')), 'bench', new Date());
// as autovacuum would after a bulk load: statistics, and the visibility map index-only scans need
await sql`VACUUM ANALYZE`.execute(db);
await sql`CHECKPOINT`.execute(db);
const counts = await sql<{ stories: string; translations: string }>`SELECT (SELECT count(*) FROM stories) AS stories, (SELECT count(*) FROM translations) AS translations`.execute(db);
report(BENCH, { figure: 'seed', value: Math.round(performance.now() - t0), unit: 'ms', stories: Number(counts.rows[0]!.stories), translations: Number(counts.rows[0]!.translations) });

const dir = scratchDir('review-bench');
const configFile = path.join(dir, 'config.yaml');
writeFileSync(configFile, stringify({ audiences: audiences.map(([id, language]) => ({ id, language, provider: 'manual' })), review: { claimMinutes: 1 } }));
const config = loadConfig({ CONFIG_FILE: configFile, PORT: '0', FEEDS_DIR: path.join(dir, 'feeds'), DATA_DIR: path.join(dir, 'data'), SESSION_SECRET: 'bench-secret-bench-secret' }, path.resolve('.'));
const service = await startService(config, createLogger('silent'), { schedule: false, database, clock: () => new Date('2026-11-27T08:00:00Z') });
await service.settled(); // the start's own work (feed files) done: the pages are measured alone
await createUser(db, { username: 'lan', displayName: 'Lan', role: 'editor', password: 'bench password 1', locale: 'en' });

// signed in as a browser is, through the tests' own client
const browser = new WebSession(service.url);
if ((await browser.login('lan', 'bench password 1')).status !== 303) throw new Error('sign-in failed');
const cookie = browser.cookieHeader();

async function measure(figure: string, urls: string[]) {
  const samples: number[] = [];
  const server: number[] = [];
  const cpu: number[] = [];
  let bytes = 0;
  let gzipped = 0;
  for (let i = 0; i < urls.length; i++) {
    const start = performance.now();
    const res = await fetch(`${service.url}${urls[i]}`, { headers: { cookie } });
    const body = await res.text();
    const ms = performance.now() - start;
    if (res.status !== 200) throw new Error(`${urls[i]}: ${res.status}`);
    if (i >= 10) { // the first ten warm the JIT and PostgreSQL's caches
      samples.push(ms);
      const timing = res.headers.get('server-timing') ?? '';
      server.push(Number(/app;dur=([\d.]+)/.exec(timing)?.[1] ?? NaN));
      cpu.push(Number(/cpu;dur=([\d.]+)/.exec(timing)?.[1] ?? NaN));
    }
    bytes = Math.max(bytes, Buffer.byteLength(body));
    gzipped = Math.max(gzipped, gzipSync(body).length);
  }
  samples.sort((a, b) => a - b);
  server.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  report(BENCH, { figure: `${figure} server time p95`, value: +percentile(server, 95).toFixed(1), unit: 'ms', target: '< 20', p50: +percentile(server, 50).toFixed(1), requests: server.length, loadavg: +os.loadavg()[0]!.toFixed(2) });
  report(BENCH, { figure: `${figure} server CPU p95`, value: +percentile(cpu, 95).toFixed(1), unit: 'ms', p50: +percentile(cpu, 50).toFixed(1), requests: cpu.length });
  report(BENCH, { figure: `${figure} loopback round trip p95`, value: +percentile(samples, 95).toFixed(1), unit: 'ms', p50: +percentile(samples, 50).toFixed(1), requests: samples.length });
  report(BENCH, { figure: `${figure} weight`, value: +(bytes / 1024).toFixed(1), unit: 'KB', target: '< 150', gzip: +(gzipped / 1024).toFixed(1) });
}

const queueUrls = Array.from({ length: 210 }, (_, i) => {
  const [id] = audiences[i % audiences.length]!;
  const state = ['', '&state=in_review', '&state=machine_translated'][i % 3];
  return `/ui/queue?audience=${id}${state}`;
});
await measure('queue page', queueUrls);

const open = await db.selectFrom('translations').select('id').where('state', '!=', 'published').where('audience_id', '=', 'en').orderBy(sql`random()`).limit(210).execute();
await measure('editor page', open.map((r) => `/ui/translations/${r.id}`));

await service.close();
await database.close();
