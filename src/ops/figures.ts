/**
 * The figures supervisors watch — timeliness and accuracy at a glance — computed from the
 * database on demand, so every instance answers the same. Shared by /metrics and the dashboard.
 * All windows end at `now`; durations are in seconds.
 */
import { sql } from 'kysely';
import type { Db } from '../store/db.ts';

export interface Backlog { audience: string; state: string; count: number }

export function backlog(db: Db): Promise<Backlog[]> {
  return db.selectFrom('translations').select(['audience_id as audience', 'state', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy(['audience_id', 'state']).orderBy('audience_id').orderBy('state').execute()
    .then((rows) => rows.map((r) => ({ ...r, count: Number(r.count) })));
}

/** The stages of a translation's journey, from the story's ingestion. */
export const stages = ['machine_draft', 'approved', 'published'] as const;
export type Stage = (typeof stages)[number];

export interface StageTiming { audience: string; stage: Stage; window: 'day' | 'week'; p50: number | null; p95: number | null; count: number }

/** p50/p95 of the time from ingestion to each stage, for translations that reached it in the window. */
export async function timeToPublish(db: Db, now: Date): Promise<StageTiming[]> {
  const out: StageTiming[] = [];
  for (const [window, hours] of [['day', 24], ['week', 24 * 7]] as const) {
    const since = new Date(now.getTime() - hours * 3600_000);
    const { rows } = await sql<{ audience: string; stage: Stage; p50: number | null; p95: number | null; count: number }>`
      WITH reached AS (
        SELECT t.audience_id, 'machine_draft' AS stage, extract(epoch FROM t.machine_translated_at - s.ingested_at) AS seconds
          FROM translations t JOIN stories s ON s.id = t.story_id
          WHERE t.machine_translated_at >= ${since} AND t.machine_translated_at <= ${now}
        UNION ALL
        SELECT t.audience_id, 'approved', extract(epoch FROM t.approved_at - s.ingested_at)
          FROM translations t JOIN stories s ON s.id = t.story_id
          WHERE t.approved_at >= ${since} AND t.approved_at <= ${now}
        UNION ALL
        SELECT p.audience_id, 'published', extract(epoch FROM p.first_published_at - s.ingested_at)
          FROM publications p JOIN translations t ON t.id = p.translation_id JOIN stories s ON s.id = t.story_id
          WHERE p.first_published_at >= ${since} AND p.first_published_at <= ${now}
      )
      SELECT audience_id AS audience, stage,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS p50,
        percentile_cont(0.95) WITHIN GROUP (ORDER BY seconds) AS p95,
        count(*)::int AS count
      FROM reached GROUP BY audience_id, stage ORDER BY audience_id, stage`.execute(db);
    for (const r of rows) out.push({ ...r, window, p50: r.p50 === null ? null : Number(r.p50), p95: r.p95 === null ? null : Number(r.p95) });
  }
  return out;
}

export interface SourceHealth { id: string; name: string; enabled: boolean; lastSuccessAt: Date | null; lastError: string | null; consecutiveFailures: number }

export async function sourceHealth(db: Db): Promise<SourceHealth[]> {
  const rows = await db.selectFrom('sources').select(['id', 'name', 'enabled', 'last_success_at', 'last_error', 'consecutive_failures']).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, enabled: r.enabled, lastSuccessAt: r.last_success_at, lastError: r.last_error, consecutiveFailures: r.consecutive_failures }));
}

export interface Throughput { person: string; window: 'day' | 'week'; edits: number; approvals: number }

/** Edits (text revisions by people) and approvals per person. */
export async function throughput(db: Db, now: Date): Promise<Throughput[]> {
  const out: Throughput[] = [];
  for (const [window, hours] of [['day', 24], ['week', 24 * 7]] as const) {
    const since = new Date(now.getTime() - hours * 3600_000);
    const { rows } = await sql<{ person: string; edits: number; approvals: number }>`
      SELECT person, sum(edits)::int AS edits, sum(approvals)::int AS approvals FROM (
        SELECT author AS person, count(*) AS edits, 0 AS approvals FROM revisions
          WHERE kind <> 'machine' AND created_at >= ${since} AND created_at <= ${now} GROUP BY author
        UNION ALL
        SELECT actor, 0, count(*) FROM translation_events
          WHERE to_state = 'approved' AND created_at >= ${since} AND created_at <= ${now} GROUP BY actor
      ) x GROUP BY person ORDER BY person`.execute(db);
    for (const r of rows) out.push({ ...r, window });
  }
  return out;
}
