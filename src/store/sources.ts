/**
 * Sources. Config sources are loaded at every start; the API changes them afterwards. The API wins
 * over the file for a source it has touched: an API edit sets api_edited_at and the next start keeps
 * the database's values (and logs how the file differs); an API delete is a tombstone (deleted_at)
 * that the file does not resurrect. Untouched config sources follow the file.
 * Every change takes `now`, the caller's clock reading, for its timestamps.
 */
import { sql } from 'kysely';
import type { SourceConfig } from '../config.ts';
import { NotFoundError } from '../errors.ts';
import type { Db } from './db.ts';
import type { SourceRow } from './schema.ts';
import type { PollCountsJson } from './schema-ingest.ts';
import './schema-monitoring.ts';
import './schema-units.ts';

type Say = (message: string) => void;

const configFields = ['name', 'url', 'kind', 'schedule', 'full_text', 'enabled', 'language', 'reach'] as const;
/** A source as given by the file, the API or the desk: language and reach may be left out (vi, unknown). */
export type SourceInput = Omit<SourceConfig, 'language' | 'reach'> & Partial<Pick<SourceConfig, 'language' | 'reach'>> & {
  /** The unit its stories are attributed to (units.id); set in the desk or the CLI, never by the file. */
  unit?: string | null | undefined;
};

const columnsOf = (s: SourceInput) => ({ name: s.name, url: s.url, kind: s.kind, schedule: s.schedule, full_text: s.fullText, enabled: s.enabled, language: s.language ?? 'vi', reach: s.reach ?? null });

export async function syncSourcesFromConfig(db: Db, sources: readonly SourceInput[], now: Date, say: Say = () => {}): Promise<void> {
  for (const s of sources) {
    const wanted = columnsOf(s);
    const row = await db.selectFrom('sources').selectAll().where('id', '=', s.id).executeTakeFirst();
    if (!row) {
      await db.insertInto('sources').values({ id: s.id, ...wanted, origin: 'config' }).onConflict((oc) => oc.column('id').doNothing()).execute();
      continue;
    }
    if (row.deleted_at) {
      say(`source ${s.id} is in the configuration but was deleted through the API on ${row.deleted_at.toISOString()}; it stays deleted (remove it from the file, or create it again through the API)`);
      continue;
    }
    const differing = configFields.filter((f) => row[f] !== wanted[f]);
    if (!differing.length) continue;
    if (row.api_edited_at) {
      say(`source ${s.id} was changed through the API on ${row.api_edited_at.toISOString()}; keeping the database's ${differing.join(', ')} over the configuration file's`);
      continue;
    }
    await db.updateTable('sources').set({
      ...wanted, updated_at: now,
      // a new address starts over: its validators and failures belong to the old one
      ...(row.url !== wanted.url ? { etag: null, last_modified: null, consecutive_failures: 0, last_error: null, last_error_key: null, last_error_values: null, next_poll_at: null } : {}),
      ...(row.schedule !== wanted.schedule ? { next_poll_at: null } : {}),
    }).where('id', '=', s.id).execute();
  }
}

export async function getSource(db: Db, id: string): Promise<SourceRow> {
  const row = await db.selectFrom('sources').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row) throw new NotFoundError('source', id);
  return row;
}

/** A source's id and name, also of one deleted since (its stories still name it). */
export function sourceName(db: Db, id: string): Promise<{ id: string; name: string } | undefined> {
  return db.selectFrom('sources').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
}

export function listSources(db: Db): Promise<SourceRow[]> {
  return db.selectFrom('sources').selectAll().where('deleted_at', 'is', null).orderBy('id').execute();
}

/** Creates a source, or brings back one deleted earlier under the same id; undefined when it exists. */
export async function createSource(db: Db, s: SourceInput, now: Date): Promise<SourceRow | undefined> {
  const values = { ...columnsOf(s), unit_id: s.unit ?? null, origin: 'api' as const, api_edited_at: now };
  const revived = await db.updateTable('sources').set({
    ...values, deleted_at: null, etag: null, last_modified: null, last_error: null, last_error_key: null, last_error_values: null, consecutive_failures: 0, next_poll_at: null, last_poll_counts: null, updated_at: now,
  }).where('id', '=', s.id).where('deleted_at', 'is not', null).returningAll().executeTakeFirst();
  if (revived) return revived;
  return db.insertInto('sources').values({ id: s.id, ...values }).onConflict((oc) => oc.column('id').doNothing()).returningAll().executeTakeFirst();
}

export type SourcePatch = Partial<Pick<SourceConfig, 'name' | 'url' | 'kind' | 'schedule' | 'fullText' | 'enabled' | 'language'>> & { reach?: number | null; unit?: string | null };

export async function updateSource(db: Db, id: string, patch: SourcePatch, now: Date, nextPollAt?: Date | null): Promise<SourceRow> {
  const current = await getSource(db, id);
  const set = {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.url !== undefined ? { url: patch.url } : {}),
    ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
    ...(patch.schedule !== undefined ? { schedule: patch.schedule } : {}),
    ...(patch.fullText !== undefined ? { full_text: patch.fullText } : {}),
    ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
    ...(patch.language !== undefined ? { language: patch.language } : {}),
    ...(patch.reach !== undefined ? { reach: patch.reach } : {}),
    ...(patch.unit !== undefined ? { unit_id: patch.unit } : {}),
    ...(patch.url !== undefined && patch.url !== current.url ? { etag: null, last_modified: null, consecutive_failures: 0, last_error: null, last_error_key: null, last_error_values: null, next_poll_at: null } : {}),
    ...(nextPollAt !== undefined ? { next_poll_at: nextPollAt } : {}),
  };
  return db.updateTable('sources').set({ ...set, api_edited_at: now, updated_at: now })
    .where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** A tombstone: the source stops being polled and listed; its stories stay. */
export async function deleteSource(db: Db, id: string, now: Date): Promise<void> {
  await getSource(db, id);
  await db.updateTable('sources').set({ deleted_at: now, enabled: false, updated_at: now }).where('id', '=', id).execute();
}

/** Enabled sources whose next poll is due (never polled counts as due). */
export function dueSources(db: Db, now: Date): Promise<SourceRow[]> {
  return db.selectFrom('sources').selectAll()
    .where('enabled', '=', true).where('deleted_at', 'is', null)
    .where((eb) => eb.or([eb('next_poll_at', 'is', null), eb('next_poll_at', '<=', now)]))
    .orderBy('next_poll_at', (ob) => ob.asc().nullsFirst()).execute();
}

export async function recordPollSuccess(db: Db, id: string, validators: { etag: string | null; lastModified: string | null } | undefined, outcome: { at: Date; counts?: PollCountsJson; nextPollAt?: Date | null }): Promise<void> {
  const now = outcome.at;
  await db.updateTable('sources').set({
    last_polled_at: now, last_success_at: now, last_error: null, last_error_key: null, last_error_values: null, consecutive_failures: 0,
    ...(validators ? { etag: validators.etag, last_modified: validators.lastModified } : {}),
    ...(outcome.counts ? { last_poll_counts: JSON.stringify(outcome.counts) } : {}),
    ...(outcome.nextPollAt !== undefined ? { next_poll_at: outcome.nextPollAt } : {}),
  }).where('id', '=', id).execute();
}

/** A failed poll: the English of the API and the log, and the sentence a person reads (a locale key and its values). */
export interface PollProblem { message: string; key: string; values: Record<string, unknown> }

/** Records the failure and returns the new count of consecutive failures. */
export async function recordPollFailure(db: Db, id: string, problem: PollProblem, opts: { at: Date; nextPollAt?: (failures: number) => Date }): Promise<number> {
  const row = await db.updateTable('sources').set((eb) => ({
    last_polled_at: opts.at, last_error: problem.message.slice(0, 2000), consecutive_failures: eb('consecutive_failures', '+', 1),
    last_error_key: problem.key, last_error_values: JSON.stringify(problem.values),
  })).where('id', '=', id).returning('consecutive_failures').executeTakeFirst();
  const failures = row?.consecutive_failures ?? 1;
  if (opts.nextPollAt) await db.updateTable('sources').set({ next_poll_at: opts.nextPollAt(failures) }).where('id', '=', id).execute();
  return failures;
}

export async function recordIngestError(db: Db, e: { sourceId?: string | null; storyId?: number | null; guid?: string | null; url?: string | null; code: string; message: string }): Promise<void> {
  await db.insertInto('ingest_errors').values({
    source_id: e.sourceId ?? null, story_id: e.storyId ?? null, guid: e.guid?.slice(0, 2000) ?? null, url: e.url?.slice(0, 2000) ?? null, code: e.code, message: e.message.slice(0, 2000),
  }).execute();
}

export function recentIngestErrors(db: Db, where: { sourceId?: string; storyId?: number }, limit = 20) {
  let q = db.selectFrom('ingest_errors').selectAll().orderBy('id', 'desc').limit(limit);
  if (where.sourceId) q = q.where('source_id', '=', where.sourceId);
  if (where.storyId) q = q.where('story_id', '=', where.storyId);
  return q.execute();
}

/** Session-level advisory lock on one source for the length of fn: one poll per source at a time, across instances. */
export async function withSourceLock<T>(db: Db, sourceId: string, fn: () => Promise<T>): Promise<{ locked: true; value: T } | { locked: false }> {
  return db.connection().execute(async (conn) => {
    const { rows } = await sql<{ ok: boolean }>`SELECT pg_try_advisory_lock(7240503, hashtext(${sourceId})) AS ok`.execute(conn);
    if (!rows[0]?.ok) return { locked: false as const };
    try {
      return { locked: true as const, value: await fn() };
    } finally {
      await sql`SELECT pg_advisory_unlock(7240503, hashtext(${sourceId}))`.execute(conn);
    }
  });
}
