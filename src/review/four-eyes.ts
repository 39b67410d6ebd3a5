/**
 * The four-eyes rule: a text reaches the public only when someone other than its authors approves
 * it. Its authors, for one round of review, are everyone who wrote any of it (saved or restored a
 * revision) and everyone who submitted it since it was last approved. A machine draft has no
 * author of its own, so whoever submits it untouched is its author. An API token takes part as
 * itself (`token:<name>`), like a person. `review.fourEyes: false` turns the rule off.
 */
import { sql } from 'kysely';
import type { Db } from '../store/db.ts';

/** The round starts after the latest approval (a correction is a new round), or at the start. */
export async function authorsOf(db: Db, translationId: number): Promise<string[]> {
  const { rows } = await sql<{ actor: string }>`
    WITH round AS (
      SELECT coalesce(max(created_at), '-infinity'::timestamptz) AS since
      FROM translation_events WHERE translation_id = ${translationId} AND to_state = 'approved'
    )
    SELECT author AS actor FROM revisions, round
      WHERE translation_id = ${translationId} AND kind <> 'machine' AND created_at > round.since
    UNION
    SELECT actor FROM translation_events, round
      WHERE translation_id = ${translationId} AND to_state = 'in_review' AND created_at > round.since
    ORDER BY actor`.execute(db);
  return rows.map((r) => r.actor);
}

/** Whether `actor` may approve a text with these authors. Pure. */
export const mayApprove = (actor: string, authors: readonly string[]): boolean => !authors.includes(actor);
