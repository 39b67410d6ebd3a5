/**
 * One Vietnamese story from a feed on loopback, through DeepL (the test server, via deepl-node),
 * review and approval through the API, into /feeds/en/rss.xml — on the embedded server and on an
 * external PostgreSQL reached through DATABASE_URL.
 */
import { expect } from 'chai';
import Parser from 'rss-parser';
import type { Config } from '../src/config.ts';
import type { Service } from '../src/service.ts';
import { openDatabase, type DatabaseHandle } from '../src/store/db.ts';
import { createToken } from '../src/store/tokens.ts';
import { fakeTranslate, startDeepLTestServer, type DeepLTestServer } from './support/deepl-server.ts';
import { freshDatabase } from './support/database.ts';
import { startExternalPostgres, type ExternalPostgres } from './support/external-postgres.ts';
import { apiClient, sampleFeed, serveOnLoopback, startTestService, writeTestConfig, type Loopback } from './support/service.ts';

function skeletonConfig(feedUrl: string, deepl: DeepLTestServer): Config {
  return writeTestConfig({
    audiences: [
      { id: 'en', language: 'en', provider: 'deepl', targetCode: 'EN-GB' },
      { id: 'lo', language: 'lo', provider: 'manual' },
    ],
    sources: [{ id: 'sample', name: 'Sample', url: `${feedUrl}/feed.xml` }],
  }, { DEEPL_AUTH_KEY: 'test-key', DEEPL_SERVER_URL: deepl.url });
}

async function walkOneStory(service: Service, database: DatabaseHandle) {
  const translator = apiClient(service.url, await createToken(database.db, 'thu', 'translator'));
  // the test provider's drafts are not translations of their stories: this token skips the QA gate, and says so
  const editor = apiClient(service.url, await createToken(database.db, 'lan', 'editor', undefined, { qaBypass: true }));

  const poll = await editor('POST', '/api/v1/sources/sample/poll');
  expect(poll.status).to.equal(200);
  expect(poll.body.data).to.deep.equal({ new: 5, updated: 0, unchanged: 0, failed: 0 });
  await service.settled();

  const drafts = await translator('GET', '/api/v1/translations?audience=en&state=machine_translated');
  expect(drafts.body.data).to.have.length(5);
  const lao = await translator('GET', '/api/v1/translations?audience=lo&state=queued');
  expect(lao.body.data, 'Lao has no machine translation: its drafts wait for a person').to.have.length(5);

  const stories = await translator('GET', '/api/v1/stories?limit=10');
  const story = stories.body.data.find((s: { guid: string }) => s.guid === 'tgvn-2026-1104');
  const [draft] = (await translator('GET', `/api/v1/stories/${story.id}/translations`)).body.data.filter((t: { audience: string }) => t.audience === 'en');
  expect(draft.title).to.equal(fakeTranslate(story.title, { targetLang: 'EN-GB' }));
  expect(draft.state).to.equal('machine_translated');

  const early = await editor('POST', `/api/v1/translations/${draft.id}/approve`, { version: draft.version });
  expect(early.status, 'a draft nobody submitted cannot be approved').to.equal(409);
  expect(early.body.error.code).to.equal('illegal_transition');

  const edited = await translator('PATCH', `/api/v1/translations/${draft.id}`, { title: 'Foreign Ministry spokesperson on citizen protection', version: draft.version });
  expect(edited.status).to.equal(200);
  expect((await translator('POST', `/api/v1/translations/${draft.id}/submit`)).status).to.equal(200);
  expect((await translator('POST', `/api/v1/translations/${draft.id}/approve`, { version: edited.body.data.version })).status, 'a translator cannot approve').to.equal(403);
  const approved = await editor('POST', `/api/v1/translations/${draft.id}/approve`, { version: edited.body.data.version });
  expect(approved.body.data.state).to.equal('published');

  const res = await fetch(`${service.url}/feeds/en/rss.xml`);
  expect(res.status).to.equal(200);
  expect(res.headers.get('content-type')).to.match(/^application\/rss\+xml/);
  const feed = await new Parser().parseString(await res.text());
  expect(feed.items).to.have.length(1);
  expect(feed.items[0]!.title).to.equal('Foreign Ministry spokesperson on citizen protection');
  expect(feed.items[0]!.link).to.match(new RegExp(`/read/en/${draft.id}$`));
  expect((feed as unknown as { language?: string }).language, 'the feed says its language').to.equal('en');
  const page = await fetch(`${service.url}${new URL(feed.items[0]!.link!).pathname}`);
  expect(page.status).to.equal(200);
  expect(await page.text()).to.contain('Foreign Ministry spokesperson on citizen protection');
}

describe('walking skeleton: feed → DeepL → approval → RSS', function () {
  this.timeout(60_000);
  let deepl: DeepLTestServer;
  let origin: Loopback;
  before(async () => {
    deepl = await startDeepLTestServer();
    origin = await serveOnLoopback({ '/feed.xml': { body: sampleFeed() } });
  });
  after(async () => {
    await deepl?.close();
    await origin?.close();
  });

  it('on the embedded server', async () => {
    const database = await freshDatabase();
    const service = await startTestService(skeletonConfig(origin.url, deepl), database);
    try {
      await walkOneStory(service, database);
      const request = deepl.requests.find((r) => r.path === '/v2/translate')!;
      expect(request.params.target_lang?.toUpperCase()).to.equal('EN-GB');
      expect(request.params.context, 'title and lead are sent as context').to.be.a('string').and.not.empty;
    } finally {
      await service.close();
      await database.close();
    }
  });

  describe('on an external PostgreSQL through DATABASE_URL', () => {
    let external: ExternalPostgres;
    before(async function () {
      this.timeout(60_000);
      external = await startExternalPostgres();
    });
    after(async () => external?.stop());

    it('runs the same walk over TCP', async () => {
      const config = skeletonConfig(origin.url, deepl);
      expect(external.url).to.match(/^postgresql:\/\/[^/]+@127\.0\.0\.1:\d+\//);
      const database = await openDatabase({ databaseUrl: external.url, dataDir: config.dataDir });
      const service = await startTestService(config, database);
      try {
        await walkOneStory(service, database);
      } finally {
        await service.close();
        await database.close();
      }
    });
  });
});
