/**
 * The outbox of the public record. Contract: every change to what the public sees (a publication, a
 * correction, a takedown, an embargo moved) records its consequences here in the change's own
 * transaction, so a committed change always has them on record; they are carried out after the
 * commit and then marked done. A crash in between leaves them pending: every start carries out all
 * pending effects, and a sweep every minute those whose holder went quiet (`not_before` passed) or
 * that failed and waited out their backoff. Effects:
 *   feeds  — rebuild the audience's files (public and partner copies) and queue the WebSub pings;
 *            schedule the rebuild at the end of an embargo
 *   social — bring the translation's posts in line with its publication: placed while it is
 *            public, cancelled or taken down once it is withdrawn
 * Each reads the publication as it is when carried out (a takedown after a still-pending
 * publication wins) and is safe to carry out twice: a rebuild writes what the database holds, a
 * ping only makes a hub fetch, a post is placed once per channel and translation (social_posts is
 * unique on the pair), and cancelling the posts of a withdrawn translation finds nothing the
 * second time. Site search rows need no effect: they are a generated column of the publication.
 */
import { sql } from 'kysely';
import { backoffDelay } from '../core/backoff.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import '../store/schema-feeds.ts';

export type EffectKind = 'feeds' | 'social';

export interface PendingEffect {
  id: string;
  translationId: number;
  audienceId: string;
  effect: EffectKind;
  topics: string[];
  attempts: number;
}

/** How long the instance that recorded or took an effect holds it before a sweep may take it over. */
export const EFFECT_LEASE_SECONDS = 60;
/** Waits before a failed effect is tried again: 30 s, doubling, at most 30 min (the sweep runs every minute). */
const EFFECT_RETRY = { baseMs: 30_000, maxMs: 30 * 60_000 };
/** Done effects are kept this long, to be looked at, then pruned by the sweep. */
const KEEP_DONE_DAYS = 7;

type Row = { id: string; translation_id: number; audience_id: string; effect: EffectKind; topics: string[]; attempts: number };
const toEffect = (r: Row): PendingEffect => ({ id: r.id, translationId: r.translation_id, audienceId: r.audience_id, effect: r.effect, topics: r.topics, attempts: r.attempts });

/**
 * Records the consequences of a change, inside the change's transaction `trx`; held by the caller
 * for the lease, during which it carries them out itself.
 */
export async function recordEffects(trx: Db, input: { translationId: number; audienceId: string; topics: readonly string[]; now: Date; kinds?: readonly EffectKind[] }): Promise<PendingEffect[]> {
  const holdUntil = new Date(input.now.getTime() + EFFECT_LEASE_SECONDS * 1000);
  const kinds = input.kinds ?? ['feeds', 'social'];
  if (!kinds.length) return [];
  const rows = await trx.insertInto('publication_effects').values(kinds.map((effect) => ({
    translation_id: input.translationId, audience_id: input.audienceId, effect, topics: [...input.topics], created_at: input.now, not_before: holdUntil, attempts: 1,
  }))).returning(['id', 'translation_id', 'audience_id', 'effect', 'topics', 'attempts']).execute();
  return rows.map(toEffect);
}

/**
 * Takes pending effects for this instance, oldest first, for the lease. `all` (at start) takes
 * them even while held: the holder may be the process that died, and a second run is harmless.
 */
export async function claimEffects(db: Db, opts: { now: Date; limit: number; all?: boolean }): Promise<PendingEffect[]> {
  const holdUntil = new Date(opts.now.getTime() + EFFECT_LEASE_SECONDS * 1000);
  const free = opts.all ? sql`true` : sql`(e.not_before IS NULL OR e.not_before <= ${opts.now})`;
  const { rows } = await sql<Row>`
    UPDATE publication_effects p SET not_before = ${holdUntil}, attempts = p.attempts + 1
    WHERE p.id IN (
      SELECT e.id FROM publication_effects e WHERE e.done_at IS NULL AND ${free}
      ORDER BY e.id LIMIT ${opts.limit} FOR UPDATE SKIP LOCKED)
    RETURNING p.id, p.translation_id, p.audience_id, p.effect, p.topics, p.attempts`.execute(db);
  return rows.map(toEffect).sort((a, b) => Number(a.id) - Number(b.id));
}

export async function markEffectDone(db: Db, id: string, now: Date): Promise<void> {
  await db.updateTable('publication_effects').set({ done_at: now, not_before: null, last_error: null }).where('id', '=', id).execute();
}

export async function markEffectFailed(db: Db, effect: PendingEffect, now: Date, error: string): Promise<void> {
  const retryAt = new Date(now.getTime() + backoffDelay(EFFECT_RETRY, effect.attempts));
  await db.updateTable('publication_effects').set({ not_before: retryAt, last_error: error.slice(0, 2000) })
    .where('id', '=', effect.id).where('done_at', 'is', null).execute();
}

/** Effects not yet carried out (the desk's and the tests' view). */
export async function pendingEffects(db: Db, translationId?: number): Promise<PendingEffect[]> {
  let q = db.selectFrom('publication_effects').select(['id', 'translation_id', 'audience_id', 'effect', 'topics', 'attempts']).where('done_at', 'is', null);
  if (translationId !== undefined) q = q.where('translation_id', '=', translationId);
  return (await q.orderBy('id').execute()).map(toEffect);
}

export interface EffectDeps {
  db: Db;
  clock(): Date;
  log?: Logger | undefined;
  /** Carries out one effect; throws when it could not (the effect stays pending and is retried). */
  carryOut(effect: PendingEffect): Promise<void>;
}

/** Carries out one effect and records the outcome; never throws. True when it was done. */
export async function settleEffect(deps: EffectDeps, effect: PendingEffect): Promise<boolean> {
  const log = deps.log?.child({ translation_id: effect.translationId, audience: effect.audienceId, effect: effect.effect });
  try {
    await deps.carryOut(effect);
  } catch (err) {
    log?.error({ err, attempts: effect.attempts }, 'a consequence of a publication could not be carried out; it is tried again later');
    await markEffectFailed(deps.db, effect, deps.clock(), (err as Error).message ?? String(err))
      .catch((e: unknown) => log?.error({ err: e }, 'could not record the failure; the effect is taken again when its lease ends'));
    return false;
  }
  try {
    await markEffectDone(deps.db, effect.id, deps.clock());
  } catch (err) {
    // carried out but not marked: it is carried out once more later, which every effect allows
    log?.warn({ err }, 'could not mark a carried-out effect done; it will be carried out again');
  }
  return true;
}

/**
 * Carries out every pending effect that is free (all of them with `all`, at start), one at a
 * time in the order they were recorded, and prunes old done ones.
 */
export async function sweepEffects(deps: EffectDeps, opts: { all?: boolean } = {}): Promise<{ done: number; failed: number }> {
  let done = 0;
  let failed = 0;
  // a failed effect waits out its backoff (not_before), so a later batch never takes it again
  for (let first = true; ; first = false) {
    const batch = await claimEffects(deps.db, { now: deps.clock(), limit: 100, all: first && (opts.all ?? false) });
    if (!batch.length) break;
    for (const effect of batch) {
      if (await settleEffect(deps, effect)) done++;
      else failed++;
    }
  }
  const before = new Date(deps.clock().getTime() - KEEP_DONE_DAYS * 86_400_000);
  await deps.db.deleteFrom('publication_effects').where('done_at', '<', before).execute();
  return { done, failed };
}
