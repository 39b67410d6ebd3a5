/** Row types of the review desk's tables (migrations/006_review.sql). */
import type { ColumnType, Generated, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface UserSessionsTable { sid: string; sess: unknown; expire: Timestamp }

export interface TranslationClaimsTable {
  translation_id: number;
  user_id: number;
  claimed_at: Timestamp;
  expires_at: Timestamp;
}

export interface TranslationCommentsTable {
  id: Generated<number>;
  translation_id: number;
  author: string;
  body: string;
  created_at: Timestamp;
}

export interface QaOverridesTable {
  id: Generated<number>;
  translation_id: number;
  version: number;
  actor: string;
  reason: string;
  issues: ColumnType<unknown, string, string>;
  created_at: Timestamp;
}

declare module './schema.ts' {
  interface Database {
    user_sessions: UserSessionsTable;
    translation_claims: TranslationClaimsTable;
    translation_comments: TranslationCommentsTable;
    qa_overrides: QaOverridesTable;
  }
  interface UsersTable {
    password_changed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  }
}

export type CommentRow = Selectable<TranslationCommentsTable>;
export type QaOverrideRow = Selectable<QaOverridesTable>;
