/**
 * The public site's search: an audience's published stories found by the words of their published
 * text — stemmed in the audience's language, Chinese looked for as a phrase — never by a draft's
 * later edit, a withdrawn story or one still under embargo; the reader's words come back escaped,
 * result pages are kept out of search engines, and long result lists page.
 */
import { expect } from 'chai';
import { parseHTML } from 'linkedom';
import type { Service } from '../src/service.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { startTestService, writeTestConfig } from './support/service.ts';

describe('public site: search', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let service: Service;
  const now = new Date('2026-11-20T08:00:00Z');
  const ids: Record<string, number> = {};

  const search = async (audience: string, words: string, from?: number) => {
    const params = new URLSearchParams({ q: words, ...(from ? { from: String(from) } : {}) });
    const res = await fetch(`${service.url}/${audience}/search/?${params}`);
    const html = await res.text();
    const { document } = parseHTML(html);
    return { res, html, document, titles: [...document.querySelectorAll('.cards h3 a')].map((a) => a.textContent) };
  };

  async function published(name: string, audience: string, language: string, text: { title: string; summary?: string; body?: string }, at = new Date('2026-11-19T09:00:00Z')) {
    const story = await database.db.insertInto('stories').values({
      guid: `search-${name}`, title: `Tin ${name}`, summary: '', body_html: '<p>Nội dung</p>', content_hash: `search-${name}`, url: `https://baoquocte.vn/${name}.html`,
    }).returning('id').executeTakeFirstOrThrow();
    const row = await database.db.insertInto('translations').values({
      story_id: story.id, audience_id: audience, language, state: 'published', provider: 'manual',
      title: text.title, summary: text.summary ?? '', body_html: text.body ?? '<p></p>',
    }).returning('id').executeTakeFirstOrThrow();
    // the publication as the publisher writes it: its language comes from the translation
    await database.db.insertInto('publications').values({
      translation_id: row.id, audience_id: audience, title: text.title, summary: text.summary ?? '', body_html: text.body ?? '<p></p>', first_published_at: at, updated_at: at,
    }).execute();
    ids[name] = row.id;
  }

  before(async () => {
    database = await freshDatabase();
    service = await startTestService(writeTestConfig({
      audiences: [
        { id: 'en', language: 'en', locale: 'en-GB', provider: 'manual', timeZone: 'Europe/London', publicationName: 'Viet Nam News' },
        { id: 'zh', language: 'zh', provider: 'manual', timeZone: 'Asia/Shanghai', publicationName: '越南新闻' },
        { id: 'ru', language: 'ru', provider: 'manual', timeZone: 'Europe/Moscow', publicationName: 'Новости Вьетнама' },
      ],
      publishing: { publicUrl: 'https://news.example.org' },
    }), database, () => now);
    await service.settled();
    await published('ambassadors', 'en', 'en', { title: 'Prime Minister receives the ambassadors of ASEAN countries', summary: 'Talks on trade and rice exports.' });
    await published('harvest', 'en', 'en', { title: 'A record rice harvest in the Mekong Delta', body: '<p>Farmers in An Giang brought in 4.5 million tonnes.</p>' });
    await published('withdrawn', 'en', 'en', { title: 'Ambassadors meet again (withdrawn)' });
    await database.db.updateTable('publications').set({ withdrawn_at: now }).where('translation_id', '=', ids.withdrawn!).execute();
    await published('embargoed', 'en', 'en', { title: 'Ambassadors to be received tomorrow' }, new Date('2026-11-21T08:00:00Z'));
    await published('zh-pm', 'zh', 'zh', { title: '越南总理会见东盟国家大使', summary: '双方讨论贸易与大米出口。' });
    await published('ru-pm', 'ru', 'ru', { title: 'Премьер-министр принял послов стран АСЕАН' });
  });
  after(async () => {
    await service?.close();
    await database?.close();
  });

  it('gives each publication its translation’s language', async () => {
    const rows = await database.db.selectFrom('publications').select(['translation_id', 'language']).execute();
    expect(rows.find((r) => r.translation_id === ids['zh-pm'])?.language).to.equal('zh');
    expect(rows.find((r) => r.translation_id === ids.harvest)?.language).to.equal('en');
  });

  it('finds published stories by their words, stemmed in the audience’s language', async () => {
    expect((await search('en', 'ambassador')).titles).to.deep.equal(['Prime Minister receives the ambassadors of ASEAN countries']);
    expect((await search('en', 'TONNES farmers')).titles).to.deep.equal(['A record rice harvest in the Mekong Delta']);
    expect((await search('en', 'rice')).titles).to.have.members(['Prime Minister receives the ambassadors of ASEAN countries', 'A record rice harvest in the Mekong Delta']);
    expect((await search('ru', 'послы')).titles).to.deep.equal(['Премьер-министр принял послов стран АСЕАН']);
  });

  it('looks for Chinese words as phrases, not as scattered characters', async () => {
    expect((await search('zh', '总理')).titles).to.deep.equal(['越南总理会见东盟国家大使']);
    expect((await search('zh', '大米出口')).titles).to.deep.equal(['越南总理会见东盟国家大使']);
    expect((await search('zh', '理总')).titles).to.deep.equal([]);
  });

  it('never finds a withdrawn story, one under embargo, another audience’s, or a draft edited after publication', async () => {
    await database.db.updateTable('translations').set({ title: 'Prime Minister receives the ambassadors: unpublished wording' }).where('id', '=', ids.ambassadors!).execute();
    expect((await search('en', 'ambassadors')).titles).to.deep.equal(['Prime Minister receives the ambassadors of ASEAN countries']);
    expect((await search('en', 'unpublished wording')).titles).to.deep.equal([]);
    expect((await search('en', '总理')).titles).to.deep.equal([]);
  });

  it('answers in the audience’s language, escapes the words, and keeps result pages out of search engines', async () => {
    const none = await search('zh', '<script>alert(1)</script>');
    expect(none.res.status).to.equal(200);
    expect(none.html).to.not.contain('<script>alert');
    expect(none.document.querySelector('html')!.getAttribute('lang')).to.equal('zh');
    expect(none.document.querySelector('[role=status]')!.textContent).to.equal('没有已发布的新闻包含“<script>alert(1)</script>”。请换用其他词语，或减少词语。');
    expect(none.document.querySelector('input[name=q]')!.getAttribute('value')).to.equal('<script>alert(1)</script>');
    expect(none.document.querySelector('meta[name=robots]')!.getAttribute('content')).to.equal('noindex');
    const form = await fetch(`${service.url}/ru/search/`);
    const { document } = parseHTML(await form.text());
    expect(document.querySelector('label[for=q]')!.textContent).to.equal('Что искать');
    expect(document.querySelector('meta[name=robots]')).to.equal(null);
    expect(document.querySelector('.sections a[aria-current=page]')!.textContent).to.equal('Поиск');
  });

  it('pages through long result lists', async () => {
    for (let i = 0; i < 23; i++) await published(`delta-${i}`, 'en', 'en', { title: `Delta report ${i}` }, new Date(Date.UTC(2026, 10, 1, i)));
    const first = await search('en', 'delta report');
    expect(first.titles).to.have.length(20);
    expect(first.titles[0]).to.equal('Delta report 22');
    const next = first.document.querySelector('a[rel=next]')!.getAttribute('href')!;
    expect(next).to.equal('/en/search/?q=delta+report&from=20');
    const second = await search('en', 'delta report', 20);
    expect(second.titles).to.deep.equal(['Delta report 2', 'Delta report 1', 'Delta report 0']);
    expect(second.document.querySelector('a[rel=next]')).to.equal(null);
  });
});
