/**
 * The rollups the figures read instead of the raw tables, kept by triggers in the transaction of
 * each change: stage_reached, when each translation reached each stage (migration 032), and the
 * counters of migration 036: the backlog per audience, unit and state, and edits and approvals
 * per hour and person. The counters' triggers only append changes (no row is updated by two
 * writers); `foldRollups`, run each minute, moves them into the counters. A rebuild derives
 * everything again from the raw tables in one transaction (after a restore made without
 * triggers, or to check); readers meanwhile see the old rows until it commits.
 */
import { sql } from 'kysely';
import type { Db } from '../store/db.ts';

export interface RebuiltRollups { stageReached: number; backlogCounts: number; personHours: number }

export async function rebuildRollups(db: Db): Promise<RebuiltRollups> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT rollups_rebuild()`.execute(trx);
    const { rows } = await sql<{ stages: string; backlog: string; people: string }>`SELECT
      (SELECT count(*) FROM stage_reached) AS stages, (SELECT count(*) FROM backlog_counts) AS backlog, (SELECT count(*) FROM person_hours) AS people`.execute(trx);
    return { stageReached: Number(rows[0]!.stages), backlogCounts: Number(rows[0]!.backlog), personHours: Number(rows[0]!.people) };
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
