/**
 * Partner outlets and their feed tokens (shown once; only the SHA-256 is kept), the audiences whose
 * partner feeds they were granted, and how often each partner fetched each private feed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { AppError, NotFoundError, PersonError } from '../errors.ts';
import type { Db } from './db.ts';
import './schema-feeds.ts';

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

export interface PartnerIdentity { id: number; name: string; /** The audiences it may read. */ audiences: string[] }

/** The requested audiences, each one configured (PersonError naming the first that is not), without repeats. */
export function checkAudiences(requested: readonly string[], configured: readonly string[]): string[] {
  const unknown = requested.find((a) => !configured.includes(a));
  if (unknown !== undefined) throw new PersonError('invalid_input', 'partners:error.unknownAudience', { audience: unknown, audiences: configured.join(', ') }, `"${unknown}" is not an audience (audiences: ${configured.join(', ')})`);
  return [...new Set(requested)];
}

/** A new partner with the audiences it may read (at least one: a partner names what it takes). */
export async function createPartner(db: Db, name: string, audiences: readonly string[], grantedBy: string) {
  if (!audiences.length) throw new PersonError('invalid_input', 'partners:error.noAudience', {}, 'a partner needs at least one audience');
  const existing = await db.selectFrom('partners').select('id').where('name', '=', name).executeTakeFirst();
  if (existing) throw new AppError('conflict', `a partner named "${name}" already exists (id ${existing.id})`);
  return db.transaction().execute(async (trx) => {
    const partner = await trx.insertInto('partners').values({ name }).returningAll().executeTakeFirstOrThrow();
    await trx.insertInto('partner_audiences').values(audiences.map((audience_id) => ({ partner_id: partner.id, audience_id, granted_by: grantedBy }))).execute();
    return partner;
  });
}

/** Sets the audiences a partner may read to exactly these (none: it reads nothing until granted one). */
export async function setPartnerAudiences(db: Db, partnerId: number, audiences: readonly string[], grantedBy: string): Promise<string[]> {
  await getPartner(db, partnerId);
  await db.transaction().execute(async (trx) => {
    let gone = trx.deleteFrom('partner_audiences').where('partner_id', '=', partnerId);
    if (audiences.length) gone = gone.where('audience_id', 'not in', audiences);
    await gone.execute();
    if (audiences.length) {
      await trx.insertInto('partner_audiences').values(audiences.map((audience_id) => ({ partner_id: partnerId, audience_id, granted_by: grantedBy })))
        .onConflict((oc) => oc.columns(['partner_id', 'audience_id']).doNothing()).execute();
    }
    // an admin's choice replaces what the migration would still have added
    await trx.deleteFrom('partner_audience_backfill').where('partner_id', '=', partnerId).execute();
  });
  return partnerAudiences(db, partnerId);
}

export async function partnerAudiences(db: Db, partnerId: number): Promise<string[]> {
  const rows = await db.selectFrom('partner_audiences').select('audience_id').where('partner_id', '=', partnerId).orderBy('audience_id').execute();
  return rows.map((r) => r.audience_id);
}

/**
 * Partners made before grants existed could read every audience: at start, they are granted each
 * configured audience (026_partner_audiences.sql granted those the database had seen), once. The
 * rows are then theirs to narrow like any other grant.
 */
export async function grantEarlierPartners(db: Db, configured: readonly string[]): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const waiting = await trx.deleteFrom('partner_audience_backfill').returning('partner_id').execute();
    if (!waiting.length || !configured.length) return waiting.length;
    await trx.insertInto('partner_audiences')
      .values(waiting.flatMap((w) => configured.map((audience_id) => ({ partner_id: w.partner_id, audience_id, granted_by: 'migration' }))))
      .onConflict((oc) => oc.columns(['partner_id', 'audience_id']).doNothing()).execute();
    return waiting.length;
  });
}

export async function getPartner(db: Db, id: number) {
  const row = await db.selectFrom('partners').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('partner', id);
  return row;
}

/** A new token for the partner; the only time its text exists is in this return value. */
export async function createPartnerToken(db: Db, partnerId: number): Promise<{ id: number; token: string }> {
  await getPartner(db, partnerId);
  const token = `dnp_${randomBytes(24).toString('base64url')}`;
  const row = await db.insertInto('partner_tokens').values({ partner_id: partnerId, token_hash: hash(token) }).returning('id').executeTakeFirstOrThrow();
  return { id: row.id, token };
}

export async function revokePartnerToken(db: Db, partnerId: number, tokenId: number, now: Date): Promise<void> {
  const row = await db.updateTable('partner_tokens').set({ revoked_at: now })
    .where('id', '=', tokenId).where('partner_id', '=', partnerId).where('revoked_at', 'is', null)
    .returning('id').executeTakeFirst();
  if (!row) throw new NotFoundError('partner token', tokenId);
}

export async function disablePartner(db: Db, partnerId: number, now: Date) {
  await getPartner(db, partnerId);
  return db.updateTable('partners').set({ disabled_at: now }).where('id', '=', partnerId).returningAll().executeTakeFirstOrThrow();
}

/** The partner a live token belongs to (not revoked, partner not disabled), or undefined. */
export async function partnerForToken(db: Db, token: string, now: Date): Promise<PartnerIdentity | undefined> {
  const row = await db.updateTable('partner_tokens as pt').set({ last_used_at: now })
    .from('partners as p')
    .whereRef('p.id', '=', 'pt.partner_id')
    .where('pt.token_hash', '=', hash(token)).where('pt.revoked_at', 'is', null).where('p.disabled_at', 'is', null)
    .returning((eb) => ['p.id', 'p.name', eb.selectFrom('partner_audiences as pa').whereRef('pa.partner_id', '=', 'p.id')
      .select(sql<string[]>`coalesce(array_agg(pa.audience_id ORDER BY pa.audience_id), '{}')`.as('a')).as('audiences')])
    .executeTakeFirst();
  return row ? { id: row.id, name: row.name, audiences: row.audiences ?? [] } : undefined;
}

export async function countAccess(db: Db, partnerId: number, feed: string, now: Date): Promise<void> {
  await db.insertInto('partner_access').values({ partner_id: partnerId, feed, count: 1, last_at: now })
    .onConflict((oc) => oc.columns(['partner_id', 'feed']).doUpdateSet({ count: sql`partner_access.count + 1`, last_at: now }))
    .execute();
}

export async function listPartners(db: Db) {
  const [partners, tokens, access, grants] = await Promise.all([
    db.selectFrom('partners').selectAll().orderBy('id').execute(),
    db.selectFrom('partner_tokens').select(['id', 'partner_id', 'created_at', 'last_used_at', 'revoked_at']).orderBy('id').execute(),
    db.selectFrom('partner_access').selectAll().orderBy('feed').execute(),
    db.selectFrom('partner_audiences').selectAll().orderBy('audience_id').execute(),
  ]);
  return partners.map((p) => ({
    ...p,
    tokens: tokens.filter((t) => t.partner_id === p.id),
    audiences: grants.filter((g) => g.partner_id === p.id).map((g) => ({ audience: g.audience_id, grantedAt: g.granted_at, grantedBy: g.granted_by })),
    access: access.filter((a) => a.partner_id === p.id).map((a) => ({ feed: a.feed, count: Number(a.count), lastAt: a.last_at })),
  }));
}
