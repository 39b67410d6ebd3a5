/**
 * The supervision figures (src/ops/figures.ts: the dashboard page and /metrics both read them)
 * with 100,000 stories and 800,000 translations over 70 days, in five units: time of each figure
 * and of all of them together (sequential runs, p50/p95; target p95 < 100 ms for the whole set),
 * a quarterly report for all units (< 1 s) and one unit, a /metrics scrape (< 50 ms), each read
 * from the rollups (migrations 032, 036 and 039) and, as the baseline, from the raw tables; the
 * rollups' rebuild; the backlog with a burst of changes not folded yet, and their fold; and
 * whether any plan reads a large table whole.
 */
import { sql } from 'kysely';
import { allFigures, backlog, channelHealth, partnerPulls, qaFound, qaOverrides, slaBreaches, sourceHealth, stageHistograms, throughput, timeToPublish, translationCost, type StageSource } from '../src/ops/figures.ts';
import { createMetrics } from '../src/ops/metrics.ts';
import { periodReport } from '../src/ops/report.ts';
import { foldRollups, rebuildRollups } from '../src/ops/rollups.ts';
import { benchDatabase, percentile, report } from './support.ts';

const BENCH = 'dashboard';
// BENCH_STORIES: a smaller set to try the benchmark itself out
const STORIES = Number(process.env.BENCH_STORIES ?? 100_000);
const now = new Date('2026-11-27T08:00:00Z');
const audiences = ['en', 'fr', 'es', 'ru', 'zh', 'ja', 'ko', 'lo'];

const database = await benchDatabase();
const { db } = database;
const t0 = performance.now();
await sql`INSERT INTO units (id, name_vi) SELECT 'u' || n, 'Đơn vị ' || n FROM generate_series(0, 4) AS n`.execute(db);
// seeded in bulk without the row triggers (one connection, replica mode); the rollups are then
// rebuilt from the raw tables, which is itself measured
await db.connection().execute(async (db) => {
await sql`SET session_replication_role = replica`.execute(db);
// one story a minute for 70 days (the last 100,000 minutes), one in 97 a priority story
await sql`INSERT INTO stories (guid, title, summary, body_html, content_hash, priority, ingested_at, updated_at, unit_id)
  SELECT 'b' || n, 'Tin ' || n, '', '', md5(n::text), n % 97 = 0, ${now}::timestamptz - make_interval(mins => ${STORIES} - n), ${now}::timestamptz - make_interval(mins => ${STORIES} - n), 'u' || (n % 5)
  FROM generate_series(1, ${STORIES}::int) AS n`.execute(db);
// one in ten still open; the rest drafted after 2-9 minutes and approved after 20-110 minutes
await sql`INSERT INTO translations (story_id, audience_id, language, state, provider, title, created_at, updated_at, machine_translated_at, approved_at, approved_by)
  SELECT s.id, a.id, a.id, CASE WHEN s.id % 10 = 0 THEN 'in_review' ELSE 'published' END, 'deepl', 'Story ' || s.id, s.ingested_at, s.ingested_at,
    s.ingested_at + make_interval(mins => 2 + s.id % 8),
    CASE WHEN s.id % 10 = 0 THEN NULL ELSE s.ingested_at + make_interval(mins => 20 + s.id % 91) END,
    CASE WHEN s.id % 10 = 0 THEN NULL ELSE 'user:' || (s.id % 12) END
  FROM stories s CROSS JOIN unnest(${audiences}::text[]) AS a(id)`.execute(db);
await sql`INSERT INTO translation_events (translation_id, from_state, to_state, actor, created_at)
  SELECT id, 'in_review', 'approved', approved_by, approved_at FROM translations WHERE approved_at IS NOT NULL`.execute(db);
await sql`INSERT INTO revisions (translation_id, version, title, summary, body_html, author, kind, created_at)
  SELECT id, 1, title, '', '', 'deepl', 'machine', machine_translated_at FROM translations
  UNION ALL SELECT id, 2, title, '', '', 'user:' || (id % 12), 'edit', approved_at - interval '5 minutes' FROM translations WHERE approved_at IS NOT NULL`.execute(db);
await sql`INSERT INTO publications (translation_id, audience_id, title, summary, body_html, first_published_at)
  SELECT id, audience_id, title, '', '', approved_at FROM translations WHERE approved_at IS NOT NULL`.execute(db);
await sql`INSERT INTO social_channels (id, network, audience_id) SELECT 'ch-' || a, 'mastodon', a FROM unnest(${audiences}::text[]) AS a`.execute(db);
await sql`INSERT INTO social_posts (channel_id, translation_id, idempotency_key, status, scheduled_at, sent_at)
  SELECT 'ch-' || audience_id, id, 'k' || id, 'sent', approved_at + interval '30 minutes', approved_at + interval '31 minutes' FROM translations WHERE approved_at IS NOT NULL AND id % 5 = 0`.execute(db);
await sql`INSERT INTO qa_overrides (translation_id, version, actor, reason, issues, created_at)
  SELECT id, 2, 'user:1', 'checked', '[{"check":"numbers","severity":"error"}]', approved_at FROM translations WHERE approved_at IS NOT NULL AND id % 50 = 0`.execute(db);
// the QA gate's findings: a refusal before each of those overrides, and one in 25 approvals refused once
await sql`INSERT INTO qa_findings (translation_id, audience_id, version, actor, errors, overridden, created_at)
  SELECT id, audience_id, 2, 'user:1', '[{"check":"numbers","severity":"error"}]'::jsonb, false, approved_at - interval '2 minutes' FROM translations WHERE approved_at IS NOT NULL AND id % 25 = 0
  UNION ALL SELECT id, audience_id, 2, 'user:1', '[{"check":"numbers","severity":"error"}]'::jsonb, true, approved_at FROM translations WHERE approved_at IS NOT NULL AND id % 50 = 0`.execute(db);
await sql`INSERT INTO translation_usage (day, audience_id, billed_characters, requests, memory_hits, memory_characters_saved)
  SELECT d::date, a, 100000, 100, 10, 5000 FROM generate_series(${now}::timestamptz - interval '70 days', ${now}::timestamptz, interval '1 day') d CROSS JOIN unnest(${audiences}::text[]) AS a`.execute(db);
await sql`RESET session_replication_role`.execute(db);
});
const r0 = performance.now();
const stageRows = await rebuildRollups(db);
report(BENCH, { figure: 'rollups rebuild', value: Math.round(performance.now() - r0), unit: 'ms', ...stageRows });
await sql`VACUUM ANALYZE`.execute(db);
await sql`CHECKPOINT`.execute(db);
const counts = await sql<{ translations: string; events: string; revisions: string }>`SELECT (SELECT count(*) FROM translations) AS translations, (SELECT count(*) FROM translation_events) AS events, (SELECT count(*) FROM revisions) AS revisions`.execute(db);
report(BENCH, { figure: 'seed', value: Math.round(performance.now() - t0), unit: 'ms', stories: STORIES, translations: Number(counts.rows[0]!.translations), events: Number(counts.rows[0]!.events), revisions: Number(counts.rows[0]!.revisions) });

const usage = { db, clock: () => now, monthlyCharacterBudget: 50_000_000, providers: ['deepl'] };
const quarter = { from: new Date(now.getTime() - 91 * 86_400_000), to: now };
const scrape = (stageSource: StageSource) => {
  const registry = createMetrics({ db, clock: () => now, slaMinutes: 60, usage, stageSource });
  return () => registry.metrics();
};
const [scrapeRaw, scrapeRollups] = [scrape('raw'), scrape('rollups')];
const figures: [string, () => Promise<unknown>, string?][] = [
  ['backlog (raw tables)', () => backlog(db, undefined, 'raw')],
  ['backlog', () => backlog(db)],
  ['time to each stage (raw tables)', () => timeToPublish(db, now, undefined, 'raw')],
  ['time to each stage', () => timeToPublish(db, now)],
  ['time to each stage, one unit', () => timeToPublish(db, now, 'u1')],
  ['time to each stage, the histogram', () => stageHistograms(db)],
  ['priority deadlines', () => slaBreaches(db, now, 60)],
  ['QA overrides', () => qaOverrides(db, now)],
  ['QA found', () => qaFound(db, now)],
  ['channels', () => channelHealth(db)],
  ['sources', () => sourceHealth(db)],
  ['people (raw tables)', () => throughput(db, now, undefined, 'raw')],
  ['people', () => throughput(db, now)],
  ['partners', () => partnerPulls(db)],
  ['translation cost', () => translationCost(usage)],
  ['all figures (the dashboard, raw tables)', () => allFigures({ db, slaMinutes: 60, usage, stageSource: 'raw' }, now), '< 100'],
  ['all figures (the dashboard)', () => allFigures({ db, slaMinutes: 60, usage }, now), '< 100'],
  ['all figures (the dashboard, one unit)', () => allFigures({ db, slaMinutes: 60, usage }, now, 'u1'), '< 100'],
  ['quarterly report, all units (raw tables)', () => periodReport({ db, slaMinutes: 60, stageSource: 'raw' }, quarter), '< 1000'],
  ['quarterly report, all units', () => periodReport({ db, slaMinutes: 60 }, quarter), '< 1000'],
  ['quarterly report, one unit', () => periodReport({ db, slaMinutes: 60 }, quarter, 'u1'), '< 1000'],
  ['/metrics scrape (raw tables)', scrapeRaw, '< 50'],
  ['/metrics scrape', scrapeRollups, '< 50'],
];
for (const [name, run, target] of figures) {
  await run(); // warm
  const samples: number[] = [];
  for (let i = 0; i < (name.startsWith('quarterly') ? 5 : 15); i++) {
    const t = performance.now();
    await run();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  report(BENCH, { figure: name, value: Number(percentile(samples, 95).toFixed(1)), unit: 'ms p95', p50: Number(percentile(samples, 50).toFixed(1)), ...(target ? { target } : {}) });
}

// a burst of state changes not folded yet (10,000 translations moved: 20,000 changes), then the fold
await sql`UPDATE translations SET state = 'approved' WHERE id IN (SELECT id FROM translations WHERE state = 'in_review' ORDER BY id LIMIT 10000)`.execute(db);
{
  await backlog(db);
  const samples: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t = performance.now();
    await backlog(db);
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  report(BENCH, { figure: 'backlog, 20,000 changes not folded', value: Number(percentile(samples, 95).toFixed(1)), unit: 'ms p95', p50: Number(percentile(samples, 50).toFixed(1)) });
  const f0 = performance.now();
  const moved = await foldRollups(db);
  report(BENCH, { figure: 'fold of those changes', value: Math.round(performance.now() - f0), unit: 'ms', changes: moved });
}

// the plans: no sequential scan of the big tables outside the backlog's grouped count
const seq: string[] = [];
const log = await sql<{ query: string }>`SELECT 1 AS query`.execute(db); // keeps the connection warm
void log;
for (const [name, query] of [
  ['time to each stage', sql`EXPLAIN SELECT count(*) FROM translation_events e WHERE e.to_state = 'approved' AND e.created_at >= ${new Date(now.getTime() - 7 * 86_400_000)} AND e.created_at <= ${now}`],
  ['people', sql`EXPLAIN SELECT author, count(*) FROM revisions WHERE kind <> 'machine' AND created_at >= ${new Date(now.getTime() - 7 * 86_400_000)} AND created_at <= ${now} GROUP BY author`],
  ['machine drafts', sql`EXPLAIN SELECT count(*) FROM translations WHERE machine_translated_at >= ${new Date(now.getTime() - 7 * 86_400_000)} AND machine_translated_at <= ${now}`],
  ['first posts', sql`EXPLAIN SELECT count(*) FROM social_posts WHERE sent_at >= ${new Date(now.getTime() - 7 * 86_400_000)} AND sent_at <= ${now}`],
  ['parked drafts', sql`EXPLAIN SELECT mt_waiting, count(*) FROM translations WHERE mt_waiting IS NOT NULL GROUP BY mt_waiting`],
] as const) {
  const plan = (await query.execute(db)).rows.map((r) => Object.values(r as Record<string, string>)[0]).join('\n');
  if (/Seq Scan on (translations|revisions|translation_events|social_posts)/.test(plan)) seq.push(name);
}
report(BENCH, { figure: 'window queries read whole tables', value: seq.length, unit: 'queries', target: '0', which: seq });
await database.close();
