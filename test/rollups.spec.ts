/**
 * The rollups the dashboard, the reports and /metrics read (stage_reached, kept by triggers in the
 * transaction of each change): after a scripted sequence of events — drafts, redrafts, approvals,
 * a second approval, publications, posts sent out of order, a deletion — the rows kept as the
 * events happened equal the rows a rebuild derives from the raw tables, and the figures read from
 * them equal the figures read from the raw tables.
 */
import { expect } from 'chai';
import { sql } from 'kysely';
import { stageTimes, timeToPublish } from '../src/ops/figures.ts';
import { periodReport } from '../src/ops/report.ts';
import { rebuildRollups } from '../src/ops/rollups.ts';
import type { Db } from '../src/store/db.ts';
import { createSource } from '../src/store/sources.ts';
import { createUnit } from '../src/store/units.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';

const now = new Date('2026-10-05T08:00:00Z');
const at = (minutes: number) => new Date(now.getTime() - 3 * 86_400_000 + minutes * 60_000);

const rows = (db: Db) => sql<{ translation_id: number; stage: string; audience_id: string; unit_id: string | null; at: Date; seconds: number }>`
  SELECT translation_id, stage, audience_id, unit_id, at, seconds FROM stage_reached ORDER BY translation_id, stage`.execute(db).then((r) => r.rows);

describe('rollups', function () {
  this.timeout(60_000);
  let database: TestDatabase;

  before(async () => { database = await freshDatabase(); });
  after(async () => { await database?.close(); });

  it('keeps, as the events happen, the rows a rebuild derives from the raw tables', async () => {
    const { db } = database;
    await createUnit(db, { id: 'so-ngoai-vu', nameVi: 'Sở Ngoại vụ' });
    await createSource(db, { id: 'snv', name: 'Sở Ngoại vụ', url: 'https://example.org/rss', kind: 'rss', schedule: '*/5 * * * *', fullText: false, enabled: true, unit: 'so-ngoai-vu' });
    const story = async (guid: string, source: string | null, minutes: number) =>
      (await db.insertInto('stories').values({ guid, source_id: source, title: guid, summary: '', body_html: '', content_hash: guid, ingested_at: at(minutes) }).returning('id').executeTakeFirstOrThrow()).id;
    const translation = async (storyId: number, audience: string, machine: number | null) =>
      (await db.insertInto('translations').values({ story_id: storyId, audience_id: audience, language: audience, state: 'machine_translated', provider: 'deepl', machine_translated_at: machine === null ? null : at(machine) }).returning('id').executeTakeFirstOrThrow()).id;
    const event = (id: number, to: 'approved' | 'in_review' | 'published', minutes: number) =>
      db.insertInto('translation_events').values({ translation_id: id, from_state: 'in_review', to_state: to, actor: 'lan', created_at: at(minutes) }).returning('id').executeTakeFirstOrThrow();
    const publish = (id: number, audience: string, minutes: number) => db.insertInto('publications').values({ translation_id: id, audience_id: audience, title: 'x', summary: '', body_html: '', first_published_at: at(minutes) }).execute();

    const a = await story('a', 'snv', 0);
    const b = await story('b', null, 30);
    const aEn = await translation(a, 'en', 5);
    const aFr = await translation(a, 'fr', null);
    const bEn = await translation(b, 'en', 40);
    // drafted late, then drafted again when the story changed
    await db.updateTable('translations').set({ machine_translated_at: at(12) }).where('id', '=', aFr).execute();
    await db.updateTable('translations').set({ machine_translated_at: at(600) }).where('id', '=', aFr).execute();
    // the first approval counts, not the second
    await event(aEn, 'approved', 50);
    await event(aEn, 'in_review', 70);
    await event(aEn, 'approved', 90);
    const wrong = await event(bEn, 'approved', 45);
    await event(bEn, 'approved', 100);
    // the earlier approval was recorded by mistake and is taken out
    await db.deleteFrom('translation_events').where('id', '=', wrong.id).execute();
    await publish(aEn, 'en', 60);
    await publish(bEn, 'en', 110);
    // the first publication time set again (an embargo moved)
    await db.updateTable('publications').set({ first_published_at: at(120) }).where('translation_id', '=', bEn).execute();
    await db.insertInto('social_channels').values([{ id: 'm', network: 'mastodon', audience_id: 'en' }, { id: 'b', network: 'bluesky', audience_id: 'en' }]).execute();
    await db.insertInto('social_posts').values([
      { channel_id: 'm', translation_id: aEn, idempotency_key: 'p1', status: 'scheduled', scheduled_at: at(70) },
      { channel_id: 'b', translation_id: aEn, idempotency_key: 'p2', status: 'sent', scheduled_at: at(65), sent_at: at(80) },
    ]).execute();
    // the later-scheduled post went out first: it is the first post
    await db.updateTable('social_posts').set({ status: 'sent', sent_at: at(75) }).where('idempotency_key', '=', 'p1').execute();
    // a translation and everything about it removed
    const gone = await translation(b, 'fr', 41);
    await event(gone, 'approved', 42);
    await db.deleteFrom('translations').where('id', '=', gone).execute();

    const incremental = await rows(db);
    expect(incremental.map((r) => [r.translation_id, r.stage, r.unit_id, r.seconds])).to.deep.equal([
      [aEn, 'approved', 'so-ngoai-vu', 50 * 60], [aEn, 'first_post', 'so-ngoai-vu', 75 * 60], [aEn, 'machine_draft', 'so-ngoai-vu', 5 * 60], [aEn, 'published', 'so-ngoai-vu', 60 * 60],
      [aFr, 'machine_draft', 'so-ngoai-vu', 600 * 60],
      [bEn, 'approved', null, 70 * 60], [bEn, 'machine_draft', null, 10 * 60], [bEn, 'published', null, 90 * 60],
    ]);
    const week = { from: new Date(now.getTime() - 7 * 86_400_000), to: now };
    const figures = async () => ({
      dashboard: await timeToPublish(db, now), unit: await timeToPublish(db, now, 'so-ngoai-vu'), report: await stageTimes(db, week.from, week.to),
    });
    const fromRollups = await figures();
    expect(await rebuildRollups(db)).to.equal(incremental.length);
    expect(await rows(db), 'the rebuild gives the rows kept as the events happened').to.deep.equal(incremental);
    expect(await figures()).to.deep.equal(fromRollups);
    expect({
      dashboard: await timeToPublish(db, now, undefined, 'raw'), unit: await timeToPublish(db, now, 'so-ngoai-vu', 'raw'), report: await stageTimes(db, week.from, week.to, undefined, undefined, 'raw'),
    }, 'the raw tables give the same figures').to.deep.equal(fromRollups);
    for (const unit of [undefined, 'so-ngoai-vu']) {
      expect(await periodReport({ db, slaMinutes: 60 }, week, unit), `the report of ${unit ?? 'every unit'}`).to.deep.equal(await periodReport({ db, slaMinutes: 60, stageSource: 'raw' }, week, unit));
    }
    expect((await periodReport({ db, slaMinutes: 60 }, week)).audiences.map((x) => [x.audience, x.machineDrafts, x.approved, x.published])).to.deep.equal([['en', 2, 2, 2], ['fr', 1, 0, 0]]);
    expect(fromRollups.dashboard.filter((x) => x.window === 'week').map((x) => `${x.audience} ${x.stage}`)).to.deep.equal(['en machine_draft', 'en approved', 'en published', 'en first_post', 'fr machine_draft']);
  });
});
