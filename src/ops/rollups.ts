/**
 * The rollups the figures read instead of the raw tables, kept by triggers in the transaction of
 * each change: stage_reached, when each translation reached each stage (migration 032), and the
 * counters of migration 036: the backlog per audience, unit and state, and edits and approvals
 * per hour and person; /metrics' histogram of time to each stage (migration 039); and each
 * person's drafts with their state ("my work", migration 041). The counters' triggers only append
 * changes (no row is updated by two writers); `foldRollups`, run each minute, moves them into the counters. A rebuild derives
 * everything again from the raw tables in one transaction (after a restore made without
 * triggers, or to check); readers meanwhile see the old rows until it commits.
 */
import { sql } from 'kysely';
import type { Db } from '../store/db.ts';

export interface RebuiltRollups { stageReached: number; backlogCounts: number; personHours: number; personDrafts: number }

/** Everything derived, written again inside the caller's transaction (a rebuild, a restore). */
export const deriveAgain = (trx: Db) => sql`SELECT rollups_rebuild(), person_work_rebuild()`.execute(trx);

/**
 * Every table a rebuild writes, taken EXCLUSIVE (readers go on, writers wait) in one statement
 * before anything else. A writer may hold one of them and want another the rebuild took: the
 * rebuild gives up waiting before PostgreSQL would look for a deadlock (lock_timeout under the
 * default deadlock_timeout of 1 s), lets the writer finish and tries again, so a writer is never
 * the one cancelled.
 */
const rebuildLocks = sql`LOCK TABLE stage_reached, stage_hours, stage_hour_changes, stage_buckets, stage_bucket_changes,
  backlog_counts, backlog_changes, person_hours, person_changes, person_drafts IN EXCLUSIVE MODE`;
const lockWait = '500ms';
const lockAttempts = 120;

const lockNotAvailable = (err: unknown) => (err as { code?: string } | null)?.code === '55P03';

export async function rebuildRollups(db: Db): Promise<RebuiltRollups> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await rebuildOnce(db);
    } catch (err) {
      if (!lockNotAvailable(err)) throw err;
      if (attempt >= lockAttempts) throw new Error(`writers kept the rollups busy through ${lockAttempts} attempts; nothing was changed: run the rebuild again at a quieter time`, { cause: err });
      await new Promise((resolve) => setTimeout(resolve, Math.min(50 * attempt, 1000)));
    }
  }
}

async function rebuildOnce(db: Db): Promise<RebuiltRollups> {
  return db.transaction().execute(async (trx) => {
    // the fold's lock first, holding nothing yet: a fold running finishes, the next one skips
    await sql`SELECT pg_advisory_xact_lock(hashtext('rollups_fold'))`.execute(trx);
    await sql`SET LOCAL lock_timeout = ${sql.lit(lockWait)}`.execute(trx);
    await rebuildLocks.execute(trx);
    await sql`SET LOCAL lock_timeout = 0`.execute(trx);
    await deriveAgain(trx);
    const { rows } = await sql<{ stages: string; backlog: string; people: string; drafts: string }>`SELECT
      (SELECT count(*) FROM stage_reached) AS stages, (SELECT count(*) FROM backlog_counts) AS backlog, (SELECT count(*) FROM person_hours) AS people,
      (SELECT count(*) FROM person_drafts) AS drafts`.execute(trx);
    return { stageReached: Number(rows[0]!.stages), backlogCounts: Number(rows[0]!.backlog), personHours: Number(rows[0]!.people), personDrafts: Number(rows[0]!.drafts) };
  });
}

/**
 * Moves the changes appended since the last fold into the counters (one transaction: a reader
 * sees each change once, before or after). Safe at any time and twice at once (the second
 * returns 0); the number of changes moved.
 */
export async function foldRollups(db: Db): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ n: string }>`SELECT rollups_fold() AS n`.execute(trx);
    return Number(rows[0]!.n);
  });
}

/**
 * The histogram's observations (migration 044): counters like the others, but not derivable from
 * the raw tables (they keep times corrected since), so backups carry them.
 */
export const observedTables = ['stage_buckets', 'stage_bucket_changes'] as const;

/** Counter rows (migration 036) and the folded tables they sum into. */
export const counterTables = ['backlog_counts', 'backlog_changes', 'person_hours', 'person_changes', 'stage_hours', 'stage_hour_changes', 'stage_buckets', 'stage_bucket_changes'] as const;

export interface CounterTotal { counter: 'backlog' | 'buckets' | 'people' | 'stages'; key: string; value: string }

/**
 * Every counter as readers see it: the folded rows plus the changes not folded yet, one line per
 * key (zeros left out). Equal before and after a fold or a rebuild; what the tests compare.
 */
export async function counterTotals(db: Db): Promise<CounterTotal[]> {
  const { rows } = await sql<CounterTotal>`
    SELECT 'backlog' AS counter, concat_ws(' ', audience_id, coalesce(unit_id, '-'), state) AS key, sum(n)::text AS value
      FROM (SELECT audience_id, unit_id, state, n FROM backlog_counts UNION ALL SELECT audience_id, unit_id, state, n FROM backlog_changes) c GROUP BY 2 HAVING sum(n) <> 0
    UNION ALL
    SELECT 'buckets', concat_ws(' ', stage, audience_id, le), concat_ws('/', sum(n), sum(seconds))
      FROM (SELECT stage, audience_id, le, n, seconds FROM stage_buckets UNION ALL SELECT stage, audience_id, le, n, seconds FROM stage_bucket_changes) b GROUP BY 2 HAVING sum(n) <> 0
    UNION ALL
    SELECT 'people', concat_ws(' ', to_char(hour AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24'), person), concat_ws('/', sum(edits), sum(approvals))
      FROM (SELECT hour, person, edits, approvals FROM person_hours UNION ALL SELECT hour, person, edits, approvals FROM person_changes) p GROUP BY 2 HAVING sum(edits) <> 0 OR sum(approvals) <> 0
    UNION ALL
    SELECT 'stages', concat_ws(' ', stage, to_char(hour AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24'), audience_id, coalesce(unit_id, '-')), sum(n)::text
      FROM (SELECT stage, hour, audience_id, unit_id, n FROM stage_hours UNION ALL SELECT stage, hour, audience_id, unit_id, n FROM stage_hour_changes) h GROUP BY 2 HAVING sum(n) <> 0
    ORDER BY 1, 2`.execute(db);
  return rows;
}
