/** Row types of the tables, as Kysely sees them. Keep in step with migrations/*.sql. */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { ProviderName } from '../core/audience.ts';
import type { Role } from '../core/person.ts';
import type { SystemReason, TranslationState } from '../core/workflow.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface SourcesTable {
  id: string;
  name: string;
  url: string;
  kind: string;
  schedule: string;
  full_text: boolean;
  enabled: boolean;
  etag: string | null;
  last_modified: string | null;
  last_polled_at: NullableTimestamp;
  last_success_at: NullableTimestamp;
  last_error: string | null;
  /** The same reason as a locale key and values (022_source_problems.sql). */
  last_error_key: string | null;
  last_error_values: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  consecutive_failures: Generated<number>;
  next_poll_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface StoriesTable {
  id: Generated<number>;
  source_id: string | null;
  guid: string;
  url: string | null;
  title: string;
  summary: string;
  body_html: string;
  author: string | null;
  attribution: string | null;
  category: string | null;
  priority: Generated<boolean>;
  /** An embargo on the whole story, copied to translations created later (034_story_embargo.sql). */
  embargo_until: NullableTimestamp;
  image_url: string | null;
  content_hash: string;
  version: Generated<number>;
  published_at: NullableTimestamp;
  ingested_at: Timestamp;
  updated_at: Timestamp;
}

export interface StoryRevisionsTable {
  id: Generated<number>;
  story_id: number;
  version: number;
  title: string;
  summary: string;
  body_html: string;
  created_at: Timestamp;
}

export interface TranslationsTable {
  id: Generated<number>;
  story_id: number;
  audience_id: string;
  language: string;
  state: TranslationState;
  provider: ProviderName;
  title: Generated<string>;
  summary: Generated<string>;
  body_html: Generated<string>;
  story_version: Generated<number>;
  version: Generated<number>;
  last_editor: string | null;
  error: string | null;
  reject_reason: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  machine_translated_at: NullableTimestamp;
  approved_at: NullableTimestamp;
  approved_by: string | null;
}

export interface RevisionsTable {
  id: Generated<number>;
  translation_id: number;
  version: number;
  title: string;
  summary: string;
  body_html: string;
  author: string;
  kind: 'machine' | 'edit' | 'restore';
  created_at: Timestamp;
}

export interface TranslationEventsTable {
  id: Generated<number>;
  translation_id: number;
  from_state: TranslationState;
  to_state: TranslationState;
  actor: string;
  reason: string | null;
  /** Set when the system made the move (SystemReason's code); reason_values holds the rest of it. */
  reason_code: SystemReason['code'] | null;
  reason_values: ColumnType<Record<string, string | number> | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  /** On a rejection: who made the submission it answered (migration 041's trigger sets it). */
  submitted_by: ColumnType<string | null, never, never>;
}

export interface PublicationsTable {
  translation_id: number;
  audience_id: string;
  title: string;
  summary: string;
  body_html: string;
  first_published_at: Timestamp;
  updated_at: Timestamp;
  correction_count: Generated<number>;
  withdrawn_at: NullableTimestamp;
}

export interface UsersTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  password_hash: string;
  role: Role;
  languages: ColumnType<string[], string[] | undefined, string[]>;
  locale: Generated<string>;
  created_at: Timestamp;
}

export interface ApiTokensTable {
  id: Generated<number>;
  name: string;
  role: Role;
  token_hash: string;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface Database {
  sources: SourcesTable;
  stories: StoriesTable;
  story_revisions: StoryRevisionsTable;
  translations: TranslationsTable;
  revisions: RevisionsTable;
  translation_events: TranslationEventsTable;
  publications: PublicationsTable;
  users: UsersTable;
  api_tokens: ApiTokensTable;
}

export type SourceRow = Selectable<SourcesTable>;
export type StoryRow = Selectable<StoriesTable>;
export type NewStory = Insertable<StoriesTable>;
export type TranslationRow = Selectable<TranslationsTable>;
export type TranslationUpdate = Updateable<TranslationsTable>;
export type PublicationRow = Selectable<PublicationsTable>;
