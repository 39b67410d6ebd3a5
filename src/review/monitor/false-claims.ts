/**
 * The false claim register: false or distorted information said abroad that the desk answers.
 * A false claim is made from a monitored item (its appearance comes with it) or by hand; it gains
 * appearances, a rating from the configured scale, a person responsible and a deadline (counted
 * from its first sighting: `falseClaims.deadlineMinutes`, shorter for priority ones). Its status
 * moves only through core/false-claim.ts; every change is an event in the same transaction.
 */
import { sql } from 'kysely';
import { z } from 'zod';
import type { FalseClaimsConfig } from '../../config.ts';
import { moveFalseClaim, type FalseClaimStatus } from '../../core/false-claim.ts';
import { NotFoundError, PersonError } from '../../errors.ts';
import { inTransaction, type Db } from '../../store/db.ts';
import type { FalseClaimAppearanceRow, FalseClaimEventRow, FalseClaimEventsTable, FalseClaimRow } from '../../store/schema-monitoring.ts';
import '../../store/schema-monitoring.ts';
import { getForeignItem } from '../../ingest/foreign.ts';

export interface FalseClaimDeps { db: Db; clock(): Date; settings: FalseClaimsConfig }

const languageCode = z.string().regex(/^[a-z]{2,3}(-[a-z0-9]+)*$/i, 'must be a language code such as "en" or "zh-Hans"');
export const appearanceSchema = z.strictObject({
  url: z.string().max(2048).refine((u) => /^https?:\/\//i.test(u) && URL.canParse(u), 'must be an absolute http(s) URL'),
  outlet: z.string().trim().min(1).max(300),
  language: languageCode,
  firstSeenAt: z.coerce.date().optional(),
  /** A post on a network the desk answers on: mastodon (the status URL) or bluesky (the post's at:// URI). */
  network: z.enum(['mastodon', 'bluesky']).optional(),
  postRef: z.string().max(2048).optional(),
});
export type AppearanceInput = z.infer<typeof appearanceSchema>;

export const newFalseClaimSchema = z.strictObject({
  text: z.string().trim().min(1).max(5000),
  rating: z.string(),
  priority: z.boolean().default(false),
  ownerId: z.number().int().positive().nullable().optional(),
  deadlineAt: z.coerce.date().optional(),
  /** The monitored item it was seen in (its outlet, URL, language and first sighting become an appearance). */
  foreignItemId: z.number().int().positive().optional(),
  appearances: z.array(appearanceSchema).max(100).default([]),
});
export type NewFalseClaim = z.infer<typeof newFalseClaimSchema>;

export const falseClaimPatchSchema = z.strictObject({
  text: z.string().trim().min(1).max(5000).optional(),
  rating: z.string().optional(),
  priority: z.boolean().optional(),
  ownerId: z.number().int().positive().nullable().optional(),
  deadlineAt: z.coerce.date().optional(),
});
export type FalseClaimPatch = z.infer<typeof falseClaimPatchSchema>;

function checkRating(settings: FalseClaimsConfig, rating: string): void {
  if (!settings.ratings.some((r) => r.id === rating)) {
    throw new PersonError('invalid_input', 'false-claims:error.rating', { rating }, `"${rating}" is not a rating of the configured scale (${settings.ratings.map((r) => r.id).join(', ')})`);
  }
}

async function checkOwner(db: Db, ownerId: number | null | undefined): Promise<void> {
  if (ownerId === null || ownerId === undefined) return;
  const user = await db.selectFrom('users').select(['id', 'role', 'disabled_at']).where('id', '=', ownerId).executeTakeFirst();
  if (!user || user.disabled_at || user.role === 'translator') throw new PersonError('invalid_input', 'false-claims:error.owner', {}, `person ${ownerId} cannot be responsible for a false claim (an editor or admin who is not disabled)`);
}

/** The deadline a false claim gets when none is given: from its first sighting, by its priority. */
export function defaultDeadline(settings: FalseClaimsConfig, firstSeen: Date, priority: boolean): Date {
  return new Date(firstSeen.getTime() + (priority ? settings.priorityDeadlineMinutes : settings.deadlineMinutes) * 60_000);
}

async function event(db: Db, claimId: number, kind: FalseClaimEventsTable['kind'], actor: string, at: Date, change: { from?: string | null; to?: string | null; note?: string | null } = {}): Promise<void> {
  await db.insertInto('false_claim_events').values({ false_claim_id: claimId, kind, actor, at, from_value: change.from ?? null, to_value: change.to ?? null, note: change.note ?? null }).execute();
}

export async function createFalseClaim(deps: FalseClaimDeps, input: NewFalseClaim, actor: string): Promise<FalseClaimRow> {
  checkRating(deps.settings, input.rating);
  await checkOwner(deps.db, input.ownerId);
  const now = deps.clock();
  const appearances: AppearanceInput[] = [...input.appearances];
  let itemId: number | undefined;
  if (input.foreignItemId !== undefined) {
    const item = await getForeignItem(deps.db, input.foreignItemId);
    if (!item) throw new NotFoundError('foreign item', String(input.foreignItemId));
    const source = await deps.db.selectFrom('sources').select('name').where('id', '=', item.source_id).executeTakeFirstOrThrow();
    itemId = item.id;
    if (item.url) appearances.unshift({ url: item.url, outlet: source.name, language: item.language, firstSeenAt: item.first_seen_at });
  }
  const firstSeen = appearances.reduce((d, a) => (a.firstSeenAt && a.firstSeenAt < d ? a.firstSeenAt : d), now);
  return inTransaction(deps.db, async (trx) => {
    const row = await trx.insertInto('false_claims').values({
      text: input.text.normalize('NFC'), rating: input.rating, priority: input.priority, owner_id: input.ownerId ?? null,
      deadline_at: input.deadlineAt ?? defaultDeadline(deps.settings, firstSeen, input.priority), created_by: actor, created_at: now, updated_at: now, status_changed_at: now,
    }).returningAll().executeTakeFirstOrThrow();
    await event(trx, row.id, 'created', actor, now, { to: 'new' });
    for (const a of appearances) await insertAppearance(trx, row.id, a, actor, now, a.url === appearances[0]?.url ? itemId : undefined);
    return row;
  });
}

async function insertAppearance(db: Db, claimId: number, a: AppearanceInput, actor: string, at: Date, foreignItemId?: number): Promise<boolean> {
  const r = await db.insertInto('false_claim_appearances').values({
    false_claim_id: claimId, url: a.url, outlet: a.outlet, language: a.language.toLowerCase(), first_seen_at: a.firstSeenAt ?? at,
    foreign_item_id: foreignItemId ?? null, network: a.network ?? null, post_ref: a.postRef ?? null, added_by: actor, added_at: at,
  }).onConflict((oc) => oc.columns(['false_claim_id', 'url']).doNothing()).executeTakeFirst();
  const added = Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
  if (added) await event(db, claimId, 'appearance', actor, at, { to: a.url });
  return added;
}

/** Adds where else it was said; a URL already listed is not added twice. Answers whether it was new. */
export async function addAppearance(deps: FalseClaimDeps, claimId: number, a: AppearanceInput, actor: string, foreignItemId?: number): Promise<boolean> {
  await getFalseClaim(deps.db, claimId);
  return inTransaction(deps.db, (trx) => insertAppearance(trx, claimId, a, actor, deps.clock(), foreignItemId));
}

export async function getFalseClaim(db: Db, id: number): Promise<FalseClaimRow> {
  const row = await db.selectFrom('false_claims').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('false claim', String(id));
  return row;
}

export function listAppearances(db: Db, claimId: number): Promise<FalseClaimAppearanceRow[]> {
  return db.selectFrom('false_claim_appearances').selectAll().where('false_claim_id', '=', claimId).orderBy('first_seen_at').orderBy('id').execute();
}

export function listEvents(db: Db, claimId: number): Promise<FalseClaimEventRow[]> {
  return db.selectFrom('false_claim_events').selectAll().where('false_claim_id', '=', claimId).orderBy('id').execute();
}

export interface FalseClaimListing extends FalseClaimRow { owner_name: string | null; appearances: number; languages: string[]; first_seen_at: Date | null }

/** Open ones first, by deadline; then the others, latest change first. */
export async function listFalseClaims(db: Db, filter: { status?: FalseClaimStatus | undefined; limit: number }): Promise<FalseClaimListing[]> {
  let q = db.selectFrom('false_claims as c').leftJoin('users as u', 'u.id', 'c.owner_id').selectAll('c')
    .select([
      'u.display_name as owner_name',
      sql<number>`(SELECT count(*) FROM false_claim_appearances a WHERE a.false_claim_id = c.id)`.as('appearances'),
      sql<string[]>`coalesce((SELECT array_agg(DISTINCT a.language ORDER BY a.language) FROM false_claim_appearances a WHERE a.false_claim_id = c.id), '{}')`.as('languages'),
      sql<Date | null>`(SELECT min(a.first_seen_at) FROM false_claim_appearances a WHERE a.false_claim_id = c.id)`.as('first_seen_at'),
    ]);
  if (filter.status) q = q.where('c.status', '=', filter.status);
  const rows = await q.orderBy(sql`CASE WHEN c.status IN ('new', 'answering') THEN 0 ELSE 1 END`)
    .orderBy(sql`CASE WHEN c.status IN ('new', 'answering') THEN c.deadline_at END`, 'asc')
    .orderBy('c.status_changed_at', 'desc').orderBy('c.id', 'desc').limit(filter.limit).execute();
  return rows.map((r) => ({ ...r, appearances: Number(r.appearances) }));
}

/** Moves the status through the state machine (IllegalFalseClaimMoveError otherwise), with a note. */
export async function changeFalseClaimStatus(deps: Pick<FalseClaimDeps, 'db' | 'clock'>, id: number, to: FalseClaimStatus, actor: string, note?: string): Promise<FalseClaimRow> {
  return inTransaction(deps.db, async (trx) => {
    const current = await trx.selectFrom('false_claims').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!current) throw new NotFoundError('false claim', String(id));
    moveFalseClaim(current.status, to);
    const now = deps.clock();
    const row = await trx.updateTable('false_claims').set({ status: to, status_changed_at: now, updated_at: now }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await event(trx, id, 'status', actor, now, { from: current.status, to, note: note ?? null });
    return row;
  });
}

export async function updateFalseClaim(deps: FalseClaimDeps, id: number, patch: FalseClaimPatch, actor: string): Promise<FalseClaimRow> {
  if (patch.rating !== undefined) checkRating(deps.settings, patch.rating);
  await checkOwner(deps.db, patch.ownerId);
  return inTransaction(deps.db, async (trx) => {
    const current = await trx.selectFrom('false_claims').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!current) throw new NotFoundError('false claim', String(id));
    const now = deps.clock();
    const row = await trx.updateTable('false_claims').set({
      ...(patch.text !== undefined ? { text: patch.text.normalize('NFC') } : {}),
      ...(patch.rating !== undefined ? { rating: patch.rating } : {}),
      ...(patch.priority !== undefined ? { priority: patch.priority } : {}),
      ...(patch.ownerId !== undefined ? { owner_id: patch.ownerId } : {}),
      ...(patch.deadlineAt !== undefined ? { deadline_at: patch.deadlineAt } : {}),
      updated_at: now,
    }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    if (patch.rating !== undefined && patch.rating !== current.rating) await event(trx, id, 'rating', actor, now, { from: current.rating, to: patch.rating });
    if (patch.ownerId !== undefined && patch.ownerId !== current.owner_id) await event(trx, id, 'owner', actor, now, { from: current.owner_id?.toString() ?? null, to: patch.ownerId?.toString() ?? null });
    if (patch.deadlineAt !== undefined && patch.deadlineAt.getTime() !== current.deadline_at.getTime()) await event(trx, id, 'deadline', actor, now, { from: current.deadline_at.toISOString(), to: patch.deadlineAt.toISOString() });
    return row;
  });
}

/** People who may be responsible for a false claim (editors and admins in service). */
export function possibleOwners(db: Db) {
  return db.selectFrom('users').select(['id', 'display_name', 'username']).where('role', 'in', ['editor', 'admin']).where('disabled_at', 'is', null).orderBy('display_name').execute();
}
