/**
 * Partner outlets and their feed tokens (shown once; only the SHA-256 is kept), and how often each
 * partner fetched each private feed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { AppError, NotFoundError } from '../errors.ts';
import type { Db } from './db.ts';
import './schema-feeds.ts';

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

export interface PartnerIdentity { id: number; name: string }

export async function createPartner(db: Db, name: string) {
  const existing = await db.selectFrom('partners').select('id').where('name', '=', name).executeTakeFirst();
  if (existing) throw new AppError('conflict', `a partner named "${name}" already exists (id ${existing.id})`);
  return db.insertInto('partners').values({ name }).returningAll().executeTakeFirstOrThrow();
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
    .returning(['p.id', 'p.name']).executeTakeFirst();
  return row ? { id: row.id, name: row.name } : undefined;
}

export async function countAccess(db: Db, partnerId: number, feed: string, now: Date): Promise<void> {
  await db.insertInto('partner_access').values({ partner_id: partnerId, feed, count: 1, last_at: now })
    .onConflict((oc) => oc.columns(['partner_id', 'feed']).doUpdateSet({ count: sql`partner_access.count + 1`, last_at: now }))
    .execute();
}

export async function listPartners(db: Db) {
  const [partners, tokens, access] = await Promise.all([
    db.selectFrom('partners').selectAll().orderBy('id').execute(),
    db.selectFrom('partner_tokens').select(['id', 'partner_id', 'created_at', 'last_used_at', 'revoked_at']).orderBy('id').execute(),
    db.selectFrom('partner_access').selectAll().orderBy('feed').execute(),
  ]);
  return partners.map((p) => ({
    ...p,
    tokens: tokens.filter((t) => t.partner_id === p.id),
    access: access.filter((a) => a.partner_id === p.id).map((a) => ({ feed: a.feed, count: Number(a.count), lastAt: a.last_at })),
  }));
}
