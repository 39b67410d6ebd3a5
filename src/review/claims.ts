/**
 * Soft locks: opening a draft to work on it claims it for `claimMinutes`; another person sees who
 * holds it and until when, and may take it over once it has expired (or deliberately, at once).
 * Nothing is refused because of a claim: saves are still guarded by the text's version.
 */
import { sql } from 'kysely';
import type { Db } from '../store/db.ts';
import '../store/schema-review.ts';

export interface Claim { translationId: number; userId: number; username: string; displayName: string; expiresAt: Date }

export async function currentClaim(db: Db, translationId: number, now: Date): Promise<Claim | undefined> {
  const row = await db.selectFrom('translation_claims as c').innerJoin('users as u', 'u.id', 'c.user_id')
    .select(['c.translation_id', 'c.user_id', 'c.expires_at', 'u.username', 'u.display_name'])
    .where('c.translation_id', '=', translationId).where('c.expires_at', '>', now).executeTakeFirst();
  return row ? { translationId: row.translation_id, userId: row.user_id, username: row.username, displayName: row.display_name, expiresAt: row.expires_at } : undefined;
}

/**
 * Claims (or renews) the draft for the user unless someone else holds a live claim; `force` takes
 * it over anyway. Returns the claim in force afterwards: the caller's, or the other person's.
 */
export async function claim(db: Db, translationId: number, userId: number, now: Date, minutes: number, force = false): Promise<{ mine: boolean; claim: Claim }> {
  const expires = new Date(now.getTime() + minutes * 60_000);
  await db.insertInto('translation_claims').values({ translation_id: translationId, user_id: userId, claimed_at: now, expires_at: expires })
    .onConflict((oc) => oc.column('translation_id').doUpdateSet({ user_id: userId, claimed_at: sql`CASE WHEN translation_claims.user_id = ${userId} THEN translation_claims.claimed_at ELSE ${now} END`, expires_at: expires })
      .where((eb) => (force ? eb.val(true) : eb.or([eb('translation_claims.user_id', '=', userId), eb('translation_claims.expires_at', '<=', now)]))))
    .execute();
  const c = await currentClaim(db, translationId, now);
  return { mine: c?.userId === userId, claim: c! };
}

export async function release(db: Db, translationId: number, userId: number): Promise<void> {
  await db.deleteFrom('translation_claims').where('translation_id', '=', translationId).where('user_id', '=', userId).execute();
}

/** Live claims of many translations at once (the queue page). */
export async function claimsOf(db: Db, ids: readonly number[], now: Date): Promise<Map<number, Claim>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('translation_claims as c').innerJoin('users as u', 'u.id', 'c.user_id')
    .select(['c.translation_id', 'c.user_id', 'c.expires_at', 'u.username', 'u.display_name'])
    .where('c.translation_id', 'in', ids).where('c.expires_at', '>', now).execute();
  return new Map(rows.map((r) => [r.translation_id, { translationId: r.translation_id, userId: r.user_id, username: r.username, displayName: r.display_name, expiresAt: r.expires_at }]));
}
