/**
 * The rollups the figures read instead of the raw tables (migration 032): stage_reached, when each
 * translation reached each stage, kept by triggers in the transaction of each change. A rebuild
 * derives it again from the raw tables in one transaction (after a restore made without
 * triggers, or to check); readers meanwhile see the old rows until it commits.
 */
import { sql } from 'kysely';
import type { Db } from '../store/db.ts';

/** Rows of stage_reached after the rebuild. */
export async function rebuildRollups(db: Db): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ n: string }>`SELECT rollups_rebuild() AS n`.execute(trx);
    return Number(rows[0]!.n);
  });
}
