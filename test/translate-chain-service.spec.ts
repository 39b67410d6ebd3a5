/**
 * The provider chain in the running service: a story pushed through the API gets its Lao draft
 * from Google (the real client against its local fake) and its English draft from Google too once
 * DeepL's quota is spent; the API and the desk's editor say which provider made each draft.
 */
import { expect } from 'chai';
import type { Service } from '../src/service.ts';
import { createToken } from '../src/store/tokens.ts';
import { startDeepLTestServer, type DeepLTestServer } from './support/deepl-server.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { googleTranslation, startGoogleTranslateFake, type GoogleTranslateFake } from './support/google-translate-server.ts';
import { password, people } from './support/review-fixtures.ts';
import { apiClient, startTestService, writeTestConfig } from './support/service.ts';
import { WebSession } from './support/web-session.ts';

describe('the provider chain in the service', function () {
  this.timeout(60_000);
  let deepl: DeepLTestServer;
  let google: GoogleTranslateFake;
  let database: TestDatabase;
  let service: Service;
  before(async () => {
    [deepl, google, database] = await Promise.all([startDeepLTestServer(), startGoogleTranslateFake(), freshDatabase()]);
    const config = writeTestConfig({
      audiences: [
        { id: 'en', language: 'en', providers: ['deepl', 'google'], targetCode: 'EN-GB' },
        { id: 'lo', language: 'lo', provider: 'google', timeZone: 'Asia/Vientiane' },
      ],
      translation: { timeoutMs: 2000, retry: { baseDelayMs: 5, maxAttempts: 3 } },
    }, {
      DEEPL_AUTH_KEY: 'test-key', DEEPL_SERVER_URL: deepl.url,
      GOOGLE_TRANSLATE_API_KEY: google.apiKey, GOOGLE_CLOUD_PROJECT: 'doingoai-test', GOOGLE_TRANSLATE_SERVER_URL: google.url,
    });
    service = await startTestService(config, database);
    await people(database.db);
  });
  after(async () => {
    await service?.close();
    await Promise.all([deepl?.close(), google?.close()]);
    await database?.close();
  });

  it('gives Lao a machine draft through Google, English through DeepL and then Google once the quota is spent, and shows who made each', async () => {
    const editor = apiClient(service.url, await createToken(database.db, 'cms', 'editor'));
    const first = await editor('POST', '/api/v1/stories', { id: 'chain-1', title: 'Thủ tướng tiếp Đại sứ Lào', summary: 'Hai bên nhất trí tăng cường hợp tác.' });
    expect(first.status).to.equal(201);
    await service.settled();
    const drafts = async (storyId: number) => Object.fromEntries(((await editor('GET', `/api/v1/stories/${storyId}/translations`)).body.data as Array<{ audience: string; provider: string; state: string; title: string }>).map((t) => [t.audience, t]));
    let byAudience = await drafts(first.body.data.id);
    expect(byAudience.lo).to.include({ provider: 'google', state: 'machine_translated', title: googleTranslation('Thủ tướng tiếp Đại sứ Lào', 'lo') });
    expect(byAudience.en).to.include({ provider: 'deepl', state: 'machine_translated' });

    deepl.setCharacterLimit(deepl.billedCharacters); // DeepL's quota is spent from now on
    const second = await editor('POST', '/api/v1/stories', { id: 'chain-2', title: 'Bộ trưởng Ngoại giao thăm Viêng Chăn', summary: 'Chuyến thăm chính thức.' });
    expect(second.status, JSON.stringify(second.body)).to.equal(201);
    await service.settled();
    byAudience = await drafts(second.body.data.id);
    expect(byAudience.en).to.include({ provider: 'google', state: 'machine_translated', title: googleTranslation('Bộ trưởng Ngoại giao thăm Viêng Chăn', 'en') });
    const usage = (await editor('GET', '/api/v1/usage')).body.data;
    expect(usage.providers.find((p: { provider: string }) => p.provider === 'deepl')).to.include({ quotaExhausted: true });
    expect(usage.alert).to.equal('quota_exhausted');

    const desk = new WebSession(service.url);
    expect((await desk.login('lan', password)).status).to.equal(303);
    const en = (await database.db.selectFrom('translations').select('id').where('story_id', '=', second.body.data.id).where('audience_id', '=', 'en').executeTakeFirstOrThrow()).id;
    const page = await desk.get(`/ui/translations/${en}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('machine draft by Google Cloud Translation');
  });
});
