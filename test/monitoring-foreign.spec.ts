/**
 * Foreign outlets: an English feed is ingested like a domestic one, translated into Vietnamese
 * through deepl-node against the DeepL test server, and kept apart — no story, no translation for
 * any audience, nothing in a feed or on the site — while a domestic story of the same poll round is
 * published as usual. A language no monitoring provider translates is recorded on the item.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import Parser from 'rss-parser';
import type { Service } from '../src/service.ts';
import { createToken } from '../src/store/tokens.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { fakeTranslate, startDeepLTestServer, type DeepLTestServer } from './support/deepl-server.ts';
import { apiClient, sampleFeed, serveOnLoopback, startTestService, writeTestConfig, type Loopback } from './support/service.ts';
import { eventually } from './support/wait.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/monitoring/${name}`, import.meta.url), 'utf8');

describe('monitoring: foreign outlets', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let deepl: DeepLTestServer;
  let origin: Loopback;
  let routes: Parameters<typeof serveOnLoopback>[0];
  let service: Service;
  let editor: ReturnType<typeof apiClient>;
  let translator: ReturnType<typeof apiClient>;
  let startAgain: () => Promise<Service>;

  before(async () => {
    database = await freshDatabase();
    deepl = await startDeepLTestServer();
    routes = {
      '/vi.xml': { body: sampleFeed() },
      '/en.xml': { body: fixture('en-outlet.xml') },
      '/lo.xml': { body: fixture('lo-outlet.xml') },
    };
    origin = await serveOnLoopback(routes);
    const config = writeTestConfig({
      audiences: [{ id: 'en', language: 'en', provider: 'deepl', targetCode: 'EN-GB' }, { id: 'fr', language: 'fr', provider: 'deepl', targetCode: 'FR' }],
      sources: [
        { id: 'domestic', name: 'Tin đối ngoại', url: `${origin.url}/vi.xml` },
        { id: 'harbour', name: 'Harbour Times', url: `${origin.url}/en.xml`, language: 'en', reach: 2_400_000 },
        { id: 'lao-news', name: 'Lao News', url: `${origin.url}/lo.xml`, language: 'lo' },
      ],
    }, { DEEPL_AUTH_KEY: 'test-key', DEEPL_SERVER_URL: deepl.url });
    startAgain = () => startTestService(config, database);
    service = await startAgain();
    // the test provider's drafts are not translations of their stories: this token skips the QA gate, and says so
    editor = apiClient(service.url, await createToken(database.db, 'lan', 'editor', undefined, { qaBypass: true }));
    translator = apiClient(service.url, await createToken(database.db, 'thu', 'translator'));
  });
  after(async () => {
    await service?.close();
    await origin?.close();
    await deepl?.close();
    await database?.close();
  });

  it('reads an English feed into Vietnamese and never lets it reach a queue, a feed or the site', async () => {
    const source = await editor('GET', '/api/v1/sources/harbour');
    expect(source.body.data).to.include({ language: 'en', reach: 2_400_000 });
    expect((await editor('POST', '/api/v1/sources/domestic/poll')).body.data.new).to.equal(5);
    expect((await editor('POST', '/api/v1/sources/harbour/poll')).body.data).to.deep.equal({ new: 2, updated: 0, unchanged: 0, failed: 0 });

    const items = await eventually('both English items in Vietnamese', async () => {
      const rows = await database.db.selectFrom('foreign_items').selectAll().where('source_id', '=', 'harbour').orderBy('guid').execute();
      return rows.length === 2 && rows.every((r) => r.vi_version === r.version) && rows;
    });
    const [dam] = items;
    expect(dam!.language).to.equal('en');
    expect(dam!.vi_title).to.equal(fakeTranslate('Vietnam dam collapse claim spreads online', { targetLang: 'VI' }));
    expect(dam!.vi_body_html).to.contain(fakeTranslate('Officials in Hanoi said no dam had failed and that the photographs were taken in another country in 2019.', { targetLang: 'VI' }));
    expect(dam!.vi_provider).to.equal('deepl');
    const sent = deepl.requests.filter((r) => r.path === '/v2/translate' && String(r.params.target_lang).toUpperCase() === 'VI');
    expect(sent.map((r) => String(r.params.source_lang).toUpperCase())).to.include('EN');

    // kept apart: no story, so no translation in any translator's queue
    const stories = await database.db.selectFrom('stories').select(['title', 'source_id']).execute();
    expect(stories.map((s) => s.source_id)).to.deep.equal(Array(5).fill('domestic'));
    const queue = await translator('GET', '/api/v1/translations?audience=en&limit=100');
    expect(queue.body.data.map((t: { title: string }) => t.title).join('\n')).not.to.contain('dam collapse');

    // a domestic story published in the same round reaches the feed; the foreign items do not
    await service.settled();
    const [draft] = (await translator('GET', '/api/v1/translations?audience=en&state=machine_translated&limit=1')).body.data;
    expect((await translator('POST', `/api/v1/translations/${draft.id}/submit`)).status).to.equal(200);
    expect((await editor('POST', `/api/v1/translations/${draft.id}/approve`, { version: draft.version })).body.data.state).to.equal('published');
    for (const audience of ['en', 'fr']) {
      const feed = await new Parser().parseString(await (await fetch(`${service.url}/feeds/${audience}/rss.xml`)).text());
      expect(feed.items.map((i) => i.link).join(' ')).not.to.contain('harbour-times');
      expect(feed.items.map((i) => i.title).join(' ')).not.to.match(/dam|Rice exports/);
    }
    expect((await fetch(`${service.url}/feeds/en/rss.xml`).then((r) => r.text()))).to.contain(`/read/en/${draft.id}`);
    const site = await (await fetch(`${service.url}/en/`)).text();
    expect(site).not.to.contain('dam collapse');
  });

  it('records why an item has no Vietnamese translation when no provider translates its language', async () => {
    expect((await editor('POST', '/api/v1/sources/lao-news/poll')).body.data.new).to.equal(1);
    const item = await eventually('the Lao item given up', () =>
      database.db.selectFrom('foreign_items').selectAll().where('source_id', '=', 'lao-news').where('vi_error', 'is not', null).executeTakeFirst());
    expect(item.vi_title).to.equal(null);
    expect(item.vi_error).to.equal('deepl does not translate lo into vi');
    expect(item.vi_error_reasons).to.deep.equal([{ code: 'unsupported_pair', provider: 'deepl', language: 'lo' }]);
  });

  it('translates an item again when its outlet changes it, and not when it does not', async () => {
    const before = deepl.requests.length;
    expect((await editor('POST', '/api/v1/sources/harbour/poll')).body.data).to.include({ new: 0, updated: 0, unchanged: 2 });
    expect(deepl.requests.length - before, 'nothing changed: nothing translated').to.equal(0);

    routes['/en.xml'] = { body: fixture('en-outlet.xml').replace('Rice exports rise in November', 'Rice exports rise 4 percent in November') };
    expect((await editor('POST', '/api/v1/sources/harbour/poll')).body.data).to.include({ new: 0, updated: 1, unchanged: 1 });
    const rice = await eventually('the changed item translated again', () =>
      database.db.selectFrom('foreign_items').selectAll().where('guid', '=', 'ht-2026-0413').where('vi_version', '=', 2).executeTakeFirst());
    expect(rice.vi_title).to.equal(fakeTranslate('Rice exports rise 4 percent in November', { targetLang: 'VI' }));
  });

  it('translates at start an item whose hand-off a crash lost', async () => {
    await service.close();
    // committed by a poll that died before its job was queued
    const { id } = await database.db.insertInto('foreign_items').values({
      source_id: 'harbour', guid: 'ht-lost', language: 'en', title: 'Port reopens after storm', content_hash: 'x',
    }).returning('id').executeTakeFirstOrThrow();
    service = await startAgain();
    const item = await eventually('the lost item translated', () =>
      database.db.selectFrom('foreign_items').selectAll().where('id', '=', id).where('vi_version', '=', 1).executeTakeFirst());
    expect(item.vi_title).to.equal(fakeTranslate('Port reopens after storm', { targetLang: 'VI' }));
  });
});
