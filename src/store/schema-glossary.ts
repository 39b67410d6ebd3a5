/** Row types of the glossary tables (migrations/002_glossary.sql). */
import type { ColumnType, Generated, Selectable } from 'kysely';

export type GlossaryKind = 'term' | 'name';

export interface GlossaryTermsTable {
  id: Generated<number>;
  source_language: Generated<string>;
  target_language: string;
  source: string;
  target: string;
  variants: ColumnType<string[], string[] | undefined, string[]>;
  note: string | null;
  /** 'term', or 'name' (a person or place: the glossary's names section; migrations/015_glossary_names.sql) */
  kind: ColumnType<GlossaryKind, GlossaryKind | undefined, GlossaryKind>;
  retired_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_at: ColumnType<Date, Date | undefined, Date>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  updated_by: string | null;
}

declare module './schema.ts' {
  interface Database {
    glossary_terms: GlossaryTermsTable;
  }
}

export type GlossaryTermRow = Selectable<GlossaryTermsTable>;
