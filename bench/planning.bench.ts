/**
 * The planning page with 10,000 unplanned stories (8 audiences in planning mode, each story waiting
 * in all of them) on top of 20,000 older stories already routed and translated: the server's own
 * time of the page (its Server-Timing header; target p95 < 50 ms) and its CPU time, for the first
 * page, pages deep in the list (keyset cursors) and the "all stories" view; and its weight. The
 * load average is printed with the times, since other work on the machine shows in them.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { stringify } from 'yaml';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { startService } from '../src/service.ts';
import { createUser } from '../src/store/users.ts';
import { encodeCursor } from '../src/web/http.ts';
import { scratchDir } from '../test/support/scratch.ts';
import { WebSession } from '../test/support/web-session.ts';
import { benchDatabase, percentile, report } from './support.ts';

const BENCH = 'planning';
const OLD = 20_000;
const WAITING = 10_000;
const audiences = ['en', 'fr', 'es', 'ru', 'zh', 'ja', 'ko', 'lo'];
const now = new Date('2026-11-27T08:00:00Z');

const database = await benchDatabase();
const { db } = database;
const t0 = performance.now();
await sql`INSERT INTO stories (guid, source_id, title, summary, body_html, category, content_hash, priority, ingested_at, updated_at)
  SELECT 'b' || n, NULL, 'Tin số ' || n || ': Người phát ngôn Bộ Ngoại giao thông tin về công tác bảo hộ công dân',
         'Trong 10 tháng đầu năm 2026, các cơ quan đại diện đã xử lý 1.245 vụ việc.',
         repeat('<p>Chiều ngày 12/11/2026, Người phát ngôn Bộ Ngoại giao Đỗ Thanh Vân cho biết Bộ đã chỉ đạo các cơ quan đại diện duy trì đường dây nóng.</p>', 6),
         (ARRAY['Thời sự', 'Kinh tế', 'Đối ngoại', 'Xã hội'])[1 + n % 4], md5(n::text), n % 97 = 0,
         ${now}::timestamptz - make_interval(mins => ${OLD + WAITING} - n), ${now}::timestamptz - make_interval(mins => ${OLD + WAITING} - n)
  FROM generate_series(1, ${OLD + WAITING}::int) AS n`.execute(db);
await sql`UPDATE stories SET duplicate_of = id - 1 WHERE id % 50 = 0`.execute(db);
await sql`INSERT INTO story_routes (story_id, audience_id, choice, rule)
  SELECT s.id, a.id, CASE WHEN s.id > ${OLD} THEN 'plan' ELSE 'take' END, 'everything' FROM stories s CROSS JOIN unnest(${audiences}::text[]) AS a(id)`.execute(db);
await sql`INSERT INTO translations (story_id, audience_id, language, state, provider, title, created_at, updated_at)
  SELECT s.id, a.id, a.id, 'published', 'manual', 'Story ' || s.id, s.ingested_at, s.ingested_at
  FROM stories s CROSS JOIN unnest(${audiences}::text[]) AS a(id) WHERE s.id <= ${OLD}`.execute(db);
await sql`VACUUM ANALYZE`.execute(db);
report(BENCH, { figure: 'seed', value: Math.round(performance.now() - t0), unit: 'ms', stories: OLD + WAITING, waiting: WAITING });

const dir = scratchDir('planning-bench');
const configFile = path.join(dir, 'config.yaml');
writeFileSync(configFile, stringify({ audiences: audiences.map((id) => ({ id, language: id, provider: 'manual', routing: { mode: 'planning' } })) }));
const config = loadConfig({ CONFIG_FILE: configFile, PORT: '0', FEEDS_DIR: path.join(dir, 'feeds'), DATA_DIR: path.join(dir, 'data'), SESSION_SECRET: 'bench-secret-bench-secret' }, path.resolve('.'));
const service = await startService(config, createLogger('silent'), { schedule: false, database, clock: () => now });
await service.settled();
await createUser(db, { username: 'lan', displayName: 'Lan', role: 'editor', password: 'bench password 1', locale: 'en' });

// signed in as a browser is, through the tests' own client
const browser = new WebSession(service.url);
if ((await browser.login('lan', 'bench password 1')).status !== 303) throw new Error('sign-in failed');
const cookie = browser.cookieHeader();

async function measure(figure: string, urls: string[]) {
  const server: number[] = [];
  const cpu: number[] = [];
  let bytes = 0;
  let gzipped = 0;
  for (let i = 0; i < urls.length; i++) {
    const res = await fetch(`${service.url}${urls[i]}`, { headers: { cookie } });
    const body = await res.text();
    if (res.status !== 200 || !body.includes('plan-story')) throw new Error(`${urls[i]}: ${res.status}`);
    if (i >= 10) { // the first ten warm the JIT and PostgreSQL's caches
      const timing = res.headers.get('server-timing') ?? '';
      server.push(Number(/app;dur=([\d.]+)/.exec(timing)?.[1] ?? NaN));
      cpu.push(Number(/cpu;dur=([\d.]+)/.exec(timing)?.[1] ?? NaN));
    }
    bytes = Math.max(bytes, Buffer.byteLength(body));
    gzipped = Math.max(gzipped, gzipSync(body).length);
  }
  server.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  report(BENCH, { figure: `${figure} server time p95`, value: +percentile(server, 95).toFixed(1), unit: 'ms', target: '< 50', p50: +percentile(server, 50).toFixed(1), requests: server.length, loadavg: +os.loadavg()[0]!.toFixed(2) });
  report(BENCH, { figure: `${figure} server CPU p95`, value: +percentile(cpu, 95).toFixed(1), unit: 'ms', p50: +percentile(cpu, 50).toFixed(1), requests: cpu.length });
  report(BENCH, { figure: `${figure} weight`, value: +(bytes / 1024).toFixed(1), unit: 'KB', gzip: +(gzipped / 1024).toFixed(1) });
}

// the keyset cursor of the story before the n-th newest waiting one: a page that deep in the list
const waitingIds = (await db.selectFrom('stories').select(['id', 'ingested_at']).where('id', '>', OLD).orderBy('ingested_at', 'desc').orderBy('id', 'desc').execute());
const deep = (i: number) => { const s = waitingIds[(i * 397) % (WAITING - 60)]!; return encodeCursor({ id: s.id }, s.ingested_at); };
await measure('planning page (first)', Array.from({ length: 110 }, () => '/ui/planning'));
await measure('planning page (deep)', Array.from({ length: 110 }, (_, i) => `/ui/planning?show=waiting&cursor=${deep(i)}`));
await measure('planning page (all stories)', Array.from({ length: 110 }, () => '/ui/planning?show=all'));

await service.close();
await database.close();
