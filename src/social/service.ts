/**
 * Social posting, assembled: channels loaded into the database at start, posts placed when a
 * translation is published and taken down when it is withdrawn, the dispatcher woken by
 * node-cron (state lives in the database, so any instance may wake it) and at once for priority
 * stories and "post now".
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { i18n } from 'i18next';
import cron, { type ScheduledTask } from 'node-cron';
import type { ChannelConfig, SocialConfig } from '../config.ts';
import type { AudienceConfig } from '../core/audience.ts';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { buildChannels, type RuntimeChannel } from './channels.ts';
import { dispatch, type DispatchCounts } from './dispatcher.ts';
import { placePost, syncChannels, withdrawPosts } from './store.ts';

export interface SocialDeps {
  db: Db;
  log: Logger;
  i18n: i18n;
  clock: Clock;
  publicUrl: string;
  audiences: readonly AudienceConfig[];
  channels: readonly ChannelConfig[];
  credentials: Readonly<Record<string, Record<string, string>>>;
  settings: SocialConfig;
  loadImage?(storyId: number, imageUrl: string | null): Promise<Buffer | null>;
  alert?(event: { code: string; channelId: string; message: string }): void;
}

export interface Social {
  channels: ReadonlyMap<string, RuntimeChannel>;
  /** Places the translation's posts on every channel of its audience (safe to call twice; none once it is withdrawn). */
  onPublished(translationId: number): Promise<void>;
  /** Cancels its unsent posts and takes down the sent ones where the network allows. */
  onWithdrawn(translationId: number): Promise<void>;
  /** One dispatcher run now (tests and "post now"); runs never overlap within a process. */
  dispatchNow(): Promise<DispatchCounts>;
  /** Asks for a dispatcher run soon, without waiting for it. */
  wake(): void;
  /** Starts the cron wake-up. */
  start(): void;
  stop(): Promise<void>;
}

export async function createSocial(deps: SocialDeps): Promise<Social> {
  const channels = buildChannels(deps.channels, deps.audiences, deps.credentials);
  await syncChannels(deps.db, [...channels.values()].map((c) => ({ config: c.config, state: c.state, timeZone: c.timeZone })), deps.clock());
  for (const c of channels.values()) {
    if (c.state.status === 'not_configured') deps.log.warn({ channel: c.config.id }, `channel ${c.config.id} (${c.config.network}) is not configured: ${c.state.reason}; it posts nothing`);
  }
  const alert = deps.alert ?? ((e) => deps.log.error({ alert: e.code, channel: e.channelId }, e.message));
  const dispatcherDeps = {
    ...deps, channels, alert,
    instance: `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    loadImage: deps.loadImage ?? (async () => null),
  };

  // one run at a time in this process; a caller arriving during a run waits and then runs again,
  // so nothing that came due during the run is left for the next cron minute
  let running: Promise<DispatchCounts> | undefined;
  const dispatchNow = async (): Promise<DispatchCounts> => {
    while (running) await running.catch(() => {});
    running = dispatch(dispatcherDeps).finally(() => { running = undefined; });
    return running;
  };
  const pending = new Set<Promise<unknown>>();
  const wake = () => {
    const p = dispatchNow().catch((err) => deps.log.error({ err }, 'social dispatcher run failed'));
    pending.add(p);
    p.finally(() => pending.delete(p));
  };

  let task: ScheduledTask | undefined;
  return {
    channels,
    async onPublished(translationId) {
      const translation = await deps.db.selectFrom('translations as t').innerJoin('stories as s', 's.id', 't.story_id')
        .innerJoin('publications as p', 'p.translation_id', 't.id')
        .select(['t.audience_id', 's.priority', 'p.first_published_at']).where('t.id', '=', translationId)
        // taken down since (a pending publication carried out after its takedown): nothing to place
        .where('p.withdrawn_at', 'is', null).executeTakeFirst();
      if (!translation) return;
      // an embargoed publication is public from first_published_at: no slot before it
      const from = new Date(Math.max(deps.clock().getTime(), translation.first_published_at.getTime()));
      let urgent = false;
      for (const channel of channels.values()) {
        if (channel.config.audience !== translation.audience_id || (channel.state.status !== 'active' && channel.state.status !== 'broken')) continue;
        const placed = await placePost(deps.db, {
          channelId: channel.config.id, translationId, key: `doingoai-${randomUUID()}`, priority: translation.priority, plan: channel.plan, now: from,
        });
        if (placed) {
          deps.log.info({ channel: channel.config.id, translation_id: translationId, scheduled_at: placed.scheduled_at }, 'post scheduled');
          urgent ||= placed.priority;
        }
      }
      if (urgent) wake();
    },
    async onWithdrawn(translationId) {
      const r = await withdrawPosts(deps.db, translationId, deps.clock());
      deps.log.info({ translation_id: translationId, ...r }, 'posts of a withdrawn translation cancelled or queued for removal');
      if (r.toRemove) wake();
    },
    dispatchNow,
    wake,
    start() {
      task = cron.schedule(deps.settings.dispatchCron, wake, { name: 'social:dispatch', noOverlap: true });
      wake(); // catch up at once with what came due while the service was down
    },
    async stop() {
      await task?.stop();
      while (pending.size) await Promise.allSettled([...pending]);
    },
  };
}
