/**
 * Feeds end to end through the service: publication, the HTTP contract (types, strong ETags, 304,
 * gzip/br), hreflang alternates, topics, discovery, corrections that keep ids, takedowns, WebSub
 * pings, embargoes and partner tokens, and ids that survive a change of PUBLIC_URL.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import Parser from 'rss-parser';
import { sql } from 'kysely';
import type { Config } from '../src/config.ts';
import type { Service } from '../src/service.ts';
import { createToken } from '../src/store/tokens.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { apiClient, serveRecorder, startTestService, writeTestConfig, type Recorder } from './support/service.ts';
import { eventually } from './support/wait.ts';

const gunzip = promisify(zlib.gunzip);
const unbrotli = promisify(zlib.brotliDecompress);


describe('feeds through the service', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let service: Service;
  let hub: Recorder;
  let config: Config;
  let now: Date;
  let editor: ReturnType<typeof apiClient>;
  let translator: ReturnType<typeof apiClient>;
  let admin: ReturnType<typeof apiClient>;
  let interrupted: string;
  const clock = () => now;
  const PUBLIC = 'http://news.example.org';

  async function story(guid: string, category: string | null, opts: { imageUrl?: string } = {}) {
    const row = await database.db.insertInto('stories').values({
      guid, title: `Tin ${guid}`, summary: 'Tóm tắt', body_html: '<p>Nội dung</p>', content_hash: guid,
      url: `https://baoquocte.vn/${guid}.html`, attribution: 'Báo Thế giới & Việt Nam', category, image_url: opts.imageUrl ?? null,
      author: 'Thu Hằng', published_at: new Date('2026-11-20T01:15:00Z'),
    }).returning('id').executeTakeFirstOrThrow();
    return row.id;
  }

  async function draft(storyId: number, audience: string, language: string, title: string) {
    const row = await database.db.insertInto('translations').values({
      story_id: storyId, audience_id: audience, language, state: 'in_review', provider: 'manual',
      title, summary: `${title}: summary`, body_html: `<p>${title} body</p><script>alert(1)</script>`,
    }).returning('id').executeTakeFirstOrThrow();
    return row.id;
  }

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${service.url}${path}`, { headers });

  before(async () => {
    hub = await serveRecorder();
    now = new Date('2026-11-20T08:00:00Z');
    config = writeTestConfig({
      audiences: [
        { id: 'en', language: 'en', locale: 'en-GB', provider: 'manual', timeZone: 'Europe/London' },
        { id: 'fr', language: 'fr', provider: 'manual', timeZone: 'Europe/Paris', credit: 'Traduit et relu par la rédaction.' },
        // nothing is ever published for it: left out of the OPML
        { id: 'ru', language: 'ru', provider: 'manual', timeZone: 'Europe/Moscow' },
      ],
      publishing: { publicUrl: PUBLIC, itemsPerFeed: 20, websubHubs: [`${hub.url}/hub`], publicationName: 'Tin đối ngoại' },
    });
    // a write cut short by a kill before this start
    mkdirSync(path.join(config.feedsDir, 'en'), { recursive: true });
    interrupted = path.join(config.feedsDir, 'en', `atom.xml.${spawnSync(process.execPath, ['-e', '0']).pid}.q7.tmp`);
    writeFileSync(interrupted, '<feed>half');
    database = await freshDatabase();
    service = await startTestService(config, database, clock);
    await service.settled();
    // the drafts here are placeholders, not translations of their stories: the token says it skips the QA gate
    editor = apiClient(service.url, await createToken(database.db, 'lan', 'editor', undefined, { qaBypass: true }));
    translator = apiClient(service.url, await createToken(database.db, 'thu', 'translator'));
    admin = apiClient(service.url, await createToken(database.db, 'root', 'admin'));
  });
  after(async () => {
    await service?.close();
    await database?.close();
    await hub?.close();
  });

  it('removes the temporary file of a write interrupted before the start', () => {
    expect(existsSync(interrupted)).to.equal(false);
  });

  let enId: number;
  let frId: number;
  let guid: string;

  it('publishes an approved translation into RSS, Atom and JSON Feed with the right headers', async () => {
    const storyId = await story('ngoai-giao-1', 'Đối ngoại', { imageUrl: 'https://baoquocte.vn/anh.jpg' });
    enId = await draft(storyId, 'en', 'en', 'Spokesperson on citizen protection');
    frId = await draft(storyId, 'fr', 'fr', 'Le porte-parole sur la protection des citoyens');
    expect((await editor('POST', `/api/v1/translations/${frId}/approve`, { version: 1 })).status).to.equal(200);
    now = new Date('2026-11-20T09:00:00Z');
    const approved = await editor('POST', `/api/v1/translations/${enId}/approve`, { version: 1 });
    expect(approved.body.data.state).to.equal('published');

    const types: Record<string, RegExp> = {
      'rss.xml': /^application\/rss\+xml; charset=utf-8$/, 'atom.xml': /^application\/atom\+xml; charset=utf-8$/,
      'feed.json': /^application\/feed\+json; charset=utf-8$/, 'ninjs.json': /^application\/json/, 'news-sitemap.xml': /^application\/xml/,
    };
    for (const [file, type] of Object.entries(types)) {
      const res = await get(`/feeds/en/${file}`);
      expect(res.status, file).to.equal(200);
      expect(res.headers.get('content-type'), file).to.match(type);
      expect(res.headers.get('etag'), file).to.match(/^"[A-Za-z0-9_-]+"$/);
      expect(res.headers.get('last-modified')).to.equal('Fri, 20 Nov 2026 09:00:00 GMT');
      expect(res.headers.get('cache-control')).to.match(/public, max-age=60/);
    }
    const rss = await (await get('/feeds/en/rss.xml')).text();
    const feed = await new Parser({ customFields: { item: [['atom:link', 'alternates', { keepArray: true }]] } }).parseString(rss);
    expect(feed.items).to.have.length(1);
    const [entry] = feed.items as (Parser.Item & { alternates: { $: { hreflang: string; href: string } }[] })[];
    expect(entry!.title).to.equal('Spokesperson on citizen protection');
    expect(entry!.link).to.equal(`${PUBLIC}/read/en/${enId}`);
    guid = entry!.guid!;
    expect(guid).to.equal(`tag:news.example.org,2026-11-20:en/${enId}`);
    expect(entry!.alternates.map((a) => [a.$.hreflang, a.$.href])).to.deep.equal([
      ['fr', `${PUBLIC}/read/fr/${frId}`], ['vi', 'https://baoquocte.vn/ngoai-giao-1.html'], ['en', `${PUBLIC}/read/en/${enId}`]]);
    expect(rss).to.contain('<media:content url="https://baoquocte.vn/anh.jpg" medium="image"/>');
    expect(rss, 'no enclosure without a known type and size').not.to.contain('<enclosure');
    expect(rss, 'the published body is sanitized').not.to.contain('alert(1)');
    expect(rss).to.contain('Translated from Vietnamese; reviewed by our editors.');
    expect(rss).to.contain(`<atom:link href="${hub.url}/hub" rel="hub"/>`);
    expect(rss, 'the original\'s author').to.contain('<dc:creator><![CDATA[Thu Hằng]]></dc:creator>');
    expect(rss, 'the original\'s date beside pubDate').to.contain('<dcterms:created>2026-11-20T01:15:00Z</dcterms:created>');
    expect(entry!.categories, 'the topic in English').to.deep.equal(['Foreign affairs']);

    const fr = await (await get('/feeds/fr/feed.json')).json();
    expect(fr.language).to.equal('fr');
    expect(fr.items[0].authors).to.deep.equal([{ name: 'Thu Hằng' }]);
    expect(fr.items[0].tags).to.deep.equal(['Affaires étrangères']);
    expect(fr.items[0]._translations.original).to.deep.equal({ language: 'vi', url: 'https://baoquocte.vn/ngoai-giao-1.html', publisher: 'Báo Thế giới & Việt Nam', date_published: '2026-11-20T01:15:00Z' });
    expect(fr.items[0].content_html).to.contain('Traduit et relu par la rédaction.');

    const atom = await (await get('/feeds/en/atom.xml')).text();
    expect(atom).to.match(/<feed [^>]*xml:lang="en"/);
    expect(atom).to.contain(`<link rel="hub" href="${hub.url}/hub"/>`);
    expect(atom).to.contain(`<link rel="self" type="application/atom+xml" href="${PUBLIC}/feeds/en/atom.xml"/>`);
    expect(atom).to.contain('<author><name>Thu Hằng</name></author>');
    expect(atom).to.contain('<dcterms:created>2026-11-20T01:15:00Z</dcterms:created>');
    expect(atom).to.contain('<category term="doi-ngoai" label="Foreign affairs"/>');
  });

  it('gives a stored lead image as an enclosure with its real type and size, and as Media RSS', async () => {
    const storyId = await story('anh-1', null);
    const data = Buffer.alloc(31_337, 7);
    await database.db.insertInto('images').values({ hash: 'h4sh', source_url: 'https://baoquocte.vn/anh-goc.png', mime: 'image/png', width: 3000, height: 2000, bytes: 900_000 }).execute();
    await database.db.insertInto('image_variants').values({ hash: 'h4sh', variant: 'card', mime: 'image/jpeg', width: 1200, height: 630, data }).execute();
    await database.db.insertInto('story_images').values({ story_id: storyId, position: 0, hash: 'h4sh', source_url: 'https://baoquocte.vn/anh-goc.png' }).execute();
    const id = await draft(storyId, 'fr', 'fr', 'Photo du jour');
    expect((await editor('POST', `/api/v1/translations/${id}/approve`, { version: 1 })).status).to.equal(200);
    const feed = await new Parser().parseString(await (await get('/feeds/fr/rss.xml')).text());
    const item = feed.items.find((i) => i.title === 'Photo du jour')!;
    expect(item.enclosure).to.deep.equal({ url: `${PUBLIC}/media/h4sh-card.jpg`, length: '31337', type: 'image/jpeg' });
    const rss = await (await get('/feeds/fr/rss.xml')).text();
    expect(rss).to.contain(`<media:content url="${PUBLIC}/media/h4sh-card.jpg" medium="image" type="image/jpeg" fileSize="31337" width="1200" height="630"/>`);
    const json = await (await get('/feeds/fr/feed.json')).json();
    expect(json.items.find((i: { title: string }) => i.title === 'Photo du jour').attachments).to.deep.equal([{ url: `${PUBLIC}/media/h4sh-card.jpg`, mime_type: 'image/jpeg', size_in_bytes: 31337 }]);
    const atom = await (await get('/feeds/fr/atom.xml')).text();
    expect(atom).to.contain(`<link rel="enclosure" type="image/jpeg" length="31337" href="${PUBLIC}/media/h4sh-card.jpg"/>`);
  });

  it('serves strong ETags, 304s, gzip and br, and only known feed files', async () => {
    const plain = await get('/feeds/en/atom.xml');
    const body = Buffer.from(await plain.arrayBuffer());
    const etag = plain.headers.get('etag')!;
    expect((await get('/feeds/en/atom.xml', { 'if-none-match': etag })).status).to.equal(304);
    expect((await get('/feeds/en/atom.xml', { 'if-none-match': '"something-else"' })).status).to.equal(200);
    expect((await get('/feeds/en/atom.xml', { 'if-modified-since': 'Fri, 20 Nov 2026 09:00:00 GMT' })).status).to.equal(304);
    expect((await get('/feeds/en/atom.xml', { 'if-modified-since': 'Fri, 20 Nov 2026 08:59:59 GMT' })).status).to.equal(200);

    // Node's fetch decodes by itself: ask with a raw request to see the encoded bytes
    const raw = (encoding: string, extra: Record<string, string> = {}) => new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
      import('node:http').then(({ get: httpGet }) => httpGet(`${service.url}/feeds/en/atom.xml`, { headers: { 'accept-encoding': encoding, ...extra } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      }).on('error', reject));
    });
    const br = await raw('gzip, deflate, br');
    expect(br.headers['content-encoding']).to.equal('br');
    expect(br.headers.vary).to.equal('Accept-Encoding');
    expect(Buffer.compare(await unbrotli(br.body), body)).to.equal(0);
    expect(br.headers.etag, 'each encoding has its own strong tag').to.not.equal(etag);
    const gz = await raw('gzip;q=1, br;q=0');
    expect(gz.headers['content-encoding']).to.equal('gzip');
    expect(Buffer.compare(await gunzip(gz.body), body)).to.equal(0);
    expect((await raw('br', { 'if-none-match': br.headers.etag as string })).status).to.equal(304);
    expect((await raw('identity', { 'if-none-match': gz.headers.etag as string })).status, 'a tag of another encoding names the same content').to.equal(304);

    expect((await fetch(`${service.url}/feeds/en/rss.xml`, { method: 'HEAD' })).headers.get('content-length')).to.match(/^\d+$/);
    expect((await fetch(`${service.url}/feeds/en/rss.xml`, { method: 'POST' })).status).to.equal(405);
    expect((await get('/feeds/en/secret.txt')).status).to.equal(404);
    expect((await get('/feeds/_partner/en/rss.xml')).status).to.equal(404);
    expect((await get('/feeds/en/..%2F..%2Fetc/rss.xml')).status).to.equal(404);
    const link = (await get('/feeds/en/rss.xml')).headers.get('link');
    expect(link).to.equal(`<${hub.url}/hub>; rel="hub", <${PUBLIC}/feeds/en/rss.xml>; rel="self"`);
  });

  it('has per-topic feeds, an OPML index, a localized discovery page, ninjs and a news sitemap', async () => {
    const topic = await (await get('/feeds/en/doi-ngoai/rss.xml')).text();
    expect(topic).to.contain('Spokesperson on citizen protection');
    expect(topic, 'the topic named in English, its slug unchanged').to.contain('<![CDATA[Viet Nam news in English: Foreign affairs]]>');
    expect(await (await get('/feeds/fr/doi-ngoai/atom.xml')).text()).to.match(/<title type="text">[^<]+: Affaires étrangères<\/title>/);
    const opml = await (await get('/feeds/index.opml')).text();
    const feedUrls = [...opml.matchAll(/xmlUrl="([^"]+)"/g)].map((m) => m[1]);
    // one subscription per feed: the Atom feed of each audience and topic, nothing twice, no empty audience
    expect(feedUrls).to.deep.equal([`${PUBLIC}/feeds/en/atom.xml`, `${PUBLIC}/feeds/en/doi-ngoai/atom.xml`, `${PUBLIC}/feeds/fr/atom.xml`, `${PUBLIC}/feeds/fr/doi-ngoai/atom.xml`]);
    expect(opml).to.contain('text="Viet Nam news in English: Foreign affairs"');
    expect(opml, 'an audience with nothing published is left out').not.to.contain('/feeds/ru/');
    const redirect = await fetch(`${service.url}/feeds/fr`, { redirect: 'manual' });
    expect(redirect.status).to.equal(301);
    const page = await (await get('/feeds/fr/')).text();
    expect(page).to.contain('<html lang="fr">');
    expect(page).to.contain(`<link rel="alternate" type="application/atom+xml" title="Atom 1.0" href="${PUBLIC}/feeds/fr/atom.xml">`);
    expect(page).to.contain('Par thème');
    const ninjs = await (await get('/feeds/en/ninjs.json')).json();
    expect(ninjs.items[0]).to.include({ uri: guid, type: 'text', version: '1', language: 'en', firstCreated: '2026-11-20T09:00:00Z' });
    expect(ninjs.items[0].headlines).to.deep.equal([{ role: 'main', value: 'Spokesperson on citizen protection' }]);
    // ninjs 3.1 admits only its own properties (unevaluatedProperties: false); associations need name and uri
    const ninjs31 = ['uri', 'type', 'representationType', 'profile', 'version', 'firstCreated', 'versionCreated', 'contentCreated', 'embargoedUntil',
      'pubStatus', 'urgency', 'copyrightHolder', 'copyrightNotice', 'usageTerms', 'edNote', 'language', 'descriptions', 'bodies', 'headlines', 'people',
      'organisations', 'places', 'subjects', 'events', 'eventDetails', 'plannedCoverage', 'objects', 'infoSources', 'title', 'by', 'slugline', 'located',
      'renditions', 'associations', 'altIds', 'trustIndicators', 'standard', 'genres', 'expires', 'rightsInfo', 'digitalSourceType'];
    expect(ninjs.items[0]).to.have.keys(Object.keys(ninjs.items[0]).filter((k) => ninjs31.includes(k)));
    expect(ninjs.items[0].renditions).to.deep.equal([{ name: 'web', href: `${PUBLIC}/read/en/${enId}`, contentType: 'text/html' }]);
    expect(ninjs.items[0].associations.map((a: { name: string; uri: string }) => [a.name, a.uri])).to.deep.equal([
      ['featureimage', 'https://baoquocte.vn/anh.jpg'], ['original', 'https://baoquocte.vn/ngoai-giao-1.html'], ['translation-fr', `${PUBLIC}/read/fr/${frId}`]]);
    const sitemap = await (await get('/feeds/en/news-sitemap.xml')).text();
    expect(sitemap).to.contain(`<loc>${PUBLIC}/read/en/${enId}</loc>`);
    expect(sitemap).to.contain('<news:name>Tin đối ngoại</news:name><news:language>en</news:language>');
  });

  it('pings the WebSub hub for every changed feed', async () => {
    await service.settled();
    const pings = await eventually('the ping for the Atom feed', async () => {
      const sent = hub.requests.map((r) => new URLSearchParams(r.body)).map((f) => ({ mode: f.get('hub.mode'), url: f.get('hub.url') }));
      return sent.some((p) => p.url === `${PUBLIC}/feeds/en/atom.xml`) ? sent : undefined;
    }, { timeoutMs: 10_000 });
    expect(pings.every((p) => p.mode === 'publish')).to.equal(true);
    expect(pings.map((p) => p.url)).to.include.members([`${PUBLIC}/feeds/en/rss.xml`, `${PUBLIC}/feeds/en/atom.xml`, `${PUBLIC}/feeds/en/feed.json`, `${PUBLIC}/feeds/en/doi-ngoai/rss.xml`]);
  });

  it('keeps the id of a corrected translation, moves its update date, shows a correction note', async () => {
    const current = (await translator('GET', `/api/v1/translations/${enId}`)).body.data;
    expect((await translator('PATCH', `/api/v1/translations/${enId}`, { title: 'Spokesperson on protecting citizens abroad', version: current.version })).status).to.equal(200);
    const submitted = await translator('POST', `/api/v1/translations/${enId}/submit`);
    expect(submitted.status).to.equal(200);
    const before = await (await get('/feeds/en/rss.xml')).text();
    expect(before, 'the published text stays until the correction is approved').to.contain('Spokesperson on citizen protection');
    now = new Date('2026-11-21T10:30:00Z');
    expect((await editor('POST', `/api/v1/translations/${enId}/approve`, { version: submitted.body.data.version })).status).to.equal(200);
    const json = await (await get('/feeds/en/feed.json')).json();
    expect(json.items).to.have.length(1);
    expect(json.items[0]).to.include({ id: guid, title: 'Spokesperson on protecting citizens abroad', date_published: '2026-11-20T09:00:00Z', date_modified: '2026-11-21T10:30:00Z' });
    // the en-GB audience reads dates the British way, in London time, the zone named
    expect(json.items[0].content_html).to.contain('Correction: this article was updated on 21 November 2026 at 10:30 GMT.');
    const ninjs = await (await get('/feeds/en/ninjs.json')).json();
    expect(ninjs.items[0].version).to.equal('2');
    const page = await (await get(`/read/en/${enId}`)).text();
    expect(page).to.contain('Correction: this article was updated on');
    expect(page).to.contain(`<link rel="alternate" hreflang="fr" href="${PUBLIC}/read/fr/${frId}">`);
    const sourceLine = /<p class="source">.*?<\/p>/.exec(json.items[0].content_html)![0];
    expect(page, 'the page carries the feed item\'s source line').to.contain(sourceLine);
  });

  it('takes a withdrawn translation out of every feed at once', async () => {
    expect((await editor('POST', `/api/v1/translations/${enId}/withdraw`, {})).status, 'a takedown needs a reason').to.equal(400);
    expect((await translator('POST', `/api/v1/translations/${enId}/withdraw`, { reason: 'x' })).status).to.equal(403);
    now = new Date('2026-11-21T11:00:00Z');
    const res = await editor('POST', `/api/v1/translations/${enId}/withdraw`, { reason: 'Source retracted the story' });
    expect(res.status).to.equal(200);
    expect(res.body.data.state).to.equal('withdrawn');
    for (const file of ['rss.xml', 'atom.xml', 'feed.json', 'ninjs.json', 'news-sitemap.xml', 'doi-ngoai/rss.xml']) {
      expect(await (await get(`/feeds/en/${file}`)).text(), file).not.to.contain('protecting citizens');
    }
    const atom = await (await get('/feeds/en/atom.xml')).text();
    expect(atom).to.contain(`<at:deleted-entry ref="${guid}" when="2026-11-21T11:00:00Z"/>`);
    expect((await get(`/read/en/${enId}`)).status).to.equal(410);
    const frPage = await (await get(`/read/fr/${frId}`)).text();
    expect(frPage, 'the other translations stop pointing at it').not.to.contain(`/read/en/${enId}`);
    const history = await translator('GET', `/api/v1/translations/${enId}/history`);
    expect(history.body.data.events.at(-1)).to.include({ to: 'withdrawn', reason: 'Source retracted the story' });
  });

  it('shows embargoed items to partners only, counts their access, and schedules the public release', async () => {
    const storyId = await story('cam-van-1', null);
    const id = await draft(storyId, 'en', 'en', 'Embargoed statement');
    expect((await editor('PUT', `/api/v1/translations/${id}/embargo`, { until: '2026-11-19T00:00:00Z' })).status, 'an embargo in the past').to.equal(400);
    const set = await editor('PUT', `/api/v1/translations/${id}/embargo`, { until: '2026-11-22T00:00:00Z' });
    expect(set.body.data.embargoUntil).to.equal('2026-11-22T00:00:00.000Z');
    expect((await editor('POST', `/api/v1/translations/${id}/approve`, { version: 1 })).status).to.equal(200);
    expect(await (await get('/feeds/en/rss.xml')).text()).not.to.contain('Embargoed statement');
    expect((await get(`/read/en/${id}`)).status).to.equal(404);

    const partner = await admin('POST', '/api/v1/partners', { name: 'Agence Exemple', audiences: ['en'] });
    expect(partner.status).to.equal(201);
    expect((await editor('POST', '/api/v1/partners', { name: 'x' })).status, 'partners are for admins').to.equal(403);
    const token = (await admin('POST', `/api/v1/partners/${partner.body.data.id}/tokens`)).body.data.token as string;
    expect((await get('/partner/feeds/en/feed.json')).status).to.equal(401);
    expect((await get('/partner/feeds/en/feed.json?token=wrong')).status).to.equal(401);
    const json = await (await get('/partner/feeds/en/feed.json', { authorization: `Bearer ${token}` })).json();
    expect(json.items[0].title).to.equal('Embargoed statement');
    expect(json.items[0]._translations.embargoed_until).to.equal('2026-11-22T00:00:00Z');
    const ninjs = await (await get(`/partner/feeds/en/ninjs.json?token=${token}`)).json();
    expect(ninjs.items[0].embargoedUntil).to.equal('2026-11-22T00:00:00Z');
    // counted just after the bytes went out
    const listed = await eventually('both partner requests counted', async () => {
      const r = await admin('GET', '/api/v1/partners');
      return r.body.data[0].access.length >= 2 && r;
    });
    expect(listed.body.data[0].access).to.deep.include.members([{ feed: 'en/feed.json', count: 1, lastAt: '2026-11-21T11:00:00.000Z' }, { feed: 'en/ninjs.json', count: 1, lastAt: '2026-11-21T11:00:00.000Z' }]);

    const jobs = await sql<{ start_after: Date; data: { audienceId: string } }>`SELECT start_after, data FROM ${sql.id(`${database.schema}_jobs`, 'job')} WHERE name = 'feeds.rebuild'`.execute(database.db);
    expect(jobs.rows.map((r) => [r.data.audienceId, r.start_after.toISOString()])).to.deep.include(['en', '2026-11-22T00:00:00.000Z']);

    // the lifting moment: the rebuild the job runs makes the item public
    now = new Date('2026-11-22T00:00:01Z');
    const other = await draft(await story('sau-cam-van', null), 'en', 'en', 'After the embargo');
    await editor('POST', `/api/v1/translations/${other}/approve`, { version: 1 });
    const rss = await (await get('/feeds/en/rss.xml')).text();
    expect(rss).to.contain('Embargoed statement');
    expect((await get(`/read/en/${id}`)).status).to.equal(200);

    const revoke = await admin('DELETE', `/api/v1/partners/${partner.body.data.id}/tokens/${listed.body.data[0].tokens[0].id}`);
    expect(revoke.status).to.equal(204);
    expect((await get(`/partner/feeds/en/rss.xml?token=${token}`)).status).to.equal(401);
  });

  it('releases an approved item under embargo at once when the embargo is lifted early', async () => {
    const id = await draft(await story('cam-van-2', null), 'en', 'en', 'Released early');
    await editor('PUT', `/api/v1/translations/${id}/embargo`, { until: '2026-12-01T00:00:00Z' });
    await editor('POST', `/api/v1/translations/${id}/approve`, { version: 1 });
    expect(await (await get('/feeds/en/rss.xml')).text()).not.to.contain('Released early');
    const lifted = await editor('PUT', `/api/v1/translations/${id}/embargo`, { until: null });
    expect(lifted.status).to.equal(200);
    const json = await (await get('/feeds/en/feed.json')).json();
    const item = json.items.find((i: { title: string }) => i.title === 'Released early');
    expect(item.date_published, 'published when released').to.equal('2026-11-22T00:00:01Z');
    expect((await editor('PUT', `/api/v1/translations/${id}/embargo`, { until: '2026-12-02T00:00:00Z' })).status, 'public now: too late').to.equal(409);
  });

  it('keeps item ids when PUBLIC_URL changes', async () => {
    await service.close();
    const moved = writeTestConfig({
      audiences: config.audiences.map((a) => ({ id: a.id, language: a.language, provider: 'manual' })),
      publishing: { publicUrl: 'https://mirror.example.net', itemsPerFeed: 20 },
    });
    service = await startTestService(moved, database, clock);
    await service.settled();
    const feed = await new Parser().parseString(await (await get('/feeds/fr/rss.xml')).text());
    const item = feed.items.find((i) => i.title === 'Le porte-parole sur la protection des citoyens')!;
    expect(item.link).to.equal(`https://mirror.example.net/read/fr/${frId}`);
    expect(item.guid).to.equal(`tag:news.example.org,2026-11-20:fr/${frId}`);
  });
});
