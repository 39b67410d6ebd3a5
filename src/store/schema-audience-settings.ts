/** Row types of the desk's per-audience settings (migrations/033_audience_settings.sql). */
import type { ColumnType } from 'kysely';
import type { RoutingConfig } from '../core/routing.ts';

export interface AudienceRoutingTable {
  audience_id: string;
  routing: ColumnType<RoutingConfig, string, string>;
  version: ColumnType<number, number | undefined, number>;
  updated_by: string;
  updated_at: ColumnType<Date, Date, Date>;
}

export interface AudienceBudgetsTable {
  audience_id: string;
  /** bigint: pg answers a string. */
  monthly_characters: ColumnType<string | null, number | null, number | null>;
  updated_by: string;
  updated_at: ColumnType<Date, Date, Date>;
}

declare module './schema.ts' {
  interface Database {
    audience_routing: AudienceRoutingTable;
    audience_budgets: AudienceBudgetsTable;
  }
}
