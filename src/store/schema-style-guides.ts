/** Row types of the style guides (migrations/024_style_guides.sql). */
import type { ColumnType } from 'kysely';

export interface StyleGuidesTable {
  audience_id: string;
  body_md: string;
  updated_by: string;
  updated_at: ColumnType<Date, Date, Date>;
}

declare module './schema.ts' {
  interface Database {
    style_guides: StyleGuidesTable;
  }
}
