/**
 * Bad and hostile input, served on loopback: each yields a readable error recorded on the source
 * (or the item), never a crash and never a half-stored story, and other sources go on.
 */
import { expect } from 'chai';
import { gzipSync } from 'node:zlib';
import type { Service } from '../src/service.ts';
import { startPollScheduler } from '../src/ingest/scheduler.ts';
import { createToken } from '../src/store/tokens.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { testLogger } from './support/logger.ts';
import { body, startOrigin, type Origin } from './support/origin.ts';
import { apiClient, startTestService, writeTestConfig } from './support/service.ts';

const NOW = new Date('2026-11-27T03:00:00Z');

const item = (guid: string, title: string, extra = '', description = `Tóm tắt ${guid}`) => `<item><title>${title}</title><guid>${guid}</guid><link>http://127.0.0.1/${guid}.html</link><description>${description}</description>${extra}</item>`;
const rss = (...items: string[]) => `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title><link>http://127.0.0.1/</link><description>d</description>${items.join('')}</channel></rss>`;

describe('ingest: bad and hostile input', function () {
  this.timeout(30_000);
  let database: TestDatabase;
  let service: Service;
  let origin: Origin;
  let admin: ReturnType<typeof apiClient>;
  let adminToken: string;

  before(async () => {
    origin = await startOrigin();
    database = await freshDatabase();
    const config = writeTestConfig({
      audiences: [{ id: 'en', language: 'en', provider: 'manual' }],
      ingest: { allowPrivateHosts: [], maxBodyBytes: 20_000, maxDecodedBytes: 100_000, timeoutMs: 1500, maxRedirects: 3 },
    });
    service = await startTestService(config, database, () => NOW);
    adminToken = await createToken(database.db, 'root', 'admin');
    admin = apiClient(service.url, adminToken);
  });
  after(async () => {
    await service?.close();
    await database?.close();
    await origin?.close();
  });

  let n = 0;
  /** Adds a source at `path`, polls it, and returns the poll answer and the source's status. */
  async function poll(path: string, handler: Parameters<Origin['routes']['set']>[1], extra: Record<string, unknown> = {}) {
    const id = `bad-${++n}`;
    origin.routes.set(path, handler);
    expect((await admin('POST', '/api/v1/sources', { id, name: id, url: `${origin.url}${path}`, ...extra })).status).to.equal(201);
    const res = await admin('POST', `/api/v1/sources/${id}/poll`);
    const status = (await admin('GET', `/api/v1/sources/${id}/status`)).body.data;
    const stories = (await admin('GET', '/api/v1/stories?limit=200')).body.data.filter((s: { sourceId: string }) => s.sourceId === id);
    return { id, res, status, stories };
  }

  async function expectSourceError(path: string, handler: Parameters<Origin['routes']['set']>[1], message: RegExp, httpStatus: number) {
    const { res, status, stories } = await poll(path, handler);
    expect(res.status, JSON.stringify(res.body)).to.equal(httpStatus);
    expect(res.body.error.message).to.match(message);
    expect(status.lastError).to.match(message);
    expect(status.consecutiveFailures).to.equal(1);
    expect(new Date(status.nextPollAt).getTime(), 'backed off a minute').to.equal(NOW.getTime() + 60_000);
    expect(stories).to.have.length(0);
    return status;
  }

  it('malformed XML', async () => {
    await expectSourceError('/malformed.xml', body(rss(item('a', 'Tin')).replace('</title>', '</titel>')), /malformed XML at line 1/, 422);
  });

  it('truncated XML', async () => {
    await expectSourceError('/truncated.xml', body(rss(item('a', 'Tin một'), item('b', 'Tin hai')).slice(0, 250)), /malformed XML/, 422);
  });

  it('HTML served as a feed', async () => {
    await expectSourceError('/not-a-feed.xml', body('<!DOCTYPE html><html><body><p>Trang chủ</p></body></html>', 'text/html'), /HTML page, not a feed/, 422);
  });

  it('a feed quoting an HTML page in CDATA, or mentioning <!ENTITY in a comment, is read as the feed it is', async () => {
    const quoting = rss(item('q1', 'Tin có trích dẫn', '', '<![CDATA[<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x"><html><body>Tóm tắt</body></html>]]>'), item('q2', 'Tin hai'))
      .replace('?>', '?><!-- no <!ENTITY here -->');
    const { res, stories } = await poll('/quoting.xml', body(quoting));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(stories.map((s: { title: string }) => s.title).sort()).to.deep.equal(['Tin có trích dẫn', 'Tin hai']);
  });

  it('XML declaring entities (XXE, entity expansion)', async () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY lol "lol">]><rss version="2.0"><channel><title>&xxe;</title>${item('x', '&lol;')}</channel></rss>`;
    await expectSourceError('/xxe.xml', body(xxe), /declares XML entities/, 422);
  });

  it('a body over the limit, declared or streamed', async () => {
    const big = rss(...Array.from({ length: 400 }, (_, i) => item(`big-${i}`, `Tin số ${i}`)));
    await expectSourceError('/big.xml', body(big), /over the 20000-byte limit/, 502);
    await expectSourceError('/big-chunked.xml', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.write(big.slice(0, 15_000));
      res.end(big.slice(15_000));
    }, /over the 20000-byte limit/, 502);
  });

  it('a decompression bomb', async () => {
    const bomb = gzipSync(Buffer.concat([Buffer.from(rss().slice(0, -17)), Buffer.alloc(5_000_000, 0x20), Buffer.from('</channel></rss>')]));
    expect(bomb.length).to.be.below(20_000);
    await expectSourceError('/bomb.xml', body(bomb, 'application/rss+xml', { 'content-encoding': 'gzip' }), /decompresses to more than 100000 bytes/, 502);
  });

  it('gzip and br answers within the limits are read', async () => {
    const { res } = await poll('/gzip.xml', body(gzipSync(rss(item('gz-1', 'Tin nén gzip'))), 'application/rss+xml', { 'content-encoding': 'gzip' }));
    expect(res.body.data).to.deep.equal({ new: 1, updated: 0, unchanged: 0, failed: 0 });
  });

  it('a redirect loop, and too many redirects', async () => {
    origin.routes.set('/loop-b', (_req, res) => void res.writeHead(302, { location: '/loop-a' }).end());
    await expectSourceError('/loop-a', (_req, res) => void res.writeHead(301, { location: '/loop-b' }).end(), /redirect loop/, 502);
    for (let i = 1; i <= 5; i++) origin.routes.set(`/hop-${i}`, (_req, res) => void res.writeHead(302, { location: `/hop-${i + 1}` }).end());
    await expectSourceError('/hop-0', (_req, res) => void res.writeHead(302, { location: '/hop-1' }).end(), /too many redirects \(more than 3\)/, 502);
  });

  it('a redirect to a private or metadata address (SSRF)', async () => {
    await expectSourceError('/to-metadata', (_req, res) => void res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end(), /169\.254\.169\.254 .*linkLocal.*refused/, 502);
    await expectSourceError('/to-private', (_req, res) => void res.writeHead(302, { location: 'http://10.0.0.7/feed' }).end(), /10\.0\.0\.7 .*private/, 502);
    await expectSourceError('/to-ipv6-loopback', (_req, res) => void res.writeHead(302, { location: 'http://[::1]:9/feed' }).end(), /::1 .*loopback.*refused/, 502);
    await expectSourceError('/to-file', (_req, res) => void res.writeHead(302, { location: 'file:///etc/passwd' }).end(), /only http and https are fetched/, 502);
  });

  it('a source that hangs, while another source is polled without delay', async () => {
    origin.routes.set('/fine.xml', body(rss(item('fine-1', 'Tin bình thường'))));
    expect((await admin('POST', '/api/v1/sources', { id: 'fine', name: 'fine', url: `${origin.url}/fine.xml` })).status).to.equal(201);
    origin.routes.set('/hang.xml', () => {}); // never answers
    expect((await admin('POST', '/api/v1/sources', { id: 'hang', name: 'hang', url: `${origin.url}/hang.xml` })).status).to.equal(201);
    let hangingSettled = false;
    const hanging = admin('POST', '/api/v1/sources/hang/poll').finally(() => { hangingSettled = true; });
    const fine = await admin('POST', '/api/v1/sources/fine/poll');
    expect(fine.body.data.new).to.equal(1);
    // ordered, not timed: the healthy poll is answered while the hanging one still waits for its timeout
    expect(hangingSettled, 'the healthy source did not wait for the hanging one').to.equal(false);
    const hung = await hanging;
    expect(hung.status).to.equal(502);
    expect(hung.body.error.message).to.match(/no answer within 1500 ms/);
  });

  it('on schedule too, a hanging source does not hold up the next one', async () => {
    await database.db.updateTable('sources').set({ enabled: false }).execute();
    origin.routes.set('/hang2.xml', () => {});
    origin.routes.set('/fine2.xml', body(rss(item('fine2-1', 'Tin đúng giờ'))));
    await database.db.insertInto('sources').values([
      { id: 'hang2', name: 'hang2', url: `${origin.url}/hang2.xml`, kind: 'auto', schedule: '*/5 * * * *', full_text: false, enabled: true, next_poll_at: new Date(NOW.getTime() - 120_000) },
      { id: 'fine2', name: 'fine2', url: `${origin.url}/fine2.xml`, kind: 'auto', schedule: '*/5 * * * *', full_text: false, enabled: true, next_poll_at: new Date(NOW.getTime() - 60_000) },
    ]).execute();
    const scheduler = startPollScheduler({ db: database.db, log: testLogger, jobs: service.jobs, clock: () => NOW, tickSeconds: 15, start: false });
    expect(await scheduler.tick()).to.equal(2);
    const polled = async (id: string) => (await database.db.selectFrom('sources').select(['last_polled_at', 'last_error']).where('id', '=', id).executeTakeFirstOrThrow());
    const deadline = Date.now() + 20_000;
    while (!(await polled('fine2')).last_polled_at && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect((await polled('fine2')).last_polled_at, 'the healthy source was polled').to.not.equal(null);
    expect((await polled('hang2')).last_polled_at, '...while the hanging one was still waiting for its answer').to.equal(null);
    while (!(await polled('hang2')).last_polled_at && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect((await polled('hang2')).last_error).to.match(/no answer within 1500 ms/);
    await scheduler.stop();
  });

  it('429 with Retry-After backs the source off for at least that long', async () => {
    const { id, status } = await poll('/busy.xml', (_req, res) => void res.writeHead(429, { 'retry-after': '900' }).end('slow down'));
    expect(status.lastError).to.match(/HTTP 429 \(too many requests\); retry after 900 s/);
    // the reason in the language the request asks for, beside the technical line
    expect(status.lastErrorMessage).to.match(/^http:\/\/\S+ refused: too many requests \(HTTP 429\)\./);
    const vi = await fetch(`${service.url}/api/v1/sources/${id}`, { headers: { authorization: `Bearer ${adminToken}`, 'accept-language': 'vi' } }).then((r) => r.json()) as { data: { lastErrorMessage: string } };
    expect(vi.data.lastErrorMessage).to.match(/từ chối vì nhận quá nhiều yêu cầu \(HTTP 429\)/);
    expect(new Date(status.nextPollAt).getTime()).to.equal(NOW.getTime() + 900_000);
  });

  it('bad items: empty titles, duplicate guids, invalid dates, script — the good ones are stored', async () => {
    const feed = rss(
      item('ok-1', 'Tin hợp lệ', '<pubDate>Fri, 27 Nov 2026 09:00:00 +0700</pubDate>'),
      item('empty', '   '),
      item('ok-1', 'Tin trùng guid'),
      item('bad-date', 'Tin ngày sai', '<pubDate>32/13/2026 25:61</pubDate>'),
      item('script', 'Tin có script', '<content:encoded>&lt;script&gt;alert(1)&lt;/script&gt;&lt;p onclick="x()"&gt;Nội dung&lt;/p&gt;&lt;a href="javascript:alert(1)"&gt;link&lt;/a&gt;&lt;img src="data:image/png;base64,AAAA"&gt;&lt;style&gt;p{}&lt;/style&gt;&lt;form action="/x"&gt;&lt;input name="q"&gt;&lt;/form&gt;</content:encoded>'),
      item('only-script', '&lt;script&gt;alert(1)&lt;/script&gt;'),
    );
    const { res, status, stories } = await poll('/bad-items.xml', body(feed));
    expect(res.status).to.equal(200);
    expect(res.body.data).to.deep.equal({ new: 3, updated: 0, unchanged: 0, failed: 3 });
    expect(stories.map((s: { guid: string }) => s.guid).sort()).to.deep.equal(['bad-date', 'ok-1', 'script']);
    expect(stories.find((s: { guid: string }) => s.guid === 'ok-1').title).to.equal('Tin hợp lệ');
    expect(stories.find((s: { guid: string }) => s.guid === 'bad-date').publishedAt).to.equal(null);
    const scripted = stories.find((s: { guid: string }) => s.guid === 'script');
    expect(scripted.bodyHtml).to.equal('<p>Nội dung</p><a>link</a>');
    expect(status.lastError).to.equal(null);
    const all = status.recentItemErrors.map((e: { code: string; message: string }) => `${e.code}: ${e.message}`);
    // summary-only items whose article page cannot be fetched keep the feed's summary, with the reason
    expect(all.filter((m: string) => m.startsWith('full_text_failed: the article page http://127.0.0.1/ok-1.html could not be read'))).to.have.length(1);
    expect(stories.find((s: { guid: string }) => s.guid === 'ok-1').bodyHtml).to.equal('<p>Tóm tắt ok-1</p>');
    const messages = all.filter((m: string) => !m.startsWith('full_text_failed'));
    expect(messages).to.have.length(4);
    expect(messages.some((m: string) => /^item_rejected: item empty has an empty title/.test(m))).to.equal(true);
    expect(messages.some((m: string) => /^duplicate_guid: the feed lists the guid "ok-1" more than once/.test(m))).to.equal(true);
    expect(messages.some((m: string) => /^invalid_date: the date "32\/13\/2026 25:61" cannot be read/.test(m))).to.equal(true);
    expect(messages.some((m: string) => /^item_rejected: item only-script has an empty title/.test(m))).to.equal(true);
  });

  it('control characters, an endless guid and an endless link are made safe, not fatal', async () => {
    const feedJson = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1', title: 'J',
      items: [
        { id: 'ctl-1', title: 'Tin\u0000 có\u000b ký tự điều khiển', content_html: '<p>Nội\u0000 dung\u001f</p>' },
        { id: 'x'.repeat(5000), url: `https://tinh.example.vn/${'y'.repeat(5000)}`, title: 'Tin có mã rất dài', content_html: '<p>Nội dung</p>' },
      ],
    });
    const { res, stories } = await poll('/controls.json', body(feedJson, 'application/feed+json'));
    expect(res.body.data).to.deep.equal({ new: 2, updated: 0, unchanged: 0, failed: 0 });
    const ctl = stories.find((s: { guid: string }) => s.guid === 'ctl-1');
    expect(ctl.title).to.equal('Tin có ký tự điều khiển');
    expect(ctl.bodyHtml).to.equal('<p>Nội dung</p>');
    const long = stories.find((s: { title: string }) => s.title === 'Tin có mã rất dài');
    expect(long.guid).to.match(/^sha256:[0-9a-f]{64}$/);
    expect(long.url).to.equal(null);
    const again = await admin('POST', `/api/v1/sources/bad-${n}/poll`);
    expect(again.body.data, 'the hashed guid finds the same story again').to.deep.equal({ new: 0, updated: 0, unchanged: 2, failed: 0 });
  });

  it('a malformed JSON Feed and a JSON answer that is not a feed', async () => {
    await expectSourceError('/broken.json', body('{"version":"https://jsonfeed.org/version/1.1","items":[{"id":1,', 'application/feed+json'), /malformed JSON Feed/, 422);
    await expectSourceError('/other.json', body('{"hello":"world"}', 'application/json'), /JSON but not a JSON Feed/, 422);
  });

  it('a second failure doubles the backoff; a success clears it', async () => {
    let fail = true;
    const { id } = await poll('/flaky.xml', (_req, res) => (fail ? void res.writeHead(503).end() : body(rss(item('flaky-1', 'Tin')))(_req, res)));
    await admin('POST', `/api/v1/sources/${id}/poll`);
    let status = (await admin('GET', `/api/v1/sources/${id}/status`)).body.data;
    expect(status.consecutiveFailures).to.equal(2);
    expect(new Date(status.nextPollAt).getTime()).to.equal(NOW.getTime() + 120_000);
    fail = false;
    expect((await admin('POST', `/api/v1/sources/${id}/poll`)).body.data.new).to.equal(1);
    status = (await admin('GET', `/api/v1/sources/${id}/status`)).body.data;
    expect(status.consecutiveFailures).to.equal(0);
    expect(status.lastError).to.equal(null);
    expect(status.lastSuccessAt).to.equal(NOW.toISOString());
    expect(status.nextPollAt, 'the next match of */5').to.equal('2026-11-27T03:05:00.000Z');
  });
});
