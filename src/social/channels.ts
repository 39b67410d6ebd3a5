/**
 * Channels at run time: each configured channel with its network, its window plan (in its
 * audience's time zone unless it names its own), whether it can post, and — once needed — its
 * connection, kept for the life of the process so a Bluesky session is reused, not recreated.
 */
import type { ChannelConfig } from '../config.ts';
import type { AudienceConfig } from '../core/audience.ts';
import type { Connection, Network } from './network.ts';
import { missingSettings, networkOf } from './registry.ts';
import type { WindowPlan } from './schedule.ts';
import type { ChannelState } from './store.ts';

export interface RuntimeChannel {
  config: ChannelConfig;
  network: Network;
  language: string;
  timeZone: string;
  plan: WindowPlan;
  state: ChannelState;
  connection(): Connection;
}

export function buildChannels(channels: readonly ChannelConfig[], audiences: readonly AudienceConfig[], credentials: Readonly<Record<string, Record<string, string>>>): Map<string, RuntimeChannel> {
  const out = new Map<string, RuntimeChannel>();
  for (const config of channels) {
    const audience = audiences.find((a) => a.id === config.audience)!;
    const network = networkOf(config.network);
    const secrets = credentials[config.id] ?? {};
    const missing = missingSettings(config, secrets);
    const timeZone = config.timeZone ?? audience.timeZone;
    let connection: Connection | undefined;
    out.set(config.id, {
      config,
      network,
      language: audience.language,
      timeZone,
      plan: { windows: config.windows, timeZone, maxPostsPerWindow: config.maxPostsPerWindow, spacingMinutes: config.spacingMinutes },
      state: !config.enabled ? { status: 'disabled', reason: 'disabled in the configuration', reasonKey: 'disabledInConfig' }
        : missing.length ? { status: 'not_configured', reason: missing.join('; '), reasonKey: 'missingSettings' }
          : { status: 'active', reason: null, reasonKey: null },
      connection: () => (connection ??= network.connect({ id: config.id, server: config.server, target: config.target }, secrets)),
    });
  }
  return out;
}
