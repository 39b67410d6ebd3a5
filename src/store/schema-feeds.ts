/** Row types of the feed tables and columns (migrations/005_feeds.sql). */
import type { ColumnType, Generated, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface FeedTopicsTable {
  audience_id: string;
  slug: string;
  name: string;
  last_published_at: Timestamp;
}

export interface PartnersTable {
  id: Generated<number>;
  name: string;
  created_at: Timestamp;
  disabled_at: NullableTimestamp;
}

export interface PartnerTokensTable {
  id: Generated<number>;
  partner_id: number;
  token_hash: string;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface PartnerAccessTable {
  partner_id: number;
  feed: string;
  count: ColumnType<string, number | string | undefined, number | string>;
  last_at: Timestamp;
}

/** The audiences whose partner feeds a partner's tokens read (026_partner_audiences.sql). */
export interface PartnerAudiencesTable {
  partner_id: number;
  audience_id: string;
  granted_at: Timestamp;
  granted_by: string;
}

declare module './schema.ts' {
  interface Database {
    partner_audiences: PartnerAudiencesTable;
    partner_audience_backfill: { partner_id: number };
    feed_topics: FeedTopicsTable;
    partners: PartnersTable;
    partner_tokens: PartnerTokensTable;
    partner_access: PartnerAccessTable;
  }
  interface PublicationsTable {
    guid: string | null;
    topic: string | null;
    topic_name: string | null;
    embargo_until: NullableTimestamp;
    withdrawn_reason: string | null;
    /** The translation's language, filled in at insert (021_site_search.sql); the search document is made from it. */
    language: ColumnType<string | null, string | null | undefined, string | null>;
  }
  interface TranslationsTable {
    embargo_until: NullableTimestamp;
  }
}

export type PartnerRow = Selectable<PartnersTable>;

/** One consequence of a change to a publication, carried out after its commit (027_publication_effects.sql). */
export interface PublicationEffectsTable {
  id: Generated<string>;
  translation_id: number;
  audience_id: string;
  effect: 'feeds' | 'social';
  topics: ColumnType<string[], string[] | undefined, string[]>;
  created_at: Timestamp;
  not_before: NullableTimestamp;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  done_at: NullableTimestamp;
}

declare module './schema.ts' {
  interface Database {
    publication_effects: PublicationEffectsTable;
  }
}
