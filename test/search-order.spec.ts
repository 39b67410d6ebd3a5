/**
 * Search reads the newest stories first and the older ones from the search index: whichever
 * step finds them, hits come newest first, a page may span both, and a word of a few old stories
 * is found in the stories' text and in the translations' (each in its language).
 */
import { expect } from 'chai';
import { sql } from 'kysely';
import { searchStories, type SearchQuery } from '../src/review/search.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';

describe('search: newest first across the recent stories and the older ones', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  const audiences = new Map([['en', 'en'], ['fr', 'fr'], ['zh', 'zh-Hans']]);
  const query = (words: string, extra: Partial<SearchQuery> = {}) => searchStories(database.db, { words, languages: 'all', offset: 0, limit: 20, ...extra }, audiences);

  before(async () => {
    database = await freshDatabase();
    const { db } = database;
    // 1,200 stories: "Yagi" in the oldest 30 and in 10 around the 700th (newer than the first, older than the last 500)
    await sql`INSERT INTO stories (guid, title, summary, body_html, content_hash, ingested_at, updated_at)
      SELECT 'g' || n, 'Tin số ' || n || CASE WHEN n <= 30 OR n BETWEEN 695 AND 704 THEN ': bão Yagi' ELSE ': bảo hộ công dân' END, '', '<p>Nội dung</p>', md5(n::text),
             timestamptz '2026-11-27T08:00:00Z' - make_interval(mins => 1200 - n), timestamptz '2026-11-27T08:00:00Z'
      FROM generate_series(1, 1200) AS n`.execute(db);
    await sql`INSERT INTO translations (story_id, audience_id, language, state, provider, title, summary, body_html)
      SELECT s.id, a.id, a.lang, 'published', 'manual',
             CASE WHEN s.title LIKE '%Yagi%' THEN 'Typhoon Yagi strikes' ELSE 'Citizen protection' END, '', '<p>Text</p>'
      FROM stories s CROSS JOIN (VALUES ('en', 'en'), ('fr', 'fr'), ('zh', 'zh-Hans')) AS a(id, lang)`.execute(db);
  });
  after(async () => {
    await database?.close();
  });

  const ids = async (rows: Promise<{ hits: { id: number }[]; more: boolean }>) => (await rows).hits.map((h) => h.id);
  const yagi = async () => (await database.db.selectFrom('stories').select('id').where('title', 'like', '%Yagi%').orderBy('id', 'desc').execute()).map((r) => r.id);

  it('finds a word of a few old stories without diacritics, newest first, a page spanning the two steps', async () => {
    const all = await yagi();
    expect(all).to.have.length(40);
    expect(await ids(query('bao yagi'))).to.deep.equal(all.slice(0, 20));
    expect(await ids(query('bao yagi', { offset: 20 }))).to.deep.equal(all.slice(20, 40));
  });

  it('finds it in the translations, in each language, and with an audience filter', async () => {
    const all = await yagi();
    expect(await ids(query('typhoon yagi'))).to.deep.equal(all.slice(0, 20));
    expect(await ids(query('typhoons', { audience: 'en' }))).to.deep.equal(all.slice(0, 20));
    const page = await query('typhoon yagi', { offset: 30 });
    expect(page.hits.map((h) => h.id)).to.deep.equal(all.slice(30, 40));
    expect(page.more).to.equal(false);
  });

  it('finds the older matches when a story filter leaves out the newer ones, for one audience too', async () => {
    const all = await yagi(); // the 10 around the 700th, then the oldest 30
    const { ingested_at: thirtieth } = await database.db.selectFrom('stories').select('ingested_at').where('id', '=', all[10]!).executeTakeFirstOrThrow();
    const until = new Date(thirtieth.getTime() + 1);
    expect(await ids(query('typhoon yagi', { until }))).to.deep.equal(all.slice(10, 30));
    expect(await ids(query('typhoon', { until, audience: 'fr' }))).to.deep.equal(all.slice(10, 30));
    const second = await query('yagi', { until, audience: 'zh', offset: 20 });
    expect(second.hits.map((h) => h.id)).to.deep.equal(all.slice(30, 40));
    expect(second.more).to.equal(false);
    // a few days: the translations looked at are those of the days' first to last story
    const { ingested_at: twentieth } = await database.db.selectFrom('stories').select('ingested_at').where('id', '=', all[20]!).executeTakeFirstOrThrow();
    expect(await ids(query('typhoon yagi', { since: twentieth, until }))).to.deep.equal(all.slice(10, 21));
    expect(await ids(query('typhoon', { since: twentieth, until, audience: 'fr', state: 'published' }))).to.deep.equal(all.slice(10, 21));
    expect(await ids(query('citizen', { since: twentieth, until }))).to.deep.equal([], 'no story of those days says it');
    const before = new Date(Date.UTC(2020, 0, 1));
    expect(await ids(query('typhoon', { since: before, until: new Date(before.getTime() + 86_400_000) }))).to.deep.equal([], 'no story in those days');
  });

  it('fills a page from the newest stories alone when a word is everywhere', async () => {
    const newest = (await database.db.selectFrom('stories').select('id').where('title', 'not like', '%Yagi%').orderBy('id', 'desc').limit(21).execute()).map((r) => r.id);
    const page = await query('bao ho cong dan');
    expect(page.hits.map((h) => h.id)).to.deep.equal(newest.slice(0, 20));
    expect(page.more).to.equal(true);
    expect(await ids(query('citizen protection'))).to.deep.equal(newest.slice(0, 20));
  });

  it('lists a day\'s stories newest first, a page at a time, without words', async () => {
    const since = new Date('2026-11-27T00:00:00Z');
    const until = new Date('2026-11-27T02:00:00Z');
    const day = (await database.db.selectFrom('stories').select('id').where('ingested_at', '>=', since).where('ingested_at', '<', until).orderBy('id', 'desc').execute()).map((r) => r.id);
    expect(day).to.have.length(120);
    const archive = (extra: Partial<SearchQuery>) => searchStories(database.db, { languages: 'all', offset: 0, limit: 20, since, until, ...extra }, audiences);
    expect(await ids(archive({}))).to.deep.equal(day.slice(0, 20));
    const last = await archive({ offset: 100 });
    expect(last.hits.map((h) => h.id)).to.deep.equal(day.slice(100, 120));
    expect(last.more).to.equal(false);
    expect(await ids(archive({ until: undefined })), 'from the day on').to.deep.equal((await database.db.selectFrom('stories').select('id').where('ingested_at', '>=', since).orderBy('id', 'desc').limit(20).execute()).map((r) => r.id));
  });
});
