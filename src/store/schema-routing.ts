/** Row types of the routing table (migrations/016_routing.sql). */
import type { ColumnType, Selectable } from 'kysely';
import type { RouteChoice } from '../core/routing.ts';

export interface StoryRoutesTable {
  story_id: number;
  audience_id: string;
  choice: RouteChoice;
  rule: string;
  decided_by: string | null;
  reason: string | null;
  decided_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

declare module './schema.ts' {
  interface Database {
    story_routes: StoryRoutesTable;
  }
}

export type StoryRouteRow = Selectable<StoryRoutesTable>;
