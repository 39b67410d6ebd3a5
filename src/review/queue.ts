/**
 * The review queue of one audience: its open translations, recent priority stories first (by time
 * left against the review SLA), then the rest oldest first, keyset-paged. Reads only indexed paths
 * (translations_open_queue, translations_open_state, stories_priority_recent), so it stays fast
 * with millions of rows. A priority story older than `priorityWindowDays` is listed with the rest,
 * where, being old, it comes first anyway.
 */
import type { MachineColumns } from './machine-status.ts';
import { sql } from 'kysely';
import type { Db } from '../store/db.ts';
import type { TranslationState } from '../core/workflow.ts';

export const openStates = ['queued', 'machine_translated', 'in_review', 'rejected', 'outdated'] as const satisfies readonly TranslationState[];
export type OpenState = (typeof openStates)[number];

export const isOpen = (state: TranslationState): boolean => openStates.some((s) => s === state);

export interface QueueItem {
  id: number;
  storyId: number;
  audience: string;
  language: string;
  state: TranslationState;
  storyTitle: string;
  title: string;
  priority: boolean;
  ingestedAt: Date;
  createdAt: Date;
  updatedAt: Date;
  lastEditor: string | null;
  /** What machine translation is doing with it, when there is something to say (machine-status.ts). */
  machine: MachineColumns;
}

export interface QueueQuery { audience: string; state?: OpenState | undefined; limit: number; after?: { at: Date; id: number } | undefined; now: Date }

export const priorityWindowDays = 7;
const windowStart = (now: Date) => new Date(now.getTime() - priorityWindowDays * 86_400_000);

const columns = ['t.id', 't.story_id', 't.audience_id', 't.language', 't.state', 't.title', 't.created_at', 't.updated_at', 't.last_editor', 's.title as story_title', 's.priority', 's.ingested_at', 't.provider', 't.error', 't.error_code', 't.error_values', 't.mt_attempts', 't.mt_waiting'] as const;

function item(r: { id: number; story_id: number; audience_id: string; language: string; state: TranslationState; title: string; created_at: Date; updated_at: Date; last_editor: string | null; story_title: string; priority: boolean; ingested_at: Date } & Omit<MachineColumns, 'state'>): QueueItem {
  return {
    id: r.id, storyId: r.story_id, audience: r.audience_id, language: r.language, state: r.state, storyTitle: r.story_title, title: r.title,
    priority: r.priority, ingestedAt: r.ingested_at, createdAt: r.created_at, updatedAt: r.updated_at, lastEditor: r.last_editor,
    machine: { state: r.state, provider: r.provider, error: r.error, error_code: r.error_code, error_values: r.error_values, mt_attempts: r.mt_attempts, mt_waiting: r.mt_waiting },
  };
}

export async function listQueue(db: Db, q: QueueQuery): Promise<{ priority: QueueItem[]; items: QueueItem[]; next: { at: Date; id: number } | undefined }> {
  const states: readonly TranslationState[] = q.state ? [q.state] : openStates;
  const priorityQuery = q.after ? Promise.resolve([]) : db.selectFrom('stories as s').innerJoin('translations as t', 't.story_id', 's.id')
    .select(columns)
    .where('s.priority', '=', true).where('s.ingested_at', '>=', windowStart(q.now)).where('t.audience_id', '=', q.audience).where('t.state', 'in', states)
    .orderBy('s.ingested_at').orderBy('t.id').limit(100).execute();
  let rest = db.selectFrom('translations as t').innerJoin('stories as s', 's.id', 't.story_id')
    .select(columns)
    .where('t.audience_id', '=', q.audience).where('t.state', 'in', states)
    // the open-queue partial index needs its predicate spelt out, even with a narrower state filter
    .where(sql<boolean>`t.state IN ('queued', 'machine_translated', 'in_review', 'rejected', 'outdated')`)
    .where((eb) => eb.not(eb.and([eb('s.priority', '=', true), eb('s.ingested_at', '>=', windowStart(q.now))])))
    .orderBy('t.created_at').orderBy('t.id').limit(q.limit);
  if (q.after) {
    const { at, id } = q.after;
    rest = rest.where((eb) => eb.or([eb('t.created_at', '>', at), eb.and([eb('t.created_at', '=', at), eb('t.id', '>', id)])]));
  }
  const [priority, rows] = await Promise.all([priorityQuery, rest.execute()]);
  const last = rows.at(-1);
  return { priority: priority.map(item), items: rows.map(item), next: last && rows.length === q.limit ? { at: last.created_at, id: last.id } : undefined };
}

/** How many open translations of the audience are in each state. */
export async function countOpen(db: Db, audience: string): Promise<Partial<Record<OpenState, number>>> {
  const rows = await db.selectFrom('translations').select(['state', (eb) => eb.fn.countAll<string>().as('n')])
    .where('audience_id', '=', audience).where('state', 'in', openStates).groupBy('state').execute();
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}

/** The next open translation of the audience after this one, in queue order (priority first). */
export async function nextInQueue(db: Db, audience: string, current: { id: number; createdAt: Date }, now: Date, states: readonly TranslationState[] = openStates): Promise<number | undefined> {
  const p = await db.selectFrom('stories as s').innerJoin('translations as t', 't.story_id', 's.id').select('t.id')
    .where('s.priority', '=', true).where('s.ingested_at', '>=', windowStart(now)).where('t.audience_id', '=', audience).where('t.state', 'in', states).where('t.id', '!=', current.id)
    .orderBy('s.ingested_at').limit(1).executeTakeFirst();
  if (p) return p.id;
  const r = await db.selectFrom('translations as t').innerJoin('stories as s', 's.id', 't.story_id').select('t.id')
    .where('t.audience_id', '=', audience).where('t.state', 'in', states)
    .where(sql<boolean>`t.state IN ('queued', 'machine_translated', 'in_review', 'rejected', 'outdated')`)
    .where((eb) => eb.not(eb.and([eb('s.priority', '=', true), eb('s.ingested_at', '>=', windowStart(now))]))).where('t.id', '!=', current.id)
    .where((eb) => eb.or([eb('t.created_at', '>', current.createdAt), eb.and([eb('t.created_at', '=', current.createdAt), eb('t.id', '>', current.id)])]))
    .orderBy('t.created_at').orderBy('t.id').limit(1).executeTakeFirst();
  return r?.id;
}
