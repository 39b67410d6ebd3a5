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
    expect(page.text).to.match(/What the provider said: <span lang="en">[^<]*500/);
    expect(page.text).to.contain('id="machine-again"');
    const queue = await s.get('/ui/queue?audience=en');
    expect(queue.text).to.contain('Machine translation failed').and.contain('Machine translation failed after 2 attempts.');

    const again = await s.post(`/ui/stories/${en.story_id}/translate`, { back: `/ui/translations/${en.id}`, audience: 'en' });
    expect(again.status).to.equal(303);
    expect(again.location).to.equal(`/ui/translations/${en.id}`);
    await service.settled();
    expect((await translationOf(en.story_id, 'en')).state).to.equal('machine_translated');
    expect((await translationOf(en.story_id, 'fr')).state, 'the other audience is left as it was').to.equal('queued');
    expect((await s.get(`/ui/translations/${en.id}`)).text).to.not.contain('id="machine-status"');
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
