/**
 * WebSub publishing: tells each configured hub that a feed changed (POST hub.mode=publish,
 * hub.url=<feed URL>; W3C WebSub leaves the ping's form to hubs, and this is the one they accept).
 * One durable job per hub and change, retried with backoff; subscribers then fetch from the hub.
 */
import { z } from 'zod';
import { defineJob } from '../jobs/queue.ts';

export interface WebSubDeps {
  fetch?: typeof fetch;
  timeoutMs: number;
}

export class HubRefusedError extends Error {
  constructor(readonly hub: string, readonly status: number) {
    super(`hub ${hub} answered ${status} to a publish ping`);
  }
}

/** Pings one hub about each topic; throws on the first refusal (the job is retried whole: pings are idempotent). */
export async function pingHub(deps: WebSubDeps, hub: string, topics: readonly string[]): Promise<void> {
  const doFetch = deps.fetch ?? fetch;
  for (const topic of topics) {
    const res = await doFetch(hub, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': topic }).toString(),
      signal: AbortSignal.timeout(deps.timeoutMs),
      redirect: 'error',
    });
    await res.arrayBuffer().catch(() => undefined);
    if (res.status < 200 || res.status >= 300) throw new HubRefusedError(hub, res.status);
  }
}

export const websubPayload = z.object({ hub: z.string().url(), topics: z.array(z.string().url()).min(1) });

export function websubPingJob(deps: WebSubDeps) {
  return defineJob({
    name: 'feeds.websub-ping',
    payload: websubPayload,
    // a hub that is down for a while still hears of the change: 10 tries over about an hour
    queue: { retryLimit: 10, retryDelay: 5, retryBackoff: true, expireInSeconds: 60 },
    handle: (payload) => pingHub(deps, payload.hub, payload.topics),
  });
}
