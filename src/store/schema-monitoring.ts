/** Row types of the monitoring tables and columns (migrations/018_monitoring*.sql). */
import type { ColumnType, Generated, Selectable } from 'kysely';
import type { MonitoringReason } from '../core/failure-reasons.ts';
import type { FalseClaimStatus } from '../core/false-claim.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface ForeignItemsTable {
  id: Generated<number>;
  source_id: string;
  guid: string;
  url: string | null;
  language: string;
  title: string;
  summary: ColumnType<string, string | undefined, string>;
  body_html: ColumnType<string, string | undefined, string>;
  published_at: NullableTimestamp;
  content_hash: string;
  version: Generated<number>;
  simhash: ColumnType<string | null, string | bigint | null | undefined, string | bigint | null>;
  simhash_bands: number[] | null;
  same_as: number | null;
  first_seen_at: Timestamp;
  updated_at: Timestamp;
  vi_title: string | null;
  vi_summary: string | null;
  vi_body_html: string | null;
  vi_version: number | null;
  vi_provider: string | null;
  vi_error: string | null;
  /** The same as codes, one per provider asked (migrations/042); null on rows written before with other text. */
  vi_error_reasons: ColumnType<MonitoringReason[] | null, string | null | undefined, string | null>;
  vi_translated_at: NullableTimestamp;
}

declare module './schema.ts' {
  interface Database {
    foreign_items: ForeignItemsTable;
  }
  interface SourcesTable {
    language: Generated<string>;
    reach: number | null;
  }
}

export type ForeignItemRow = Selectable<ForeignItemsTable>;

export const watchKinds = ['person', 'place', 'institution', 'topic'] as const;
export type WatchKind = (typeof watchKinds)[number];
export interface WatchForm { language: string; text: string }

export interface WatchTermsTable {
  id: Generated<number>;
  label: string;
  kind: WatchKind;
  priority: Generated<boolean>;
  forms: ColumnType<WatchForm[], string | undefined, string>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  removed_at: NullableTimestamp;
}

export interface WatchMatchesTable {
  foreign_item_id: number;
  watch_term_id: number;
  form: string;
  language: string;
  matched_at: Timestamp;
}

declare module './schema.ts' {
  interface Database {
    watch_terms: WatchTermsTable;
    watch_matches: WatchMatchesTable;
  }
}

export type WatchTermRow = Selectable<WatchTermsTable>;

export interface FalseClaimsTable {
  id: Generated<number>;
  text: string;
  rating: string;
  status: ColumnType<FalseClaimStatus, FalseClaimStatus | undefined, FalseClaimStatus>;
  priority: Generated<boolean>;
  owner_id: number | null;
  deadline_at: Timestamp;
  answer_story_id: number | null;
  /** The authoritative sources the answer cites (JSON text on write). */
  answer_sources: ColumnType<{ title: string; url: string }[], string | undefined, string>;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  status_changed_at: Timestamp;
}

export interface FalseClaimAppearancesTable {
  id: Generated<number>;
  false_claim_id: number;
  url: string;
  outlet: string;
  language: string;
  first_seen_at: Timestamp;
  foreign_item_id: number | null;
  network: string | null;
  post_ref: string | null;
  added_by: string;
  added_at: Timestamp;
}

export interface FalseClaimEventsTable {
  id: Generated<number>;
  false_claim_id: number;
  kind: 'created' | 'status' | 'owner' | 'rating' | 'deadline' | 'appearance' | 'answer';
  from_value: string | null;
  to_value: string | null;
  note: string | null;
  actor: string;
  at: Timestamp;
}

declare module './schema.ts' {
  interface Database {
    false_claims: FalseClaimsTable;
    false_claim_appearances: FalseClaimAppearancesTable;
    false_claim_events: FalseClaimEventsTable;
  }
}

export type FalseClaimRow = Selectable<FalseClaimsTable>;
export type FalseClaimAppearanceRow = Selectable<FalseClaimAppearancesTable>;
export type FalseClaimEventRow = Selectable<FalseClaimEventsTable>;
