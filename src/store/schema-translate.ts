/** Row types of the machine-translation tables and columns (migrations/004_translate.sql). */
import type { ColumnType, Selectable } from 'kysely';
import type { MachineReason } from '../core/failure-reasons.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string | undefined, string>;
type Int8 = ColumnType<string | number, number | undefined, number>;

export interface TranslationSegmentsTable {
  translation_id: number;
  position: number;
  kind: string;
  tag: ColumnType<string, string | undefined, string>;
  source_key: string;
  source_text: string;
  target_text: string;
  links: Json<string[]>;
  origin: string;
}

export interface TranslationMemoryTable {
  source_language: string;
  target_key: string;
  source_key: string;
  origin: string;
  source_text: string;
  target_text: string;
  hits: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  id: ColumnType<string, never, never>;
  /** The approved translation the pair was harvested from (migrations/015). */
  translation_id: number | null;
  /** Set when the pair may no longer be served: its translation was withdrawn, or an editor said so. */
  unusable_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  unusable_reason: string | null;
  updated_by: string | null;
}

export interface TranslationUsageTable {
  day: ColumnType<Date | string, string, string>;
  audience_id: string;
  billed_characters: Int8;
  requests: ColumnType<number, number | undefined, number>;
  memory_hits: ColumnType<number, number | undefined, number>;
  memory_characters_saved: Int8;
}

export interface TranslationProviderStateTable {
  provider: string;
  quota_exhausted_since: NullableTimestamp;
  /** When this quota episode alerted the admins (migrations/011_quota_episodes.sql); null outside one. */
  quota_alerted_at: NullableTimestamp;
  last_error: string | null;
  character_count: ColumnType<string | null, number | null | undefined, number | null>;
  character_limit: ColumnType<string | null, number | null | undefined, number | null>;
  checked_at: NullableTimestamp;
}

export interface ProviderGlossariesTable {
  provider: string;
  source_language: string;
  target_language: string;
  glossary_id: string;
  terms_hash: string;
  term_count: number;
  synced_at: Timestamp;
}

declare module './schema.ts' {
  interface Database {
    translation_segments: TranslationSegmentsTable;
    translation_memory: TranslationMemoryTable;
    translation_usage: TranslationUsageTable;
    translation_provider_state: TranslationProviderStateTable;
    provider_glossaries: ProviderGlossariesTable;
  }
  interface TranslationsTable {
    changed_segments: ColumnType<number[], number[] | undefined, number[]>;
    mt_attempts: ColumnType<number, number | undefined, number>;
    mt_waiting: string | null;
    mt_lease_until: NullableTimestamp;
    mt_requested_at: NullableTimestamp;
    mt_notes: Json<string[]>;
    memory_version: ColumnType<number | null, number | null | undefined, number | null>;
    /** Why the machine draft did not come, beside `error` (the English words); migrations/038. */
    error_code: MachineReason | null;
    error_values: ColumnType<Record<string, string | number> | null, string | null | undefined, string | null>;
  }
}

export type TranslationSegmentRow = Selectable<TranslationSegmentsTable>;
