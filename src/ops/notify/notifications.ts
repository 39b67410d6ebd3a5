/**
 * Notifications put together: the channels, the send job, and the sweep that writes state events
 * and queues rows. Rows written in any instance's transactions wake every instance's sweep at
 * commit (LISTEN/NOTIFY); a wake-up missed while the connection was down is made up by the timer.
 * Nothing here runs inside a request: the request commits its rows and returns.
 */
import type { i18n } from 'i18next';
import type { NotificationsConfig } from '../../config.ts';
import { startBroadcast, type Broadcast } from '../../jobs/broadcast.ts';
import type { Job, JobQueue } from '../../jobs/queue.ts';
import type { Logger } from '../../log.ts';
import type { Db } from '../../store/db.ts';
import { createChannels, type NotifyChannel, type NotifySecrets } from './channels.ts';
import { notifySendJob, NOTIFY_SEND } from './send.job.ts';
import { recordStateEvents, takeUnqueued } from './sweep.ts';

/** A send left `sending` this long is taken to have been cut off by a crash. */
const LEASE_MS = 5 * 60_000;

export interface NotificationsDeps {
  db: Db;
  log: Logger;
  clock: () => Date;
  i18n: i18n;
  publicUrl: string;
  config: NotificationsConfig;
  secrets: NotifySecrets;
  slaMinutes: number;
  budgets: { all: number | undefined; audiences: ReadonlyMap<string, number> };
  connectionString: string;
  /** The database's schema (tests), which names the wake-up channel as the trigger does. */
  schema: string | undefined;
  /** The service's queue, started once every job exists. */
  jobs: Pick<JobQueue, 'send'>;
}

export interface Notifications {
  jobs: Job<any>[];
  /** The channels set up on this service. */
  channels: readonly NotifyChannel[];
  start(): Promise<void>;
  /** Writes state events and queues every row without a job now. */
  sweep(): Promise<void>;
  stop(): Promise<void>;
}

export function createNotifications(deps: NotificationsDeps): Notifications {
  const channels = createChannels(deps.config, deps.secrets, deps.publicUrl);
  const stopping = new AbortController();
  let broadcast: Broadcast<object> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const log = deps.log.child({ part: 'notifications' });
  // delays are counted on the service's clock, not the database's: the two may differ
  const delayOf = (at: Date) => Math.max(0, Math.ceil((at.getTime() - deps.clock().getTime()) / 1000));
  const later = async (id: string, at: Date) => void await deps.jobs.send(NOTIFY_SEND, { id }, delayOf(at) ? { startAfter: delayOf(at) } : {});
  const job = notifySendJob(() => ({
    db: deps.db, log, clock: deps.clock, i18n: deps.i18n, publicUrl: deps.publicUrl, channels,
    backoff: { baseMs: deps.config.retry.baseDelayMs, maxMs: deps.config.retry.maxDelayMs, jitter: 0.2 },
    maxAttempts: deps.config.retry.maxAttempts, leaseMs: LEASE_MS, later, signal: stopping.signal,
  }));

  // one pass at a time per instance; a wake-up during one runs another after it. A wake-up (rows
  // committed somewhere) only queues; the timer also writes the notifications that follow from states.
  let running: Promise<void> | undefined;
  let again = false;
  let statesDue = false;
  const pass = async () => {
    const now = deps.clock();
    if (statesDue) {
      statesDue = false;
      // a failing state query must not keep the rows already written from being queued
      await recordStateEvents(deps.db, now, {
        slaMinutes: deps.slaMinutes, deadlineWarningMinutes: deps.config.deadlineWarningMinutes, sourceFailingPolls: deps.config.sourceFailingPolls, leaseMs: LEASE_MS, budgets: deps.budgets,
      }).catch((err: Error) => log.warn({ err: err.message }, 'the notifications that follow from states could not be written; the next sweep tries again'));
    }
    // a row never moved (due when written) is due at once: its time is the database's clock, which
    // need not agree with the service's; its first run moves it past quiet hours or to the digest
    await Promise.all((await takeUnqueued(deps.db, now, LEASE_MS)).map((row) => later(row.id, row.due_at <= row.created_at ? now : row.due_at)));
  };
  const run = (states: boolean): Promise<void> => {
    if (states) statesDue = true;
    if (running) { again = true; return running; } // the running loop makes one more pass
    running = (async () => {
      try {
        do { again = false; await pass(); } while (again && !stopping.signal.aborted);
      } finally { running = undefined; }
    })();
    return running;
  };
  const sweep = () => run(true);
  const logged = (states: boolean) => () => void run(states).catch((err: Error) => log.warn({ err: err.message }, 'the notification sweep failed; the next one tries again'));

  return {
    jobs: [job],
    channels: channels.names,
    async start() {
      broadcast = await startBroadcast<object>({
        connectionString: deps.connectionString, channel: `${deps.schema ?? 'public'}_notifications`, log,
        onMessage: logged(false), onReconnect: logged(true),
      });
      timer = setInterval(logged(true), deps.config.sweepSeconds * 1000);
      timer.unref();
      logged(true)();
    },
    sweep,
    async stop() {
      stopping.abort();
      if (timer) clearInterval(timer);
      await broadcast?.stop();
      await running?.catch(() => {});
      channels.close();
    },
  };
}
