/**
 * Ingestion speed: a 1,000-item feed with full HTML bodies into the embedded database (items/s,
 * target ≥ 500), a re-poll answered 304 (ms of the service's own time, target < 20), and
 * Readability extraction of a typical news page (pages/s, target ≥ 50). One JSON line each.
 */
import { storyRouter } from '../src/ingest/routing.ts';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createAddressGuard } from '../src/ingest/address-guard.ts';
import { createFetcher } from '../src/ingest/fetch.ts';
import { parsePage } from '../src/ingest/parsers/page.ts';
import { pollSource, type PollDeps } from '../src/ingest/poll.ts';
import { createLogger } from '../src/log.ts';
import { benchDatabase, percentile, report } from './support.ts';

const BENCH = 'ingest';
const paragraphs = [
  'Ngày 27/11, tại Hà Nội, Bộ Ngoại giao tổ chức họp báo quốc tế giới thiệu kết quả chuyến thăm chính thức của lãnh đạo cấp cao tới các nước châu Âu, với sự tham dự của đông đảo phóng viên trong và ngoài nước.',
  'Hai bên đã ký kết nhiều văn kiện hợp tác trong các lĩnh vực thương mại, đầu tư, giáo dục, khoa học công nghệ, văn hóa và du lịch, mở ra cơ hội mới cho doanh nghiệp và người dân hai nước.',
  'Các cơ quan đại diện Việt Nam ở nước ngoài tiếp tục triển khai hiệu quả công tác bảo hộ công dân, thông tin đối ngoại và vận động cộng đồng người Việt Nam ở nước ngoài hướng về quê hương.',
];
function item(i: number): string {
  // every story different, so none is taken for a re-run of another
  const body = Array.from({ length: 8 }, (_, p) => `<p>${paragraphs[p % 3]} Mã tin ${i}-${p}: ${(i * 7919 + p * 104729).toString(36)} ${'abcdefghij'.slice(0, (i + p) % 10)}.</p>`).join('');
  return `<item><title>Tin đối ngoại số ${i}: hợp tác ${(i * 31).toString(36)}</title><guid>bench-${i}</guid><link>https://tinh.example.vn/tin/${i}.html</link><pubDate>Fri, 27 Nov 2026 08:00:00 +0700</pubDate><description>Tóm tắt tin số ${i}.</description><content:encoded><![CDATA[${body}<p><img src="/anh/${i}.jpg" alt="Ảnh"> <a href="/tin/${i + 1}.html">Tin liên quan</a></p>]]></content:encoded></item>`;
}
const feed = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Bench</title><link>https://tinh.example.vn/</link><description>d</description>${Array.from({ length: 1000 }, (_, i) => item(i)).join('')}</channel></rss>`;

let honourValidators = true;
const server = createServer((req, res) => {
  if (honourValidators && req.headers['if-none-match'] === '"bench-1"') return void res.writeHead(304).end();
  res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag: '"bench-1"' }).end(feed);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/feed.xml`;

const database = await benchDatabase();
const fetcher = createFetcher(createAddressGuard(['127.0.0.1']));
const audiences = ['en', 'fr', 'es', 'ru', 'zh', 'ja', 'ko', 'lo'].map((id) => ({ id, language: id, provider: 'manual' as const, timeZone: 'UTC', feedTitleKey: 'feeds:title', feedDescriptionKey: 'feeds:description' }));
const deps: PollDeps = {
  db: database.db, log: createLogger('silent'), clock: () => new Date(), audiences, route: storyRouter(audiences), fetcher, onStoryReady: () => {}, domesticLanguage: 'vi', onForeignItemReady: () => {},
  ingest: { allowPrivateHosts: ['127.0.0.1'], maxBodyBytes: 50_000_000, maxDecodedBytes: 50_000_000, timeoutMs: 30_000, maxRedirects: 5, pollTickSeconds: 15, maxImageBytes: 1_000_000, maxImagePixels: 1_000_000 },
};
try {
  await database.db.insertInto('sources').values({ id: 'bench', name: 'Bench', url, kind: 'auto', schedule: '*/5 * * * *', full_text: false, enabled: true }).execute();
  const started = performance.now();
  const cpu = process.cpuUsage();
  const counts = await pollSource(deps, 'bench');
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const nodeCpuSeconds = (used.user + used.system) / 1e6;
  if (counts.new !== 1000) throw new Error(`expected 1000 new stories, got ${JSON.stringify(counts)}`);
  report(BENCH, { figure: 'feed_1000_items_full_html', value: Math.round(1000 / seconds), unit: 'items/s', target: '>= 500', seconds: Number(seconds.toFixed(2)), nodeCpuSeconds: Number(nodeCpuSeconds.toFixed(2)), audiences: audiences.length, feedBytes: Buffer.byteLength(feed) });

  const times: number[] = [];
  for (let i = 0; i < 60; i++) {
    const t = performance.now();
    const c = await pollSource(deps, 'bench');
    times.push(performance.now() - t);
    if (c.new + c.updated + c.unchanged !== 0) throw new Error('the re-poll was not answered 304');
  }
  const warm = times.slice(10).sort((a, b) => a - b);
  report(BENCH, { figure: 'repoll_304', value: Number(percentile(warm, 50).toFixed(2)), unit: 'ms', target: '< 20', p95: Number(percentile(warm, 95).toFixed(2)), runs: warm.length });

  // the same feed again from a server without validators: 200, every item recognised as unchanged
  honourValidators = false;
  const full: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const c = await pollSource(deps, 'bench');
    full.push(performance.now() - t);
    if (c.unchanged !== 1000) throw new Error(`expected 1000 unchanged, got ${JSON.stringify(c)}`);
  }
  full.sort((a, b) => a - b);
  report(BENCH, { figure: 'repoll_unchanged_200_1000_items', value: Math.round(percentile(full, 50)), unit: 'ms', runs: full.length });

  const page = readFileSync(new URL('../test/fixtures/pages/seed-article.html', import.meta.url), 'utf8');
  for (let i = 0; i < 20; i++) parsePage('https://tuyengiaokontum.org.vn/tin-tuc/x.html', page);
  const n = 300;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) parsePage('https://tuyengiaokontum.org.vn/tin-tuc/x.html', page);
  const pageSeconds = (performance.now() - t0) / 1000;
  const pageCpu = process.cpuUsage(c0);
  // pages per CPU-second tells the code's cost apart from a busy machine's
  report(BENCH, { figure: 'readability_extraction', value: Math.round(n / pageSeconds), unit: 'pages/s', target: '>= 50', pagesPerCpuSecond: Math.round(n / ((pageCpu.user + pageCpu.system) / 1e6)), pageBytes: Buffer.byteLength(page) });
} finally {
  await fetcher.close();
  await database.close();
  server.close();
}
