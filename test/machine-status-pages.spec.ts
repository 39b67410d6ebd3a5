/**
 * Machine translation's state where people work: a translation whose provider call failed shows
 * the reason and the attempts in the queue and the editor, and "Translate again" there drafts it;
 * a parked one (the provider's quota, the month's budget) says so and when it resumes. Through
 * deepl-node against the DeepL test server, pages read as a browser would, in English and Vietnamese.
 */
import { expect } from 'chai';
import type { Service } from '../src/service.ts';
import { createToken } from '../src/store/tokens.ts';
import { createUser } from '../src/store/users.ts';
import { startDeepLTestServer, type DeepLTestServer } from './support/deepl-server.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { apiClient, startTestService, writeTestConfig } from './support/service.ts';
import { WebSession } from './support/web-session.ts';

const password = 'correct horse battery staple';

describe('machine translation state in the queue and the editor', function () {
  this.timeout(40_000);
  let deepl: DeepLTestServer;
  let database: TestDatabase;
  let service: Service;
  let editor: ReturnType<typeof apiClient>;

  before(async () => {
    deepl = await startDeepLTestServer();
    database = await freshDatabase();
    const config = writeTestConfig({
      audiences: [{ id: 'en', language: 'en', provider: 'deepl', targetCode: 'EN-GB' }, { id: 'fr', language: 'fr', provider: 'deepl', targetCode: 'FR' }],
      translation: { retry: { baseDelayMs: 5, maxAttempts: 2 }, quotaCheckSeconds: 600 },
    }, { DEEPL_AUTH_KEY: 'test-key', DEEPL_SERVER_URL: deepl.url });
    service = await startTestService(config, database, () => new Date('2026-12-02T08:00:00Z'));
    editor = apiClient(service.url, await createToken(database.db, 'lan', 'editor'));
    await createUser(database.db, { username: 'hoa', displayName: 'Hoa', role: 'editor', password, locale: 'en' });
    await createUser(database.db, { username: 'thu', displayName: 'Thu', role: 'translator', password, languages: ['en'], locale: 'vi' });
  });
  after(async () => {
    await service?.close();
    await database?.close();
    await deepl?.close();
  });

  const translationOf = async (storyId: number, audience: string) => database.db.selectFrom('translations').selectAll()
    .where('story_id', '=', storyId).where('audience_id', '=', audience).executeTakeFirstOrThrow();

  it('shows a failed call\'s reason and attempts, and translating again drafts it for that audience alone', async () => {
    // both attempts of both audiences fail: 4 answers of 500
    deepl.failNext(500, 4, { message: 'Internal server error (test)' });
    const res = await editor('POST', '/api/v1/stories', { id: 'fail-1', title: 'Tin dịch máy thất bại', bodyHtml: '<p>Nội dung.</p>' });
    await service.settled();
    const en = await translationOf(res.body.data.id, 'en');
    expect(en).to.include({ state: 'queued', mt_attempts: 2 });

    const s = new WebSession(service.url);
    await s.login('hoa', password);
    const page = await s.get(`/ui/translations/${en.id}`);
    expect(page.text).to.contain('Machine translation failed after 2 attempts.');
    // the reason in the reader's words; DeepL's own as a detail
    expect(en).to.deep.include({ error_code: 'provider_unavailable', error_values: { provider: 'deepl', status: 500 } });
    expect(page.text).to.contain('DeepL is unavailable at the moment.');
    expect(page.text).to.match(/<details class="said"><summary>What the provider said<\/summary><span lang="en">[^<]*500/);
    expect(page.text).to.contain('id="machine-again"');
    const queue = await s.get('/ui/queue?audience=en');
    expect(queue.text).to.contain('Machine translation failed').and.contain('Machine translation failed after 2 attempts.').and.contain('DeepL is unavailable at the moment.');
    expect((await s.get(`/ui/stories/${en.story_id}`)).text).to.contain('Machine translation failed: <span class="machine-why">DeepL is unavailable at the moment.</span>');
    const thu = new WebSession(service.url, { 'accept-language': 'vi' });
    await thu.login('thu', password);
    for (const path of [`/ui/translations/${en.id}`, '/ui/queue?audience=en', `/ui/stories/${en.story_id}`]) {
      expect((await thu.get(path)).text, path).to.contain('DeepL tạm thời không hoạt động.').and.contain('<summary>Thông báo của nhà cung cấp</summary>');
    }
    // the API gives the code beside the words
    expect((await editor('GET', `/api/v1/translations/${en.id}`)).body.data).to.deep.include({ errorCode: 'provider_unavailable', errorValues: { provider: 'deepl', status: 500 } });
    // a row stored before codes shows its text as it did
    await database.db.updateTable('translations').set({ error_code: null, error_values: null }).where('id', '=', en.id).execute();
    expect((await s.get(`/ui/translations/${en.id}`)).text).to.match(/What the provider said: <span lang="en">[^<]*500/);

    const again = await s.post(`/ui/stories/${en.story_id}/translate`, { back: `/ui/translations/${en.id}`, audience: 'en' });
    expect(again.status).to.equal(303);
    expect(again.location).to.equal(`/ui/translations/${en.id}`);
    await service.settled();
    expect((await translationOf(en.story_id, 'en')).state).to.equal('machine_translated');
    expect((await translationOf(en.story_id, 'fr')).state, 'the other audience is left as it was').to.equal('queued');
    expect((await s.get(`/ui/translations/${en.id}`)).text).to.not.contain('id="machine-status"');
  });

  it('says a refused key and a spent quota in the reader\'s words, with DeepL\'s own as a detail', async () => {
    deepl.failNext(403, 2, { message: 'Wrong key (test)' });
    const refused = await editor('POST', '/api/v1/stories', { id: 'key-1', title: 'Tin khóa sai', bodyHtml: '<p>Nội dung khóa.</p>' });
    await service.settled();
    const en = await translationOf(refused.body.data.id, 'en');
    expect(en).to.deep.include({ state: 'queued', error_code: 'auth_failed', error_values: { provider: 'deepl', status: 403 } });
    expect(en.error).to.contain('Wrong key (test)');
    const s = new WebSession(service.url, { 'accept-language': 'vi' });
    await s.login('thu', password);
    const page = await s.get(`/ui/translations/${en.id}`);
    expect(page.text).to.contain('DeepL từ chối khóa truy cập: quản trị viên cần kiểm tra khóa hoặc tài khoản của nhà cung cấp.').and.match(/<span lang="en">[^<]*Wrong key \(test\)/);

    deepl.failNext(456, 2, { message: 'Quota exceeded (test)' });
    const spent = await editor('POST', '/api/v1/stories', { id: 'quota-1', title: 'Tin hết hạn mức', bodyHtml: '<p>Nội dung hạn mức.</p>' });
    await service.settled();
    const parked = await translationOf(spent.body.data.id, 'en');
    expect(parked).to.deep.include({ mt_waiting: 'quota', error_code: 'quota_exceeded' });
    expect((await s.get(`/ui/translations/${parked.id}`)).text).to.contain('DeepL: đã hết hạn mức ký tự.');
    await database.db.updateTable('translations').set({ mt_waiting: null, state: 'withdrawn' }).where('story_id', 'in', [spent.body.data.id, refused.body.data.id]).execute();
    await database.db.deleteFrom('translation_provider_state').execute();
  });

  it('says a parked translation waits for the quota or the budget, and when it resumes, in the reader\'s language', async () => {
    const res = await editor('POST', '/api/v1/stories', { id: 'park-1', title: 'Tin chờ hạn mức', bodyHtml: '<p>Nội dung khác.</p>' });
    await service.settled();
    const en = await translationOf(res.body.data.id, 'en');
    // as translate/service.ts parks them (its parking is tested in translate-jobs and translate-quota)
    await database.db.updateTable('translations').set({ state: 'queued', mt_waiting: 'quota', error: 'Quota exceeded' }).where('id', '=', en.id).execute();
    const s = new WebSession(service.url, { 'accept-language': 'vi' });
    await s.login('thu', password);
    const quota = await s.get(`/ui/translations/${en.id}`);
    expect(quota.text).to.contain('Dịch máy đang chờ: hạn mức của nhà cung cấp đã hết. Việc dịch tự tiếp tục khi có lại hạn mức (kiểm tra mỗi 10 phút).');
    expect(quota.text, 'a translator is told who can act').to.not.contain('id="machine-again"');
    expect((await s.get('/ui/queue?audience=en')).text).to.contain('Chờ hạn mức');

    await database.db.updateTable('translations').set({ mt_waiting: 'budget', error: 'the monthly character budget is spent' }).where('id', '=', en.id).execute();
    const budget = await s.get(`/ui/translations/${en.id}`);
    const line = /ngân sách ký tự của tháng này đã hết\. Việc dịch tiếp tục vào ([^<]*)\./.exec(budget.text)?.[1];
    // midnight UTC on the first of next month, in the reader's zone (Asia/Ho_Chi_Minh: 07:00)
    expect(line, 'the first of next month').to.contain('07:00').and.contain('1 thg 1, 2027');
  });
});
