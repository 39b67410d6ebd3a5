/**
 * The dispatcher: claims the posts that are due, sends each once, records what happened, and
 * carries out takedowns. Run by node-cron every minute and woken at once for priority posts and
 * "post now"; any instance may run it (claims skip rows another instance holds).
 *
 * Exactly once: a post is marked `sending` (committed) before the request leaves. If the process
 * dies before the outcome is recorded, the post stays `sending`; after the lease it is claimed
 * again with `outcome_unknown`, and the channel is asked (Verifier) before anything is sent. A
 * network that cannot be asked gets no blind retry: the post fails as `outcome_unknown` for a
 * person to check. Mastodon also receives the post's Idempotency-Key, Bluesky a fixed record key.
 *
 * Failures: 429 pauses the channel for as long as told; 5xx and timeouts back off exponentially
 * up to maxAttempts; 401/403 mark the channel broken (admins alerted) and its posts wait; a
 * refused post fails alone. Channels run side by side: one slow or failing channel holds up no other.
 */
import type { i18n } from 'i18next';
import type { SocialConfig } from '../config.ts';
import { backoffDelay } from '../core/backoff.ts';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../log.ts';
import { translationUrl } from '../core/urls.ts';
import type { Db } from '../store/db.ts';
import type { RuntimeChannel } from './channels.ts';
import { loadLiveTranslation, type LiveTranslation } from './content.ts';
import { makeCard, type ImageCard } from './image.ts';
import { SocialError, type PostIdentity, type PublishedRef } from './network.ts';
import { catchUp } from './schedule.ts';
import {
  claimDuePosts, claimRemovals, freeSlot, pauseChannel, recordOutcome, recordRemoval, recordSent, setChannelStatus, type SocialPostRow,
} from './store.ts';

/** A failed post's wait doubles from `social.backoffSeconds` up to this. */
const MAX_POST_BACKOFF_MS = 6 * 3600_000;

export interface DispatcherDeps {
  db: Db;
  log: Logger;
  i18n: i18n;
  publicUrl: string;
  clock: Clock;
  channels: ReadonlyMap<string, RuntimeChannel>;
  settings: SocialConfig;
  /** This process, as recorded on the posts it claims. */
  instance: string;
  /** The story's lead image bytes, or null (then the post goes without a card). */
  loadImage(storyId: number, imageUrl: string | null): Promise<Buffer | null>;
  /** Something a person must act on (a broken channel). */
  alert(event: { code: string; channelId: string; message: string }): void;
}

export interface DispatchCounts { sent: number; retrying: number; failed: number; skipped: number; removed: number }

const batchSize = 50;

export async function dispatch(deps: DispatcherDeps): Promise<DispatchCounts> {
  const counts: DispatchCounts = { sent: 0, retrying: 0, failed: 0, skipped: 0, removed: 0 };
  const claim = { now: deps.clock(), instance: deps.instance, leaseSeconds: deps.settings.sendingLeaseSeconds, limit: batchSize };
  const removals = await claimRemovals(deps.db, claim);
  const posts = await claimDuePosts(deps.db, claim);
  const byChannel = new Map<string, { posts: SocialPostRow[]; removals: SocialPostRow[] }>();
  const group = (id: string) => byChannel.get(id) ?? byChannel.set(id, { posts: [], removals: [] }).get(id)!;
  for (const p of posts) group(p.channel_id).posts.push(p);
  for (const p of removals) group(p.channel_id).removals.push(p);
  await Promise.all([...byChannel].map(([channelId, work]) => runChannel(deps, channelId, work, counts)));
  return counts;
}

async function runChannel(deps: DispatcherDeps, channelId: string, work: { posts: SocialPostRow[]; removals: SocialPostRow[] }, counts: DispatchCounts) {
  const channel = deps.channels.get(channelId);
  let halted = false; // after a 429 or 401/403 the rest of this channel's batch waits
  for (const post of work.removals) {
    if (halted || !channel) {
      await recordRemoval(deps.db, post, 'requested', deps.clock());
      continue;
    }
    try {
      halted = await removeOne(deps, channel, post, counts);
    } catch (err) {
      // a database error: the removal is asked for again next run, and the channel's posts still go
      deps.log.error({ err, post_id: post.id, channel: channelId }, 'removing a post failed unexpectedly');
      await recordRemoval(deps.db, post, 'requested', deps.clock()).catch(() => {});
    }
  }
  for (const post of work.posts) {
    if (halted || !channel) {
      await recordOutcome(deps.db, post, { status: post.outcome_unknown ? 'unknown' : 'scheduled', now: deps.clock(), uncount: true });
      continue;
    }
    try {
      halted = await sendOne(deps, channel, post, counts);
    } catch (err) {
      // a bug or a database error: the post is failed, visible, and the others go on
      deps.log.error({ err, post_id: post.id, channel: channelId }, 'posting failed unexpectedly');
      await recordOutcome(deps.db, post, { status: 'failed', now: deps.clock(), code: 'internal', error: (err as Error).message }).catch(() => {});
      counts.failed++;
    }
  }
}

function withTimeout<T>(deps: DispatcherDeps, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const signal = AbortSignal.timeout(deps.settings.timeoutMs);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new SocialError('unknown_outcome', `no answer within ${deps.settings.timeoutMs} ms`));
    signal.addEventListener('abort', onAbort, { once: true });
    work(signal).then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

async function imageFor(deps: DispatcherDeps, channel: RuntimeChannel, live: LiveTranslation): Promise<ImageCard | null> {
  if (!channel.network.image) return null;
  try {
    const source = await deps.loadImage(live.storyId, live.imageUrl);
    return source ? await makeCard(source, channel.network.image, live.imageAlt) : null;
  } catch (err) {
    deps.log.warn({ err: (err as Error).message, story_id: live.storyId, channel: channel.config.id }, 'the lead image cannot be used; posting without a card');
    return null;
  }
}

/** Sends (or settles) one claimed post; true when the channel must stop for this run. */
async function sendOne(deps: DispatcherDeps, channel: RuntimeChannel, post: SocialPostRow, counts: DispatchCounts): Promise<boolean> {
  const log = deps.log.child({ post_id: post.id, channel: channel.config.id, translation_id: post.translation_id });
  const live = await loadLiveTranslation(deps, post.translation_id, { language: channel.language, hashtags: channel.config.hashtags, network: channel.network.name });
  const connection = channel.connection();
  const identity = (content: LiveTranslation['content'], image: ImageCard | null): PostIdentity => ({ key: post.idempotency_key, createdAt: post.created_at, at: deps.clock(), content, image });

  if (post.outcome_unknown) {
    if (!connection.verifier) {
      await recordOutcome(deps.db, post, {
        status: 'failed', now: deps.clock(), code: 'outcome_unknown',
        error: `an earlier attempt may have reached ${channel.network.name}, which cannot be asked; check the channel, then post now or cancel`,
      });
      log.warn('post outcome unknown and the network cannot be asked: left for a person');
      counts.failed++;
      return false;
    }
    let found: PublishedRef | null;
    try {
      // the lookup needs the link, which stays the same even when the text was since withdrawn
      const content = live?.content ?? { language: channel.language, title: '', summary: '', url: translationUrl(deps.publicUrl, channel.config.audience, post.translation_id), hashtags: [], strings: { readMore: '', readMoreLabel: '' } };
      found = await withTimeout(deps, (signal) => connection.verifier!.find(identity(content, null), signal));
    } catch (err) {
      return handleError(deps, channel, post, err, counts, log);
    }
    if (found) {
      await recordSent(deps.db, post, { ...found, text: null, now: deps.clock() });
      log.info({ network_post_id: found.id }, 'an interrupted post had reached the channel; recorded, not sent again');
      counts.sent++;
      return false;
    }
  }

  if (!live) {
    await recordOutcome(deps.db, post, { status: 'cancelled', now: deps.clock(), code: 'withdrawn', error: 'the translation is no longer published', outcomeUnknown: false });
    return false;
  }

  if (live.publicFrom > deps.clock()) {
    await recordOutcome(deps.db, post, { status: 'scheduled', now: deps.clock(), retryAt: live.publicFrom, uncount: true });
    log.info({ public_from: live.publicFrom }, 'under embargo: the post waits');
    return false;
  }

  if (!post.outcome_unknown) {
    // a post waiting after a 429 or a retry is not a missed window
    const decision = catchUp({ scheduledAt: post.scheduled_at, windowAt: post.window_at, attempts: post.next_attempt_at ? 1 : post.attempts - 1 }, deps.clock(), channel.config.catchUp, channel.config.catchUpGraceMinutes);
    if (decision === 'skip') {
      await recordOutcome(deps.db, post, { status: 'skipped', now: deps.clock(), code: 'missed_window', error: `the service was not running at ${post.scheduled_at.toISOString()}; catchUp is "skip"`, uncount: true });
      counts.skipped++;
      return false;
    }
    if (decision === 'next_window') {
      const slot = await freeSlot(deps.db, channel.config.id, channel.plan, deps.clock());
      await recordOutcome(deps.db, post, { status: 'scheduled', now: deps.clock(), slot });
      log.info({ scheduled_at: slot.scheduledAt }, 'missed its window; moved to the next one');
      return false;
    }
  }

  const image = await imageFor(deps, channel, live);
  const formatted = channel.network.format(live.content, { hasImage: !!image, maxCharacters: channel.config.maxCharacters });
  let ref: PublishedRef;
  try {
    ref = await withTimeout(deps, (signal) => connection.publisher.publish({ ...identity(live.content, image), formatted }, signal));
  } catch (err) {
    return handleError(deps, channel, post, err, counts, log);
  }
  const recorded = await recordSent(deps.db, post, { ...ref, text: formatted.text, now: deps.clock() });
  if (recorded) log.info({ network_post_id: ref.id, url: ref.url }, 'posted');
  else log.warn({ network_post_id: ref.id }, 'posted, but the post was reclaimed meanwhile (lease too short?)');
  counts.sent++;
  return false;
}

async function handleError(deps: DispatcherDeps, channel: RuntimeChannel, post: SocialPostRow, err: unknown, counts: DispatchCounts, log: Logger): Promise<boolean> {
  const now = deps.clock();
  // anything not sorted by the network file came from the request itself: it may have arrived
  const e = err instanceof SocialError ? err : new SocialError('unknown_outcome', (err as Error).message ?? String(err));
  const waiting = post.outcome_unknown ? 'unknown' : 'scheduled';
  switch (e.kind) {
    case 'rate_limited': {
      const until = new Date(now.getTime() + (e.retryAfterMs ?? 60_000));
      await pauseChannel(deps.db, channel.config.id, until);
      await recordOutcome(deps.db, post, { status: waiting, now, code: 'rate_limited', error: e.message, retryAt: until, uncount: true });
      log.warn({ until }, 'rate limited: the channel pauses');
      counts.retrying++;
      return true;
    }
    case 'auth': {
      await recordOutcome(deps.db, post, { status: waiting, now, code: 'channel_broken', error: e.message, retryAt: null, uncount: true });
      if (await setChannelStatus(deps.db, channel.config.id, { status: 'broken', reason: e.message, reasonKey: 'credentialsRefused' }, now)) {
        deps.alert({ code: 'channel_broken', channelId: channel.config.id, message: `Channel ${channel.config.id} (${channel.network.name}) refused our credentials: ${e.message}. Its posts wait until it is fixed.` });
      }
      counts.retrying++;
      return true;
    }
    case 'rejected':
      await recordOutcome(deps.db, post, { status: 'failed', now, code: 'rejected', error: e.message });
      log.warn({ err: e.message }, 'the network refused the post');
      counts.failed++;
      return false;
    case 'transient':
    case 'unknown_outcome': {
      const unknown = e.kind === 'unknown_outcome' || post.outcome_unknown;
      if (post.attempts >= deps.settings.maxAttempts) {
        await recordOutcome(deps.db, post, { status: 'failed', now, code: unknown ? 'outcome_unknown' : 'gave_up', error: `${e.message} (after ${post.attempts} attempts)`, outcomeUnknown: unknown });
        counts.failed++;
        return false;
      }
      const retryAt = new Date(now.getTime() + backoffDelay({ baseMs: deps.settings.backoffSeconds * 1000, maxMs: MAX_POST_BACKOFF_MS }, post.attempts));
      await recordOutcome(deps.db, post, { status: unknown ? 'unknown' : 'scheduled', now, code: e.kind, error: e.message, retryAt, outcomeUnknown: unknown });
      log.warn({ err: e.message, retry_at: retryAt }, 'posting failed; will try again');
      counts.retrying++;
      return false;
    }
  }
}

/** Takes one sent post down where the network allows; true when the channel must stop for this run. */
async function removeOne(deps: DispatcherDeps, channel: RuntimeChannel, post: SocialPostRow, counts: DispatchCounts): Promise<boolean> {
  const remover = channel.connection().remover;
  if (!remover) {
    await recordRemoval(deps.db, post, 'unsupported', deps.clock(), `${channel.network.name} cannot delete posts; remove it by hand`);
    return false;
  }
  try {
    await withTimeout(deps, (signal) => remover.remove({ id: post.network_post_id!, url: post.network_url }, signal));
    await recordRemoval(deps.db, post, 'removed', deps.clock());
    deps.log.info({ post_id: post.id, channel: channel.config.id }, 'post removed after a takedown');
    counts.removed++;
    return false;
  } catch (err) {
    const e = err instanceof SocialError ? err : new SocialError('transient', String(err));
    const now = deps.clock();
    if (e.kind === 'rejected') {
      await recordRemoval(deps.db, post, 'failed', now, e.message);
      return false;
    }
    await recordRemoval(deps.db, post, 'requested', now);
    if (e.kind === 'rate_limited') await pauseChannel(deps.db, channel.config.id, new Date(now.getTime() + (e.retryAfterMs ?? 60_000)));
    if (e.kind === 'auth' && await setChannelStatus(deps.db, channel.config.id, { status: 'broken', reason: e.message, reasonKey: 'credentialsRefused' }, now)) {
      deps.alert({ code: 'channel_broken', channelId: channel.config.id, message: `Channel ${channel.config.id} refused our credentials while removing a post: ${e.message}` });
    }
    return e.kind === 'rate_limited' || e.kind === 'auth';
  }
}
