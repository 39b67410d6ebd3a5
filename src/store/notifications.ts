/**
 * Writing notifications: one row per (event, cause, person), for the people who asked for the
 * event and can still sign in. Called inside the transaction of the cause (so a rolled-back
 * approval tells nobody) or by the sweep that reconciles states; a second call for the same cause
 * adds nothing (the unique key). The rows wake the senders at commit (028_notifications.sql).
 */
import { sql, type RawBuilder } from 'kysely';
import { isUrgent, type NotificationEvent } from '../core/notification-events.ts';
import type { Db } from './db.ts';
import './schema-notifications.ts';
import './schema-people.ts';

/** Who is told: people working in a language (editors and admins without a list work in all), a role and above, or named people. */
export type Recipients =
  | { language: RawBuilder<string> }
  | { role: 'admin' | 'editor' }
  | { username: RawBuilder<string | null> };

/** A source of causes: each row gives a key, the link, the values of the sentence and its recipients' terms. */
interface Causes {
  event: NotificationEvent;
  /** SELECT producing columns event_key, link, params (jsonb), and whatever `recipients` refers to, aliased `c`. */
  from: RawBuilder<unknown>;
  recipients: Recipients;
  /** A person is not told of their own act. */
  except?: string | undefined;
}

function whom(r: Recipients): RawBuilder<unknown> {
  if ('language' in r) {
    return sql`(EXISTS (SELECT 1 FROM unnest(u.languages) l WHERE lower(split_part(l, '-', 1)) = lower(split_part(${r.language}, '-', 1)))
      OR (u.role <> 'translator' AND cardinality(u.languages) = 0))`;
  }
  if ('role' in r) return r.role === 'admin' ? sql`u.role = 'admin'` : sql`u.role IN ('admin', 'editor')`;
  return sql`u.username = ${r.username}`;
}

/** Writes the rows; returns how many are new. */
export async function recordNotifications(db: Db, causes: Causes): Promise<number> {
  const result = await sql`
    INSERT INTO notifications (event, event_key, user_id, urgent, params, link)
    SELECT ${causes.event}, c.event_key, u.id, ${isUrgent(causes.event)}, c.params, c.link
    FROM (${causes.from}) c
    JOIN users u ON u.disabled_at IS NULL AND ${whom(causes.recipients)}
    JOIN notification_preferences p ON p.user_id = u.id AND ${causes.event} = ANY (p.events)
    ${causes.except ? sql`WHERE u.username <> ${causes.except}` : sql``}
    ON CONFLICT (event, event_key, user_id) DO NOTHING`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** A priority story reached these translations' languages: the people of each language are told (key: the translation). */
export function notifyPriorityStory(trx: Db, storyIds: readonly number[]): Promise<number> {
  if (!storyIds.length) return Promise.resolve(0);
  return recordNotifications(trx, {
    event: 'priority_story',
    from: sql`SELECT 'translation:' || t.id AS event_key, '/ui/translations/' || t.id AS link, t.language,
        jsonb_build_object('title', s.title, 'language', t.language, 'audience', t.audience_id) AS params
      FROM translations t JOIN stories s ON s.id = t.story_id
      WHERE s.priority AND t.story_id = ANY (${sql.val([...storyIds])}::int[]) AND t.state NOT IN ('withdrawn')`,
    recipients: { language: sql<string>`c.language` },
  });
}

/** A translation was sent back or approved: its last editor is told (key: the workflow event). */
export function notifyReviewOutcome(trx: Db, event: 'sent_back' | 'approved', translationId: number, eventId: number, actor: string, reason?: string): Promise<number> {
  return recordNotifications(trx, {
    event,
    from: sql`SELECT 'event:' || ${eventId}::text AS event_key, '/ui/translations/' || t.id AS link, t.last_editor,
        jsonb_build_object('title', t.title, 'language', t.language, 'by', ${actor}::text, 'reason', ${reason ?? ''}::text) AS params
      FROM translations t WHERE t.id = ${translationId}`,
    recipients: { username: sql<string | null>`c.last_editor` },
    except: actor,
  });
}

export interface Preferences {
  channel: 'email' | 'telegram' | 'webhook';
  email: string | null;
  telegramChatId: string | null;
  events: readonly NotificationEvent[];
  /** Minutes after local midnight; null: no quiet hours. */
  quiet: { start: number; end: number } | null;
  digest: boolean;
  digestHour: number;
}

export const defaultPreferences: Preferences = { channel: 'email', email: null, telegramChatId: null, events: [], quiet: null, digest: false, digestHour: 8 };

export async function getPreferences(db: Db, userId: number): Promise<Preferences> {
  const p = await db.selectFrom('notification_preferences').selectAll().where('user_id', '=', userId).executeTakeFirst();
  if (!p) return defaultPreferences;
  return {
    channel: p.channel, email: p.email, telegramChatId: p.telegram_chat_id, events: p.events as NotificationEvent[],
    quiet: p.quiet_start !== null && p.quiet_end !== null ? { start: p.quiet_start, end: p.quiet_end } : null,
    digest: p.digest, digestHour: p.digest_hour,
  };
}

export async function savePreferences(db: Db, userId: number, p: Preferences, now: Date): Promise<void> {
  const row = {
    channel: p.channel, email: p.email, telegram_chat_id: p.telegramChatId, events: [...p.events],
    quiet_start: p.quiet?.start ?? null, quiet_end: p.quiet?.end ?? null, digest: p.digest, digest_hour: p.digestHour, updated_at: now,
  };
  await db.insertInto('notification_preferences').values({ user_id: userId, ...row })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(row)).execute();
}

/** A person's latest notifications, for their preferences page: what was sent and what failed. */
export function recentNotifications(db: Db, userId: number, limit = 20) {
  return db.selectFrom('notifications').select(['id', 'event', 'state', 'params', 'link', 'created_at', 'sent_at', 'last_error', 'last_error_code', 'last_error_values', 'channel'])
    .where('user_id', '=', userId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}
