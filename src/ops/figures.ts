/**
 * The figures supervisors watch — timeliness and accuracy at a glance — computed from the
 * database on demand, so every instance answers the same. Shared by /metrics and the dashboard.
 * All windows end at `now`; durations are in seconds.
 */
import { sql, type RawBuilder } from 'kysely';
import { openStates, priorityWindowDays } from '../review/queue.ts';
import type { Db } from '../store/db.ts';
import '../store/schema-feeds.ts';
import '../store/schema-review.ts';
import '../store/schema-social.ts';
import '../store/schema-units.ts';
import { usageReport, type UsageReportDeps } from '../translate/usage-report.ts';

export type Window = 'day' | 'week';
const windowStart = (now: Date, hours: number) => new Date(now.getTime() - hours * 3600_000);
/** Where the two windows start: each figure reads the week once and counts the day within it. */
const dayStart = (now: Date) => windowStart(now, 24);
const weekStart = (now: Date) => windowStart(now, 24 * 7);

/**
 * One unit's share of a figure, or everything when `unit` is undefined. A story's unit is fixed at
 * ingestion (stories.unit_id); a translation's is its story's; a person's work is their unit's.
 */
export const storyOfUnit = (unit: string | undefined, story: RawBuilder<unknown> = sql.ref('s.unit_id')) => (unit === undefined ? sql`` : sql`AND ${story} = ${unit}`);
export const translationOfUnit = (unit: string | undefined, translationId: RawBuilder<unknown>) => (unit === undefined ? sql`` : sql`AND EXISTS (
  SELECT 1 FROM translations ut JOIN stories us ON us.id = ut.story_id WHERE ut.id = ${translationId} AND us.unit_id = ${unit})`);
const personOfUnit = (unit: string | undefined, person: RawBuilder<unknown>) => (unit === undefined ? sql`` : sql`AND ${person} IN (SELECT username FROM users WHERE unit_id = ${unit})`);

export interface Backlog { audience: string; state: string; count: number }

/**
 * Translations per audience and state: from the counters and the changes not folded into them yet
 * (migration 036), or with `raw` by counting every translation.
 */
export async function backlog(db: Db, unit?: string, source: StageSource = 'rollups'): Promise<Backlog[]> {
  if (source === 'rollups') {
    const { rows } = await sql<Backlog>`SELECT audience_id AS audience, state, sum(n)::int AS count FROM (
        SELECT audience_id, unit_id, state, n FROM backlog_counts UNION ALL SELECT audience_id, unit_id, state, n FROM backlog_changes
      ) c WHERE true ${storyOfUnit(unit, sql.ref('unit_id'))}
      GROUP BY 1, 2 HAVING sum(n) <> 0 ORDER BY 1, 2`.execute(db);
    return rows;
  }
  if (unit !== undefined) {
    const { rows } = await sql<Backlog>`SELECT t.audience_id AS audience, t.state, count(*)::int AS count
      FROM translations t JOIN stories s ON s.id = t.story_id WHERE s.unit_id = ${unit}
      GROUP BY 1, 2 ORDER BY 1, 2`.execute(db);
    return rows;
  }
  return db.selectFrom('translations').select(['audience_id as audience', 'state', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy(['audience_id', 'state']).orderBy('audience_id').orderBy('state').execute()
    .then((rows) => rows.map((r) => ({ ...r, count: Number(r.count) })));
}

/**
 * The stages of a translation's journey, from the story's ingestion: the (latest) machine draft,
 * the first approval, the first publication, the first social post on any channel.
 */
export const stages = ['machine_draft', 'approved', 'published', 'first_post'] as const;
export type Stage = (typeof stages)[number];

export interface StageTiming { audience: string; stage: Stage; window: Window; p50: number | null; p95: number | null; count: number }

/**
 * Where the figures are read: `rollups`, the tables the database keeps up to date at each change
 * (stage_reached, migration 032: one index, no joins; the counters of migration 036), or `raw`,
 * the raw tables they are derived from (the benchmark's comparison and the tests' check).
 */
export type StageSource = 'rollups' | 'raw';

/**
 * Each stage reached in [from, to] (or [from, to) when `to` is exclusive), as
 * (audience_id, at, seconds): when the stage was reached, and how long after ingestion.
 */
function reachedIn(stage: Stage, from: Date, to: Date, exclusive: boolean, unit?: string, source: StageSource = 'rollups'): RawBuilder<unknown> {
  const before = (col: RawBuilder<unknown>) => (exclusive ? sql`${col} < ${to}` : sql`${col} <= ${to}`);
  if (source === 'rollups') {
    return sql`SELECT audience_id, at, seconds FROM stage_reached
      WHERE stage = ${stage} AND at >= ${from} AND ${before(sql.ref('at'))} ${storyOfUnit(unit, sql.ref('unit_id'))}`;
  }
  switch (stage) {
    case 'machine_draft': return sql`SELECT t.audience_id, t.machine_translated_at AS at, extract(epoch FROM t.machine_translated_at - s.ingested_at) AS seconds
      FROM translations t JOIN stories s ON s.id = t.story_id
      WHERE t.machine_translated_at >= ${from} AND ${before(sql.ref('t.machine_translated_at'))} ${storyOfUnit(unit)}`;
    case 'approved': return sql`SELECT t.audience_id, e.created_at AS at, extract(epoch FROM e.created_at - s.ingested_at) AS seconds
      FROM translation_events e JOIN translations t ON t.id = e.translation_id JOIN stories s ON s.id = t.story_id
      WHERE e.to_state = 'approved' AND e.created_at >= ${from} AND ${before(sql.ref('e.created_at'))}
        AND NOT EXISTS (SELECT 1 FROM translation_events x WHERE x.translation_id = e.translation_id AND x.to_state = 'approved' AND x.id < e.id) ${storyOfUnit(unit)}`;
    case 'published': return sql`SELECT p.audience_id, p.first_published_at AS at, extract(epoch FROM p.first_published_at - s.ingested_at) AS seconds
      FROM publications p JOIN translations t ON t.id = p.translation_id JOIN stories s ON s.id = t.story_id
      WHERE p.first_published_at >= ${from} AND ${before(sql.ref('p.first_published_at'))} ${storyOfUnit(unit)}`;
    case 'first_post': return sql`SELECT DISTINCT ON (sp.translation_id) t.audience_id, sp.sent_at AS at, extract(epoch FROM sp.sent_at - s.ingested_at) AS seconds
      FROM social_posts sp JOIN translations t ON t.id = sp.translation_id JOIN stories s ON s.id = t.story_id
      WHERE sp.sent_at >= ${from} AND ${before(sql.ref('sp.sent_at'))}
        AND NOT EXISTS (SELECT 1 FROM social_posts x WHERE x.translation_id = sp.translation_id AND x.sent_at < sp.sent_at) ${storyOfUnit(unit)}
      ORDER BY sp.translation_id, sp.sent_at`;
  }
}

/** percentile_cont(ARRAY[0.5, 0.95]) as p50 and p95. */
const quantilePair = (q: (number | string)[] | null): { p50: number | null; p95: number | null } =>
  ({ p50: q?.[0] == null ? null : Number(q[0]), p95: q?.[1] == null ? null : Number(q[1]) });

/**
 * p50/p95 of the time from ingestion to each stage, for translations that reached it in the window.
 * One query per stage, run side by side (each starts from an index on the stage's own time,
 * migrations 008 and 009), one pass over the week each; the day is the same rows filtered.
 */
export async function timeToPublish(db: Db, now: Date, unit?: string, source: StageSource = 'rollups'): Promise<StageTiming[]> {
  const week = weekStart(now);
  const day = dayStart(now);
  const results = await Promise.all(stages.map(async (stage) => {
    // one pass over the week; each window's two quantiles from one sort
    const { rows } = await sql<{ audience: string; day: number[] | null; day_count: number; week: number[] | null; week_count: number }>`
      SELECT audience_id AS audience,
        percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY seconds) FILTER (WHERE at >= ${day}) AS day, count(*) FILTER (WHERE at >= ${day})::int AS day_count,
        percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY seconds) AS week, count(*)::int AS week_count
      FROM (${reachedIn(stage, week, now, false, unit, source)}) reached GROUP BY audience_id`.execute(db);
    return rows.flatMap((r) => [
      ...(r.day_count ? [{ audience: r.audience, stage, window: 'day' as const, ...quantilePair(r.day), count: r.day_count }] : []),
      { audience: r.audience, stage, window: 'week' as const, ...quantilePair(r.week), count: r.week_count },
    ]);
  }));
  const order = (x: StageTiming) => `${x.window}\n${x.audience}\n${stages.indexOf(x.stage)}`;
  return results.flat().sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

/** The histogram's upper bounds in seconds, a minute to three days (migration 039's stage_bucket_bounds), then +Inf. */
export const stageBucketBounds = [60, 300, 900, 1800, 3600, 7200, 14400, 43200, 86400, 259200] as const;

export interface StageHistogram {
  audience: string; stage: Stage;
  /** Cumulative, as Prometheus reads them: translations that reached the stage within each bound, the last +Inf. */
  buckets: { le: number; count: number }[];
  count: number; sum: number;
}

/**
 * Time to each stage since the start, per audience and stage, in the histogram's buckets: the
 * folded rows of stage_buckets plus the changes not folded yet (migration 039), some 160 rows,
 * each translation counted once per stage with the time it first took, so that no bucket ever
 * goes down (migration 044); with `raw`, the stages as the raw tables give them now (corrections
 * and deletions applied). /metrics reports it; the dashboard and reports keep their exact quantiles.
 */
export async function stageHistograms(db: Db, source: StageSource = 'rollups'): Promise<StageHistogram[]> {
  type Row = { stage: Stage; audience: string; le: number; n: string; seconds: string };
  // the baseline: every stage reached, ever, from the raw tables
  const everReached = (stage: Stage) => sql`
    SELECT ${stage}::text AS stage, audience_id, stage_bucket(seconds) AS le, count(*) AS n, sum(seconds::numeric) AS seconds
    FROM (${reachedIn(stage, new Date('1970-01-01T00:00:00Z'), new Date('9999-12-31T00:00:00Z'), false, undefined, 'raw')}) reached GROUP BY 2, 3`;
  const from = source === 'rollups'
    ? sql`SELECT stage, audience_id, le, n, seconds FROM stage_buckets UNION ALL SELECT stage, audience_id, le, n, seconds FROM stage_bucket_changes`
    : sql.join(stages.map(everReached), sql` UNION ALL `);
  const { rows } = await sql<Row>`
    SELECT stage, audience_id AS audience, le, sum(n)::text AS n, sum(seconds)::text AS seconds FROM (${from}) b
    GROUP BY 1, 2, 3 HAVING sum(n) <> 0`.execute(db);
  const out = new Map<string, StageHistogram & { own: Map<number, number> }>();
  for (const r of rows) {
    const key = `${r.audience}\n${r.stage}`;
    const h = out.get(key) ?? { audience: r.audience, stage: r.stage, buckets: [], count: 0, sum: 0, own: new Map<number, number>() };
    out.set(key, h);
    h.own.set(Number(r.le), Number(r.n));
    h.count += Number(r.n);
    h.sum += Number(r.seconds);
  }
  return [...out.values()].sort((a, b) => (a.audience === b.audience ? stages.indexOf(a.stage) - stages.indexOf(b.stage) : a.audience < b.audience ? -1 : 1))
    .map(({ own, ...h }) => {
      let running = 0;
      const buckets = [...stageBucketBounds, Infinity].map((le) => ({ le, count: (running += own.get(le) ?? 0) }));
      return { ...h, buckets };
    });
}

export interface RangeTiming { audience: string; stage: Stage; p50: number | null; p95: number | null; count: number }

/** The same figure over any range [from, to) (the periodic report), for the stages asked. */
export async function stageTimes(db: Db, from: Date, to: Date, which: readonly Stage[] = stages, unit?: string, source: StageSource = 'rollups'): Promise<RangeTiming[]> {
  const results = await Promise.all(which.map(async (stage) => {
    const { rows } = await sql<{ audience: string; q: number[] | null; count: number }>`
      SELECT audience_id AS audience, percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY seconds) AS q, count(*)::int AS count
      FROM (${reachedIn(stage, from, to, true, unit, source)}) reached GROUP BY audience_id ORDER BY audience_id`.execute(db);
    return rows.map((r) => ({ audience: r.audience, stage, ...quantilePair(r.q), count: r.count }));
  }));
  return results.flat();
}

export interface SlaFigures {
  audience: string;
  window: Window;
  /** Priority translations first approved in the window, and those approved after the deadline. */
  reviewed: number;
  late: number;
}
export interface Overdue { audience: string; count: number }

/**
 * Priority stories against `review.slaMinutes` (the deadline the queue page counts down): the
 * deadline is ingestion + slaMinutes, met by the translation's first approval.
 */
export async function slaBreaches(db: Db, now: Date, slaMinutes: number, unit?: string): Promise<{ reviews: SlaFigures[]; overdue: Overdue[] }> {
  const day = dayStart(now);
  const week = weekStart(now);
  // from the few priority stories (their own index), ingested up to a week before the window:
  // a priority review that took longer than that is not one the desk still treats as priority;
  // each one's first approval, and its seconds from ingestion, by key from stage_reached (032);
  // one pass over the week, the day the same rows filtered
  const ingestedSince = (since: Date) => windowStart(since, priorityWindowDays * 24);
  const inDay = sql`e.at >= ${day} AND s.ingested_at >= ${ingestedSince(day)}`;
  const late = sql`e.seconds > ${slaMinutes * 60}`;
  // still open past the deadline: as far back as the queue lists priority stories first
  const deadline = new Date(now.getTime() - slaMinutes * 60_000);
  const [{ rows }, { rows: overdue }] = await Promise.all([sql<{ audience: string; day_reviewed: number; day_late: number; reviewed: number; late: number }>`
    SELECT t.audience_id AS audience, count(*) FILTER (WHERE ${inDay})::int AS day_reviewed, count(*) FILTER (WHERE ${inDay} AND ${late})::int AS day_late,
      count(*)::int AS reviewed, count(*) FILTER (WHERE ${late})::int AS late
    FROM stories s JOIN translations t ON t.story_id = s.id
      JOIN stage_reached e ON e.translation_id = t.id AND e.stage = 'approved'
    WHERE s.priority AND s.ingested_at >= ${ingestedSince(week)} AND s.ingested_at <= ${now}
      AND e.at >= ${week} AND e.at <= ${now} ${storyOfUnit(unit)}
    GROUP BY t.audience_id ORDER BY t.audience_id`.execute(db), sql<Overdue>`
    SELECT t.audience_id AS audience, count(*)::int AS count
    FROM stories s JOIN translations t ON t.story_id = s.id
    WHERE s.priority AND s.ingested_at >= ${windowStart(now, priorityWindowDays * 24)} AND s.ingested_at < ${deadline}
      AND t.state IN (${sql.join(openStates)}) ${storyOfUnit(unit)}
    GROUP BY t.audience_id ORDER BY t.audience_id`.execute(db)]);
  const reviews: SlaFigures[] = [
    ...rows.filter((r) => r.day_reviewed > 0).map((r) => ({ audience: r.audience, window: 'day' as const, reviewed: r.day_reviewed, late: r.day_late })),
    ...rows.map((r) => ({ audience: r.audience, window: 'week' as const, reviewed: r.reviewed, late: r.late })),
  ];
  return { reviews, overdue };
}

export interface QaOverrideFigures { audience: string; window: Window; overrides: number; errors: number }
export interface QaCheckFigures { window: Window; check: string; errors: number }

/**
 * Approvals despite QA errors (qa_overrides keeps the errors as they were), per audience and per
 * check. Errors fixed before approval are not stored anywhere, so they are not counted.
 */
export async function qaOverrides(db: Db, now: Date, unit?: string): Promise<{ byAudience: QaOverrideFigures[]; byCheck: QaCheckFigures[] }> {
  // one pass over the week each, from the index on created_at (migration 009); the day the same rows filtered
  const week = weekStart(now);
  const inDay = sql`o.created_at >= ${dayStart(now)}`;
  const inWeek = sql`o.created_at >= ${week} AND o.created_at <= ${now} ${translationOfUnit(unit, sql.ref('o.translation_id'))}`;
  const [audiences, checks] = await Promise.all([
    sql<{ audience: string; day_overrides: number; day_errors: number | null; overrides: number; errors: number }>`
      SELECT t.audience_id AS audience, count(*) FILTER (WHERE ${inDay})::int AS day_overrides, sum(jsonb_array_length(o.issues)) FILTER (WHERE ${inDay})::int AS day_errors,
        count(*)::int AS overrides, sum(jsonb_array_length(o.issues))::int AS errors
      FROM qa_overrides o JOIN translations t ON t.id = o.translation_id
      WHERE ${inWeek} GROUP BY t.audience_id ORDER BY t.audience_id`.execute(db),
    sql<{ check: string; day_errors: number; errors: number }>`
      SELECT coalesce(i->>'check', 'unknown') AS check, count(*) FILTER (WHERE ${inDay})::int AS day_errors, count(*)::int AS errors
      FROM qa_overrides o CROSS JOIN LATERAL jsonb_array_elements(o.issues) i
      WHERE ${inWeek} GROUP BY 1`.execute(db),
  ]);
  const byCount = <T extends { check: string; errors: number }>(rows: T[]) => rows.sort((a, b) => b.errors - a.errors || (a.check < b.check ? -1 : a.check > b.check ? 1 : 0));
  return {
    byAudience: [
      ...audiences.rows.filter((r) => r.day_overrides > 0).map((r) => ({ audience: r.audience, window: 'day' as const, overrides: r.day_overrides, errors: r.day_errors ?? 0 })),
      ...audiences.rows.map((r) => ({ audience: r.audience, window: 'week' as const, overrides: r.overrides, errors: r.errors })),
    ],
    byCheck: [
      ...byCount(checks.rows.filter((r) => r.day_errors > 0).map((r) => ({ window: 'day' as const, check: r.check, errors: r.day_errors }))),
      ...byCount(checks.rows.map((r) => ({ window: 'week' as const, check: r.check, errors: r.errors }))),
    ],
  };
}

export interface QaFoundFigures { audience: string; window: Window; translations: number; errors: number; refused: number }

/**
 * Errors the QA gate found at approval, per audience: for each translation version its last
 * finding counts once (a refusal then an override of the same text is one finding), plus how many
 * approvals were refused for errors.
 */
export async function qaFound(db: Db, now: Date, unit?: string): Promise<QaFoundFigures[]> {
  // one pass over the week, from the index on created_at (migration 010), each finding carrying its
  // audience (migration 043); a version's last finding within the day is the last of its findings
  // made that day
  const day = dayStart(now);
  const { rows } = await sql<{ audience: string; day_translations: number; day_errors: number; day_refused: number; translations: number; errors: number; refused: number }>`
    WITH found AS (
      SELECT translation_id, audience_id, version, errors, overridden, id, created_at >= ${day} AS in_day,
        row_number() OVER (PARTITION BY translation_id, version ORDER BY id DESC) AS nth,
        row_number() OVER (PARTITION BY translation_id, version, created_at >= ${day} ORDER BY id DESC) AS nth_same
      FROM qa_findings WHERE created_at >= ${weekStart(now)} AND created_at <= ${now} ${translationOfUnit(unit, sql.ref('translation_id'))}
    )
    SELECT f.audience_id AS audience,
      count(DISTINCT f.translation_id) FILTER (WHERE f.in_day)::int AS day_translations,
      coalesce(sum(jsonb_array_length(f.errors)) FILTER (WHERE f.in_day AND f.nth_same = 1), 0)::int AS day_errors,
      count(*) FILTER (WHERE f.in_day AND NOT f.overridden)::int AS day_refused,
      count(DISTINCT f.translation_id)::int AS translations,
      coalesce(sum(jsonb_array_length(f.errors)) FILTER (WHERE f.nth = 1), 0)::int AS errors,
      count(*) FILTER (WHERE NOT f.overridden)::int AS refused
    FROM found f GROUP BY f.audience_id ORDER BY f.audience_id`.execute(db);
  return [
    ...rows.filter((r) => r.day_translations > 0).map((r) => ({ audience: r.audience, window: 'day' as const, translations: r.day_translations, errors: r.day_errors, refused: r.day_refused })),
    ...rows.map((r) => ({ audience: r.audience, window: 'week' as const, translations: r.translations, errors: r.errors, refused: r.refused })),
  ];
}

export interface PartnerPulls { partner: string; enabled: boolean; pulls: number; lastAt: Date | null; feeds: number }

/** Feed requests per partner outlet since it was added (partner_access keeps running totals). */
export async function partnerPulls(db: Db): Promise<PartnerPulls[]> {
  const { rows } = await sql<{ partner: string; disabled_at: Date | null; pulls: string; last_at: Date | null; feeds: number }>`
    SELECT p.name AS partner, p.disabled_at, coalesce(sum(a.count), 0) AS pulls, max(a.last_at) AS last_at, count(a.feed)::int AS feeds
    FROM partners p LEFT JOIN partner_access a ON a.partner_id = p.id
    GROUP BY p.id ORDER BY p.name`.execute(db);
  return rows.map((r) => ({ partner: r.partner, enabled: r.disabled_at === null, pulls: Number(r.pulls), lastAt: r.last_at, feeds: r.feeds }));
}

/** Machine-translation cost this month: the same report as /api/v1/usage. */
export const translationCost = (deps: UsageReportDeps) => usageReport(deps);
export type TranslationCost = Awaited<ReturnType<typeof usageReport>>;

export interface SourceHealth {
  id: string; name: string; enabled: boolean; lastSuccessAt: Date | null; lastError: string | null; consecutiveFailures: number;
  /** The last error as a person reads it: a locale key and its values. */
  problem: { key: string; values: Record<string, unknown> } | null;
}

export async function sourceHealth(db: Db, unit?: string): Promise<SourceHealth[]> {
  let q = db.selectFrom('sources').select(['id', 'name', 'enabled', 'last_success_at', 'last_error', 'last_error_key', 'last_error_values', 'consecutive_failures']).orderBy('id');
  if (unit !== undefined) q = q.where('unit_id', '=', unit);
  const rows = await q.execute();
  return rows.map((r) => ({ id: r.id, name: r.name, enabled: r.enabled, lastSuccessAt: r.last_success_at, lastError: r.last_error, consecutiveFailures: r.consecutive_failures,
    problem: r.last_error_key ? { key: r.last_error_key, values: r.last_error_values ?? {} } : null }));
}

export interface ChannelHealth {
  id: string; network: string; audience: string;
  /** active | broken | not_configured | disabled, with the reason a person should read. */
  status: string; statusReason: string | null; statusReasonKey: string | null;
  /** Posts waiting to go out (scheduled, sending, outcome unknown) and posts that failed. */
  waiting: number; failed: number;
  lastSentAt: Date | null;
}

/** Each social channel's state and its posts: a broken channel or failing posts need a person. */
export async function channelHealth(db: Db): Promise<ChannelHealth[]> {
  const { rows } = await sql<{ id: string; network: string; audience_id: string; status: string; status_reason: string | null; status_reason_key: string | null; waiting: number; failed: number; last_sent_at: Date | null }>`
    SELECT c.id, c.network, c.audience_id, c.status, c.status_reason, c.status_reason_key,
      coalesce(w.n, 0)::int AS waiting, coalesce(f.n, 0)::int AS failed, l.sent_at AS last_sent_at
    FROM social_channels c
      -- the few posts waiting or failed, each set from its partial index (migrations 007 and 036)
      LEFT JOIN (SELECT channel_id, count(*) AS n FROM social_posts WHERE status IN ('scheduled', 'sending', 'unknown') GROUP BY 1) w ON w.channel_id = c.id
      LEFT JOIN (SELECT channel_id, count(*) AS n FROM social_posts WHERE status = 'failed' GROUP BY 1) f ON f.channel_id = c.id
      LEFT JOIN LATERAL (SELECT sent_at FROM social_posts WHERE channel_id = c.id AND sent_at IS NOT NULL ORDER BY sent_at DESC LIMIT 1) l ON true
    ORDER BY c.id`.execute(db);
  return rows.map((r) => ({ id: r.id, network: r.network, audience: r.audience_id, status: r.status, statusReason: r.status_reason, statusReasonKey: r.status_reason_key, waiting: r.waiting, failed: r.failed, lastSentAt: r.last_sent_at }));
}

export interface Throughput { person: string; window: Window; edits: number; approvals: number }

const hourMs = 3600_000;

/**
 * Edits (text revisions by people) and approvals per person, in [since, now]. From the rollups:
 * the whole UTC hours inside the window from person_hours (and the changes not folded yet), the
 * part-hours at its edges from the raw tables' indexes (at most an hour at each end). Both
 * windows in one query.
 */
export async function throughput(db: Db, now: Date, unit?: string, source: StageSource = 'rollups'): Promise<Throughput[]> {
  const raw = (from: Date, to: Date, exclusive: boolean) => {
    const before = (col: string) => (exclusive ? sql`${sql.ref(col)} < ${to}` : sql`${sql.ref(col)} <= ${to}`);
    return sql`
      SELECT author AS person, count(*) AS edits, 0 AS approvals FROM revisions
        WHERE kind <> 'machine' AND created_at >= ${from} AND ${before('created_at')} ${personOfUnit(unit, sql.ref('author'))} GROUP BY author
      UNION ALL
      SELECT actor, 0, count(*) FROM translation_events
        WHERE to_state = 'approved' AND created_at >= ${from} AND ${before('created_at')} ${personOfUnit(unit, sql.ref('actor'))} GROUP BY actor`;
  };
  // both windows in one pass, each part marked with the windows it counts in: whole hours
  // [first, last) from the rollup, the week's and the day's leading part-hours, the shared last one
  const tagged = (part: RawBuilder<unknown>, day: boolean, week: boolean) => sql`SELECT person, edits, approvals, ${sql.lit(day)} AS day, ${sql.lit(week)} AS week FROM (${part}) p`;
  const daySince = dayStart(now);
  const weekSince = weekStart(now);
  const firstOf = (since: Date) => new Date(Math.ceil(since.getTime() / hourMs) * hourMs);
  const [dayFirst, weekFirst] = [firstOf(daySince), firstOf(weekSince)];
  const last = new Date(Math.floor(now.getTime() / hourMs) * hourMs);
  const parts = source === 'raw' || dayFirst >= last
    ? sql`${tagged(raw(weekSince, daySince, true), false, true)} UNION ALL ${tagged(raw(daySince, now, false), true, true)}`
    : sql`
      SELECT person, edits, approvals, hour >= ${dayFirst} AS day, true AS week FROM (
        SELECT person, hour, edits, approvals FROM person_hours WHERE hour >= ${weekFirst} AND hour < ${last}
        UNION ALL SELECT person, hour, edits, approvals FROM person_changes WHERE hour >= ${weekFirst} AND hour < ${last}
      ) h WHERE true ${personOfUnit(unit, sql.ref('person'))}
      UNION ALL ${tagged(raw(weekSince, weekFirst, true), false, true)}
      UNION ALL ${tagged(raw(daySince, dayFirst, true), true, false)}
      UNION ALL ${tagged(raw(last, now, false), true, true)}`;
  const { rows } = await sql<{ person: string; day_edits: number; day_approvals: number; edits: number; approvals: number }>`
    SELECT person, coalesce(sum(edits) FILTER (WHERE day), 0)::int AS day_edits, coalesce(sum(approvals) FILTER (WHERE day), 0)::int AS day_approvals,
      coalesce(sum(edits) FILTER (WHERE week), 0)::int AS edits, coalesce(sum(approvals) FILTER (WHERE week), 0)::int AS approvals
    FROM (${parts}) x GROUP BY person ORDER BY person`.execute(db);
  return [
    ...rows.filter((r) => r.day_edits > 0 || r.day_approvals > 0).map((r) => ({ person: r.person, window: 'day' as const, edits: r.day_edits, approvals: r.day_approvals })),
    ...rows.filter((r) => r.edits > 0 || r.approvals > 0).map((r) => ({ person: r.person, window: 'week' as const, edits: r.edits, approvals: r.approvals })),
  ];
}

export interface DashboardDeps {
  db: Db; slaMinutes: number; usage?: UsageReportDeps | undefined;
  /** Where the figures are read (the rollups unless the benchmark compares). */
  stageSource?: StageSource | undefined;
}

/**
 * Every figure at once, for the dashboard page; with a unit, that unit's stories, sources and
 * people (machine-translation cost, partners and channels stay the whole office's).
 */
export async function allFigures(deps: DashboardDeps, now: Date, unit?: string) {
  const [backlogRows, timing, sla, qa, found, cost, people, partners, sources, channels] = await Promise.all([
    backlog(deps.db, unit, deps.stageSource), timeToPublish(deps.db, now, unit, deps.stageSource), slaBreaches(deps.db, now, deps.slaMinutes, unit), qaOverrides(deps.db, now, unit), qaFound(deps.db, now, unit),
    deps.usage ? translationCost({ ...deps.usage, clock: () => now }) : Promise.resolve(undefined),
    throughput(deps.db, now, unit, deps.stageSource), partnerPulls(deps.db), sourceHealth(deps.db, unit), channelHealth(deps.db),
  ]);
  return { backlog: backlogRows, timing, sla, qa: { ...qa, found }, cost, people, partners, sources, channels };
}
export type AllFigures = Awaited<ReturnType<typeof allFigures>>;
