/**
 * Telling every instance on one PostgreSQL that something changed, through LISTEN/NOTIFY. Used
 * for feeds: each instance serves feed files from its own folder and memory, so an approval taken
 * by one instance must make the others rebuild theirs. Messages from this instance are ignored.
 * A lost connection is re-opened with backoff; a message sent while it was down is missed, so
 * receivers also rebuild everything after reconnecting (`onReconnect`).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { backoffDelay } from '../core/backoff.ts';
import type { Logger } from '../log.ts';

/** Waits between attempts to re-open a lost connection: 0.5 s, doubling, at most 30 s. */
const RECONNECT_BACKOFF = { baseMs: 500, maxMs: 30_000 };

export interface Broadcast<M> {
  readonly instanceId: string;
  announce(message: M): Promise<void>;
  stop(): Promise<void>;
}

export interface Listener<M> {
  onMessage(message: M): void;
  onReconnect?(): void;
}

export interface BroadcastOptions<M> extends Listener<M> {
  connectionString: string;
  /** A channel name (letters, digits, underscores). */
  channel: string;
  log: Logger;
}

/** A broadcast opened before what it delivers to exists: `listen` connects; announcing before it fails as with the connection down. */
export interface UnopenedBroadcast<M> extends Broadcast<M> {
  listen(listener: Listener<M>): Promise<void>;
}

export async function startBroadcast<M>(opts: BroadcastOptions<M>): Promise<Broadcast<M>> {
  const broadcast = createBroadcast<M>(opts);
  await broadcast.listen(opts);
  return broadcast;
}

export function createBroadcast<M>(opts: Omit<BroadcastOptions<M>, keyof Listener<M>>): UnopenedBroadcast<M> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(opts.channel)) throw new Error(`"${opts.channel}" is not a usable notification channel name`);
  let listener: Listener<M> | undefined;
  const instanceId = randomUUID();
  let client: pg.Client | undefined;
  let stopped = false;
  let failures = 0;

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: opts.connectionString, application_name: 'doingoai-broadcast' });
    c.on('notification', (n) => {
      if (n.channel !== opts.channel || !n.payload) return;
      try {
        const { from, message } = JSON.parse(n.payload) as { from: string; message: M };
        if (from !== instanceId) listener?.onMessage(message);
      } catch (err) {
        opts.log.warn({ err: (err as Error).message }, 'unreadable broadcast message ignored');
      }
    });
    c.on('error', (err) => {
      opts.log.warn({ err: err.message }, 'the broadcast connection was lost; reconnecting');
      void reconnect(c);
    });
    await c.connect();
    await c.query(`LISTEN ${opts.channel}`);
    client = c;
    failures = 0;
  };

  const reconnect = async (broken: pg.Client) => {
    if (client !== broken || stopped) return;
    client = undefined;
    await broken.end().catch(() => {});
    while (!stopped) {
      await new Promise((r) => setTimeout(r, backoffDelay(RECONNECT_BACKOFF, ++failures)));
      try {
        await connect();
        listener?.onReconnect?.();
        return;
      } catch (err) {
        opts.log.warn({ err: (err as Error).message }, 'the broadcast connection could not be re-opened');
      }
    }
  };

  return {
    instanceId,
    async listen(l) {
      if (listener) throw new Error('the broadcast is listening already');
      listener = l;
      await connect();
    },
    async announce(message) {
      const payload = JSON.stringify({ from: instanceId, message });
      // pg_notify through whichever connection is up; a payload must stay under 8000 bytes
      if (!client) throw new Error('the broadcast connection is down');
      await client.query('SELECT pg_notify($1, $2)', [opts.channel, payload]);
    },
    async stop() {
      stopped = true;
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
    },
  };
}
