/**
 * The rollups the dashboard, the reports and /metrics read (stage_reached and the counters, kept
 * by triggers in the transaction of each change): after a scripted sequence of events — drafts,
 * redrafts, approvals, a second approval, publications, posts sent out of order, deletions, state
 * changes, a story deleted, a unit deleted — and after concurrent state changes, the rows kept as
 * the events happened equal the rows a rebuild derives from the raw tables, and the figures read
 * from them equal the figures read from the raw tables.
 */
import { expect } from 'chai';
import { sql } from 'kysely';
import { backlog, stageBucketBounds, stageHistograms, stages, stageTimes, throughput, timeToPublish, type Stage } from '../src/ops/figures.ts';
import { periodReport } from '../src/ops/report.ts';
import { counterTotals, foldRollups, rebuildRollups } from '../src/ops/rollups.ts';
import { ROLLUPS_FOLD_CRON, rollupsFoldJob } from '../src/ops/rollups-job.ts';
import type { Db } from '../src/store/db.ts';
import type { TranslationState } from '../src/core/workflow.ts';
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
    await createSource(db, { id: 'snv', name: 'Sở Ngoại vụ', url: 'https://example.org/rss', kind: 'rss', schedule: '*/5 * * * *', fullText: false, enabled: true, unit: 'so-ngoai-vu' }, new Date());
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
    // a range on the hour, one whose edges fall inside hours, and one inside an hour; before the
    // rebuild the hours' counts are all changes not folded yet, after it all folded
    const ranges = [week, { from: at(7), to: at(95) }, { from: at(41), to: at(59) }];
    const reports = async () => {
      const out = [];
      for (const range of ranges) for (const unit of [undefined, 'so-ngoai-vu']) out.push(await periodReport({ db, slaMinutes: 60 }, range, unit));
      return out;
    };
    const reported = await reports();
    expect(reported, 'the reports from the raw tables').to.deep.equal(await (async () => {
      const out = [];
      for (const range of ranges) for (const unit of [undefined, 'so-ngoai-vu']) out.push(await periodReport({ db, slaMinutes: 60, stageSource: 'raw' }, range, unit));
      return out;
    })());
    expect(reported[2]!.audiences.map((x) => [x.audience, x.approved, x.published])).to.deep.equal([['en', 1, 1]]);
    // /metrics' histogram only grows: each translation once per stage, with the time it first took
    // (aFr's first draft, bEn's approval taken out and its publication moved, the later post that
    // went first, the deleted translation's stages all stay as observed); the raw tables give the
    // stages as they are now
    const histogram = (seconds: Record<string, number[]>) => Object.entries(seconds).map(([key, list]) => {
      const [audience, stage] = key.split(' ');
      return { audience, stage, count: list.length, sum: list.reduce((a, x) => a + x, 0), buckets: [...stageBucketBounds, Infinity].map((le) => ({ le, count: list.filter((x) => x <= le).length })) };
    });
    const observed = histogram({
      'en machine_draft': [5 * 60, 10 * 60], 'en approved': [50 * 60, 15 * 60], 'en published': [60 * 60, 80 * 60], 'en first_post': [80 * 60],
      'fr machine_draft': [12 * 60, 11 * 60], 'fr approved': [12 * 60],
    });
    const reachedKeys = [...new Set(incremental.map((r) => `${r.audience_id} ${r.stage}`))];
    const current = histogram(Object.fromEntries(reachedKeys.map((key) => [key, incremental.filter((r) => `${r.audience_id} ${r.stage}` === key).map((r) => r.seconds)])));
    const order = (x: { audience: string | undefined; stage: string | undefined }) => `${x.audience} ${stages.indexOf(x.stage as Stage)}`;
    const sorted = <T extends { audience: string | undefined; stage: string | undefined }>(list: T[]) => list.sort((a, b) => (order(a) < order(b) ? -1 : 1));
    const histograms = await stageHistograms(db);
    expect(histograms).to.deep.equal(sorted(observed));
    expect(await stageHistograms(db, 'raw'), 'the raw tables give the stages as they are now').to.deep.equal(sorted(current));
    expect((await sql<{ b: number[] }>`SELECT stage_bucket_bounds() AS b`.execute(db)).rows[0]!.b, 'the database buckets at the same bounds').to.deep.equal([...stageBucketBounds]);
    expect((await rebuildRollups(db)).stageReached).to.equal(incremental.length);
    expect(await stageHistograms(db), 'the rebuild keeps the histogram observed as the events happened').to.deep.equal(histograms);
    expect(await reports(), 'the reports after the rebuild').to.deep.equal(reported);
    expect(await rows(db), 'the rebuild gives the rows kept as the events happened').to.deep.equal(incremental);
    expect(await figures()).to.deep.equal(fromRollups);
    expect({
      dashboard: await timeToPublish(db, now, undefined, 'raw'), unit: await timeToPublish(db, now, 'so-ngoai-vu', 'raw'), report: await stageTimes(db, week.from, week.to, undefined, undefined, 'raw'),
    }, 'the raw tables give the same figures').to.deep.equal(fromRollups);
    expect((await periodReport({ db, slaMinutes: 60 }, week)).audiences.map((x) => [x.audience, x.machineDrafts, x.approved, x.published])).to.deep.equal([['en', 2, 2, 2], ['fr', 1, 0, 0]]);
    expect(fromRollups.dashboard.filter((x) => x.window === 'week').map((x) => `${x.audience} ${x.stage}`)).to.deep.equal(['en machine_draft', 'en approved', 'en published', 'en first_post', 'fr machine_draft']);
  });

  const counters = counterTotals;

  it('keeps the backlog and people counters, folded or not, as a rebuild derives them', async () => {
    const { db } = database;
    // the windows' edges fall inside hours: the part-hours are read from the raw tables
    const clock = new Date('2026-10-05T08:20:00Z');
    const ago = (minutes: number) => new Date(clock.getTime() - minutes * 60_000);
    await createUnit(db, { id: 'so-tttt', nameVi: 'Sở Thông tin và Truyền thông' });
    await createUnit(db, { id: 'bao-dien-tu', nameVi: 'Báo điện tử' });
    await sql`INSERT INTO users (username, display_name, password_hash, role, unit_id) VALUES
      ('hoa', 'Hoa', 'x', 'translator', 'so-tttt'), ('nam', 'Nam', 'x', 'editor', 'bao-dien-tu')`.execute(db);
    const story = async (guid: string, unit: string | null) =>
      (await db.insertInto('stories').values({ guid, title: guid, summary: '', body_html: '', content_hash: guid, ingested_at: ago(2000), unit_id: unit }).returning('id').executeTakeFirstOrThrow()).id;
    const translation = async (storyId: number, audience: string, state: TranslationState) =>
      (await db.insertInto('translations').values({ story_id: storyId, audience_id: audience, language: audience, state, provider: 'deepl' }).returning('id').executeTakeFirstOrThrow()).id;
    const move = (id: number, state: TranslationState) => db.updateTable('translations').set({ state }).where('id', '=', id).execute();
    const revision = (id: number, version: number, author: string, kind: 'machine' | 'edit', minutes: number) =>
      db.insertInto('revisions').values({ translation_id: id, version, title: 't', summary: '', body_html: '', author, kind, created_at: ago(minutes) }).returning('id').executeTakeFirstOrThrow();
    const approval = (id: number, actor: string, minutes: number) =>
      db.insertInto('translation_events').values({ translation_id: id, from_state: 'in_review', to_state: 'approved', actor, created_at: ago(minutes) }).returning('id').executeTakeFirstOrThrow();

    const s1 = await story('c1', 'so-tttt');
    const s2 = await story('c2', 'bao-dien-tu');
    const s3 = await story('c3', null);
    const t1 = await translation(s1, 'en', 'machine_translated');
    const t2 = await translation(s1, 'fr', 'in_review');
    const t3 = await translation(s2, 'en', 'in_review');
    const t4 = await translation(s3, 'fr', 'queued');
    await move(t1, 'in_review');
    await move(t1, 'in_review'); // the same state again: no change
    await revision(t1, 1, 'deepl', 'machine', 60);
    await revision(t1, 2, 'hoa', 'edit', 24 * 60 - 10); // inside the day, in its first part-hour
    await revision(t1, 3, 'hoa', 'edit', 24 * 60 + 5); // just before the day
    await revision(t1, 4, 'hoa', 'edit', 300); // a whole hour
    await revision(t1, 5, 'hoa', 'edit', 10); // the last part-hour
    await revision(t1, 6, 'hoa', 'edit', -1); // after now: not counted
    expect(await foldRollups(db)).to.be.greaterThan(0);
    const mistaken = await revision(t3, 1, 'nam', 'edit', 200);
    await approval(t1, 'nam', 5);
    await approval(t3, 'nam', 8 * 24 * 60); // before the week
    const withdrawn = await approval(t2, 'nam', 90);
    // submissions: each translation a person wrote in or submitted is theirs, until that work is taken out
    const submission = (id: number, actor: string, minutes: number) =>
      db.insertInto('translation_events').values({ translation_id: id, from_state: 'machine_translated', to_state: 'in_review', actor, created_at: ago(minutes) }).returning('id').executeTakeFirstOrThrow();
    await submission(t2, 'hoa', 95);
    await submission(t3, 'hoa', 20);
    const retracted = await submission(t4, 'nam', 50);
    await move(t1, 'approved');
    await move(t2, 'approved');
    await db.deleteFrom('revisions').where('id', '=', mistaken.id).execute();
    await db.deleteFrom('translation_events').where('id', '=', withdrawn.id).execute();
    await foldRollups(db);
    await move(t2, 'published');
    await move(t3, 'rejected');
    const rejection = await db.insertInto('translation_events').values({ translation_id: t3, from_state: 'in_review', to_state: 'rejected', actor: 'nam', reason: 'names', created_at: ago(15) }).returning('submitted_by').executeTakeFirstOrThrow();
    expect(rejection.submitted_by, 'a rejection names whose submission it answered').to.equal('hoa');
    await db.deleteFrom('translation_events').where('id', '=', retracted.id).execute();
    await db.updateTable('translations').set({ story_id: s3 }).where('id', '=', t3).execute(); // moved to another story
    // a translation removed, a story removed with its translations, a unit removed from its stories
    const gone = await translation(s2, 'fr', 'in_review');
    await db.deleteFrom('translations').where('id', '=', gone).execute();
    const s4 = await story('c4', 'so-tttt');
    await translation(s4, 'en', 'in_review');
    await translation(s4, 'fr', 'approved');
    await db.deleteFrom('stories').where('id', '=', s4).execute();
    await translation(s2, 'ru', 'approved');
    // the desk refuses to delete a unit still named; the database takes it off its stories anyway
    await sql`DELETE FROM units WHERE id = 'bao-dien-tu'`.execute(db);
    void t4;

    const figures = async (source: 'rollups' | 'raw') => ({
      backlog: await backlog(db, undefined, source), unit: await backlog(db, 'so-tttt', source),
      people: await throughput(db, clock, undefined, source), unitPeople: await throughput(db, clock, 'so-tttt', source),
    });
    const incremental = await figures('rollups');
    expect(incremental, 'the raw tables give the same figures').to.deep.equal(await figures('raw'));
    expect(incremental.unit).to.deep.equal([{ audience: 'en', state: 'approved', count: 1 }, { audience: 'fr', state: 'published', count: 1 }]);
    expect(incremental.people.filter((p) => p.person === 'hoa' || p.person === 'nam').map((p) => [p.person, p.window, p.edits, p.approvals])).to.deep.equal([
      ['hoa', 'day', 3, 0], ['nam', 'day', 0, 1], ['hoa', 'week', 4, 0], ['nam', 'week', 0, 1],
    ]);
    expect(incremental.unitPeople.map((p) => p.person)).to.deep.equal(['hoa', 'hoa']);
    const drafts = () => sql<{ person: string; translation_id: number; state: string; updated_at: Date }>`
      SELECT person, translation_id, state, updated_at FROM person_drafts ORDER BY person, translation_id`.execute(db).then((r) => r.rows);
    const keptDrafts = await drafts();
    expect(keptDrafts.filter((d) => d.person !== 'lan').map((d) => [d.person, d.translation_id, d.state])).to.deep.equal([['hoa', t1, 'approved'], ['hoa', t2, 'published'], ['hoa', t3, 'rejected']]);
    const kept = await counters(db);
    await rebuildRollups(db);
    expect(await counters(db), 'the rebuild gives the counters kept as the events happened').to.deep.equal(kept);
    expect(await drafts(), 'the rebuild gives the drafts kept as the events happened').to.deep.equal(keptDrafts);
    expect(await figures('rollups')).to.deep.equal(incremental);
  });

  it('lets concurrent state changes of one audience pass each other, and counts them all', async () => {
    const { db } = database;
    const ids: number[] = [];
    for (let i = 0; i < 24; i++) {
      const storyId = (await db.insertInto('stories').values({ guid: `k${i}`, title: 'k', summary: '', body_html: '', content_hash: `k${i}`, ingested_at: now }).returning('id').executeTakeFirstOrThrow()).id;
      ids.push((await db.insertInto('translations').values({ story_id: storyId, audience_id: 'ko', language: 'ko', state: 'in_review', provider: 'deepl' }).returning('id').executeTakeFirstOrThrow()).id);
    }
    // one approval held open: another of the same audience and state does not wait for it
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    let moved!: () => void;
    const first = new Promise<void>((resolve) => { moved = resolve; });
    const open = db.transaction().execute(async (trx) => {
      await trx.updateTable('translations').set({ state: 'approved' }).where('id', '=', ids[0]!).execute();
      moved();
      await held;
    });
    await first;
    await db.transaction().execute(async (trx) => {
      await sql`SET LOCAL lock_timeout = '2s'`.execute(trx);
      await trx.updateTable('translations').set({ state: 'approved' }).where('id', '=', ids[1]!).execute();
    });
    // a fold meanwhile leaves the open change for the next one
    await foldRollups(db);
    release();
    await open;
    const ko = async (source: 'rollups' | 'raw') => (await backlog(db, undefined, source)).filter((b) => b.audience === 'ko');
    expect(await ko('rollups')).to.deep.equal([{ audience: 'ko', state: 'approved', count: 2 }, { audience: 'ko', state: 'in_review', count: 22 }]);

    // four writers moving translations at random, and folds running among them
    let seed = 18;
    const random = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    const states: TranslationState[] = ['in_review', 'approved', 'published', 'rejected'];
    const plan = Array.from({ length: 4 }, () => Array.from({ length: 30 }, () => [ids[random(ids.length)]!, states[random(states.length)]!] as const));
    await Promise.all([
      ...plan.map(async (moves) => {
        for (const [id, state] of moves) await db.transaction().execute((trx) => trx.updateTable('translations').set({ state }).where('id', '=', id).execute());
      }),
      (async () => { for (let i = 0; i < 10; i++) await foldRollups(db); })(),
    ]);
    const incremental = await ko('rollups');
    expect(incremental.reduce((n, b) => n + b.count, 0)).to.equal(24);
    expect(incremental, 'the raw tables give the same counts').to.deep.equal(await ko('raw'));
    const kept = await counters(db);
    await rebuildRollups(db);
    expect(await counters(db), 'the rebuild gives the counters kept as the changes happened').to.deep.equal(kept);
  });

  it('rebuilds while a writer holds one rollup and then wants another the rebuild took: the writer goes on first', async () => {
    const { db } = database;
    const kept = await counters(db);
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    let holding!: () => void;
    const holds = new Promise<void>((resolve) => { holding = resolve; });
    // as an approval does: a trigger wrote to person_drafts, the next one will write to stage_reached
    const writer = db.transaction().execute(async (trx) => {
      await sql`LOCK TABLE person_drafts IN ROW EXCLUSIVE MODE`.execute(trx);
      holding();
      await held;
      await sql`DELETE FROM stage_reached WHERE translation_id = -1`.execute(trx);
      return 'committed';
    });
    await holds;
    const rebuild = rebuildRollups(db);
    const waiting = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM pg_locks WHERE NOT granted AND relation = 'person_drafts'::regclass`.execute(db)).rows[0]!.n);
    for (let i = 0; i < 500 && await waiting() === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await waiting(), 'the rebuild waits for the writer').to.equal(1);
    release();
    expect(await writer).to.equal('committed');
    expect((await rebuild).stageReached).to.equal((await rows(db)).length);
    expect(await counters(db)).to.deep.equal(kept);
  });

  it('folds the changes each minute through its job, leaving every total as it was', async () => {
    const { db } = database;
    const storyId = (await db.insertInto('stories').values({ guid: 'fold', title: 'f', summary: '', body_html: '', content_hash: 'fold', ingested_at: now }).returning('id').executeTakeFirstOrThrow()).id;
    await db.insertInto('translations').values({ story_id: storyId, audience_id: 'lo', language: 'lo', state: 'in_review', provider: 'deepl' }).execute();
    const before = await counterTotals(db);
    const pending = async () => Number((await sql<{ n: string }>`SELECT (SELECT count(*) FROM backlog_changes) + (SELECT count(*) FROM person_changes) + (SELECT count(*) FROM stage_hour_changes) AS n`.execute(db)).rows[0]!.n);
    expect(await pending()).to.be.greaterThan(0);
    const job = rollupsFoldJob({ db });
    expect(ROLLUPS_FOLD_CRON).to.equal('* * * * *');
    await job.handle(undefined, { id: 'x', retryCount: 0 });
    expect(await pending()).to.equal(0);
    expect(await counterTotals(db)).to.deep.equal(before);
  });
});
