/**
 * Entity-dense and oversized text: every field is bounded in characters and in tags and entities
 * before anything parses or sanitizes it (a clear 400, or a polled item refused with its reason),
 * and what is allowed is sanitized and checked off the event loop, so other requests go on. The
 * tests check the bounds and the order of events, never a wall-clock budget (the benchmark
 * measures /healthz meanwhile).
 */
import { expect } from 'chai';
import { markupCount, overBound, textBounds } from '../src/core/bounds.ts';
import { cleanHtml, cleanHtmlAsync } from '../src/core/sanitize.ts';
import { runChecks, runChecksAsync } from '../src/review/qa/index.ts';
import type { Service } from '../src/service.ts';
import { createToken } from '../src/store/tokens.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { body, startOrigin, type Origin } from './support/origin.ts';
import { draft, password, people } from './support/review-fixtures.ts';
import { apiClient, startTestService, writeTestConfig } from './support/service.ts';
import { WebSession } from './support/web-session.ts';

const dense = (n: number) => `<p>${'&amp;'.repeat(n)}</p>`;

describe('bounded text, sanitized off the event loop', function () {
  this.timeout(60_000);

  describe('the bounds', () => {
    it('count characters, then tags and entities, per field', () => {
      for (const [field, bound] of Object.entries(textBounds) as [keyof typeof textBounds, { chars: number; markup: number }][]) {
        expect(overBound(field, 'a'.repeat(bound.chars)), `${field} at its length`).to.equal(undefined);
        expect(overBound(field, 'a'.repeat(bound.chars + 1))?.message, field).to.match(new RegExp(`${field} has ${bound.chars + 1} characters; at most ${bound.chars}`));
        expect(overBound(field, '&'.repeat(bound.markup)), `${field} at its markup`).to.equal(undefined);
        expect(overBound(field, '<'.repeat(bound.markup + 1))?.message, field).to.match(/tags and entities/);
      }
      expect(markupCount('<p>a &amp; b &#x41;</p>')).to.equal(4);
      expect(markupCount('&'.repeat(1000), 10), 'stops counting past what matters').to.equal(10);
    });
  });

  describe('off the event loop', () => {
    it('a large body is sanitized in the worker: the event loop turns before its answer, and the answer is the same', async () => {
      const big = `<p onclick="x()">${'Tin &amp; bài &#x41; '.repeat(8_000)}</p><script>alert(1)</script>`;
      let turned = false;
      setImmediate(() => { turned = true; });
      const cleaned = await cleanHtmlAsync(big, 'https://bao.example.vn/');
      expect(turned, 'another callback ran while it was sanitized').to.equal(true);
      expect(cleaned).to.equal(cleanHtml(big, 'https://bao.example.vn/'));
      expect(cleaned).not.to.contain('script').and.not.to.contain('onclick');
    });

    it('a small body is sanitized in place, as before', async () => {
      let turned = false;
      setImmediate(() => { turned = true; });
      expect(await cleanHtmlAsync('<p>a<script>x</script></p>', undefined)).to.equal('<p>a</p>');
      expect(turned).to.equal(false);
    });

    it('the accuracy checks of a large text run in the worker and find the same', async () => {
      const source = 'Ngày 12/11/2026, các cơ quan đã hỗ trợ 3.600 lượt công dân. '.repeat(600);
      const target = 'On 12 November 2026 the missions assisted 3,500 citizens. '.repeat(600);
      const input = { source, target, sourceLang: 'vi', targetLang: 'en', glossary: [] };
      let turned = false;
      setImmediate(() => { turned = true; });
      const issues = await runChecksAsync(input);
      expect(turned).to.equal(true);
      expect(issues).to.deep.equal(runChecks(input));
      expect(issues.some((i) => i.check === 'numbers')).to.equal(true);
    });
  });

  describe('through the service', () => {
    let database: TestDatabase;
    let service: Service;
    let origin: Origin;
    let editor: ReturnType<typeof apiClient>;
    let admin: ReturnType<typeof apiClient>;

    before(async () => {
      origin = await startOrigin();
      database = await freshDatabase();
      service = await startTestService(writeTestConfig({ audiences: [{ id: 'en', language: 'en', provider: 'manual' }] }), database, () => new Date('2026-11-20T08:00:00Z'));
      editor = apiClient(service.url, await createToken(database.db, 'ed', 'editor'));
      admin = apiClient(service.url, await createToken(database.db, 'root', 'admin'));
      await people(database.db);
    });
    after(async () => {
      await service?.close();
      await database?.close();
      await origin?.close();
    });

    it('a pushed story over a bound is 400 naming the field; the largest allowed is stored, sanitized', async () => {
      const { body: b } = textBounds;
      for (const [payload, reason] of [
        [{ title: `Tin ${'&'.repeat(textBounds.title.markup + 1)}` }, /title has more than 200 tags and entities/],
        [{ title: 'Tin', summary: '<b>'.repeat(textBounds.summary.markup + 1) }, /summary has more than 2000 tags and entities/],
        [{ title: 'Tin', bodyHtml: dense(b.markup) }, /body has more than 50000 tags and entities/],
        [{ title: 'Tin', bodyHtml: 'x'.repeat(b.chars + 1) }, /bodyHtml: Too big/i],
      ] as [Record<string, string>, RegExp][]) {
        const res = await editor('POST', '/api/v1/stories', payload);
        expect(res.status, JSON.stringify(res.body).slice(0, 200)).to.equal(400);
        expect(res.body.error.message).to.match(reason);
      }
      // the largest allowed body: as many characters and references as the bounds let through
      const largest = `<p>${'&#x41;'.repeat(b.markup - 2)}${'x'.repeat(b.chars - (b.markup - 2) * 6 - 7)}</p>`;
      expect(largest.length).to.equal(b.chars);
      const ok = await editor('POST', '/api/v1/stories', { id: 'largest', title: 'Tin dài', bodyHtml: largest });
      expect(ok.status, JSON.stringify(ok.body).slice(0, 200)).to.equal(201);
      expect(ok.body.data.bodyHtml).to.match(/^<p>A{10}/);
    });

    it('a polled item over a bound is refused with its reason; the others are stored', async () => {
      const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>`
        + `<item><title>Tin dày</title><guid>dense</guid><description>Tóm tắt</description><content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">${'&amp;amp;'.repeat(textBounds.body.markup + 1)}</content:encoded></item>`
        + '<item><title>Tin thường</title><guid>plain</guid><description>Tóm tắt</description></item></channel></rss>';
      origin.routes.set('/dense.xml', body(rss));
      expect((await admin('POST', '/api/v1/sources', { id: 'dense', name: 'dense', url: `${origin.url}/dense.xml` })).status).to.equal(201);
      const res = await admin('POST', '/api/v1/sources/dense/poll');
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      const status = (await admin('GET', '/api/v1/sources/dense/status')).body.data;
      expect(status.recentItemErrors.map((e: { message: string }) => e.message).join(' ')).to.match(/item dense: body has more than 50000 tags and entities/);
      const stored = await database.db.selectFrom('stories').select('guid').where('source_id', '=', 'dense').execute();
      expect(stored.map((s) => s.guid)).to.deep.equal(['plain']);
    });

    it('a translator\'s edit, a QA call and a comment over a bound are 400, in the person\'s words on the desk', async () => {
      const id = await draft(database.db, { guid: 'bounds-1' });
      const current = (await editor('GET', `/api/v1/translations/${id}`)).body.data;
      const edit = await editor('PATCH', `/api/v1/translations/${id}`, { bodyHtml: dense(textBounds.body.markup), version: current.version });
      expect(edit.status).to.equal(400);
      expect(edit.body.error.message).to.match(/body has more than 50000 tags and entities/);
      const qa = await editor('POST', '/api/v1/qa', { source: 'Tin', target: '&x'.repeat(textBounds.body.markup + 1), targetLang: 'en' });
      expect(qa.status).to.equal(400);
      expect(qa.body.error.message).to.match(/target: has more than 50000 tags and entities/);

      const desk = new WebSession(service.url, { 'accept-language': 'vi' });
      await desk.login('hoa', password);
      await desk.get(`/ui/translations/${id}`);
      const comment = await desk.post(`/ui/translations/${id}/comments`, { body: '&'.repeat(textBounds.comment.markup + 1) });
      expect(comment.text).to.contain('Bình luận có hơn 1000 thẻ và thực thể');
      const save = await desk.post(`/ui/translations/${id}`, { title: 'Tiêu đề', summary: '', version: String(current.version), block: dense(60_000), tag: 'p' });
      expect(save.status).to.equal(400);
      expect(save.text).to.contain('Bài viết có hơn 50000 thẻ và thực thể');
    });
  });
});
