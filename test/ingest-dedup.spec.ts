/**
 * Deduplication and changes: the same guid or canonical URL is the same story; a re-run by another
 * source is linked to the first story and not translated again; a changed item updates its story,
 * records a revision with the source diff, and makes its translations outdated.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type { Service } from '../src/service.ts';
import { createToken } from '../src/store/tokens.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { body, startOrigin, type Origin } from './support/origin.ts';
import { apiClient, startTestService, writeTestConfig } from './support/service.ts';

interface Article { title: string; body: string }
const articles = JSON.parse(readFileSync(new URL('./fixtures/ingest/near-duplicate.json', import.meta.url), 'utf8')) as Record<'original' | 'repost' | 'unrelated', Article>;
const cdata = (s: string) => `<![CDATA[${s}]]>`;
const rss = (items: { guid: string; link: string; a: Article }[]) => `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>A</title><link>http://127.0.0.1/</link><description>d</description>${items.map(({ guid, link, a }) => `<item><title>${a.title}</title><guid>${guid}</guid><link>${link}</link><description>Tóm tắt</description><content:encoded>${cdata(a.body)}</content:encoded></item>`).join('')}</channel></rss>`;
const jsonFeed = (items: { id: string; url: string; a: Article }[]) => JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'B', items: items.map(({ id, url, a }) => ({ id, url, title: a.title, content_html: a.body })) });

describe('ingest: duplicates and changes', function () {
  this.timeout(30_000);
  let database: TestDatabase;
  let service: Service;
  let origin: Origin;
  let editor: ReturnType<typeof apiClient>;
  const stories = async () => (await editor('GET', '/api/v1/stories?limit=200')).body.data as { id: number; guid: string; sourceId: string; duplicateOf: number | null; version: number; title: string }[];

  before(async () => {
    origin = await startOrigin();
    origin.routes.set('/a.xml', body(rss([{ guid: 'a-1', link: 'https://trung-uong.example.vn/a-1.html', a: articles.original }])));
    origin.routes.set('/b.json', body(jsonFeed([
      { id: 'b-1', url: 'https://tinh.example.vn/b-1.html', a: articles.repost },
      { id: 'b-2', url: 'https://tinh.example.vn/b-2.html', a: articles.unrelated },
      // the central article itself, linked by its canonical URL under another id
      { id: 'b-3', url: 'https://trung-uong.example.vn/a-1.html', a: articles.original },
    ]), 'application/feed+json'));
    database = await freshDatabase();
    service = await startTestService(writeTestConfig({
      audiences: [{ id: 'en', language: 'en', provider: 'manual' }, { id: 'fr', language: 'fr', provider: 'manual' }],
      sources: [{ id: 'trung-uong', name: 'Trung ương', url: `${origin.url}/a.xml` }, { id: 'tinh', name: 'Tỉnh', url: `${origin.url}/b.json` }],
    }), database);
    editor = apiClient(service.url, await createToken(database.db, 'lan', 'editor'));
  });
  after(async () => {
    await service?.close();
    await database?.close();
    await origin?.close();
  });

  it('links a re-run by another source to the first story and does not translate it again', async () => {
    expect((await editor('POST', '/api/v1/sources/trung-uong/poll')).body.data).to.deep.equal({ new: 1, updated: 0, unchanged: 0, failed: 0 });
    expect((await editor('POST', '/api/v1/sources/tinh/poll')).body.data).to.deep.equal({ new: 2, updated: 0, unchanged: 1, failed: 0 });
    const all = await stories();
    expect(all).to.have.length(3);
    const original = all.find((s) => s.guid === 'a-1')!;
    const repost = all.find((s) => s.guid === 'b-1')!;
    const unrelated = all.find((s) => s.guid === 'b-2')!;
    expect(repost.duplicateOf).to.equal(original.id);
    expect(original.duplicateOf).to.equal(null);
    expect(unrelated.duplicateOf).to.equal(null);
    expect((await editor('GET', `/api/v1/stories/${repost.id}/translations`)).body.data, 'a re-run is not translated twice').to.have.length(0);
    expect((await editor('GET', `/api/v1/stories/${original.id}/translations`)).body.data).to.have.length(2);
    expect((await editor('GET', `/api/v1/stories/${unrelated.id}/translations`)).body.data).to.have.length(2);
    expect((await editor('POST', '/api/v1/sources/trung-uong/poll')).body.data, 'same guid: same story').to.deep.equal({ new: 0, updated: 0, unchanged: 1, failed: 0 });
  });

  it('links a re-run carried twice by one feed, in one poll', async () => {
    const body1 = '<p>Chiều 27/11, đoàn công tác của tỉnh đã làm việc với chính quyền thành phố kết nghĩa về hợp tác phát triển du lịch cộng đồng, bảo tồn di sản văn hóa và trao đổi thanh niên giữa hai địa phương.</p><p>Hai bên thống nhất xây dựng chương trình hành động cụ thể, trong đó ưu tiên kết nối các tuyến du lịch, tổ chức lễ hội văn hóa chung và hỗ trợ đào tạo hướng dẫn viên cho người dân địa phương.</p>';
    origin.routes.set('/c.xml', body(rss([
      { guid: 'c-1', link: 'https://huyen.example.vn/c-1.html', a: { title: 'Tin huyện', body: body1 } },
      { guid: 'c-2', link: 'https://huyen.example.vn/c-2.html', a: { title: 'Tin huyện (đăng lại)', body: `${body1}<p>Nguồn: Huyện</p>` } },
    ])));
    await database.db.insertInto('sources').values({ id: 'huyen', name: 'Huyện', url: `${origin.url}/c.xml`, kind: 'auto', schedule: '*/5 * * * *', full_text: false, enabled: true }).execute();
    expect((await editor('POST', '/api/v1/sources/huyen/poll')).body.data).to.deep.equal({ new: 2, updated: 0, unchanged: 0, failed: 0 });
    const all = await stories();
    const first = all.find((s) => s.guid === 'c-1')!;
    const second = all.find((s) => s.guid === 'c-2')!;
    expect(first.duplicateOf).to.equal(null);
    expect(second.duplicateOf).to.equal(first.id);
    expect((await editor('GET', `/api/v1/stories/${second.id}/translations`)).body.data).to.have.length(0);
  });

  it('updates a changed story, records the revision with its diff, and outdates its translations', async () => {
    const changed: Article = { title: `${articles.original.title} (cập nhật)`, body: articles.original.body.replace('giai đoạn 2026–2030', 'giai đoạn 2026–2035') };
    origin.routes.set('/a.xml', body(rss([{ guid: 'a-1', link: 'https://trung-uong.example.vn/a-1.html', a: changed }])));
    expect((await editor('POST', '/api/v1/sources/trung-uong/poll')).body.data).to.deep.equal({ new: 0, updated: 1, unchanged: 0, failed: 0 });
    const story = (await stories()).find((s) => s.guid === 'a-1')!;
    expect(story.version).to.equal(2);
    expect(story.title).to.equal(changed.title);
    const translations = (await editor('GET', `/api/v1/stories/${story.id}/translations`)).body.data;
    expect(translations.map((t: { state: string }) => t.state)).to.deep.equal(['outdated', 'outdated']);
    const revisions = (await editor('GET', `/api/v1/stories/${story.id}/revisions`)).body.data;
    expect(revisions.map((r: { version: number }) => r.version)).to.deep.equal([2, 1]);
    expect(revisions[0].titleChanges.filter((c: { added?: boolean }) => c.added).map((c: { value: string }) => c.value.trim())).to.deep.equal(['(cập nhật)']);
    expect(revisions[0].bodyPatch).to.match(/^-.*giai đoạn 2026–2030/m);
    expect(revisions[0].bodyPatch).to.match(/^\+.*giai đoạn 2026–2035/m);
    expect((await editor('GET', '/api/v1/stories/999999/revisions')).status).to.equal(404);
  });
});
