/**
 * The social tables: channels loaded from the configuration, posts placed in windows, claimed
 * for sending (FOR UPDATE SKIP LOCKED: one instance per post), and their outcomes recorded.
 * Every outcome update is fenced on the claim, so a post reclaimed after its lease cannot be
 * recorded twice.
 */
import { sql } from 'kysely';
import { z } from 'zod';
import { channelSchema, type ChannelConfig } from '../config.ts';
import { inTransaction, type Db } from '../store/db.ts';
import { readJson } from '../store/json.ts';
import type { ChannelReasonKey, ChannelStatus, PostStatus, SocialChannelRow, SocialPostRow } from '../store/schema-social.ts';
import '../store/schema-social.ts';
import { nextFreeSlot, type Slot, type WindowPlan } from './schedule.ts';

export type { SocialPostRow };

/**
 * What a channel row's `settings` holds: its posting rules as last loaded from the configuration,
 * for people to see. Read through this schema; a key a row lacks takes the configuration's default.
 */
const channelSettings = z.object({
  ...channelSchema.pick({ windows: true, maxPostsPerWindow: true, spacingMinutes: true, hashtags: true, catchUp: true, catchUpGraceMinutes: true }).shape,
  server: z.string().nullable().default(null),
  target: z.string().nullable().default(null),
  timeZone: z.string().default('UTC'),
});
export type ChannelSettings = z.output<typeof channelSettings>;
export type ChannelRow = Omit<SocialChannelRow, 'settings'> & { settings: ChannelSettings };

const channelRow = (row: SocialChannelRow): ChannelRow => ({ ...row, settings: readJson(channelSettings, row.settings, 'social_channels.settings') });

/**
 * A channel's state and why, as the desk says it (social-desk:reason.<key>); `reason` is the
 * detail: the settings that are missing, or the network's own words when it refused us.
 */
export interface ChannelState { status: ChannelStatus; reason: string | null; reasonKey: ChannelReasonKey | null }

/** Channels in the configuration are written as configured; channels no longer there are disabled. */
export async function syncChannels(db: Db, channels: readonly { config: ChannelConfig; state: ChannelState; timeZone: string }[], now: Date): Promise<void> {
  await inTransaction(db, async (trx) => {
    for (const { config, state, timeZone } of channels) {
      const settings = JSON.stringify({
        server: config.server ?? null, target: config.target ?? null, windows: config.windows, timeZone,
        maxPostsPerWindow: config.maxPostsPerWindow, spacingMinutes: config.spacingMinutes, hashtags: config.hashtags,
        catchUp: config.catchUp, catchUpGraceMinutes: config.catchUpGraceMinutes,
      } satisfies ChannelSettings);
      await trx.insertInto('social_channels')
        .values({ id: config.id, network: config.network, audience_id: config.audience, status: state.status, status_reason: state.reason, status_reason_key: state.reasonKey, status_changed_at: now, settings, updated_at: now })
        .onConflict((oc) => oc.column('id').doUpdateSet({
          network: config.network, audience_id: config.audience, settings, updated_at: now,
          // a restart is when fixed credentials arrive: a broken channel gets another chance
          status: state.status, status_reason: state.reason, status_reason_key: state.reasonKey, paused_until: null,
          status_changed_at: sql`CASE WHEN social_channels.status = ${state.status} THEN social_channels.status_changed_at ELSE ${now} END`,
        }))
        .execute();
    }
    const ids = channels.map((c) => c.config.id);
    let gone = trx.updateTable('social_channels').set({ status: 'disabled', status_reason: 'no longer in the configuration', status_reason_key: 'goneFromConfig', status_changed_at: now }).where('status', '!=', 'disabled');
    if (ids.length) gone = gone.where('id', 'not in', ids);
    await gone.execute();
  });
}

export async function listChannelRows(db: Db): Promise<ChannelRow[]> {
  return (await db.selectFrom('social_channels').selectAll().orderBy('audience_id').orderBy('id').execute()).map(channelRow);
}

export async function getChannelRow(db: Db, id: string): Promise<ChannelRow | undefined> {
  const row = await db.selectFrom('social_channels').selectAll().where('id', '=', id).executeTakeFirst();
  return row && channelRow(row);
}

export async function setChannelStatus(db: Db, id: string, state: ChannelState, now: Date): Promise<boolean> {
  const { status } = state;
  const r = await db.updateTable('social_channels').set({ status, status_reason: state.reason, status_reason_key: state.reasonKey, status_changed_at: now, updated_at: now })
    .where('id', '=', id).where('status', '!=', status).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function pauseChannel(db: Db, id: string, until: Date): Promise<void> {
  await db.updateTable('social_channels').set({ paused_until: until }).where('id', '=', id).execute();
}

export async function postCounts(db: Db): Promise<Map<string, Record<string, number>>> {
  const rows = await db.selectFrom('social_posts').select(['channel_id', 'status', (eb) => eb.fn.countAll<string>().as('n')]).groupBy(['channel_id', 'status']).execute();
  const out = new Map<string, Record<string, number>>();
  for (const r of rows) out.set(r.channel_id, { ...out.get(r.channel_id), [r.status]: Number(r.n) });
  return out;
}

/**
 * Places a post for each channel in its next free slot, once: a translation already placed on a
 * channel (a corrected translation published again) is left alone. Slot choice is serialised per
 * channel with an advisory lock, so two instances cannot fill one window past its maximum.
 */
export async function placePost(db: Db, input: { channelId: string; translationId: number; key: string; priority: boolean; plan: WindowPlan; now: Date }): Promise<SocialPostRow | undefined> {
  return inTransaction(db, async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`social:${input.channelId}`}))`.execute(trx);
    const exists = await trx.selectFrom('social_posts').select('id').where('channel_id', '=', input.channelId).where('translation_id', '=', input.translationId).executeTakeFirst();
    if (exists) return undefined;
    const slot = await freeSlot(trx, input.channelId, input.plan, input.now, input.priority);
    return trx.insertInto('social_posts').values({
      channel_id: input.channelId, translation_id: input.translationId, idempotency_key: input.key, priority: input.priority,
      window_at: slot.windowAt, scheduled_at: slot.scheduledAt, created_at: input.now, updated_at: input.now,
    }).onConflict((oc) => oc.columns(['channel_id', 'translation_id']).doNothing()).returningAll().executeTakeFirst();
  });
}

/** The channel's next free slot, counting the live posts that hold places in coming windows. */
export async function freeSlot(db: Db, channelId: string, plan: WindowPlan, now: Date, priority = false): Promise<Slot> {
  const rows = await db.selectFrom('social_posts').select(['window_at', (eb) => eb.fn.countAll<string>().as('n')])
    .where('channel_id', '=', channelId).where('window_at', '>=', now).where('status', 'not in', ['cancelled', 'skipped'])
    .groupBy('window_at').execute();
  const taken = new Map(rows.map((r) => [r.window_at!.getTime(), Number(r.n)]));
  return nextFreeSlot(plan, now, taken, { priority });
}

/**
 * Claims due posts of active, unpaused channels for this instance, most urgent first. A post left
 * `sending` past the lease, or `unknown`, comes back with `outcome_unknown` set: the channel
 * must be asked about it before anything is sent.
 */
export async function claimDuePosts(db: Db, opts: { now: Date; instance: string; leaseSeconds: number; limit: number }): Promise<SocialPostRow[]> {
  const { now, instance, leaseSeconds, limit } = opts;
  const staleBefore = new Date(now.getTime() - leaseSeconds * 1000);
  const result = await sql<SocialPostRow>`
    UPDATE social_posts p SET
      status = 'sending', claimed_at = ${now}, claimed_by = ${instance}, attempts = p.attempts + 1, updated_at = ${now},
      outcome_unknown = p.outcome_unknown OR p.status IN ('sending', 'unknown')
    WHERE p.id IN (
      SELECT q.id FROM social_posts q JOIN social_channels c ON c.id = q.channel_id
      WHERE c.status = 'active' AND (c.paused_until IS NULL OR c.paused_until <= ${now})
        AND ((q.status IN ('scheduled', 'unknown') AND coalesce(q.next_attempt_at, q.scheduled_at) <= ${now})
          OR (q.status = 'sending' AND q.claimed_at < ${staleBefore}))
      ORDER BY q.priority DESC, coalesce(q.next_attempt_at, q.scheduled_at), q.id
      LIMIT ${limit}
      FOR UPDATE OF q SKIP LOCKED)
    RETURNING p.*`.execute(db);
  return result.rows;
}

type Claimed = Pick<SocialPostRow, 'id' | 'claimed_by' | 'claimed_at'>;

function fenced(db: Db, post: Claimed) {
  return db.updateTable('social_posts')
    .where('id', '=', post.id).where('status', '=', 'sending')
    .where('claimed_by', '=', post.claimed_by).where('claimed_at', '=', post.claimed_at!);
}

export async function recordSent(db: Db, post: Claimed, outcome: { id: string; url: string | null; text: string | null; now: Date }): Promise<boolean> {
  const r = await fenced(db, post).set({
    status: 'sent', sent_at: outcome.now, network_post_id: outcome.id, network_url: outcome.url, sent_text: outcome.text,
    outcome_unknown: false, error_code: null, error: null, next_attempt_at: null, updated_at: outcome.now,
  }).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** The post leaves `sending` for `status`; `retryAt` sets the next try, `uncount` gives back the attempt. */
export async function recordOutcome(db: Db, post: Claimed, change: { status: PostStatus; now: Date; code?: string | null; error?: string | null; retryAt?: Date | null; outcomeUnknown?: boolean; uncount?: boolean; slot?: Slot }): Promise<void> {
  await fenced(db, post).set({
    status: change.status, updated_at: change.now, claimed_at: null, claimed_by: null,
    ...(change.code !== undefined ? { error_code: change.code, error: change.error ?? null } : {}),
    ...(change.retryAt !== undefined ? { next_attempt_at: change.retryAt } : {}),
    ...(change.outcomeUnknown !== undefined ? { outcome_unknown: change.outcomeUnknown } : {}),
    ...(change.uncount ? { attempts: sql<number>`greatest(attempts - 1, 0)` } : {}),
    ...(change.slot ? { window_at: change.slot.windowAt, scheduled_at: change.slot.scheduledAt, attempts: 0, next_attempt_at: null } : {}),
  }).execute();
}

/** A withdrawn translation: unsent posts are cancelled, sent ones (and ones in flight) are to be removed. */
export async function withdrawPosts(db: Db, translationId: number, now: Date): Promise<{ cancelled: number; toRemove: number }> {
  return inTransaction(db, async (trx) => {
    const cancelled = await trx.updateTable('social_posts')
      .set({ status: 'cancelled', error_code: 'withdrawn', error: 'the translation was withdrawn before it was posted', updated_at: now })
      .where('translation_id', '=', translationId).where('status', 'in', ['scheduled', 'failed', 'skipped']).executeTakeFirst();
    const toRemove = await trx.updateTable('social_posts')
      .set({ removal: 'requested', updated_at: now })
      .where('translation_id', '=', translationId).where('status', 'in', ['sent', 'sending', 'unknown']).where('removal', 'is', null).executeTakeFirst();
    return { cancelled: Number(cancelled.numUpdatedRows), toRemove: Number(toRemove.numUpdatedRows) };
  });
}

/** Sent posts whose removal is due (or was left `removing` by a crash), claimed for this instance. */
export async function claimRemovals(db: Db, opts: { now: Date; instance: string; leaseSeconds: number; limit: number }): Promise<SocialPostRow[]> {
  const staleBefore = new Date(opts.now.getTime() - opts.leaseSeconds * 1000);
  const result = await sql<SocialPostRow>`
    UPDATE social_posts p SET removal = 'removing', claimed_at = ${opts.now}, claimed_by = ${opts.instance}, updated_at = ${opts.now}
    WHERE p.id IN (
      SELECT q.id FROM social_posts q JOIN social_channels c ON c.id = q.channel_id
      WHERE q.status = 'sent' AND c.status = 'active' AND (c.paused_until IS NULL OR c.paused_until <= ${opts.now})
        AND (q.removal = 'requested' OR (q.removal = 'removing' AND q.claimed_at < ${staleBefore}))
      ORDER BY q.id LIMIT ${opts.limit} FOR UPDATE OF q SKIP LOCKED)
    RETURNING p.*`.execute(db);
  return result.rows;
}

export async function recordRemoval(db: Db, post: Claimed, removal: 'requested' | 'removed' | 'unsupported' | 'failed', now: Date, error?: string): Promise<void> {
  await db.updateTable('social_posts').set({
    removal, removed_at: removal === 'removed' ? now : null, updated_at: now, claimed_at: null, claimed_by: null,
    ...(error !== undefined ? { error } : {}),
  }).where('id', '=', post.id).where('removal', '=', 'removing').where('claimed_by', '=', post.claimed_by).execute();
}
