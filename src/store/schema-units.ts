/** Row types of units and the unit columns (migrations/031_units.sql). */
import type { ColumnType, Selectable } from 'kysely';

type UnitRef = ColumnType<string | null, string | null | undefined, string | null>;

export interface UnitsTable {
  id: string;
  name_vi: string;
  name_en: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

declare module './schema.ts' {
  interface Database {
    units: UnitsTable;
  }
  interface SourcesTable { unit_id: UnitRef }
  interface ApiTokensTable { unit_id: UnitRef }
  interface UsersTable { unit_id: UnitRef }
  /** Fixed when the story is ingested (the trigger of 031_units.sql). */
  interface StoriesTable { unit_id: UnitRef }
}

export type UnitRow = Selectable<UnitsTable>;
