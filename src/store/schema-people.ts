/** Row types of people and access (migrations/011_people.sql, 019_oidc.sql, 025_token_review.sql). */
import type { ColumnType, Generated, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface PasswordLinksTable {
  token_hash: string;
  user_id: number | null;
  purpose: 'reset' | 'setup';
  created_by: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

declare module './schema.ts' {
  interface Database {
    password_links: PasswordLinksTable;
  }
  interface UsersTable {
    disabled_at: NullableTimestamp;
    last_login_at: NullableTimestamp;
    time_zone: Generated<string>;
    /** The identity provider's account linked at the first OIDC sign-in (019_oidc.sql). */
    oidc_subject: ColumnType<string | null, string | null | undefined, string | null>;
  }
  interface ApiTokensTable {
    created_by: string | null;
    /** May approve despite QA errors (025_token_review.sql). */
    qa_bypass: Generated<boolean>;
  }
}

export type PasswordLinkRow = Selectable<PasswordLinksTable>;
