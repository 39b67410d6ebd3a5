/**
 * Machine translation speed, through the whole service (push API → store → pg-boss job →
 * deepl-node → DeepL test server with 150 ms latency per request → drafts stored):
 *  - one 30-paragraph story into 8 audiences, from ingestion to all drafts stored (target ≤ 2× latency);
 *  - 100 stories × 8 audiences: throughput;
 *  - the service's own time per story outside the provider (target < 20 ms), stories one at a time:
 *    wall time minus the time the provider held the story's requests.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { stringify } from 'yaml';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { startService } from '../src/service.ts';
import { createToken } from '../src/store/tokens.ts';
import { startDeepLTestServer, type RecordedRequest } from '../test/support/deepl-server.ts';
import { benchDatabase, percentile, report, seededWords, watchDraftsStored } from './support.ts';
import { scratchDir } from '../test/support/scratch.ts';

const LATENCY = 150;
const bench = 'translate';

const deepl = await startDeepLTestServer({ latencyMs: LATENCY, characterLimit: 1e12 });
const database = await benchDatabase();
const dir = scratchDir('bench-translate');
writeFileSync(path.join(dir, 'config.yaml'), stringify({
  audiences: [
    { id: 'en', language: 'en', provider: 'deepl', targetCode: 'EN-GB' },
    { id: 'en-us', language: 'en-US', provider: 'deepl', targetCode: 'EN-US' },
    { id: 'fr', language: 'fr', provider: 'deepl', targetCode: 'FR', formality: 'prefer_more' },
    { id: 'es', language: 'es', provider: 'deepl', targetCode: 'ES', formality: 'prefer_more' },
    { id: 'ru', language: 'ru', provider: 'deepl', targetCode: 'RU', formality: 'prefer_more' },
    { id: 'zh', language: 'zh-Hans', provider: 'deepl', targetCode: 'ZH-HANS' },
    { id: 'ja', language: 'ja', provider: 'deepl', targetCode: 'JA', formality: 'prefer_more' },
    { id: 'ko', language: 'ko', provider: 'deepl', targetCode: 'KO' },
  ],
  translation: { concurrency: 64, timeoutMs: 15000 },
}));
const config = loadConfig({ CONFIG_FILE: path.join(dir, 'config.yaml'), PORT: '0', FEEDS_DIR: path.join(dir, 'feeds'), DEEPL_AUTH_KEY: 'test-key', DEEPL_SERVER_URL: deepl.url }, process.cwd());
const service = await startService(config, createLogger('silent'), { database, schedule: false });
const token = await createToken(database.db, 'bench', 'editor');

let serial = 0;

function story(paragraphs: number) {
  const n = ++serial;
  const body = Array.from({ length: paragraphs }, (_, i) => `<p>Đoạn ${i + 1}: ${seededWords(n * 1000 + i, 28)}.</p>`).join('');
  return { id: `bench-${n}`, title: `Bài ${n}: ${seededWords(n, 8)}`, summary: seededWords(n + 7, 20), bodyHtml: body };
}

async function push(body: object): Promise<number> {
  const res = await fetch(`${service.url}/api/v1/stories`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`push answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { data: { id: number } }).data.id;
}

let statements = 0;
let counting = false;
const drafts = await watchDraftsStored(database, 8);

/** Milliseconds during [from, to] when at least one of the requests was with the provider. */
function providerTime(requests: RecordedRequest[], from: number, to: number): number {
  const spans = requests.filter((r) => r.path === '/v2/translate' && r.time >= from && r.time <= to)
    .map((r) => [r.time, r.answeredAt ?? to] as const).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [s, e] of spans) {
    if (e <= end) continue;
    total += e - Math.max(s, end);
    end = e;
  }
  return total;
}

// warm-up: the provider's language list is read once and cached; connections are opened
await drafts.until([await push(story(30))]);

// 1. one 30-paragraph story, 8 audiences
const single: number[] = [];
for (let i = 0; i < 5; i++) {
  const started = Date.now();
  const id = await push(story(30));
  const end = await drafts.until([id]);
  single.push(end - started);
}
single.sort((a, b) => a - b);
const median = percentile(single, 50);
report(bench, { figure: 'one 30-paragraph story into 8 audiences, ingestion to all drafts stored (median of 5)', value: Math.round(median), unit: 'ms', target: `≤ ${2 * LATENCY} ms (2× latency)`, baseline: LATENCY, ratio: Number((median / LATENCY).toFixed(2)), max: Math.round(single.at(-1)!) });

// 2. 100 stories × 8 audiences, all at once
const bulkStart = Date.now();
const ids: number[] = [];
for (let i = 0; i < 100; i++) ids.push(await push(story(10)));
const pushed = Date.now() - bulkStart;
const bulk = await drafts.until(ids) - bulkStart;
report(bench, { figure: '100 stories × 8 audiences (10 paragraphs each), ingestion to all drafts stored', value: Math.round(bulk), unit: 'ms', concurrency: config.translation.concurrency, ingestionMs: Math.round(pushed) });
report(bench, { figure: 'throughput, 100 stories × 8 audiences', value: Number((100 / (bulk / 1000)).toFixed(1)), unit: 'stories/s', drafts_per_s: Number((800 / (bulk / 1000)).toFixed(1)) });

// 3. the service's own time per story, outside the provider: stories one at a time. Measured from
// the story stored (the push answered) to its drafts stored, minus the time the provider held its
// requests; the push itself (ingestion: cleaning, dedup, store) is reported beside it.
const overhead: number[] = [];
const pushes: number[] = [];
// where the overhead lies: before the first request reaches the provider, after the last answer
const before: number[] = [];
const after: number[] = [];
// statements sent to PostgreSQL (each one a round trip): independent of how busy the machine is
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
(pg.Client.prototype as { query: (...args: unknown[]) => unknown }).query = function (this: pg.Client, ...args: unknown[]) {
  if (counting) statements++;
  return query.apply(this, args);
};
const cpuBefore = process.cpuUsage();
for (let i = 0; i < 100; i++) {
  const from = Date.now();
  counting = true;
  const id = await push(story(10));
  const pushedAt = Date.now();
  const to = await drafts.until([id]);
  counting = false;
  pushes.push(pushedAt - from);
  overhead.push(to - pushedAt - providerTime(deepl.requests, pushedAt, to));
  const asked = deepl.requests.filter((r) => r.path === '/v2/translate' && r.time >= pushedAt && r.time <= to);
  before.push(Math.min(...asked.map((r) => r.time)) - pushedAt);
  after.push(to - Math.max(...asked.map((r) => r.answeredAt ?? to)));
}
const cpu = process.cpuUsage(cpuBefore);
for (const list of [overhead, before, after]) list.sort((a, b) => a - b);
pushes.sort((a, b) => a - b);
report(bench, { figure: 'translation time per story outside the provider (job, segments, memory, capabilities, draft writes; 8 audiences, 10 paragraphs)', value: percentile(overhead, 50), unit: 'ms (median)', target: '< 20 ms', p90: percentile(overhead, 90), max: overhead.at(-1), beforeFirstRequest: percentile(before, 50), afterLastAnswer: percentile(after, 50) });
report(bench, { figure: 'CPU time of this process per story (push, translation, and the in-process DeepL test server)', value: Number(((cpu.user + cpu.system) / 1000 / 100).toFixed(1)), unit: 'ms' });
report(bench, { figure: 'database statements per story, push to drafts stored (ingestion, job queue, translation; the benchmark waits on a notification and sends none)', value: Math.round(statements / 100), unit: 'statements' });
report(bench, { figure: 'ingestion of one pushed story (POST /api/v1/stories, before translation)', value: percentile(pushes, 50), unit: 'ms (median)', p90: percentile(pushes, 90) });

drafts.release();
await service.close();
await database.close();
await deepl.close();
