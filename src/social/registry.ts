/**
 * The networks by name, and whether a configured channel has what its network needs. Adding a
 * network is one file in networks/ and one line here.
 */
import type { ChannelConfig } from '../config.ts';
import type { Network } from './network.ts';
import { bluesky } from './networks/bluesky.ts';
import { facebookPage } from './networks/facebook-page.ts';
import { mastodon } from './networks/mastodon.ts';
import { telegram } from './networks/telegram.ts';
import { vk } from './networks/vk.ts';
import { webhook } from './networks/webhook.ts';
import { x } from './networks/x.ts';

export const networks: Readonly<Record<ChannelConfig['network'], Network>> = {
  mastodon, bluesky, x, telegram, facebook_page: facebookPage, webhook, vk,
};

export function networkOf(name: string): Network {
  const network = (networks as Record<string, Network | undefined>)[name];
  if (!network) throw new Error(`no network named "${name}"`);
  return network;
}

/** What is missing for the channel to post, in words for a person; empty when it can. */
export function missingSettings(channel: ChannelConfig, credentials: Record<string, string>): string[] {
  const network = networkOf(channel.network);
  const missing: string[] = [];
  for (const key of network.credentialKeys) {
    if (!channel.credentials[key]) missing.push(`credentials.${key} (the name of an environment variable) is not set in the configuration`);
    else if (!credentials[key]) missing.push(`environment variable ${channel.credentials[key]} (credentials.${key}) is not set`);
  }
  if (network.needsTarget && !channel.target) missing.push('target is not set');
  if (network.needsServer && !channel.server) missing.push('server is not set');
  return missing;
}
