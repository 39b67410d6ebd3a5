/** Row types of the QA findings table (migrations/010_qa_findings.sql). */
import type { ColumnType, Generated } from 'kysely';

export interface QaFindingsTable {
  id: Generated<number>;
  translation_id: number;
  version: number;
  actor: string;
  errors: ColumnType<unknown, string, never>;
  overridden: boolean;
  created_at: ColumnType<Date, Date | undefined, never>;
  /** Who last submitted the text before the finding (migration 041's trigger sets it). */
  submitted_by: ColumnType<string | null, never, never>;
  /** The translation's audience, copied at insert (migration 043's trigger fills it when omitted). */
  audience_id: ColumnType<string, string | undefined, never>;
}

declare module './schema.ts' {
  interface Database {
    qa_findings: QaFindingsTable;
  }
}
