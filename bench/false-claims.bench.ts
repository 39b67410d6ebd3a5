/**
 * The official answer to a priority false claim, through the whole service (answer API → story
 * stored and routed to the claim's languages → pg-boss job → deepl-node → DeepL test server with
 * 150 ms latency per request → drafts stored): from writing the answer to all 8 drafts stored
 * (target ≤ 2× latency, the bound of the translation fan-out). No audience's rules take the answer:
 * every audience gets it because the false claim was said in its language.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { startService } from '../src/service.ts';
import { createToken } from '../src/store/tokens.ts';
import { startDeepLTestServer } from '../test/support/deepl-server.ts';
import { benchDatabase, percentile, report, seededWords, watchDraftsStored } from './support.ts';
import { scratchDir } from '../test/support/scratch.ts';

const LATENCY = 150;
const bench = 'false-claims';
const rules = { priority: 'rules', take: [{ name: 'sport', keywords: ['bóng đá'] }] };

const deepl = await startDeepLTestServer({ latencyMs: LATENCY, characterLimit: 1e12 });
const database = await benchDatabase();
const dir = scratchDir('bench-false-claims');
writeFileSync(path.join(dir, 'config.yaml'), stringify({
  audiences: [
    { id: 'en', language: 'en', provider: 'deepl', targetCode: 'EN-GB', routing: rules },
    { id: 'en-us', language: 'en-US', provider: 'deepl', targetCode: 'EN-US', routing: rules },
    { id: 'fr', language: 'fr', provider: 'deepl', targetCode: 'FR', routing: rules },
    { id: 'es', language: 'es', provider: 'deepl', targetCode: 'ES', routing: rules },
    { id: 'ru', language: 'ru', provider: 'deepl', targetCode: 'RU', routing: rules },
    { id: 'zh', language: 'zh-Hans', provider: 'deepl', targetCode: 'ZH-HANS', routing: rules },
    { id: 'ja', language: 'ja', provider: 'deepl', targetCode: 'JA', routing: rules },
    { id: 'ko', language: 'ko', provider: 'deepl', targetCode: 'KO', routing: rules },
  ],
  translation: { concurrency: 64, timeoutMs: 15000 },
}));
const config = loadConfig({ CONFIG_FILE: path.join(dir, 'config.yaml'), PORT: '0', FEEDS_DIR: path.join(dir, 'feeds'), DEEPL_AUTH_KEY: 'test-key', DEEPL_SERVER_URL: deepl.url }, process.cwd());
const service = await startService(config, createLogger('silent'), { database, schedule: false });
const token = await createToken(database.db, 'bench', 'editor');

async function api(method: string, url: string, body: object): Promise<{ id: number; answerStoryId: number | null }> {
  const res = await fetch(`${service.url}${url}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 201 && res.status !== 200) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { data: { id: number; answerStoryId: number | null } }).data;
}

const paragraphs = (seed: number) => Array.from({ length: 10 }, (_, i) => `<p>Đoạn ${i + 1}: ${seededWords(seed * 1000 + i, 28)}.</p>`).join('');

const languages = ['en', 'fr', 'es', 'ru', 'zh-Hans', 'ja', 'ko'];
let serial = 0;
async function claim(): Promise<number> {
  const n = ++serial;
  return (await api('POST', '/api/v1/false-claims', {
    text: `Tin đồn số ${n}: một con đập ở Quảng Nam bị vỡ.`, rating: 'false', priority: true,
    appearances: languages.map((language, i) => ({ url: `https://outlet-${i}.example/${n}`, outlet: `Outlet ${i}`, language })),
  })).id;
}
const answer = (n: number) => ({
  title: `Không có đập nào bị vỡ (${n})`, summary: 'Các hồ đập ở Quảng Nam vẫn vận hành an toàn, theo cơ quan quản lý.',
  bodyHtml: paragraphs(n),
  sources: [{ title: 'Bộ Nông nghiệp và Môi trường', url: 'https://mae.gov.vn/thong-cao' }],
});

const drafts = await watchDraftsStored(database, 8);

async function once(): Promise<number> {
  const id = await claim();
  const started = Date.now();
  const written = await api('POST', `/api/v1/false-claims/${id}/answer`, answer(id));
  return (await drafts.until([written.answerStoryId!], 20_000)) - started;
}

/**
 * A text of the same shape (paragraphs and the sources' section) pushed as a priority story that
 * every audience's rule takes ("bóng đá"): the fan-out without the false claim, on the same
 * machine at the same moments, so the answer's own cost reads as the difference.
 */
async function pushed(): Promise<number> {
  const n = ++serial;
  const started = Date.now();
  const res = await fetch(`${service.url}/api/v1/stories`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({
    id: `bench-${n}`, priority: true, title: `Giải bóng đá số ${n} khai mạc`, summary: 'Đội tuyển quốc gia bước vào trận mở màn trước đông đảo khán giả.',
    bodyHtml: `${paragraphs(100_000 + n)}<h2>Nguồn</h2><ul><li><a href="https://mae.gov.vn/thong-cao">Bộ Nông nghiệp và Môi trường</a></li></ul>`,
  }) });
  if (res.status !== 201) throw new Error(`push answered ${res.status}: ${await res.text()}`);
  const storyId = ((await res.json()) as { data: { id: number } }).data.id;
  return (await drafts.until([storyId], 20_000)) - started;
}

await once(); // warm-up: the language list is read once, connections opened
const times: number[] = [];
const plain: number[] = [];
// interleaved, so both figures see the same load on a shared machine
for (let i = 0; i < 7; i++) {
  times.push(await once());
  plain.push(await pushed());
}
times.sort((a, b) => a - b);
plain.sort((a, b) => a - b);
const median = percentile(times, 50);
report(bench, { figure: 'a priority false claim\'s answer into 8 languages, written to all drafts stored (median of 7)', value: Math.round(median), unit: 'ms', target: `≤ ${2 * LATENCY} ms (2× latency)`, baseline: LATENCY, ratio: Number((median / LATENCY).toFixed(2)), max: Math.round(times.at(-1)!) });
report(bench, { figure: 'the same text pushed as a priority story, push to all drafts stored (median of 7, same moments)', value: Math.round(percentile(plain, 50)), unit: 'ms', baseline: LATENCY, ratio: Number((percentile(plain, 50) / LATENCY).toFixed(2)) });

drafts.release();
await service.close();
await database.close();
await deepl.close();
