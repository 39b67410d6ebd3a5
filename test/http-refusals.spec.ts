/**
 * Requests the service must refuse with the 4xx they deserve, never a 500: bodies over the limit
 * (413), an unknown Content-Encoding or charset (415), ids and versions past PostgreSQL's integer
 * (400 on the API, 404 on public pages), XML nested too deep (a feed error), and desk forms over the
 * size or field limit (a desk page in the person's language, with no raw keys). One mapping serves
 * the API and the desk.
 */
import { expect } from 'chai';
import { gzipSync } from 'node:zlib';
import type { Service } from '../src/service.ts';
import { createToken } from '../src/store/tokens.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { body, startOrigin, type Origin } from './support/origin.ts';
import { draft, password, people } from './support/review-fixtures.ts';
import { apiClient, startTestService, writeTestConfig } from './support/service.ts';
import { WebSession } from './support/web-session.ts';

const TOO_BIG = 2 ** 31;
/** What a desk page must never show: an i18n key instead of words. */
const RAW_KEY = /\b(errors|ui|error):?[a-z]+\.[a-zA-Z]+\b|error\.title|errors:body/;

describe('refusals with the right status', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let service: Service;
  let origin: Origin;
  let token: string;
  let editor: ReturnType<typeof apiClient>;
  let admin: ReturnType<typeof apiClient>;
  let translationId: number;

  before(async () => {
    origin = await startOrigin();
    database = await freshDatabase();
    service = await startTestService(writeTestConfig({
      audiences: [{ id: 'en', language: 'en', provider: 'manual' }],
      publishing: { publicUrl: 'http://news.example.org', publicationName: 'doingoai' },
    }), database, () => new Date('2026-11-20T08:00:00Z'));
    await service.settled();
    token = await createToken(database.db, 'ed', 'editor');
    editor = apiClient(service.url, token);
    admin = apiClient(service.url, await createToken(database.db, 'root', 'admin'));
    await people(database.db);
    translationId = await draft(database.db, { guid: 'refusals-1' });
  });
  after(async () => {
    await service?.close();
    await database?.close();
    await origin?.close();
  });

  const raw = (path: string, init: RequestInit & { headers?: Record<string, string> }) =>
    fetch(`${service.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });

  describe('the API', () => {
    it('a body over the limit is 413 payload_too_large', async () => {
      const res = await raw('/api/v1/stories', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Tin', bodyHtml: 'x'.repeat(2_200_000) }) });
      expect(res.status).to.equal(413);
      const json = await res.json();
      expect(json.error.code).to.equal('payload_too_large');
      expect(json.error.message).to.match(/over the limit of 2048 KiB/);
    });

    it('an unknown Content-Encoding or charset is 415 unsupported_media_type; gzip is read', async () => {
      const json = JSON.stringify({ title: 'Tin nén', summary: 'Tóm tắt' });
      const enc = await raw('/api/v1/stories', { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'x-squash' }, body: json });
      expect(enc.status).to.equal(415);
      expect((await enc.json()).error).to.deep.include({ code: 'unsupported_media_type' });
      const charset = await raw('/api/v1/stories', { method: 'POST', headers: { 'content-type': 'application/json; charset=latin1' }, body: json });
      expect(charset.status).to.equal(415);
      expect((await charset.json()).error.message).to.match(/charset "latin1" is not supported/);
      const gz = await raw('/api/v1/stories', { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(json) });
      expect(gz.status).to.be.oneOf([200, 201]);
    });

    it('ids, versions and cursors past PostgreSQL\'s integer are 400, not 500', async () => {
      const cursor = Buffer.from(JSON.stringify(['2026-11-20T08:00:00.000Z', TOO_BIG])).toString('base64url');
      for (const [method, path, payload] of [
        ['GET', `/api/v1/stories/${TOO_BIG}`],
        ['GET', '/api/v1/stories/99999999999999999999'],
        ['GET', `/api/v1/translations/${TOO_BIG}`],
        ['PATCH', `/api/v1/translations/${translationId}`, { title: 'x', version: TOO_BIG }],
        ['POST', `/api/v1/translations/${TOO_BIG}/approve`, {}],
        ['GET', `/api/v1/stories?cursor=${cursor}`],
        ['GET', `/api/v1/translations?cursor=${cursor}`],
        ['DELETE', `/api/v1/partners/1/tokens/${TOO_BIG}`],
      ] as [string, string, unknown?][]) {
        const res = await (method === 'DELETE' || method === 'POST' ? admin : editor)(method, path, payload);
        expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).to.equal(400);
        expect(res.body.error.code).to.equal('invalid_input');
      }
      const ok = await editor('GET', `/api/v1/translations/${translationId}`);
      expect(ok.status, 'the largest allowed id is still read').to.equal(200);
      expect((await editor('GET', '/api/v1/translations/2147483647')).status, '2^31 - 1 may exist: 404').to.equal(404);
    });

    it('a public page for an id past the range is the 404 page', async () => {
      for (const path of [`/read/en/${TOO_BIG}`, '/read/en/9999999999']) {
        const res = await fetch(`${service.url}${path}`);
        expect(res.status, path).to.equal(404);
        expect(res.headers.get('content-type')).to.match(/text\/html/);
      }
    });

    it('XML nested deeper than any feed is a feed error on the source', async () => {
      const deep = `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>x</title><guid>1</guid>${'<a>'.repeat(500)}${'</a>'.repeat(500)}</item></channel></rss>`;
      origin.routes.set('/deep.xml', body(deep));
      expect((await admin('POST', '/api/v1/sources', { id: 'deep', name: 'deep', url: `${origin.url}/deep.xml` })).status).to.equal(201);
      const res = await admin('POST', '/api/v1/sources/deep/poll');
      expect(res.status, JSON.stringify(res.body)).to.equal(422);
      expect(res.body.error.code).to.equal('feed_unreadable');
      expect(res.body.error.message).to.match(/nests elements more than 100 deep/);
      expect((await admin('GET', '/api/v1/sources/deep/status')).body.data.lastError).to.match(/nests elements more than 100 deep/);
    });
  });

  describe('the desk', () => {
    let desk: WebSession;
    before(async () => {
      desk = new WebSession(service.url, { 'accept-language': 'vi' });
      expect((await desk.login('hoa', password)).status).to.equal(303);
      await desk.get('/ui/queue');
    });

    const post = (path: string, payload: string, headers: Record<string, string> = {}) => fetch(`${service.url}${path}`, {
      method: 'POST', redirect: 'manual', body: payload,
      headers: { cookie: desk.cookieHeader(), 'accept-language': 'vi', 'content-type': 'application/x-www-form-urlencoded', ...headers },
    });
    const expectPage = async (res: Response, status: number, words: RegExp, lang = 'vi') => {
      const html = await res.text();
      expect(res.status, html.slice(0, 300)).to.equal(status);
      expect(res.headers.get('content-type')).to.match(/text\/html/);
      expect(html).to.match(words);
      expect(html).to.match(new RegExp(`<html lang="${lang}"`));
      expect(html, 'no raw i18n keys').not.to.match(RAW_KEY);
    };

    it('a form over the size limit is a 413 page in the person\'s language', async () => {
      const res = await post(`/ui/translations/${translationId}`, new URLSearchParams({ _csrf: desk.csrf, title: 'x'.repeat(2_200_000), version: '1' }).toString());
      await expectPage(res, 413, /Biểu mẫu lớn hơn mức bàn biên tập nhận được \(tối đa 2048 KiB\)/);
    });

    it('a form with too many fields is a 413 page', async () => {
      const fields = Array.from({ length: 6000 }, (_, i) => `f${i}=1`).join('&');
      await expectPage(await post('/ui/glossary', `_csrf=${encodeURIComponent(desk.csrf)}&${fields}`), 413, /Biểu mẫu có nhiều trường hơn/);
    });

    it('a form in an unknown encoding or charset is a 415 page', async () => {
      await expectPage(await post('/ui/glossary', '_csrf=x', { 'content-encoding': 'x-squash' }), 415, /bàn biên tập không đọc được/);
      await expectPage(await post('/ui/glossary', '_csrf=x', { 'content-type': 'application/x-www-form-urlencoded; charset=koi8-r' }), 415, /chỉ đọc UTF-8/);
    });

    it('ids and versions past the range are refused with a page, not a 500', async () => {
      const form = (extra: Record<string, string>) => new URLSearchParams({ _csrf: desk.csrf, ...extra }).toString();
      await expectPage(await post(`/ui/glossary/${TOO_BIG}`, form({ source: 'a', target: 'b', lang: 'en' })), 400, /phải là một số nguyên từ 1 đến 2147483647/);
      await expectPage(await post(`/ui/translations/${translationId}`, form({ title: 'Tiêu đề', version: String(TOO_BIG) })), 400, /phải là một số nguyên từ 1 đến 2147483647/);
      for (const path of [`/ui/translations/${TOO_BIG}`, `/ui/stories/${TOO_BIG}`]) {
        const res = await desk.get(path);
        expect(res.status, path).to.equal(400);
        expect(res.text).not.to.match(RAW_KEY);
      }
      const audit = await desk.get(`/ui/audit?story=${TOO_BIG}`);
      expect(audit.status, 'an out-of-range filter is ignored like any bad filter').to.equal(200);
    });
  });
});
