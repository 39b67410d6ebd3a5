/** Sources: loaded from the config at start (config wins for the fields it sets), then kept by the API. */
import type { SourceConfig } from '../config.ts';
import { NotFoundError } from '../errors.ts';
import type { Db } from './db.ts';
import type { SourceRow } from './schema.ts';

export async function syncSourcesFromConfig(db: Db, sources: readonly SourceConfig[]): Promise<void> {
  for (const s of sources) {
    const values = { id: s.id, name: s.name, url: s.url, kind: s.kind, schedule: s.schedule, full_text: s.fullText, enabled: s.enabled };
    await db.insertInto('sources').values(values)
      .onConflict((oc) => oc.column('id').doUpdateSet({ name: s.name, url: s.url, kind: s.kind, schedule: s.schedule, full_text: s.fullText, enabled: s.enabled, updated_at: new Date() }))
      .execute();
  }
}

export async function getSource(db: Db, id: string): Promise<SourceRow> {
  const row = await db.selectFrom('sources').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('source', id);
  return row;
}

export function listSources(db: Db): Promise<SourceRow[]> {
  return db.selectFrom('sources').selectAll().orderBy('id').execute();
}

export async function createSource(db: Db, s: SourceConfig): Promise<SourceRow> {
  return db.insertInto('sources').values({ id: s.id, name: s.name, url: s.url, kind: s.kind, schedule: s.schedule, full_text: s.fullText, enabled: s.enabled })
    .returningAll().executeTakeFirstOrThrow();
}

export async function recordPollSuccess(db: Db, id: string, validators: { etag: string | null; lastModified: string | null } | undefined): Promise<void> {
  const now = new Date();
  await db.updateTable('sources').set({
    last_polled_at: now, last_success_at: now, last_error: null, consecutive_failures: 0,
    ...(validators ? { etag: validators.etag, last_modified: validators.lastModified } : {}),
  }).where('id', '=', id).execute();
}

export async function recordPollFailure(db: Db, id: string, message: string): Promise<void> {
  await db.updateTable('sources').set((eb) => ({
    last_polled_at: new Date(), last_error: message, consecutive_failures: eb('consecutive_failures', '+', 1),
  })).where('id', '=', id).execute();
}
