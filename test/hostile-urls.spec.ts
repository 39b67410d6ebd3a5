/**
 * Links and images from outside as script: a corpus of URLs that browsers run or open as something
 * other than a web page (javascript:, data:, vbscript:, file:, in mixed case, split by tabs and
 * newlines, behind control characters) must be refused where a story enters (every parser, polling,
 * the push API) and again where it leaves (every feed format, ninjs, the public pages, the desk), so
 * a bad row stored before the guard existed cannot be rendered either. Public pages carry a strict
 * policy, and the desk's session cookie is never sent to them.
 */
import { expect } from 'chai';
import { escapeXml } from '../src/core/escape.ts';
import { httpUrl } from '../src/core/urls.ts';
import { cleanItem } from '../src/ingest/clean.ts';
import { parseAtom } from '../src/ingest/parsers/atom.ts';
import { parseJsonFeed } from '../src/ingest/parsers/jsonfeed.ts';
import { parsePage } from '../src/ingest/parsers/page.ts';
import { parseRss } from '../src/ingest/parsers/rss.ts';
import { renderAtom } from '../src/publish/atom.ts';
import { renderJsonFeed } from '../src/publish/json-feed.ts';
import { renderNinjs } from '../src/publish/ninjs.ts';
import { renderRss } from '../src/publish/rss.ts';
import type { Service } from '../src/service.ts';
import { createToken } from '../src/store/tokens.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { feedOf, item } from './support/feed-fixtures.ts';
import { body, startOrigin, type Origin } from './support/origin.ts';
import { password, people } from './support/review-fixtures.ts';
import { apiClient, startTestService, writeTestConfig } from './support/service.ts';
import { WebSession } from './support/web-session.ts';

/** What a browser would run or open as something other than a web page. */
const HOSTILE = [
  'javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'java\tscript:alert(1)', 'java\nscript:alert(1)', 'java\r\nscript:alert(1)',
  ' javascript:alert(1)', '\u0001\u0002javascript:alert(1)', '\u0000javascript:alert(1)', 'javascript\t:alert(1)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', 'DATA:image/svg+xml,<svg onload=alert(1)>', 'vbscript:msgbox(1)',
  'file:///etc/passwd', 'FILE://server/share', 'blob:https://a.example/x', 'ftp://a.example/x',
];
/** Also hostile, written so they survive an XML document (no control characters, which XML refuses). */
const HOSTILE_IN_XML = HOSTILE.filter((u) => !/[\u0000-\u0008]/.test(u)).map(escapeXml).concat(['java&#x9;script:alert(1)', 'java&#xA;script:alert(1)', '&#x20;javascript:alert(1)']);
/** What the guard may never let out, however it was written. */
const SCRIPTED = /(java|vb)\s*script\s*:|data:|file:|blob:|ftp:/i;

describe('hostile link and image URLs', function () {
  this.timeout(60_000);

  describe('the guard and the parsers', () => {
    it('keeps only http(s) URLs, as a browser reads them', () => {
      for (const u of HOSTILE) expect(httpUrl(u), JSON.stringify(u)).to.equal(undefined);
      for (const u of HOSTILE) expect(httpUrl(u, 'https://tinh.example.vn/rss/'), `${JSON.stringify(u)} against a base`).to.equal(undefined);
      expect(httpUrl('HTTPS://Tinh.Example.vn/a b')).to.equal('https://tinh.example.vn/a%20b');
      expect(httpUrl('/tin/1.html', 'https://tinh.example.vn/rss/')).to.equal('https://tinh.example.vn/tin/1.html');
      expect(httpUrl('/tin/1.html'), 'relative without a base').to.equal(undefined);
    });

    it('RSS, Atom, JSON Feed and page items carry no hostile link or image', () => {
      const base = 'https://tinh.example.vn/rss/';
      const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>${HOSTILE_IN_XML.map((u, i) =>
        `<item><title>Tin ${i}</title><guid>g${i}</guid><link>${u}</link><enclosure url="${u}" type="image/jpeg" length="1"/>`
        + `<description>${escapeXml(`<img src="${u}">`)}</description></item>`
        + `<item><title>Ảnh ${i}</title><guid>m${i}</guid><media:content url="${u}" medium="image"/></item>`).join('')}</channel></rss>`;
      const atom = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="javascript:alert(1)//"><title>t</title>${HOSTILE_IN_XML.map((u, i) =>
        `<entry><id>e${i}</id><title>Tin ${i}</title><link href="${u}"/><link rel="enclosure" type="image/png" href="${u}"/></entry>`).join('')}`
        + '<entry><id>rel</id><title>Tương đối</title><link href="/tin/1.html"/></entry></feed>';
      const json = JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', items: HOSTILE.map((u, i) => ({ id: `j${i}`, title: `Tin ${i}`, url: u, image: u, content_text: 'x' })) });
      const items = [...parseRss(base, rss), ...parseAtom(base, atom), ...parseJsonFeed(base, json)];
      expect(items.length).to.equal(HOSTILE_IN_XML.length * 3 + 1 + HOSTILE.length);
      // an entity the XML reader leaves as text makes a (harmless) relative path, never a scheme
      for (const i of items) for (const u of [i.url, i.imageUrl]) if (u !== undefined) expect(u, i.guid).to.match(/^https:\/\/tinh\.example\.vn\//);
      expect(items.find((i) => i.guid === 'rel')!.url, 'a relative link resolves against the feed, not the hostile xml:base').to.equal('https://tinh.example.vn/tin/1.html');
      expect(items.filter((i) => i.url === undefined).length, 'most are dropped outright').to.be.greaterThan(HOSTILE.length * 2);
      for (const u of HOSTILE_IN_XML) {
        const page = parsePage('https://tinh.example.vn/tin/1.html', `<html><head><link rel="canonical" href="${u}"><meta property="og:image" content="${u}"></head><body><article><h1>Tin</h1><p>${'Nội dung bài viết. '.repeat(30)}</p></article></body></html>`);
        expect(page.url, u).to.equal('https://tinh.example.vn/tin/1.html');
        expect(page.imageUrl, u).to.equal(undefined);
      }
    });

    it('cleaning drops a hostile link or lead image a parser might have let through', async () => {
      for (const u of HOSTILE) {
        const clean = await cleanItem({ guid: 'g', url: u, title: 'Tin', summary: 'Tóm tắt', bodyHtml: '', author: undefined, category: undefined, imageUrl: u, publishedAt: undefined }, undefined);
        expect(clean.url, JSON.stringify(u)).to.equal(undefined);
        expect(clean.imageUrl, JSON.stringify(u)).to.equal(undefined);
        expect(clean.imageUrls, JSON.stringify(u)).to.deep.equal([]);
      }
    });

    it('every feed renderer drops a stored row\'s hostile original link and image', () => {
      const now = new Date('2026-11-22T06:00:00Z');
      for (const u of HOSTILE) {
        const doc = feedOf('en', [item({ n: 1, originalUrl: u, image: { url: u, type: 'image/jpeg', length: 10, width: 1, height: 1 } })]);
        for (const [name, out] of [['rss', renderRss(doc, now)], ['atom', renderAtom(doc, now)], ['json', renderJsonFeed(doc, now)], ['ninjs', renderNinjs(doc, now)]] as const) {
          expect(out, `${name} ${JSON.stringify(u)}`).not.to.match(SCRIPTED);
          expect(out, `${name} keeps the item`).to.contain('https://news.example.org/read/en/1');
        }
      }
      // a good original stays
      const good = renderRss(feedOf('en', [item({ n: 1 })]), now);
      expect(good).to.contain('https://baoquocte.vn/bai-1.html');
    });
  });

  describe('through the service', () => {
    let database: TestDatabase;
    let service: Service;
    let origin: Origin;
    let admin: ReturnType<typeof apiClient>;
    let editor: ReturnType<typeof apiClient>;
    const PUBLIC = 'http://news.example.org';

    before(async () => {
      origin = await startOrigin();
      database = await freshDatabase();
      service = await startTestService(writeTestConfig({
        audiences: [{ id: 'en', language: 'en', provider: 'manual' }],
        publishing: { publicUrl: PUBLIC, publicationName: 'doingoai' },
      }), database, () => new Date('2026-11-20T08:00:00Z'));
      await service.settled();
      admin = apiClient(service.url, await createToken(database.db, 'root', 'admin'));
      editor = apiClient(service.url, await createToken(database.db, 'ed', 'editor'));
      await people(database.db);
    });
    after(async () => {
      await service?.close();
      await database?.close();
      await origin?.close();
    });

    it('a polled feed\'s hostile links and images are never stored as anything but http(s); its stories are', async () => {
      const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>${HOSTILE_IN_XML.map((u, i) =>
        `<item><title>Tin ${i}</title><guid>r${i}</guid><link>${u}</link><description>Tóm tắt</description><enclosure url="${u}" type="image/jpeg" length="1"/></item>`).join('')}</channel></rss>`;
      const json = JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', items: HOSTILE.map((u, i) => ({ id: `j${i}`, title: `Tin ${i}`, url: u, image: u, content_text: 'Nội dung' })) });
      origin.routes.set('/hostile.xml', body(rss));
      origin.routes.set('/hostile.json', body(json, 'application/feed+json'));
      for (const [id, path] of [['hostile-rss', '/hostile.xml'], ['hostile-json', '/hostile.json']]) {
        expect((await admin('POST', '/api/v1/sources', { id, name: id, url: `${origin.url}${path}` })).status).to.equal(201);
        expect((await admin('POST', `/api/v1/sources/${id}/poll`)).status).to.equal(200);
      }
      const rows = await database.db.selectFrom('stories').select(['guid', 'url', 'image_url']).where('source_id', 'in', ['hostile-rss', 'hostile-json']).execute();
      expect(rows).to.have.length(HOSTILE_IN_XML.length + HOSTILE.length);
      for (const r of rows) for (const u of [r.url, r.image_url]) if (u !== null) expect(u, r.guid).to.satisfy((x: string) => x.startsWith(`${origin.url}/`));
      expect(rows.filter((r) => r.url === null && r.image_url === null).length).to.be.greaterThan(HOSTILE.length * 2 - 4);
      const images = await database.db.selectFrom('story_images').select('source_url').execute();
      for (const i of images) expect(i.source_url).not.to.match(SCRIPTED);
    });

    it('a pushed story with a hostile link or image is refused with a 400', async () => {
      for (const u of HOSTILE) {
        for (const extra of [{ url: u }, { images: [u] }]) {
          const res = await editor('POST', '/api/v1/stories', { title: 'Tin', summary: 'Tóm tắt', ...extra });
          expect(res.status, `${JSON.stringify(extra)}: ${JSON.stringify(res.body)}`).to.equal(400);
          expect(res.body.error.message).to.match(/http\(s\) URL/);
        }
      }
      const ok = await editor('POST', '/api/v1/stories', { id: 'ok', title: 'Tin', summary: 'Tóm tắt', url: 'HTTPS://Baoquocte.vn/a.html' });
      expect(ok.status).to.be.oneOf([200, 201]);
      expect(ok.body.data.url, 'stored as the browser reads it').to.equal('https://baoquocte.vn/a.html');
    });

    it('a bad row stored before the guard reaches no feed, no public page and no desk page', async () => {
      const story = await database.db.insertInto('stories').values({
        guid: 'old-bad', title: 'Tin cũ', summary: 'Tóm tắt', body_html: '<p>Nội dung</p>', content_hash: 'old-bad',
        url: 'java\tscript:alert(document.cookie)', image_url: 'data:text/html,<script>alert(1)</script>', attribution: 'Báo X',
      }).returning('id').executeTakeFirstOrThrow();
      const tr = await database.db.insertInto('translations').values({
        story_id: story.id, audience_id: 'en', language: 'en', state: 'in_review', provider: 'manual', title: 'Old story', summary: 'Summary', body_html: '<p>Body</p>',
      }).returning('id').executeTakeFirstOrThrow();
      expect((await editor('POST', `/api/v1/translations/${tr.id}/approve`, { version: 1 })).status).to.equal(200);
      await service.settled();

      for (const file of ['rss.xml', 'atom.xml', 'feed.json', 'ninjs.json']) {
        const res = await fetch(`${service.url}/feeds/en/${file}`);
        const text = await res.text();
        expect(text, file).to.contain(`/read/en/${tr.id}`);
        expect(text, file).to.contain('Báo X');
        expect(text, file).not.to.match(SCRIPTED);
        expect(res.headers.get('content-security-policy'), file).to.match(/default-src 'none'/);
      }
      const page = await fetch(`${service.url}/read/en/${tr.id}`);
      const html = await page.text();
      expect(page.status).to.equal(200);
      expect(html).to.contain('Old story');
      expect(html).not.to.match(SCRIPTED);
      expect(page.headers.get('content-security-policy')).to.match(/default-src 'none'/).and.not.match(/script-src/);

      const desk = new WebSession(service.url);
      await desk.login('lan', password);
      const storyPage = await desk.get(`/ui/stories/${story.id}`);
      expect(storyPage.status, String(storyPage.location)).to.equal(200);
      expect(storyPage.text).to.contain('Tin cũ');
      expect(storyPage.text).not.to.match(SCRIPTED);
    });

    it('answers from Express carry a policy that runs nothing; the desk keeps its own', async () => {
      const api = await editor('GET', '/api/v1/stories?limit=1');
      expect(api.headers.get('content-security-policy')).to.equal("default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'");
      const missing = await fetch(`${service.url}/no-such-page`);
      expect(missing.headers.get('content-security-policy')).to.match(/^default-src 'none'/);
      const login = await fetch(`${service.url}/ui/login`);
      expect(login.headers.get('content-security-policy')).to.match(/script-src 'self'/);
    });

    it('the session cookie is set for the desk and the API only, and works for both', async () => {
      const desk = new WebSession(service.url);
      const signedIn = await desk.login('lan', password);
      expect(signedIn.status).to.equal(303);
      const cookies = signedIn.headers.getSetCookie().filter((c) => c.startsWith('doingoai.sid='));
      const pathOf = (c: string) => /;\s*Path=([^;]*)/i.exec(c)?.[1];
      expect(cookies.map(pathOf).sort()).to.deep.equal(['/api', '/ui']);
      const value = cookies[0]!.split(';')[0]!;
      expect(cookies.every((c) => c.split(';')[0] === value), 'the same session on both paths').to.equal(true);
      expect((await fetch(`${service.url}/api/v1/stories?limit=1`, { headers: { cookie: value } })).status, 'the API accepts the session').to.equal(200);
      expect((await fetch(`${service.url}/ui/queue`, { headers: { cookie: value }, redirect: 'manual' })).status).to.equal(200);

      await desk.get('/ui/queue');
      const out = await desk.post('/ui/logout');
      expect(out.status, out.text.slice(0, 500)).to.equal(303);
      const cleared = out.headers.getSetCookie().filter((c) => c.startsWith('doingoai.sid=;'));
      expect(cleared.map(pathOf)).to.include.members(['/api', '/ui', '/']);
    });
  });
});
