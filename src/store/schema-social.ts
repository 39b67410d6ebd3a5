/** Row types of the social tables (migrations/007_social.sql, 023_channel_reasons.sql). */
import type { ColumnType, Generated, Selectable } from 'kysely';

/** Why a channel is disabled, not configured or broken: a key of social-desk:reason. */
export type ChannelReasonKey = 'disabledInConfig' | 'missingSettings' | 'goneFromConfig' | 'credentialsRefused';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type ChannelStatus = 'active' | 'broken' | 'not_configured' | 'disabled';
export type PostStatus = 'scheduled' | 'sending' | 'unknown' | 'sent' | 'failed' | 'cancelled' | 'skipped';
export type RemovalStatus = 'requested' | 'removing' | 'removed' | 'unsupported' | 'failed';

export interface SocialChannelsTable {
  id: string;
  network: string;
  audience_id: string;
  status: ColumnType<ChannelStatus, ChannelStatus | undefined, ChannelStatus>;
  status_reason: string | null;
  /** Why, as a locale key of social-desk:reason (023_channel_reasons.sql). */
  status_reason_key: ChannelReasonKey | null;
  status_changed_at: Timestamp;
  paused_until: NullableTimestamp;
  settings: ColumnType<Record<string, unknown>, string | undefined, string>;
  updated_at: Timestamp;
}

export interface SocialPostsTable {
  id: Generated<number>;
  channel_id: string;
  translation_id: number;
  idempotency_key: string;
  status: ColumnType<PostStatus, PostStatus | undefined, PostStatus>;
  priority: Generated<boolean>;
  window_at: NullableTimestamp;
  scheduled_at: Timestamp;
  next_attempt_at: NullableTimestamp;
  attempts: Generated<number>;
  outcome_unknown: Generated<boolean>;
  claimed_at: NullableTimestamp;
  claimed_by: string | null;
  sent_at: NullableTimestamp;
  network_post_id: string | null;
  network_url: string | null;
  sent_text: string | null;
  error_code: string | null;
  error: string | null;
  removal: RemovalStatus | null;
  removed_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

declare module './schema.ts' {
  interface Database {
    social_channels: SocialChannelsTable;
    social_posts: SocialPostsTable;
  }
}

export type SocialChannelRow = Selectable<SocialChannelsTable>;
export type SocialPostRow = Selectable<SocialPostsTable>;
