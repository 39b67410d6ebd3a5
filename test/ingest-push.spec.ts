/** POST /api/v1/stories: a story given by a person or a system, stored like a polled one. */
import { expect } from 'chai';
import type { Service } from '../src/service.ts';
import { acceptStory } from '../src/ingest/push.ts';
import { storyRouter } from '../src/ingest/routing.ts';
import { recentIngestErrors } from '../src/store/sources.ts';
import { getStory } from '../src/ingest/stories.ts';
import { createToken } from '../src/store/tokens.ts';
import { testLogger } from './support/logger.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { apiClient, startTestService, writeTestConfig } from './support/service.ts';

describe('ingest: pushed stories', function () {
  this.timeout(30_000);
  let database: TestDatabase;
  let service: Service;
  let editor: ReturnType<typeof apiClient>;
  let translator: ReturnType<typeof apiClient>;

  before(async () => {
    database = await freshDatabase();
    const config = writeTestConfig({ audiences: [{ id: 'en', language: 'en', provider: 'manual' }, { id: 'lo', language: 'lo', provider: 'manual' }] });
    service = await startTestService(config, database);
    editor = apiClient(service.url, await createToken(database.db, 'lan', 'editor'));
    translator = apiClient(service.url, await createToken(database.db, 'thu', 'translator'));
  });
  after(async () => {
    await service?.close();
    await database?.close();
  });

  const nfdTitle = 'Bộ Ngoại giao thông tin về bảo hộ công dân'.normalize('NFD');

  it('stores a pushed story sanitized and in NFC, with its translations', async () => {
    const res = await editor('POST', '/api/v1/stories', {
      id: 'ttxvn-0001',
      title: nfdTitle,
      summary: 'Người phát ngôn trả lời câu hỏi của phóng viên.'.normalize('NFD'),
      bodyHtml: '<p onclick="steal()">Đoạn một <a href="javascript:alert(1)">xấu</a> <a href="https://baoquocte.vn/a">tốt</a>.</p><script>alert(1)</script><iframe src="https://x"></iframe>',
      url: 'https://baoquocte.vn/bao-ho-cong-dan-1',
      publishedAt: '2026-11-27 08:30',
      images: ['https://baoquocte.vn/anh.jpg'],
      category: 'Đối ngoại',
      priority: true,
      attribution: 'Theo TTXVN',
    });
    expect(res.status).to.equal(201);
    const story = res.body.data;
    expect(story.outcome).to.equal('new');
    expect(story.title).to.equal(nfdTitle.normalize('NFC'));
    expect(story.title).to.not.equal(nfdTitle);
    expect(story.summary).to.equal('Người phát ngôn trả lời câu hỏi của phóng viên.');
    expect(story.bodyHtml).to.equal('<p>Đoạn một <a>xấu</a> <a href="https://baoquocte.vn/a">tốt</a>.</p>');
    expect(story.publishedAt).to.equal('2026-11-27T01:30:00.000Z');
    expect(story.priority).to.equal(true);
    expect(story.attribution).to.equal('Theo TTXVN');
    expect(story.imageUrl).to.equal('https://baoquocte.vn/anh.jpg');
    expect(story.sourceId).to.equal(null);
    const translations = await translator('GET', `/api/v1/stories/${story.id}/translations`);
    expect(translations.body.data.map((t: { audience: string; state: string }) => `${t.audience}:${t.state}`)).to.deep.equal(['en:queued', 'lo:queued']);
  });

  it('updates the same story when the same id is pushed again, with a revision and outdated translations', async () => {
    const first = await editor('GET', '/api/v1/stories?limit=10');
    const storyId = first.body.data.find((s: { guid: string }) => s.guid === 'push:ttxvn-0001').id;
    const again = await editor('POST', '/api/v1/stories', { id: 'ttxvn-0001', title: nfdTitle, bodyHtml: '<p>Đoạn một, đã sửa.</p>', url: 'https://baoquocte.vn/bao-ho-cong-dan-1' });
    expect(again.status).to.equal(200);
    expect(again.body.data.outcome).to.equal('updated');
    expect(again.body.data.id).to.equal(storyId);
    expect(again.body.data.version).to.equal(2);
    const translations = await translator('GET', `/api/v1/stories/${storyId}/translations`);
    expect(translations.body.data.map((t: { state: string }) => t.state)).to.deep.equal(['outdated', 'outdated']);
    const revisions = await translator('GET', `/api/v1/stories/${storyId}/revisions`);
    expect(revisions.body.data.map((r: { version: number }) => r.version)).to.deep.equal([2, 1]);
    expect(revisions.body.data[0].bodyPatch).to.contain('+<p>Đoạn một, đã sửa.</p>');
    expect(revisions.body.data[0].bodyPatch).to.contain('-<p>Đoạn một');
    expect(revisions.body.data[1].bodyPatch).to.equal(null);
    const unchanged = await editor('POST', '/api/v1/stories', { id: 'ttxvn-0001', title: nfdTitle, bodyHtml: '<p>Đoạn một, đã sửa.</p>', url: 'https://baoquocte.vn/bao-ho-cong-dan-1' });
    expect(unchanged.body.data.outcome).to.equal('unchanged');
  });

  it('refuses bad input with a readable 400 and stores nothing', async () => {
    const before = (await editor('GET', '/api/v1/stories?limit=200')).body.data.length;
    const cases: [unknown, RegExp][] = [
      [{ title: '', bodyHtml: '<p>x</p>' }, /title/],
      [{ title: '<script>alert(1)</script>', bodyHtml: '<p>x</p>' }, /empty title/],
      [{ title: 'Tin', bodyHtml: '<p>x</p>', publishedAt: '32/13/2026' }, /publishedAt.*not a date/],
      [{ title: 'Tin', bodyHtml: '<p>x</p>', url: 'javascript:alert(1)' }, /url/],
      [{ title: 'Tin', bodyHtml: '<p>x</p>', images: ['file:///etc/passwd'] }, /images/],
      [{ title: 'Tin' }, /summary or a body/],
      [{ title: 'Tin', body: 'unknown key' }, /body|unrecognized/i],
    ];
    for (const [input, message] of cases) {
      const res = await editor('POST', '/api/v1/stories', input);
      expect(res.status, JSON.stringify(input)).to.equal(400);
      expect(res.body.error.code).to.equal('invalid_input');
      expect(res.body.error.message).to.match(message);
    }
    expect((await editor('GET', '/api/v1/stories?limit=200')).body.data.length).to.equal(before);
  });

  it('keeps a stored story when handing it on fails, and records why', async () => {
    const audiences = [{ id: 'en', language: 'en', provider: 'manual' as const, timeZone: 'UTC', feedTitleKey: 'feeds:title', feedDescriptionKey: 'feeds:description' }];
    const deps = { db: database.db, log: testLogger, clock: () => new Date(), audiences, route: storyRouter(audiences), onStoryReady: () => { throw new Error('translation queue unavailable'); } };
    const { outcome, story } = await acceptStory(deps, { id: 'handoff-1', title: 'Tin', bodyHtml: '<p>Nội dung</p>' }, 'test');
    expect(outcome).to.equal('new');
    expect(await getStory(database.db, story.id)).to.not.equal(undefined);
    const [error] = await recentIngestErrors(database.db, { storyId: story.id });
    expect(error).to.include({ code: 'handoff_failed', message: 'the story was stored but could not be handed on: translation queue unavailable' });
  });

  it('answers the same story pushed many times at once with one 201 and 200s naming the same story', async () => {
    // Several rounds of 12 simultaneous pushes: without serialising the lookup, every round but a lucky
    // one has two inserts racing into the unique (source, guid) index and a 500.
    for (let round = 0; round < 4; round++) {
      const story = { id: `race-${round}`, title: `Tin đẩy cùng lúc ${round}`, bodyHtml: `<p>Nội dung ${round}</p>`, url: `https://baoquocte.vn/cung-luc-${round}` };
      const answers = await Promise.all(Array.from({ length: 12 }, () => editor('POST', '/api/v1/stories', story)));
      expect(answers.map((a) => a.status).sort(), JSON.stringify(answers.find((a) => a.status >= 500)?.body)).to.deep.equal([200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
      const ids = new Set(answers.map((a) => a.body.data.id));
      expect(ids.size).to.equal(1);
      expect(answers.filter((a) => a.body.data.outcome === 'new')).to.have.length(1);
      const translations = await translator('GET', `/api/v1/stories/${[...ids][0]}/translations`);
      expect(translations.body.data.map((t: { audience: string }) => t.audience)).to.deep.equal(['en', 'lo']);
    }
    // the same URL under two ids at once is still one story (the URL is the second key a story is known by)
    const [a, b] = await Promise.all([
      editor('POST', '/api/v1/stories', { id: 'race-url-a', title: 'Tin cùng địa chỉ', bodyHtml: '<p>Một</p>', url: 'https://baoquocte.vn/cung-dia-chi' }),
      editor('POST', '/api/v1/stories', { id: 'race-url-b', title: 'Tin cùng địa chỉ', bodyHtml: '<p>Một</p>', url: 'https://baoquocte.vn/cung-dia-chi' }),
    ]);
    expect([a!.status, b!.status].sort()).to.deep.equal([200, 201]);
    expect(a!.body.data.id).to.equal(b!.body.data.id);
  });

  it('needs the editor role', async () => {
    const res = await translator('POST', '/api/v1/stories', { title: 'Tin', bodyHtml: '<p>x</p>' });
    expect(res.status).to.equal(403);
  });
});
