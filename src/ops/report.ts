/**
 * The periodic report an external-information office files (a month, a quarter, a year or any
 * range): what came in, what went out in each language and how fast, corrections and takedowns
 * with their reasons, social posts, partners' feed pulls, characters against the budget, and QA
 * findings by check. Read from the database for [from, to); durations in seconds. The stage times
 * are the dashboard's own figure (timeToPublish) over the report's range, so both agree.
 */
import { sql } from 'kysely';
import type { Db } from '../store/db.ts';
import '../store/schema-feeds.ts';
import '../store/schema-qa-findings.ts';
import '../store/schema-social.ts';
import { partnerPulls, stageTimes, storyOfUnit, translationOfUnit, type PartnerPulls, type Stage, type StageSource } from './figures.ts';

export interface ReportRange { from: Date; to: Date }

export interface AudienceReport {
  audience: string;
  /** Translations whose machine draft, first approval or first publication fell in the range. */
  machineDrafts: number; approved: number; published: number;
  corrections: number; withdrawals: number;
  /** Ingestion to first publication, p50 and p95; priority stories first approved in the range, and those after the deadline. */
  publishP50: number | null; publishP95: number | null;
  priorityReviewed: number; priorityLate: number;
}

export interface Takedown { kind: 'correction' | 'withdrawal'; translationId: number; audience: string; title: string; actor: string; reason: string | null; at: Date }
export interface ChannelPosts { channel: string; network: string; audience: string; sent: number; failed: number }
export interface MonthCharacters { month: string; billed: number; memorySaved: number }
export interface CheckFindings { check: string; errors: number; overridden: number }

export interface PeriodReport {
  range: ReportRange;
  /** The unit reported on (units.id), or null for the whole office. */
  unit: string | null;
  slaMinutes: number;
  stories: { received: number; priority: number; bySource: { source: string; count: number }[] };
  audiences: AudienceReport[];
  takedowns: Takedown[];
  social: ChannelPosts[];
  partners: PartnerPulls[];
  characters: { months: MonthCharacters[]; billed: number; monthlyBudget: number | null };
  qa: CheckFindings[];
}

const hourMs = 3600_000;

/**
 * Stages reached in [from, to) as (stage, audience_id, unit_id, n), for the three the report
 * counts: the whole UTC hours from stage_hours and the changes not folded yet (migration 036), the
 * part-hours at the edges from stage_reached (at most an hour at each end).
 */
function stagesReached({ from, to }: ReportRange) {
  const counted = sql`stage IN ('machine_draft', 'approved', 'published')`;
  const first = new Date(Math.ceil(from.getTime() / hourMs) * hourMs);
  const last = new Date(Math.floor(to.getTime() / hourMs) * hourMs);
  if (first >= last) return sql`SELECT stage, audience_id, unit_id, 1 AS n FROM stage_reached WHERE ${counted} AND at >= ${from} AND at < ${to}`;
  return sql`
    SELECT stage, audience_id, unit_id, n FROM stage_hours WHERE ${counted} AND hour >= ${first} AND hour < ${last}
    UNION ALL SELECT stage, audience_id, unit_id, n FROM stage_hour_changes WHERE ${counted} AND hour >= ${first} AND hour < ${last}
    UNION ALL SELECT stage, audience_id, unit_id, 1 FROM stage_reached WHERE ${counted} AND ((at >= ${from} AND at < ${first}) OR (at >= ${last} AND at < ${to}))`;
}

export interface ReportDeps {
  db: Db; slaMinutes: number; monthlyCharacterBudget?: number | undefined;
  /** Where stage times are read (the rollups unless the benchmark compares). */
  stageSource?: StageSource | undefined;
}

/**
 * With a unit: its stories and what became of them (a translation's unit is its story's). Partners'
 * pulls and characters are not kept per story, so they stay the whole office's.
 */
export async function periodReport(deps: ReportDeps, range: ReportRange, unit?: string): Promise<PeriodReport> {
  const { db } = deps;
  const { from, to } = range;
  const storyUnit = storyOfUnit(unit, sql.ref('unit_id'));
  const ofUnit = (translationId: string) => translationOfUnit(unit, sql.ref(translationId));
  const [stories, bySource, flow, times, sla, takedowns, social, partners, characters, qa] = await Promise.all([
    sql<{ received: number; priority: number }>`
      SELECT count(*)::int AS received, count(*) FILTER (WHERE priority)::int AS priority FROM stories WHERE ingested_at >= ${from} AND ingested_at < ${to} ${storyUnit}`.execute(db),
    sql<{ source: string; count: number }>`
      SELECT coalesce(source_id, '') AS source, count(*)::int AS count FROM stories WHERE ingested_at >= ${from} AND ingested_at < ${to} ${storyUnit} GROUP BY 1 ORDER BY 2 DESC, 1`.execute(db),
    sql<{ audience: string; machine_drafts: number; approved: number; published: number; corrections: number; withdrawals: number }>`
      SELECT audience, sum(machine_drafts)::int AS machine_drafts, sum(approved)::int AS approved, sum(published)::int AS published,
        sum(corrections)::int AS corrections, sum(withdrawals)::int AS withdrawals FROM (
        ${deps.stageSource === 'raw' ? sql`
        SELECT audience_id AS audience, count(*) AS machine_drafts, 0 AS approved, 0 AS published, 0 AS corrections, 0 AS withdrawals
          FROM translations WHERE machine_translated_at >= ${from} AND machine_translated_at < ${to} ${ofUnit('translations.id')} GROUP BY 1
        UNION ALL
        SELECT t.audience_id, 0, count(*), 0, 0, 0 FROM translation_events e JOIN translations t ON t.id = e.translation_id
          WHERE e.to_state = 'approved' AND e.created_at >= ${from} AND e.created_at < ${to}
            AND NOT EXISTS (SELECT 1 FROM translation_events x WHERE x.translation_id = e.translation_id AND x.to_state = 'approved' AND x.id < e.id) ${ofUnit('e.translation_id')}
          GROUP BY 1
        UNION ALL
        SELECT audience_id, 0, 0, count(*), 0, 0 FROM publications WHERE first_published_at >= ${from} AND first_published_at < ${to} ${ofUnit('translation_id')} GROUP BY 1` : sql`
        -- the same three counts from the rollups: latest machine draft, first approval, first publication
        SELECT audience_id AS audience, sum(n) FILTER (WHERE stage = 'machine_draft') AS machine_drafts, sum(n) FILTER (WHERE stage = 'approved') AS approved,
          sum(n) FILTER (WHERE stage = 'published') AS published, 0 AS corrections, 0 AS withdrawals
          FROM (${stagesReached(range)}) r WHERE true ${storyOfUnit(unit, sql.ref('unit_id'))} GROUP BY 1 HAVING sum(n) <> 0`}
        UNION ALL
        SELECT t.audience_id, 0, 0, 0, count(*) FILTER (WHERE e.to_state = 'in_review'), count(*) FILTER (WHERE e.to_state = 'withdrawn')
          FROM translation_events e JOIN translations t ON t.id = e.translation_id
          WHERE ((e.from_state = 'published' AND e.to_state = 'in_review') OR e.to_state = 'withdrawn') AND e.created_at >= ${from} AND e.created_at < ${to} ${ofUnit('e.translation_id')}
          GROUP BY 1
      ) x GROUP BY audience ORDER BY audience`.execute(db),
    stageTimes(db, from, to, ['published'], unit, deps.stageSource),
    sql<{ audience: string; reviewed: number; late: number }>`
      SELECT t.audience_id AS audience, count(*)::int AS reviewed,
        count(*) FILTER (WHERE e.created_at > s.ingested_at + make_interval(mins => ${deps.slaMinutes}))::int AS late
      FROM stories s JOIN translations t ON t.story_id = s.id
        JOIN LATERAL (SELECT x.created_at FROM translation_events x WHERE x.translation_id = t.id AND x.to_state = 'approved' ORDER BY x.id LIMIT 1) e ON true
      WHERE s.priority AND e.created_at >= ${from} AND e.created_at < ${to} ${storyOfUnit(unit)}
      GROUP BY 1 ORDER BY 1`.execute(db),
    sql<{ kind: 'correction' | 'withdrawal'; translation_id: number; audience_id: string; title: string; actor: string; reason: string | null; created_at: Date }>`
      SELECT CASE WHEN e.to_state = 'withdrawn' THEN 'withdrawal' ELSE 'correction' END AS kind, e.translation_id, t.audience_id,
        coalesce(nullif(t.title, ''), s.title) AS title, e.actor, e.reason, e.created_at
      FROM translation_events e JOIN translations t ON t.id = e.translation_id JOIN stories s ON s.id = t.story_id
      WHERE ((e.from_state = 'published' AND e.to_state = 'in_review') OR e.to_state = 'withdrawn') AND e.created_at >= ${from} AND e.created_at < ${to} ${storyOfUnit(unit)}
      ORDER BY e.created_at, e.id`.execute(db),
    // each count from its own index (sent by the time sent, failed by the time scheduled, migration 036)
    sql<{ channel: string; network: string; audience: string; sent: number; failed: number }>`
      SELECT c.id AS channel, c.network, c.audience_id AS audience, coalesce(p.sent, 0)::int AS sent, coalesce(p.failed, 0)::int AS failed
      FROM social_channels c LEFT JOIN (
        SELECT channel_id, count(*) FILTER (WHERE sent) AS sent, count(*) FILTER (WHERE NOT sent) AS failed FROM (
          SELECT channel_id, true AS sent FROM social_posts WHERE status = 'sent' AND sent_at >= ${from} AND sent_at < ${to} ${ofUnit('translation_id')}
          UNION ALL
          SELECT channel_id, false FROM social_posts WHERE status = 'failed' AND scheduled_at >= ${from} AND scheduled_at < ${to} ${ofUnit('translation_id')}
        ) x GROUP BY channel_id
      ) p ON p.channel_id = c.id
      ORDER BY c.id`.execute(db),
    partnerPulls(db),
    sql<{ month: string; billed: string; saved: string }>`
      SELECT to_char(day, 'YYYY-MM') AS month, sum(billed_characters) AS billed, sum(memory_characters_saved) AS saved
      FROM translation_usage WHERE day >= ${from}::date AND day < ${to}::date GROUP BY 1 ORDER BY 1`.execute(db),
    // each text version's last finding once; "overridden": approved despite the error, else refused (and fixed, or still open)
    sql<{ check: string; errors: number; overridden: number }>`
      WITH found AS (
        SELECT DISTINCT ON (translation_id, version) errors, overridden FROM qa_findings
        WHERE created_at >= ${from} AND created_at < ${to} ${ofUnit('translation_id')} ORDER BY translation_id, version, id DESC)
      SELECT coalesce(i->>'check', 'unknown') AS check, count(*)::int AS errors, count(*) FILTER (WHERE f.overridden)::int AS overridden
      FROM found f CROSS JOIN LATERAL jsonb_array_elements(f.errors) i GROUP BY 1 ORDER BY 2 DESC, 1`.execute(db),
  ]);
  const ids = [...new Set([...flow.rows.map((r) => r.audience), ...sla.rows.map((r) => r.audience), ...times.map((t) => t.audience)])].sort();
  const months = characters.rows.map((r) => ({ month: r.month, billed: Number(r.billed), memorySaved: Number(r.saved) }));
  return {
    range, unit: unit ?? null, slaMinutes: deps.slaMinutes,
    stories: { ...stories.rows[0]!, bySource: bySource.rows },
    audiences: ids.map((audience) => {
      const f = flow.rows.find((r) => r.audience === audience);
      const p = times.find((t) => t.audience === audience && t.stage === 'published');
      const s = sla.rows.find((r) => r.audience === audience);
      return {
        audience, machineDrafts: f?.machine_drafts ?? 0, approved: f?.approved ?? 0, published: f?.published ?? 0,
        corrections: f?.corrections ?? 0, withdrawals: f?.withdrawals ?? 0,
        publishP50: p?.p50 ?? null, publishP95: p?.p95 ?? null, priorityReviewed: s?.reviewed ?? 0, priorityLate: s?.late ?? 0,
      };
    }),
    takedowns: takedowns.rows.map((r) => ({ kind: r.kind, translationId: r.translation_id, audience: r.audience_id, title: r.title, actor: r.actor, reason: r.reason, at: r.created_at })),
    social: social.rows,
    partners,
    characters: { months, billed: months.reduce((s, m) => s + m.billed, 0), monthlyBudget: deps.monthlyCharacterBudget ?? null },
    qa: qa.rows,
  };
}

export type { Stage };
