/**
 * Every kind of source, served on loopback: RSS 2.0, Atom 1.0, JSON Feed 1.1, a single article page,
 * summary-only items completed from their page, NFD text, windows-1258 and UTF-16, conditional GET.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type { Service } from '../src/service.ts';
import { createToken } from '../src/store/tokens.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { body, startOrigin, type Origin } from './support/origin.ts';
import { apiClient, startTestService, writeTestConfig } from './support/service.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/ingest/${name}`, import.meta.url));
const seedPage = () => readFileSync(new URL('./fixtures/pages/seed-article.html', import.meta.url), 'utf8');

describe('ingest: source kinds and encodings', function () {
  this.timeout(30_000);
  let database: TestDatabase;
  let service: Service;
  let origin: Origin;
  let admin: ReturnType<typeof apiClient>;
  const withOrigin = (name: string) => fixture(name).toString('utf8').replaceAll('{{ORIGIN}}', origin.url);
  /** The RSS fixture under other guids and links, as another feed would carry it. */
  const rssVariant = (tag: string) => withOrigin('rss.xml').replace(/rss-(\d)/g, `${tag}-$1`).replace('/tin/hop-bao-quoc-te.html', `/tin/${tag}.html`).replace('/bai/seed.html', `/bai/${tag}.html`);

  before(async () => {
    origin = await startOrigin();
    database = await freshDatabase();
    service = await startTestService(writeTestConfig({ audiences: [{ id: 'en', language: 'en', provider: 'manual' }] }), database);
    admin = apiClient(service.url, await createToken(database.db, 'root', 'admin'));
  });
  after(async () => {
    await service?.close();
    await database?.close();
    await origin?.close();
  });

  async function addAndPoll(id: string, path: string, extra: Record<string, unknown> = {}) {
    const created = await admin('POST', '/api/v1/sources', { id, name: id, url: `${origin.url}${path}`, ...extra });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const poll = await admin('POST', `/api/v1/sources/${id}/poll`);
    expect(poll.status, JSON.stringify(poll.body)).to.equal(200);
    const stories = (await admin('GET', '/api/v1/stories?limit=200')).body.data.filter((s: { sourceId: string }) => s.sourceId === id);
    return { counts: poll.body.data, stories };
  }

  it('reads RSS 2.0: NFD made NFC, body sanitized, URLs absolute, summary-only item completed from its page', async () => {
    origin.routes.set('/rss.xml', body(withOrigin('rss.xml')));
    origin.routes.set('/bai/seed.html', body(seedPage(), 'text/html; charset=utf-8'));
    const { counts, stories } = await addAndPoll('rss', '/rss.xml');
    expect(counts).to.deep.equal({ new: 2, updated: 0, unchanged: 0, failed: 0 });
    const first = stories.find((s: { guid: string }) => s.guid === 'rss-1');
    expect(first.title).to.equal('Họp báo quốc tế về kết quả chuyến thăm châu Âu của Chủ tịch nước');
    expect(first.title).to.equal(first.title.normalize('NFC'));
    expect(first.bodyHtml).to.equal(first.bodyHtml.normalize('NFC'));
    expect(first.bodyHtml).to.contain('Sáng 27/11, tại Hà Nội');
    expect(first.bodyHtml).to.not.match(/script|onmouseover|onerror|iframe|document\.cookie/);
    expect(first.bodyHtml).to.contain(`<a href="${origin.url}/anh/1.html">ảnh</a>`);
    expect(first.bodyHtml).to.contain(`<img src="${origin.url}/anh/1.jpg" />`);
    expect(first.url).to.equal(`${origin.url}/tin/hop-bao-quoc-te.html`);
    expect(first.imageUrl).to.equal(`${origin.url}/anh/chinh.jpg`);
    expect(first.author).to.equal('Minh Anh');
    expect(first.category).to.equal('Đối ngoại');
    expect(first.publishedAt).to.equal('2026-11-27T03:15:00.000Z');

    const second = stories.find((s: { guid: string }) => s.guid === 'rss-2');
    expect(second.publishedAt, 'a date without offset is Ha Noi time').to.equal('2026-11-26T09:00:00.000Z');
    expect(second.bodyHtml, 'the page body replaces the bare summary').to.contain('Ngày 2/8, tại Hà Nội, Ban Tuyên giáo Trung ương');
    expect(second.bodyHtml).to.contain('Tại Hội nghị, Ban Tuyên giáo Trung ương đã tặng Bằng khen');
    expect(second.bodyHtml, 'the chrome is gone').to.not.match(/Những tin mới hơn|Văn Bản Mới|Lượt xem|Ý kiến bạn đọc/);
    expect(second.attribution).to.equal('Nguồn tin: Theo Thu Hằng/tuyen.giao.vn');
    expect(second.summary).to.equal('Chỉ có tóm tắt: bài đầy đủ nằm trên trang.');

    // polled again without a 304: the summary-only item is known by its title, its page not fetched again
    const pageFetches = () => origin.log.filter((r) => r.path === '/bai/seed.html').length;
    const before = pageFetches();
    expect((await admin('POST', '/api/v1/sources/rss/poll')).body.data).to.deep.equal({ new: 0, updated: 0, unchanged: 2, failed: 0 });
    expect(pageFetches()).to.equal(before);
  });

  it('answers an unchanged feed through a conditional GET (304)', async () => {
    let served = 0;
    origin.routes.set('/etag.xml', (req, res) => {
      served++;
      if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304).end();
      res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"', 'last-modified': 'Fri, 27 Nov 2026 03:00:00 GMT' }).end(rssVariant('etag'));
    });
    origin.routes.set('/bai/etag.html', body(seedPage(), 'text/html'));
    const { counts } = await addAndPoll('etag', '/etag.xml');
    expect(counts.new).to.equal(2);
    const again = await admin('POST', '/api/v1/sources/etag/poll');
    expect(again.body.data).to.deep.equal({ new: 0, updated: 0, unchanged: 0, failed: 0 });
    expect(served).to.equal(2);
    const last = origin.log.filter((r) => r.path === '/etag.xml').at(-1)!;
    expect(last.ifNoneMatch).to.equal('"v1"');
    expect(last.ifModifiedSince).to.equal('Fri, 27 Nov 2026 03:00:00 GMT');
  });

  it('reads Atom 1.0 with xml:base', async () => {
    origin.routes.set('/atom.xml', body(withOrigin('atom.xml'), 'application/atom+xml'));
    const { counts, stories } = await addAndPoll('atom', '/atom.xml', { kind: 'rss' }); // the configured kind is not trusted
    expect(counts.new).to.equal(1);
    const [s] = stories;
    expect(s.guid).to.equal('tag:doingoai.example,2026:atom-1');
    expect(s.url).to.equal(`${origin.url}/atom/viet-nam-lao-giao-duc.html`);
    expect(s.bodyHtml).to.contain(`<a href="${origin.url}/atom/chi-tiet.html">Chi tiết</a>`);
    expect(s.imageUrl).to.equal(`${origin.url}/anh/lao.png`);
    expect(s.author).to.equal('Phòng Thông tin');
    expect(s.category).to.equal('Hợp tác');
    expect(s.publishedAt).to.equal('2026-11-27T01:00:00.000Z');
  });

  it('reads JSON Feed 1.1', async () => {
    origin.routes.set('/feed.json', body(withOrigin('feed.json'), 'application/feed+json'));
    const { counts, stories } = await addAndPoll('jsonfeed', '/feed.json');
    expect(counts.new).to.equal(2);
    const one = stories.find((s: { guid: string }) => s.guid === 'jf-1');
    expect(one.publishedAt).to.equal('2026-11-26T19:00:00.000Z');
    expect(one.author).to.equal('Thanh Hà');
    expect(one.imageUrl).to.equal(`${origin.url}/anh/phap.jpg`);
    const two = stories.find((s: { guid: string }) => s.guid === 'jf-2');
    expect(two.bodyHtml).to.equal('<p>Dòng một &lt;không phải thẻ&gt; &amp; ký tự.</p>');
    expect(two.publishedAt).to.equal('2026-11-26T01:00:00.000Z');
  });

  it('reads a single article page: title, date, lead, body, og:image, source line as attribution', async () => {
    origin.routes.set('/trang/bai.html', body(seedPage(), 'text/html; charset=utf-8'));
    const { counts, stories } = await addAndPoll('page', '/trang/bai.html', { kind: 'page' });
    expect(counts.new).to.equal(1);
    const [s] = stories;
    expect(s.title).to.equal('Nâng cao hiệu quả công tác thông tin đối ngoại theo phương châm: Chính xác, kịp thời, linh hoạt, phù hợp với từng đối tượng');
    expect(s.publishedAt).to.equal('2017-08-04T08:20:00.000Z');
    expect(s.summary).to.match(/^Tại Hội nghị sơ kết 5 năm/);
    expect(s.bodyHtml).to.match(/^<p><strong>Tại Hội nghị sơ kết 5 năm/);
    const paragraphs = s.bodyHtml.match(/<p>/g).length;
    expect(paragraphs).to.be.at.least(11);
    expect(s.bodyHtml).to.not.match(/Nguồn tin|Tổng số điểm|Những tin cũ hơn|Văn Bản Mới|Lượt truy cập|Đăng nhập/);
    expect(s.attribution).to.equal('Nguồn tin: Theo Thu Hằng/tuyen.giao.vn');
    expect(s.imageUrl).to.equal('https://tuyengiaokontum.org.vn/uploads/news/2017_08/hoi-nghi.jpg'.replace('https://tuyengiaokontum.org.vn', origin.url));
    expect(s.url).to.match(/^https:\/\/tuyengiaokontum\.org\.vn\/tin-tuc\/thong-tin-doi-ngoai\/.*-1872\.html$/);
  });

  it('decodes windows-1258 (combining tone marks composed to NFC) and UTF-16', async () => {
    origin.routes.set('/cp1258.xml', body(fixture('windows-1258.xml'), 'application/rss+xml'));
    const [title, summary] = fixture('windows-1258.expected.txt').toString('utf8').split('\n');
    const { stories } = await addAndPoll('cp1258', '/cp1258.xml');
    expect(stories[0].title).to.equal(title);
    expect(stories[0].summary).to.equal(summary);

    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(rssVariant('u16').replace('encoding="UTF-8"', 'encoding="UTF-16"'), 'utf16le')]);
    origin.routes.set('/bai/u16.html', body(seedPage(), 'text/html'));
    origin.routes.set('/utf16.xml', body(utf16, 'application/xml'));
    const u = await addAndPoll('utf16', '/utf16.xml');
    expect(u.counts.new).to.equal(2);
    expect(u.stories.map((s: { title: string }) => s.title)).to.include('Họp báo quốc tế về kết quả chuyến thăm châu Âu của Chủ tịch nước');
  });
});
