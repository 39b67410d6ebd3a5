/** Row types of the operations tables (migrations/008_operations.sql). */
import type { ColumnType, Generated, Selectable } from 'kysely';

export interface AuditLogTable {
  id: Generated<number>;
  at: ColumnType<Date, Date | undefined, never>;
  actor: string;
  action: string;
  target: string;
  status: number;
  ip: string | null;
  request_id: string | null;
  details: ColumnType<unknown, string | null, never>;
}

declare module './schema.ts' {
  interface Database {
    audit_log: AuditLogTable;
  }
}

export type AuditRow = Selectable<AuditLogTable>;
