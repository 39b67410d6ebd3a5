/** Row types of the ingestion tables and columns (migrations/003_ingest.sql). */
import type { ColumnType, Generated, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface IngestErrorsTable {
  id: Generated<number>;
  source_id: string | null;
  story_id: number | null;
  guid: string | null;
  url: string | null;
  code: string;
  message: string;
  created_at: Timestamp;
}

export interface ImagesTable {
  hash: string;
  source_url: string;
  mime: string;
  width: number;
  height: number;
  bytes: number;
  created_at: Timestamp;
}

export interface ImageVariantsTable {
  hash: string;
  variant: string;
  mime: string;
  width: number;
  height: number;
  data: Buffer;
}

export interface StoryImagesTable {
  story_id: number;
  position: number;
  hash: string;
  source_url: string;
}

export interface PollCountsJson { new: number; updated: number; unchanged: number; failed: number; duplicates?: number }

declare module './schema.ts' {
  interface Database {
    ingest_errors: IngestErrorsTable;
    images: ImagesTable;
    image_variants: ImageVariantsTable;
    story_images: StoryImagesTable;
  }
  interface SourcesTable {
    origin: Generated<'config' | 'api'>;
    api_edited_at: NullableTimestamp;
    deleted_at: NullableTimestamp;
    last_poll_counts: ColumnType<PollCountsJson | null, string | null | undefined, string | null>;
  }
  interface StoriesTable {
    duplicate_of: number | null;
    simhash: ColumnType<string | null, string | bigint | null | undefined, string | bigint | null>;
    simhash_bands: number[] | null;
    origin: Generated<'feed' | 'push'>;
    pushed_by: string | null;
  }
}

export type IngestErrorRow = Selectable<IngestErrorsTable>;
export type ImageRow = Selectable<ImagesTable>;
