/**
 * Watch lists and the monitoring page: a Vietnamese watch term is found in an English and a Chinese
 * outlet's items by its forms; a term added later finds the items already read; the page lists
 * matching items newest first with the Vietnamese beside the original, the outlet, its reach and
 * how many outlets carry the story.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { Service } from '../src/service.ts';
import { createToken } from '../src/store/tokens.ts';
import { createUser } from '../src/store/users.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { fakeTranslate, startDeepLTestServer, type DeepLTestServer } from './support/deepl-server.ts';
import { apiClient, serveOnLoopback, startTestService, writeTestConfig, type Loopback } from './support/service.ts';
import { eventually } from './support/wait.ts';
import { WebSession } from './support/web-session.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/monitoring/${name}`, import.meta.url), 'utf8');

describe('monitoring: watch lists and the monitoring page', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let deepl: DeepLTestServer;
  let origin: Loopback;
  let service: Service;
  let editor: ReturnType<typeof apiClient>;

  before(async () => {
    database = await freshDatabase();
    deepl = await startDeepLTestServer();
    origin = await serveOnLoopback({ '/en.xml': { body: fixture('en-outlet.xml') }, '/zh.xml': { body: fixture('zh-outlet.xml') }, '/mirror.xml': { body: fixture('mirror-outlet.xml') } });
    const config = writeTestConfig({
      audiences: [{ id: 'en', language: 'en', provider: 'deepl', targetCode: 'EN-GB' }],
      sources: [
        { id: 'harbour', name: 'Harbour Times', url: `${origin.url}/en.xml`, language: 'en', reach: 2_400_000 },
        { id: 'dongfang', name: 'Dongfang Observer', url: `${origin.url}/zh.xml`, language: 'zh', reach: 800_000 },
        { id: 'gulf', name: 'Gulf Wire', url: `${origin.url}/mirror.xml`, language: 'en' },
      ],
    }, { DEEPL_AUTH_KEY: 'test-key', DEEPL_SERVER_URL: deepl.url });
    service = await startTestService(config, database);
    editor = apiClient(service.url, await createToken(database.db, 'lan', 'editor'));
  });
  after(async () => {
    await service?.close();
    await origin?.close();
    await deepl?.close();
    await database?.close();
  });

  const readAndMatched = (items: number, matches: number) => eventually(`${items} foreign items read, ${matches} matches`, async () => {
    const rows = await database.db.selectFrom('foreign_items').select(['vi_version', 'version']).execute();
    const found = await database.db.selectFrom('watch_matches').select('form').execute();
    return rows.length === items && rows.every((r) => r.vi_version === r.version) && found.length === matches;
  });

  it('finds a Vietnamese watch term in English and Chinese items by its forms', async () => {
    const term = await editor('POST', '/api/v1/watch-terms', { label: 'Quảng Nam', kind: 'place', priority: true, forms: [{ language: 'en', text: 'Quang Nam' }, { language: 'zh', text: '广南' }] });
    expect(term.status).to.equal(201);
    expect(term.body.data.forms).to.deep.equal([{ language: 'vi', text: 'Quảng Nam' }, { language: 'en', text: 'Quang Nam' }, { language: 'zh', text: '广南' }]);
    for (const id of ['harbour', 'dongfang', 'gulf']) expect((await editor('POST', `/api/v1/sources/${id}/poll`)).status).to.equal(200);
    await readAndMatched(5, 3);

    const items = (await editor('GET', '/api/v1/monitoring/items?matching=1')).body.data as Array<Record<string, any>>;
    // newest first: the Chinese item (10:15), then the two English ones (08:00, the older id first seen)
    expect(items.map((i) => `${i.source}:${i.language}`)).to.deep.equal(['dongfang:zh', 'gulf:en', 'harbour:en']);
    const [zh, , en] = items;
    expect(zh!.watchTerms).to.deep.equal([{ id: term.body.data.id, label: 'Quảng Nam', priority: true, form: '广南', language: 'zh' }]);
    expect(en!.watchTerms[0]).to.include({ label: 'Quảng Nam', language: 'vi' }, 'the English form folds to the label, so the label is named');
    expect(en!.vietnamese.title).to.equal(fakeTranslate('Vietnam dam collapse claim spreads online', { targetLang: 'VI' }));
    expect(en).to.include({ outlet: 'Harbour Times', reach: 2_400_000, outlets: 2 });
    expect(zh).to.include({ outlet: 'Dongfang Observer', reach: 800_000, outlets: 1 });

    // rice and coffee name no term; all items are there when asked for
    expect((await editor('GET', '/api/v1/monitoring/items')).body.data).to.have.length(5);
  });

  it('finds, when a term is added, the items already read', async () => {
    const term = await editor('POST', '/api/v1/watch-terms', { label: 'Tây Nguyên', kind: 'place', forms: [{ language: 'en', text: 'Central Highlands' }] });
    const items = (await editor('GET', `/api/v1/monitoring/items?term=${term.body.data.id}`)).body.data;
    expect(items.map((i: { source: string; title: string }) => `${i.source}: ${i.title}`)).to.deep.equal(['gulf: Coffee prices at a two-year high']);
    const list = (await editor('GET', '/api/v1/watch-terms')).body.data;
    expect(list.map((t: { label: string; matchedItems: number }) => `${t.label} ${t.matchedItems}`)).to.deep.equal(['Quảng Nam 3', 'Tây Nguyên 1']);

    // changed forms are matched again; a removed term names nothing
    await editor('PUT', `/api/v1/watch-terms/${term.body.data.id}`, { label: 'Tây Nguyên', kind: 'place', forms: [{ language: 'en', text: 'Mekong Delta' }] });
    expect((await editor('GET', `/api/v1/monitoring/items?term=${term.body.data.id}`)).body.data).to.deep.equal([]);
    expect((await editor('DELETE', `/api/v1/watch-terms/${term.body.data.id}`)).status).to.equal(204);
    expect((await editor('GET', '/api/v1/watch-terms')).body.data).to.have.length(1);
    const refused = await editor('POST', '/api/v1/watch-terms', { label: '', kind: 'planet' });
    expect(refused.status).to.equal(400);
  });

  it('shows the matching items in the desk, in Vietnamese beside the original, and keeps the watch list there', async () => {
    await createUser(database.db, { username: 'hoa', displayName: 'Hoa', role: 'editor', password: 'hoa password long', locale: 'vi' });
    const desk = new WebSession(service.url, { 'accept-language': 'vi' });
    expect((await desk.login('hoa', 'hoa password long')).status).to.equal(303);
    const page = await desk.get('/ui/monitoring');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Theo dõi dư luận');
    const titles = [...page.text.matchAll(/<h2 id="item-\d+" lang="vi">([^<]+)<\/h2>/g)].map((m) => m[1]);
    expect(titles).to.deep.equal([
      fakeTranslate('网传越南广南省大坝溃决', { targetLang: 'VI' }),
      fakeTranslate('Dam collapse rumour in Vietnam', { targetLang: 'VI' }),
      fakeTranslate('Vietnam dam collapse claim spreads online', { targetLang: 'VI' }),
    ]);
    expect(page.text).to.contain('<div lang="en"><p><strong>Vietnam dam collapse claim spreads online</strong>');
    expect(page.text).to.contain('Độ phủ: 2.400.000 người đọc');
    expect(page.text).to.contain('2 cơ quan báo chí đăng');
    expect(page.text).to.contain('Ưu tiên');

    const terms = await desk.get('/ui/monitoring/terms');
    expect(terms.text).to.contain('Danh sách theo dõi');
    const added = await desk.post('/ui/monitoring/terms', { label: 'Bộ Ngoại giao', kind: 'institution', forms: 'en: Foreign Ministry\nzh: 越南外交部' });
    expect(added.status).to.equal(303);
    const bad = await desk.post('/ui/monitoring/terms', { label: 'Hà Nội', kind: 'place', forms: 'Hanoi' });
    expect(bad.status).to.equal(400);
    expect(bad.text).to.match(/Hanoi(&#34;|&quot;) không phải là một mã ngôn ngữ kèm cách viết/);
    const row = await database.db.selectFrom('watch_terms').selectAll().where('label', '=', 'Bộ Ngoại giao').executeTakeFirstOrThrow();
    expect(row.forms).to.deep.equal([{ language: 'en', text: 'Foreign Ministry' }, { language: 'zh', text: '越南外交部' }]);
  });
});
