/**
 * What people see and do with the schedule: channels with their state, a channel's posts with a
 * preview of each exactly as the network will show it (formatted by the same function that
 * sends it), and reschedule, cancel, post now, and putting a fixed channel back to work.
 */
import type { i18n } from 'i18next';
import { sql } from 'kysely';
import type { Clock } from '../core/clock.ts';
import { AppError, InvalidInputError, NotFoundError } from '../errors.ts';
import type { Db } from '../store/db.ts';
import type { RuntimeChannel } from './channels.ts';
import { loadLiveTranslation } from './content.ts';
import type { FormattedPost } from './format/content.ts';
import type { Updateable } from 'kysely';
import type { PostStatus, SocialPostsTable } from '../store/schema-social.ts';
import { getChannelRow, listChannelRows, postCounts, setChannelStatus, type ChannelRow, type SocialPostRow } from './store.ts';

export interface ControlDeps {
  db: Db;
  i18n: i18n;
  publicUrl: string;
  clock: Clock;
  channels: ReadonlyMap<string, RuntimeChannel>;
  wake(): void;
  /** Whether the story has a stored lead image (its posts carry a card; on Telegram a caption). */
  hasImage?(storyId: number): Promise<boolean>;
}

export type PostView = 'upcoming' | 'sent' | 'failed' | 'cancelled';
export const postViews: Readonly<Record<PostView, readonly PostStatus[]>> = {
  upcoming: ['scheduled', 'sending', 'unknown'],
  sent: ['sent'],
  failed: ['failed', 'skipped'],
  cancelled: ['cancelled'],
};

export interface ChannelView { row: ChannelRow; counts: Record<string, number> }

export async function listChannels(deps: ControlDeps): Promise<ChannelView[]> {
  const [rows, counts] = await Promise.all([listChannelRows(deps.db), postCounts(deps.db)]);
  return rows.map((row) => ({ row, counts: counts.get(row.id) ?? {} }));
}

export async function channelOrThrow(deps: ControlDeps, id: string): Promise<ChannelRow> {
  const row = await getChannelRow(deps.db, id);
  if (!row) throw new NotFoundError('channel', id);
  return row;
}

export interface PostWithPreview { post: SocialPostRow; title: string | null; preview: FormattedPost | null }

/**
 * A page of a channel's posts: upcoming soonest first, the others newest first (keyset by
 * scheduled_at, id). Upcoming posts carry a preview of the post as it would go out now; the
 * others carry none (a sent post shows `sent_text`, what went out).
 */
export async function listPosts(deps: ControlDeps, channelId: string, view: PostView, page: { limit: number; after?: { at: Date; id: number } | undefined }): Promise<PostWithPreview[]> {
  await channelOrThrow(deps, channelId);
  const ascending = view === 'upcoming';
  let q = deps.db.selectFrom('social_posts').selectAll().where('channel_id', '=', channelId)
    .where('status', 'in', [...postViews[view]])
    .orderBy('scheduled_at', ascending ? 'asc' : 'desc').orderBy('id', ascending ? 'asc' : 'desc').limit(page.limit);
  if (page.after) {
    const { at, id } = page.after;
    const cmp = ascending ? '>' : '<';
    q = q.where((eb) => eb.or([eb('scheduled_at', cmp, at), eb.and([eb('scheduled_at', '=', at), eb('id', cmp, id)])]));
  }
  const posts = await q.execute();
  if (view !== 'upcoming') return posts.map((post) => ({ post, title: null, preview: null }));
  return Promise.all(posts.map((post) => withPreview(deps, post)));
}

export async function withPreview(deps: ControlDeps, post: SocialPostRow): Promise<PostWithPreview> {
  const channel = deps.channels.get(post.channel_id);
  if (!channel) return { post, title: null, preview: null };
  const live = await loadLiveTranslation(deps, post.translation_id, { language: channel.language, hashtags: channel.config.hashtags, network: channel.network.name });
  if (!live) return { post, title: null, preview: null };
  const hasImage = !!channel.network.image && !!(await deps.hasImage?.(live.storyId));
  const preview = channel.network.format(live.content, { hasImage, maxCharacters: channel.config.maxCharacters });
  return { post, title: live.content.title, preview };
}

async function postOf(deps: ControlDeps, channelId: string, postId: number): Promise<SocialPostRow> {
  const post = await deps.db.selectFrom('social_posts').selectAll().where('id', '=', postId).where('channel_id', '=', channelId).executeTakeFirst();
  if (!post) throw new NotFoundError('post', postId);
  return post;
}

/** Only a post that is not on its way (or on the network) may be moved, cancelled or sent now. */
const movable: readonly PostStatus[] = ['scheduled', 'failed', 'skipped', 'cancelled'];

async function change(deps: ControlDeps, channelId: string, postId: number, from: readonly PostStatus[], set: Updateable<SocialPostsTable>, verb: string): Promise<SocialPostRow> {
  const current = await postOf(deps, channelId, postId);
  const updated = await deps.db.updateTable('social_posts').set({ ...set, updated_at: deps.clock() })
    .where('id', '=', postId).where('status', 'in', [...from]).returningAll().executeTakeFirst();
  if (!updated) throw new AppError('conflict', `post ${postId} is ${current.status}; it cannot be ${verb} now`);
  return updated;
}

export async function reschedule(deps: ControlDeps, channelId: string, postId: number, at: Date): Promise<SocialPostRow> {
  if (Number.isNaN(at.getTime())) throw new InvalidInputError('at must be an ISO 8601 time');
  if (at.getTime() < deps.clock().getTime() - 60_000) throw new InvalidInputError('at is in the past; use post-now to send it at once');
  await assertPublic(deps, postId, at);
  const post = await change(deps, channelId, postId, movable, {
    status: 'scheduled', scheduled_at: at, window_at: null, next_attempt_at: null, outcome_unknown: false, error_code: null, error: null, attempts: 0,
  }, 'rescheduled');
  return post;
}

export async function cancel(deps: ControlDeps, channelId: string, postId: number): Promise<SocialPostRow> {
  return change(deps, channelId, postId, ['scheduled', 'failed', 'skipped'], { status: 'cancelled', error_code: 'cancelled', error: 'cancelled by a person' }, 'cancelled');
}

/**
 * Sends at once. On a post that failed as `outcome_unknown` this (like rescheduling it) is the
 * person's word that the channel does not have it: the check is dropped.
 */
export async function postNow(deps: ControlDeps, channelId: string, postId: number): Promise<SocialPostRow> {
  await assertPublic(deps, postId, deps.clock());
  const post = await change(deps, channelId, postId, movable, {
    status: 'scheduled', scheduled_at: deps.clock(), window_at: null, next_attempt_at: null, outcome_unknown: false, error_code: null, error: null, attempts: 0,
  }, 'posted now');
  deps.wake();
  return post;
}

async function assertPublic(deps: ControlDeps, postId: number, at: Date) {
  const row = await deps.db.selectFrom('social_posts as sp').innerJoin('publications as p', 'p.translation_id', 'sp.translation_id')
    .select(['p.first_published_at', 'p.withdrawn_at']).where('sp.id', '=', postId).executeTakeFirst();
  if (!row || row.withdrawn_at) throw new AppError('conflict', 'the translation is no longer published');
  if (row.first_published_at > at) throw new AppError('conflict', `the translation is under embargo until ${row.first_published_at.toISOString()}`);
}

/** A broken channel whose credentials were fixed goes back to work; its waiting posts go out. */
export async function resume(deps: ControlDeps, channelId: string): Promise<ChannelRow> {
  const row = await channelOrThrow(deps, channelId);
  if (row.status !== 'broken') throw new AppError('conflict', `channel ${channelId} is ${row.status}, not broken`);
  await setChannelStatus(deps.db, channelId, { status: 'active', reason: null, reasonKey: null }, deps.clock());
  await deps.db.updateTable('social_channels').set({ paused_until: sql`NULL` }).where('id', '=', channelId).execute();
  deps.wake();
  return (await getChannelRow(deps.db, channelId))!;
}
