/**
 * Sending one notification: the durable job `notify-send` (payload: the notification's id).
 *
 * Contract. A notification row is sent at most once by the database's account: the job claims it
 * (pending → sending, one UPDATE, so two jobs for one row or two instances cannot both send) and
 * records the outcome (sent, failed, or pending again with a later due time after a transient
 * failure, waiting the service's one backoff). A crash after the channel accepted the message and
 * before `sent` was recorded leaves the row `sending`; after `leaseMs` the sweep queues it again and
 * the person may get it twice (the e-mail has the same Message-ID, the webhook the same
 * Idempotency-Key). Nothing is lost: a row without a job is found by the sweep.
 *
 * A non-urgent notification is first moved to when the person may get it (out of quiet hours, at
 * the digest hour); a digest sends, in one message, every due non-urgent row of the person.
 */
import type { i18n } from 'i18next';
import { z } from 'zod';
import { backoffDelay, type BackoffPolicy } from '../../core/backoff.ts';
import { isNotificationEvent } from '../../core/notification-events.ts';
import { defineJob, type Job } from '../../jobs/queue.ts';
import type { Logger } from '../../log.ts';
import type { Db } from '../../store/db.ts';
import type { NotificationRow } from '../../store/schema-notifications.ts';
import '../../store/schema-notifications.ts';
import '../../store/schema-people.ts';
import type { ChannelSet, NotifyChannel } from './channels.ts';
import { digestOf } from './messages.ts';
import { NotifyError } from './notifier.ts';
import type { DeliveryReason } from '../../core/failure-reasons.ts';
import { releaseTime } from './quiet.ts';

export const NOTIFY_SEND = 'notify-send';

export interface SendDeps {
  db: Db;
  log: Logger;
  clock: () => Date;
  i18n: i18n;
  publicUrl: string;
  channels: ChannelSet;
  backoff: BackoffPolicy;
  maxAttempts: number;
  /** A claimed row older than this is taken to be a crashed send (see the contract). */
  leaseMs: number;
  /** Queues the job again for a row moved later. */
  later(id: string, at: Date): Promise<void>;
  signal: AbortSignal;
}

const payload = z.strictObject({ id: z.string().regex(/^\d+$/) });

export function notifySendJob(deps: () => SendDeps): Job<z.infer<typeof payload>> {
  return defineJob({
    name: NOTIFY_SEND,
    payload,
    // retries here are for the database going away; a channel's failures are retried with the backoff below
    queue: { retryLimit: 10, retryDelay: 5, retryBackoff: true, expireInSeconds: 120 },
    batchSize: 4,
    handle: ({ id }) => sendNotification(deps(), id),
  });
}

export async function sendNotification(deps: SendDeps, id: string): Promise<void> {
  const { db } = deps;
  const now = deps.clock();
  const row = await db.selectFrom('notifications as n')
    .innerJoin('users as u', 'u.id', 'n.user_id')
    .leftJoin('notification_preferences as p', 'p.user_id', 'n.user_id')
    .select(['n.id', 'n.event', 'n.user_id', 'n.urgent', 'n.state', 'n.due_at', 'n.created_at', 'n.claimed_at',
      'u.locale', 'u.time_zone', 'u.role', 'u.disabled_at', 'p.channel', 'p.email', 'p.telegram_chat_id', 'p.events', 'p.quiet_start', 'p.quiet_end', 'p.digest', 'p.digest_hour'])
    .where('n.id', '=', id as never).executeTakeFirst();
  if (!row) return;
  const crashed = row.state === 'sending' && row.claimed_at && now.getTime() - row.claimed_at.getTime() > deps.leaseMs;
  if (row.state !== 'pending' && !crashed) return; // sent, given up, or being sent by another job
  const skip = (code: DeliveryReason, why: string) => db.updateTable('notifications').set({ state: 'skipped', last_error: why, last_error_code: code, last_error_values: '{}' }).where('id', '=', id as never).where('state', 'in', ['pending', 'sending']).execute();
  if (row.disabled_at) return void await skip('person_disabled', 'the person is disabled');
  if (!row.events || !isNotificationEvent(row.event) || !row.events.includes(row.event)) return void await skip('event_unwanted', 'the person no longer asks for this event');

  const digest = !row.urgent && !!row.digest;
  if (!row.urgent && row.due_at.getTime() <= row.created_at.getTime()) {
    // first run of a non-urgent row: move it to when the person may get it
    const quiet = row.quiet_start !== null && row.quiet_end !== null ? { start: row.quiet_start, end: row.quiet_end } : null;
    const at = releaseTime(now, { timeZone: row.time_zone, quiet, digestHour: digest ? row.digest_hour ?? 8 : null });
    if (at.getTime() > now.getTime() + 1000) {
      await db.updateTable('notifications').set({ due_at: at, queued_at: now }).where('id', '=', id as never).where('state', '=', 'pending').execute();
      await deps.later(id, at);
      return;
    }
  }

  // claim: this row alone, or for a digest every due non-urgent row of the person
  const claimed = await db.updateTable('notifications')
    .set((eb) => ({ state: 'sending', claimed_at: now, attempts: eb('attempts', '+', 1) }))
    .where((eb) => (digest
      ? eb.and([eb('user_id', '=', row.user_id), eb('urgent', '=', false), eb('due_at', '<=', new Date(now.getTime() + 60_000)),
        eb.or([eb('state', '=', 'pending'), eb('id', '=', id as never)])])
      : eb('id', '=', id as never)))
    .where((eb) => eb.or([eb('state', '=', 'pending'), eb.and([eb('state', '=', 'sending'), eb('claimed_at', '<', new Date(now.getTime() - deps.leaseMs))])]))
    .returningAll().execute();
  const mine = claimed.find((c) => c.id === String(row.id));
  if (!mine) return;
  const ids = claimed.map((c) => c.id);
  const settle = (set: { state: NotificationRow['state']; last_error?: string | null; last_error_code?: DeliveryReason | null; last_error_values?: string | null; sent_at?: Date; due_at?: Date; queued_at?: Date; channel?: string }) =>
    db.updateTable('notifications').set(set).where('id', 'in', ids as never[]).where('state', '=', 'sending').execute();

  const channelName = row.channel as NotifyChannel | null;
  const notifier = channelName ? deps.channels.get(channelName) : undefined;
  const address = channelName === 'email' ? row.email : channelName === 'telegram' ? row.telegram_chat_id : channelName === 'webhook' && row.role === 'admin' ? 'webhook' : null;
  if (!notifier || !address) {
    await settle({ state: 'skipped', last_error: !notifier ? `the ${channelName ?? 'chosen'} channel is not set up on this service` : `no address for the ${channelName} channel`,
      last_error_code: !notifier ? 'channel_not_set_up' : 'no_address', last_error_values: JSON.stringify(channelName ? { channel: channelName } : {}) });
    return;
  }
  const sorted = [...claimed].sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || Number(a.id) - Number(b.id));
  const words = digestOf(deps.i18n, row.locale, deps.publicUrl, sorted);
  const log = deps.log.child({ notification_id: id, event: row.event, user_id: row.user_id, channel: channelName });
  try {
    await notifier.send({
      key: `notification-${sorted.map((s) => s.id).join('-')}`, address, ...words,
      event: { name: sorted.length === 1 ? row.event : 'digest', values: sorted.length === 1 ? mine.params : { count: sorted.length } },
    }, deps.signal);
    await settle({ state: 'sent', sent_at: deps.clock(), channel: channelName!, last_error: null, last_error_code: null, last_error_values: null });
    log.info({ notifications: ids.length }, 'notification sent');
  } catch (err) {
    const e = err instanceof NotifyError ? err : new NotifyError('transient', 'unexpected', (err as Error).message);
    const attempts = mine.attempts;
    // the channel's words stay as the detail; the code and values say it in the person's language
    const because = { last_error_code: e.reason, last_error_values: JSON.stringify({ ...e.values, channel: channelName! }) };
    if (e.kind === 'permanent' || attempts >= deps.maxAttempts) {
      await settle({ state: 'failed', last_error: e.message, ...because });
      log.warn({ err: e.message, attempts }, 'notification given up');
      return;
    }
    const at = new Date(deps.clock().getTime() + backoffDelay(deps.backoff, attempts, e.retryAfterMs));
    await settle({ state: 'pending', last_error: e.message, ...because, due_at: at, queued_at: deps.clock() });
    log.warn({ err: e.message, attempts, retry_at: at.toISOString() }, 'notification not sent; trying again later');
    // the same job again for a digest's other rows: each queued at the first's time
    await deps.later(id, at);
  }
}
