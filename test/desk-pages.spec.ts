/**
 * The newsroom's pages in the desk, through the whole service: sources (a preview of what a URL
 * yields before saving, health, poll now, recent stories), the story page and its actions
 * (translate again, withdraw with a reason, embargo in the person's zone), search with and
 * without diacritics and the archive, the audit trail with its filters, and partners.
 */
import { expect } from 'chai';
import type { Service } from '../src/service.ts';
import { createToken } from '../src/store/tokens.ts';
import { createUser } from '../src/store/users.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { draft, password, people } from './support/review-fixtures.ts';
import { apiClient, sampleFeed, serveOnLoopback, startTestService, writeTestConfig, type Loopback } from './support/service.ts';
import { WebSession } from './support/web-session.ts';

const now = new Date('2026-11-27T08:00:00Z');

describe('desk: sources, stories, search, audit and partners', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let service: Service;
  let feed: Loopback;
  let admin: WebSession;
  let lan: WebSession;

  before(async () => {
    database = await freshDatabase();
    feed = await serveOnLoopback({ '/rss': { body: sampleFeed() }, '/page': { body: '<!doctype html><title>x</title><p>not a feed</p>', type: 'text/html' } });
    service = await startTestService(writeTestConfig({ audiences: [{ id: 'en', language: 'en', provider: 'manual' }, { id: 'fr', language: 'fr', provider: 'manual' }] }), database, () => now);
    await people(database.db);
    await createUser(database.db, { username: 'an', displayName: 'An', role: 'admin', password, locale: 'en' });
    admin = new WebSession(service.url);
    expect((await admin.login('an', password)).status).to.equal(303);
    lan = new WebSession(service.url);
    expect((await lan.login('lan', password)).status).to.equal(303);
  });
  after(async () => {
    await service?.close();
    await feed?.close();
    await database?.close();
  });

  it('leads / to the desk while nothing is public yet (a new installation)', async () => {
    const res = await fetch(`${service.url}/`, { redirect: 'manual' });
    expect(res.status).to.equal(303);
    expect(res.headers.get('location')).to.equal('/ui/');
  });

  describe('sources', () => {
    it('previews what a URL yields before saving, then adds the source', async () => {
      await admin.get('/ui/sources/new');
      const form = { id: 'tuyen-giao', name: 'Tuyên giáo tỉnh', url: `${feed.url}/rss`, kind: 'auto', schedule: '*/10 * * * *' };
      const preview = await admin.post('/ui/sources', { ...form, action: 'preview' });
      expect(preview.status, preview.text.slice(0, 500)).to.equal(200);
      expect(preview.text).to.contain('The address gives 5 items (RSS). The first:');
      expect(preview.text).to.contain('Người phát ngôn Bộ Ngoại giao thông tin về công tác bảo hộ công dân dịp cuối năm 2026');
      expect(await database.db.selectFrom('sources').select('id').where('id', '=', 'tuyen-giao').executeTakeFirst(), 'nothing saved by a preview').to.equal(undefined);
      const added = await admin.post('/ui/sources', { ...form, action: 'save' });
      expect(added.status).to.equal(303);
      expect(added.location).to.equal('/ui/sources/tuyen-giao');
    });

    it('says what is wrong with an address that is not a feed, in a sentence', async () => {
      await admin.get('/ui/sources/new');
      const page = await admin.post('/ui/sources', { id: 'bad', name: 'Bad', url: `${feed.url}/page`, kind: 'auto', schedule: '*/5 * * * *', action: 'preview' });
      expect(page.status).to.equal(422);
      expect(page.text).to.contain('This address cannot be used as it is').and.contain('HTML page, not a feed');
      const bad = await admin.post('/ui/sources', { id: 'Bad Id', name: 'Bad', url: 'ftp://x', kind: 'auto', schedule: '*/5 * * * *', action: 'save' });
      expect(bad.status).to.equal(400);
      expect(bad.text).to.contain('The id must be lower-case letters, digits and dashes.');
    });

    it('polls now, then shows the health and the recent stories; editors see it, only admins change it', async () => {
      await lan.get('/ui/sources/tuyen-giao');
      const polled = await lan.post('/ui/sources/tuyen-giao/poll');
      expect(polled.status).to.equal(303);
      const page = await lan.get('/ui/sources/tuyen-giao');
      expect(page.text).to.contain('Polled: 5 new, 0 changed, 0 unchanged, 0 refused.');
      expect(page.text).to.contain('Kinh tế tỉnh 10 tháng năm 2026 duy trì đà tăng trưởng');
      expect(page.text).not.to.contain('Change this source');
      const list = await lan.get('/ui/sources');
      expect(list.text).to.match(/<span class="state s-active">Working<\/span>/);
      expect((await lan.post('/ui/sources/tuyen-giao', { name: 'x', url: `${feed.url}/rss`, schedule: '*/5 * * * *' })).status).to.equal(403);
      await admin.get('/ui/sources/tuyen-giao');
      expect((await admin.post('/ui/sources/tuyen-giao/enabled', { enabled: 'false' })).status).to.equal(303);
      expect((await database.db.selectFrom('sources').select('enabled').where('id', '=', 'tuyen-giao').executeTakeFirstOrThrow()).enabled).to.equal(false);
    });
  });

  describe('search and archive', () => {
    it('finds a story by words typed without diacritics, and by a translation in its own language', async () => {
      const page = await lan.get(`/ui/search?q=${encodeURIComponent('bao ho cong dan')}`);
      expect(page.status).to.equal(200);
      expect(page.text).to.contain('Người phát ngôn Bộ Ngoại giao thông tin về công tác bảo hộ công dân dịp cuối năm 2026');
      expect(page.text).not.to.contain('Lãnh đạo tỉnh tiếp đoàn doanh nghiệp Hàn Quốc');
      const story = await database.db.selectFrom('stories').select('id').where('title', 'like', 'Lãnh đạo tỉnh%').executeTakeFirstOrThrow();
      await database.db.updateTable('translations').set({ title: 'Provincial leaders receive Korean business delegations' }).where('story_id', '=', story.id).where('audience_id', '=', 'en').execute();
      const english = await lan.get('/ui/search?q=delegation');
      expect(english.text, 'stemmed: delegation ~ delegations').to.contain('Lãnh đạo tỉnh tiếp đoàn doanh nghiệp Hàn Quốc');
      const quoted = await lan.get(`/ui/search?q=${encodeURIComponent('"Hàn Quốc"')}&audience=fr`);
      expect(quoted.text).to.contain('No story matches.');
    });

    it('is the archive of a source or a day without words, and a translator sees only their languages', async () => {
      const archive = await lan.get('/ui/search?source=tuyen-giao');
      expect((archive.text.match(/<li>\s*<h2 class="result-title">/g) ?? []).length).to.equal(5);
      const thu = new WebSession(service.url);
      await thu.login('thu', password);
      const page = await thu.get('/ui/search?q=cong+dan');
      expect(page.text).to.contain('/ui/translations/').and.not.match(/>fr<\/a> <span class="state/);
    });
  });

  describe('a story and its translations', () => {
    let storyId: number;
    let translationId: number;
    before(async () => {
      translationId = await draft(database.db, { guid: 'actions' });
      storyId = (await database.db.selectFrom('translations').select('story_id').where('id', '=', translationId).executeTakeFirstOrThrow()).story_id;
    });

    it('sets an embargo in the person’s time zone, refuses one in the past, and clears it', async () => {
      await lan.get(`/ui/translations/${translationId}`);
      expect((await lan.post(`/ui/translations/${translationId}/embargo`, { until: '2026-11-27T20:00' })).status).to.equal(303);
      const row = await database.db.selectFrom('translations').select('embargo_until').where('id', '=', translationId).executeTakeFirstOrThrow();
      expect(row.embargo_until!.toISOString(), '20:00 in Hanoi is 13:00 UTC').to.equal('2026-11-27T13:00:00.000Z');
      expect((await lan.get(`/ui/translations/${translationId}`)).text).to.contain('Embargo set: public from 27 Nov 2026, 20:00 (Asia/Ho_Chi_Minh).');
      await lan.post(`/ui/translations/${translationId}/embargo`, { until: '2026-11-27T10:00' });
      expect((await lan.get(`/ui/translations/${translationId}`)).text).to.contain('An embargo must end in the future.');
      await lan.post(`/ui/translations/${translationId}/embargo`, { clear: '1' });
      expect((await database.db.selectFrom('translations').select('embargo_until').where('id', '=', translationId).executeTakeFirstOrThrow()).embargo_until).to.equal(null);
    });

    it('shows the story with its translations and their public pages; withdraws one with a reason', async () => {
      // one token submits, another approves (four eyes)
      const api = apiClient(service.url, await createToken(database.db, 'desk-test', 'editor'));
      const approver = apiClient(service.url, await createToken(database.db, 'desk-test-approver', 'editor'));
      const submitted = await api('POST', `/api/v1/translations/${translationId}/submit`);
      expect(submitted.status).to.equal(200);
      expect((await approver('POST', `/api/v1/translations/${translationId}/approve`, { version: submitted.body.data.version })).status).to.equal(200);
      const story = await lan.get(`/ui/stories/${storyId}`);
      expect(story.text).to.contain(`href="http://localhost:3000/read/en/${translationId}">View the public page</a>`);
      await lan.get(`/ui/translations/${translationId}`);
      const noReason = await lan.post(`/ui/translations/${translationId}/withdraw`, { reason: ' ' });
      expect(noReason.status).to.equal(303);
      expect((await lan.get(`/ui/translations/${translationId}`)).text).to.contain('A withdrawal needs a reason.');
      await lan.post(`/ui/translations/${translationId}/withdraw`, { reason: 'The ministry retracted the statement.' });
      const row = await database.db.selectFrom('translations').select('state').where('id', '=', translationId).executeTakeFirstOrThrow();
      expect(row.state).to.equal('withdrawn');
      expect((await fetch(`${service.url}/read/en/${translationId}`)).status).to.equal(410);
      expect((await lan.get(`/ui/translations/${translationId}`)).text).to.contain('Withdrawn: the translation has left every feed.');
    });

    it('translates a story again from its page', async () => {
      await lan.get(`/ui/stories/${storyId}`);
      const again = await lan.post(`/ui/stories/${storyId}/translate`);
      expect(again.status).to.equal(303);
      expect((await lan.get(`/ui/stories/${storyId}`)).text).to.match(/\d+ drafts? went back to machine translation\.|0 drafts went back/);
    });
  });

  describe('audit trail and partners', () => {
    it('lists who did what, filtered by person and story, linking to what changed', async () => {
      const translation = await database.db.selectFrom('translations').select(['id', 'story_id']).where('state', '=', 'withdrawn').executeTakeFirstOrThrow();
      let page = await lan.get(`/ui/audit?actor=lan&story=${translation.story_id}`);
      for (let i = 0; i < 20 && !page.text.includes('/withdraw'); i++) page = await lan.get(`/ui/audit?actor=lan&story=${translation.story_id}`);
      expect(page.text).to.contain('<code>POST /ui/translations/:id/withdraw</code>');
      expect(page.text).to.contain(`<a href="/ui/translations/${translation.id}"><code>/ui/translations/${translation.id}/withdraw</code></a>`);
      expect(page.text).not.to.contain('/ui/sources/tuyen-giao/poll');
      const translator = new WebSession(service.url);
      await translator.login('thu', password);
      expect((await translator.get('/ui/audit')).status).to.equal(403);
    });

    it('adds a partner, makes a token shown once, and revokes it', async () => {
      await admin.get('/ui/partners');
      expect((await admin.post('/ui/partners', { name: 'Báo Đối Tác', audiences: 'en' })).status).to.equal(303);
      const taken = await admin.post('/ui/partners', { name: 'Báo Đối Tác', audiences: 'en' });
      expect(taken.status).to.equal(409);
      expect(taken.text).to.contain('There is already a partner named “Báo Đối Tác”.');
      const partner = await database.db.selectFrom('partners').select('id').executeTakeFirstOrThrow();
      const made = await admin.post(`/ui/partners/${partner.id}/tokens`);
      const token = /<p class="secret" id="new-token">(dnp_[\w-]+)<\/p>/.exec(made.text)![1]!;
      expect((await fetch(`${service.url}/partner/feeds/en/rss.xml?token=${token}`)).status).to.equal(200);
      const list = await admin.get('/ui/partners');
      expect(list.text).not.to.contain(token);
      expect(list.text).to.contain('1 feed request in all');
      const tokenRow = await database.db.selectFrom('partner_tokens').select('id').executeTakeFirstOrThrow();
      await admin.post(`/ui/partners/${partner.id}/tokens/${tokenRow.id}/revoke`);
      expect((await fetch(`${service.url}/partner/feeds/en/rss.xml?token=${token}`)).status).to.equal(401);
    });
  });
});
