/**
 * Style guides per audience: the Markdown is rendered and sanitized, editors write it, the
 * audience's translators read it on its page and beside the editor (and no one outside the
 * audience's language does); recurring corrections of machine drafts come back as suggestions.
 */
import { expect } from 'chai';
import { recurringCorrections, renderGuide } from '../src/review/style-guide.ts';
import type { Service } from '../src/service.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { draft, password, people } from './support/review-fixtures.ts';
import { startTestService, writeTestConfig } from './support/service.ts';
import { WebSession } from './support/web-session.ts';

const hostile = [
  '# Writing for English readers',
  '',
  'Use **the ministry’s own titles**; see [the AP guide](https://www.apstylebook.com/).',
  '',
  '- Dates as *12 November 2026*',
  '- Never [click](javascript:alert(1))',
  '',
  '<script>alert("guide")</script><img src=x onerror="alert(2)"><iframe src="https://example.org"></iframe>',
  '<p onclick="alert(3)">Plain paragraph</p>',
].join('\n');

describe('style guides (pure)', () => {
  it('renders Markdown and removes scripts, handlers, frames and javascript: links', () => {
    const html = renderGuide(hostile);
    expect(html).to.contain('<h3>Writing for English readers</h3>').and.contain('<strong>the ministry’s own titles</strong>')
      .and.contain('<a href="https://www.apstylebook.com/" rel="noopener nofollow">the AP guide</a>').and.contain('<li>Dates as <em>12 November 2026</em></li>')
      .and.contain('<p>Plain paragraph</p>');
    expect(html).to.not.match(/<script|onerror|onclick|<iframe|<img|javascript:|alert\("guide"\)/);
  });

  it('counts the same replacement across texts, and only those made at least twice', () => {
    const pairs = [
      { before: 'The Foreign Ministry spokesperson said', after: 'The Foreign Ministry spokeswoman said' },
      { before: 'A spokesperson for the province', after: 'A spokeswoman for the province' },
      { before: 'The committee met', after: 'The board met' },
    ];
    expect(recurringCorrections(pairs)).to.deep.equal([{ from: 'spokesperson', to: 'spokeswoman', count: 2 }]);
    expect(recurringCorrections(pairs, 1).map((c) => c.from)).to.deep.equal(['spokesperson', 'committee']);
  });
});

describe('style guide pages', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let service: Service;
  const ids: number[] = [];
  const signedIn = async (username: string) => {
    const s = new WebSession(service.url);
    expect((await s.login(username, password)).status).to.equal(303);
    return s;
  };

  before(async () => {
    database = await freshDatabase();
    service = await startTestService(writeTestConfig({ audiences: [{ id: 'en', language: 'en', provider: 'manual' }, { id: 'fr', language: 'fr', provider: 'manual' }] }), database);
    await people(database.db);
    for (const guid of ['g-1', 'g-2']) ids.push(await draft(database.db, { guid }));
  });
  after(async () => {
    await service?.close();
    await database?.close();
  });

  it('lets an editor write the guide, preview it and save it, sanitized', async () => {
    const lan = await signedIn('lan');
    await lan.get('/ui/style-guides/en');
    const preview = await lan.post('/ui/style-guides/en', { markdown: hostile, action: 'preview' });
    expect(preview.status).to.equal(200);
    expect(preview.text).to.contain('Preview (not saved yet)').and.contain('<h3>Writing for English readers</h3>');
    expect(await database.db.selectFrom('style_guides').selectAll().execute()).to.deep.equal([]);
    const saved = await lan.post('/ui/style-guides/en', { markdown: hostile, action: 'save' });
    expect(saved.status).to.equal(303);
    const page = await lan.get('/ui/style-guides/en');
    expect(page.text).to.contain('The style guide for en is saved.').and.contain('<h3>Writing for English readers</h3>');
    expect(page.text, 'the Markdown is kept as written, escaped in the textarea').to.contain('&lt;script&gt;alert(&quot;guide&quot;)&lt;/script&gt;');
    expect(page.text.replace(/<textarea[\s\S]*?<\/textarea>/, '')).to.not.match(/<script>alert|onerror=|<iframe/);
    expect((await lan.post('/ui/style-guides/en', { markdown: 'x'.repeat(50_001) })).status).to.equal(400);
  });

  it('shows the guide beside the editor to the audience\'s translators, and to no one else', async () => {
    const thu = await signedIn('thu');
    const editor = await thu.get(`/ui/translations/${ids[0]}`);
    expect(editor.status).to.equal(200);
    expect(editor.text).to.contain('<h2 id="guide-title">Style guide: en</h2>').and.contain('<strong>the ministry’s own titles</strong>');
    expect(editor.text).to.not.match(/<script>alert|onerror=|<iframe/);
    expect((await thu.get('/ui/style-guides/en')).text).to.contain('<h3>Writing for English readers</h3>').and.not.contain('<textarea');
    expect((await thu.post('/ui/style-guides/en', { markdown: 'mine' })).status).to.equal(403);
    const minh = await signedIn('minh');
    expect((await minh.get('/ui/style-guides/en')).status).to.equal(403);
    expect((await minh.get('/ui/style-guides/fr')).text).to.contain('No guide for this audience yet.');
  });

  it('suggests the corrections people keep making to machine drafts', async () => {
    const thu = await signedIn('thu');
    const lan = await signedIn('lan');
    for (const id of ids) {
      const body = ['On the afternoon of 12 November 2026, Ministry of Foreign Affairs spokesperson Do Thanh Van said the missions had assisted more than 3,600 citizens, up 12.5%.', 'The missions helped 186 citizens with repatriation procedures.'];
      const form = (version: string, action: string) => ({ version, title: 'Foreign Ministry spokeswoman on citizen protection', summary: 'In the first 10 months of 2026, overseas missions handled 1,245 cases.', tag: ['p', 'p'], block: body, action });
      await thu.get(`/ui/translations/${id}`);
      expect((await thu.post(`/ui/translations/${id}`, form('1', 'submit'))).status).to.equal(303);
      await lan.get(`/ui/translations/${id}`);
      expect((await lan.post(`/ui/translations/${id}`, form('2', 'approve'))).status).to.equal(303);
    }
    const page = await lan.get('/ui/style-guides/en');
    expect(page.text).to.contain('“spokesperson” changed to “spokeswoman” 2 times').and.contain('href="/ui/glossary?lang=en&amp;q=spokeswoman"');
    const vi = await (await signedIn('hoa')).get('/ui/style-guides/en');
    expect(vi.text).to.contain('“spokesperson” được sửa thành “spokeswoman” 2 lần').and.contain('<h1>Quy định văn phong: en</h1>');
  });
});
