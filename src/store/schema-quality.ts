/** Row types of the quality tables (migrations/020_post_edits.sql, 041_person_work.sql). */
import type { ColumnType, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface PostEditsTable {
  event_id: number;
  translation_id: number;
  audience_id: string;
  language: string;
  translator: string;
  approver: string;
  machine_version: number | null;
  submitted_version: number;
  approved_version: number;
  machine_chars: number | null;
  final_chars: number;
  edit_distance: number | null;
  review_distance: number;
  ready_at: Timestamp;
  submitted_at: Timestamp;
  approved_at: Timestamp;
}

/** Each translation a person wrote in or submitted, its state and time kept by triggers (derived). */
export interface PersonDraftsTable {
  person: string;
  translation_id: number;
  state: string;
  updated_at: Timestamp;
}

declare module './schema.ts' {
  interface Database {
    post_edits: PostEditsTable;
    person_drafts: PersonDraftsTable;
  }
}

export type PostEditRow = Selectable<PostEditsTable>;
