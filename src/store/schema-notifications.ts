/** Row types of notifications (migrations/028_notifications.sql). */
import type { ColumnType, Generated, Selectable } from 'kysely';
import type { DeliveryReason } from '../core/failure-reasons.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type NotificationState = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';
export type NotificationChannelName = 'email' | 'telegram' | 'webhook';

export interface NotificationPreferencesTable {
  user_id: number;
  channel: ColumnType<NotificationChannelName, NotificationChannelName | undefined, NotificationChannelName>;
  email: string | null;
  telegram_chat_id: string | null;
  events: ColumnType<string[], string[] | undefined, string[]>;
  quiet_start: number | null;
  quiet_end: number | null;
  digest: Generated<boolean>;
  digest_hour: Generated<number>;
  updated_at: Timestamp;
}

export interface NotificationsTable {
  id: ColumnType<string, never, never>;
  event: string;
  event_key: string;
  user_id: number;
  urgent: boolean;
  params: ColumnType<Record<string, string | number>, string | undefined, string>;
  link: string;
  state: ColumnType<NotificationState, NotificationState | undefined, NotificationState>;
  due_at: Timestamp;
  queued_at: NullableTimestamp;
  attempts: Generated<number>;
  claimed_at: NullableTimestamp;
  channel: string | null;
  last_error: string | null;
  /** Why, as a code the desk words in the person's language (core/failure-reasons.ts), with its values; migrations/038. */
  last_error_code: DeliveryReason | null;
  last_error_values: ColumnType<Record<string, string | number> | null, string | null | undefined, string | null>;
  sent_at: NullableTimestamp;
  created_at: Timestamp;
}

declare module './schema.ts' {
  interface Database {
    notification_preferences: NotificationPreferencesTable;
    notifications: NotificationsTable;
  }
}

export type NotificationRow = Selectable<NotificationsTable>;
export type NotificationPreferencesRow = Selectable<NotificationPreferencesTable>;
