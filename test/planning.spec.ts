/**
 * Planning, in the API and on the desk's page: a planning audience spends nothing until an editor
 * chooses; choices one by one and in bulk; skipping; a story's priority raised after ingestion;
 * a whole story taken down in every audience; one audience translated again. Through deepl-node
 * against the DeepL test server, on a real PostgreSQL.
 */
import { expect } from 'chai';
import type { Service } from '../src/service.ts';
import { createToken } from '../src/store/tokens.ts';
import { createUser } from '../src/store/users.ts';
import { startDeepLTestServer, type DeepLTestServer } from './support/deepl-server.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { apiClient, startTestService, writeTestConfig } from './support/service.ts';
import { translateRequests } from './support/translate.ts';
import { WebSession } from './support/web-session.ts';

const password = 'correct horse battery staple';

describe('planning which audiences translate a story', function () {
  this.timeout(40_000);
  let deepl: DeepLTestServer;
  let database: TestDatabase;
  let service: Service;
  let editor: ReturnType<typeof apiClient>;
  let translator: ReturnType<typeof apiClient>;

  before(async () => {
    deepl = await startDeepLTestServer();
    database = await freshDatabase();
    const config = writeTestConfig({
      audiences: [
        { id: 'en', language: 'en', provider: 'deepl', targetCode: 'EN-GB', routing: { mode: 'planning' } },
        { id: 'fr', language: 'fr', provider: 'deepl', targetCode: 'FR', routing: { mode: 'planning', take: [{ name: 'Laos', regions: ['Lào'] }] } },
        { id: 'lo', language: 'lo', provider: 'manual', routing: { mode: 'planning' } },
      ],
      translation: { retry: { baseDelayMs: 5, maxAttempts: 3 } },
      review: { fourEyes: true },
    }, { DEEPL_AUTH_KEY: 'test-key', DEEPL_SERVER_URL: deepl.url });
    service = await startTestService(config, database);
    // the test provider's drafts are not translations of their stories: this token skips the QA gate, and says so
    editor = apiClient(service.url, await createToken(database.db, 'lan', 'editor', undefined, { qaBypass: true }));
    translator = apiClient(service.url, await createToken(database.db, 'thu', 'translator'));
    await createUser(database.db, { username: 'hoa', displayName: 'Hoa', role: 'editor', password, locale: 'vi' });
  });
  after(async () => {
    await service?.close();
    await database?.close();
    await deepl?.close();
  });
  beforeEach(() => deepl.reset());

  const push = async (id: string, title: string, extra: Record<string, unknown> = {}) => {
    const res = await editor('POST', '/api/v1/stories', { id, title, summary: 'Tóm tắt.', bodyHtml: `<p>${title}.</p>`, ...extra });
    expect(res.status).to.equal(201);
    await service.settled();
    return res.body.data.id as number;
  };
  const cellsOf = async (storyId: number) => {
    const page = await editor('GET', '/api/v1/planning?waiting=false&limit=200');
    const story = page.body.data.find((s: { id: number }) => s.id === storyId);
    return Object.fromEntries(story.audiences.map((c: { audience: string; status: string; translation: { state: string } | null }) => [c.audience, c.translation ? c.translation.state : c.status]));
  };
  const targets = () => translateRequests(deepl).map((r) => r.params.target_lang!.toUpperCase()).sort();

  it('spends nothing until an editor chooses, then translates for the chosen audience only', async () => {
    const storyId = await push('plan-a', 'Hợp tác giáo dục với Lào');
    expect(targets()).to.deep.equal([]);
    const waiting = await editor('GET', '/api/v1/planning');
    const story = waiting.body.data.find((s: { id: number }) => s.id === storyId);
    expect(story.length).to.equal('Hợp tác giáo dục với Lào'.length * 2 + 1 + 'Tóm tắt.'.length);
    expect(story.audiences.map((c: { audience: string; status: string; cost: number; route: { rule: string } }) => `${c.audience} ${c.status} ${c.cost} ${c.route.rule}`))
      .to.deep.equal([`en waiting ${story.length} everything`, `fr waiting ${story.length} take:Laos`, 'lo waiting 0 everything']);
    expect(await translator('GET', '/api/v1/planning'), 'planning is for editors').to.have.property('status', 403);

    const chosen = await editor('POST', `/api/v1/stories/${storyId}/routes/fr`, { choice: 'take' });
    expect(chosen.body.data).to.deep.equal({ storyId, audience: 'fr', changed: true });
    await service.settled();
    expect(targets()).to.deep.equal(['FR']);
    expect(await cellsOf(storyId)).to.deep.equal({ en: 'waiting', fr: 'machine_translated', lo: 'waiting' });
    const again = await editor('POST', `/api/v1/stories/${storyId}/routes/fr`, { choice: 'take' });
    expect(again.body.data.changed, 'choosing twice changes nothing').to.equal(false);
    const routes = await editor('GET', `/api/v1/stories/${storyId}/routes`);
    expect(routes.body.data.find((r: { audience: string }) => r.audience === 'fr')).to.include({ choice: 'take', rule: 'person', decidedBy: 'token:lan' });
  });

  it('applies bulk choices, and skips a translation nobody has started but not one already drafted', async () => {
    const a = await push('plan-b', 'Tin thứ nhất về thương mại');
    const b = await push('plan-c', 'Tin thứ hai về đầu tư');
    const bulk = await editor('POST', '/api/v1/planning/choices', { choices: [
      { storyId: a, audience: 'en', choice: 'take' }, { storyId: b, audience: 'en', choice: 'take' },
      { storyId: a, audience: 'lo', choice: 'take' }, { storyId: b, audience: 'fr', choice: 'skip' },
    ] });
    expect(bulk.status).to.equal(200);
    await service.settled();
    expect(targets()).to.deep.equal(['EN-GB', 'EN-GB']);
    expect(await cellsOf(a)).to.deep.equal({ en: 'machine_translated', fr: 'skipped', lo: 'queued' });
    expect(await cellsOf(b)).to.deep.equal({ en: 'machine_translated', fr: 'skipped', lo: 'waiting' });
    // nothing written yet in the person-translated audience: skipping removes it from the queue
    expect((await editor('POST', `/api/v1/stories/${a}/routes/lo`, { choice: 'skip' })).body.data.changed).to.equal(true);
    expect(await cellsOf(a)).to.deep.include({ lo: 'skipped' });
    const queue = await translator('GET', '/api/v1/translations?audience=lo');
    expect(queue.body.data.map((t: { storyId: number }) => t.storyId)).to.not.include(a);
    const refused = await editor('POST', `/api/v1/stories/${a}/routes/en`, { choice: 'skip' });
    expect(refused.status).to.equal(409);
    expect(refused.body.error.message).to.match(/take the story down/);
    const unknown = await editor('POST', `/api/v1/stories/${a}/routes/xx`, { choice: 'take' });
    expect(unknown.status).to.equal(400);
  });

  it('raising a story\'s priority sends it to every audience at once', async () => {
    const storyId = await push('plan-d', 'Thông cáo báo chí khẩn');
    expect(targets()).to.deep.equal([]);
    const res = await editor('PUT', `/api/v1/stories/${storyId}/priority`, { priority: true });
    expect(res.body.data.taken).to.deep.equal(['en', 'fr', 'lo']);
    await service.settled();
    expect(targets()).to.deep.equal(['EN-GB', 'FR']);
    expect((await editor('GET', `/api/v1/stories/${storyId}`)).body.data.priority).to.equal(true);
  });

  it('takes a whole story down in every audience with a reason, feeds included', async () => {
    const storyId = await push('plan-e', 'Tin cần gỡ');
    await editor('POST', '/api/v1/planning/choices', { choices: [{ storyId, audience: 'en', choice: 'take' }, { storyId, audience: 'fr', choice: 'take' }] });
    await service.settled();
    const translations = (await translator('GET', `/api/v1/stories/${storyId}/translations`)).body.data;
    const en = translations.find((t: { audience: string }) => t.audience === 'en');
    expect((await translator('POST', `/api/v1/translations/${en.id}/submit`)).status).to.equal(200);
    expect((await editor('POST', `/api/v1/translations/${en.id}/approve`, { version: en.version })).status).to.equal(200);
    await service.settled();
    const feed = () => fetch(`${service.url}/feeds/en/rss.xml`).then((r) => r.text());
    expect(await feed()).to.contain(`/read/en/${en.id}`);
    expect((await editor('POST', `/api/v1/stories/${storyId}/withdraw`, {})).status, 'a takedown needs a reason').to.equal(400);
    const down = await editor('POST', `/api/v1/stories/${storyId}/withdraw`, { reason: 'Sai số liệu' });
    expect(down.body.data).to.deep.equal({ storyId, withdrawn: 2 });
    await service.settled();
    expect(await cellsOf(storyId)).to.deep.equal({ en: 'withdrawn', fr: 'withdrawn', lo: 'skipped' });
    expect(await feed()).to.not.contain(`/read/en/${en.id}`);
    const history = await translator('GET', `/api/v1/translations/${en.id}/history`);
    expect(JSON.stringify(history.body.data)).to.contain('Sai số liệu');
    const retake = await editor('POST', `/api/v1/stories/${storyId}/routes/en`, { choice: 'take' });
    expect(retake.status).to.equal(409);
  });

  it('translates one audience again, leaving the others as they are', async () => {
    const storyId = await push('plan-f', 'Tin dịch lại');
    await editor('POST', '/api/v1/planning/choices', { choices: [{ storyId, audience: 'en', choice: 'take' }, { storyId, audience: 'fr', choice: 'take' }] });
    await service.settled();
    deepl.reset();
    const res = await editor('POST', `/api/v1/stories/${storyId}/translate`, { audience: 'fr' });
    expect(res.body.data.queued).to.equal(1);
    await service.settled();
    const reasons = async (audience: string) => {
      const t = (await translator('GET', `/api/v1/stories/${storyId}/translations`)).body.data.find((x: { audience: string }) => x.audience === audience);
      const history = (await translator('GET', `/api/v1/translations/${t.id}/history`)).body.data;
      return { state: t.state, again: JSON.stringify(history).includes('translate again') };
    };
    expect(await reasons('fr')).to.deep.equal({ state: 'machine_translated', again: true });
    expect(await reasons('en')).to.deep.equal({ state: 'machine_translated', again: false });
  });

  it('embargoes a story in every audience, those chosen later too, and leaves a public translation as it is', async () => {
    const storyId = await push('plan-emb', 'Tin cấm đăng ở mọi nơi');
    await editor('POST', '/api/v1/planning/choices', { choices: [{ storyId, audience: 'en', choice: 'take' }] });
    await service.settled();
    expect((await editor('PUT', `/api/v1/stories/${storyId}/embargo`, { until: '2020-01-01T00:00:00Z' })).status, 'an embargo in the past').to.equal(400);
    const set = await editor('PUT', `/api/v1/stories/${storyId}/embargo`, { until: '2099-01-01T08:00:00+07:00' });
    expect(set.status).to.equal(200);
    expect(set.body.data).to.deep.include({ storyId, embargoed: ['en'], public: [] });
    // fr, chosen after the embargo, starts under it
    await editor('POST', `/api/v1/stories/${storyId}/routes/fr`, { choice: 'take' });
    await service.settled();
    const embargoes = async () => Object.fromEntries((await translator('GET', `/api/v1/stories/${storyId}/translations`)).body.data
      .map((t: { audience: string; embargoUntil: string | null }) => [t.audience, t.embargoUntil]));
    expect(await embargoes()).to.deep.equal({ en: '2099-01-01T01:00:00.000Z', fr: '2099-01-01T01:00:00.000Z' });
    expect((await editor('GET', '/api/v1/planning?waiting=false&limit=200')).body.data.find((s: { id: number }) => s.id === storyId).embargoUntil).to.equal('2099-01-01T01:00:00.000Z');
    // approved under the embargo: not in the public feed; lifted everywhere: public at once
    const en = (await translator('GET', `/api/v1/stories/${storyId}/translations`)).body.data.find((t: { audience: string }) => t.audience === 'en');
    expect((await translator('POST', `/api/v1/translations/${en.id}/submit`)).status).to.equal(200);
    expect((await editor('POST', `/api/v1/translations/${en.id}/approve`, { version: en.version })).status).to.equal(200);
    await service.settled();
    const feed = () => fetch(`${service.url}/feeds/en/rss.xml`).then((r) => r.text());
    expect(await feed()).to.not.contain(`/read/en/${en.id}`);
    const lifted = await editor('PUT', `/api/v1/stories/${storyId}/embargo`, { until: null });
    expect(lifted.body.data).to.deep.include({ embargoed: ['en', 'fr'], public: [] });
    await service.settled();
    expect(await feed()).to.contain(`/read/en/${en.id}`);
    expect(await embargoes()).to.deep.equal({ en: null, fr: null });
    // now public: a new embargo leaves it as it is and says so
    const again = await editor('PUT', `/api/v1/stories/${storyId}/embargo`, { until: '2099-01-01T08:00:00+07:00' });
    expect(again.body.data).to.deep.include({ embargoed: ['fr'], public: ['en'] });
    expect(await feed()).to.contain(`/read/en/${en.id}`);
  });

  it('embargoes a story from the planning page at a time typed in the editor\'s time zone', async () => {
    const storyId = await push('plan-emb-ui', 'Tin cấm đăng trên trang kế hoạch');
    await editor('POST', '/api/v1/planning/choices', { choices: [{ storyId, audience: 'lo', choice: 'take' }] });
    const s = new WebSession(service.url, { 'accept-language': 'vi' });
    await s.login('hoa', password);
    const page = await s.get('/ui/planning?show=all');
    expect(page.text).to.contain(`action="/ui/planning/${storyId}/embargo"`).and.contain('Cấm đăng ở mọi nơi');
    const bad = await s.post(`/ui/planning/${storyId}/embargo`, { until: 'ngày mai', back: '/ui/planning?show=all' });
    expect(bad.status).to.equal(303);
    expect((await s.get('/ui/planning?show=all')).text).to.contain('Lệnh cấm cần có ngày và giờ.');
    const res = await s.post(`/ui/planning/${storyId}/embargo`, { until: '2099-03-01T09:30', back: '/ui/planning?show=all' });
    expect(res.status).to.equal(303);
    const after = await s.get('/ui/planning?show=all');
    expect(after.text).to.contain('Đã đặt lệnh cấm đăng đến').and.contain('cho 1 bản dịch');
    const story = await database.db.selectFrom('stories').select('embargo_until').where('id', '=', storyId).executeTakeFirstOrThrow();
    expect(story.embargo_until!.toISOString(), 'a time in Asia/Ho_Chi_Minh (UTC+7)').to.equal('2099-03-01T02:30:00.000Z');
  });

  it('does the same on the desk\'s planning page, in the editor\'s language', async () => {
    const storyId = await push('plan-g', 'Hội chợ thương mại Việt – Lào');
    const s = new WebSession(service.url, { 'accept-language': 'vi' });
    await s.login('hoa', password);
    const page = await s.get('/ui/planning');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Kế hoạch').and.contain('Hội chợ thương mại Việt – Lào').and.contain('Đang chờ chọn');
    expect(page.text).to.contain(`action="/ui/planning/${storyId}/route"`);
    const chosen = await s.post(`/ui/planning/${storyId}/route`, { pick: 'take en', back: '/ui/planning?show=waiting' });
    expect(chosen.status).to.equal(303);
    expect(chosen.location).to.equal('/ui/planning?show=waiting');
    expect((await s.get('/ui/planning?show=waiting')).text).to.contain('en sẽ dịch tin này.');
    await service.settled();
    expect(targets()).to.deep.equal(['EN-GB']);
    const bulk = await s.post('/ui/planning/choices', { story: [String(storyId)], audience: '*', choice: 'skip' });
    expect(bulk.status).to.equal(303);
    expect((await s.get('/ui/planning')).text).to.contain('Đã ghi 2 lựa chọn bỏ qua.');
    expect(await cellsOf(storyId)).to.deep.equal({ en: 'machine_translated', fr: 'skipped', lo: 'skipped' });
    const down = await s.post(`/ui/planning/${storyId}/withdraw`, { reason: '' });
    expect(down.status).to.equal(303);
    expect((await s.get('/ui/planning?show=all')).text).to.contain('flash error');
  });
});
