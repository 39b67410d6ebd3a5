/**
 * Translations, their text revisions and their state changes. Every state change goes through
 * changeState, which checks the workflow and records who moved it, in one transaction.
 */
import { sql } from 'kysely';
import type { AudienceConfig } from '../config.ts';
import { NotFoundError, StaleVersionError } from '../errors.ts';
import { transition, type TranslationState } from '../review/workflow.ts';
import { inTransaction, type Db } from './db.ts';
import type { StoryRow, TranslationRow, TranslationUpdate } from './schema.ts';

export interface TranslationText { title: string; summary: string; bodyHtml: string }

/** One translation per audience; existing ones are left as they are (safe to call twice). */
export async function createTranslations(db: Db, story: StoryRow, audiences: readonly AudienceConfig[]): Promise<TranslationRow[]> {
  if (!audiences.length) return [];
  await db.insertInto('translations')
    .values(audiences.map((a) => ({ story_id: story.id, audience_id: a.id, language: a.language, state: 'queued', provider: a.provider, story_version: story.version })))
    .onConflict((oc) => oc.columns(['story_id', 'audience_id']).doNothing())
    .execute();
  return listForStory(db, story.id);
}

/** createTranslations for many stories in one statement (a large feed's new stories); safe to call twice. */
export async function createTranslationsForStories(db: Db, stories: readonly StoryRow[], audiences: readonly AudienceConfig[]): Promise<void> {
  if (!audiences.length || !stories.length) return;
  await db.insertInto('translations')
    .values(stories.flatMap((story) => audiences.map((a) => ({ story_id: story.id, audience_id: a.id, language: a.language, state: 'queued', provider: a.provider, story_version: story.version }))))
    .onConflict((oc) => oc.columns(['story_id', 'audience_id']).doNothing())
    .execute();
}

export function listForStory(db: Db, storyId: number): Promise<TranslationRow[]> {
  return db.selectFrom('translations').selectAll().where('story_id', '=', storyId).orderBy('audience_id').execute();
}

export async function getTranslation(db: Db, id: number): Promise<TranslationRow> {
  const row = await db.selectFrom('translations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('translation', id);
  return row;
}

export interface TranslationFilter {
  audience?: string | undefined;
  state?: string | undefined;
  /** Only these base languages (e.g. ["en", "zh"]); a translator sees the languages they work in. */
  languages?: readonly string[] | undefined;
}

/** Newest change first, keyset-paged by (updated_at, id). */
export function listTranslations(db: Db, filter: TranslationFilter, page: { limit: number; before?: { at: Date; id: number } | undefined }) {
  let q = db.selectFrom('translations').selectAll().orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(page.limit);
  if (filter.audience) q = q.where('audience_id', '=', filter.audience);
  if (filter.state) q = q.where('state', '=', filter.state);
  if (filter.languages) {
    const languages = filter.languages;
    if (!languages.length) return Promise.resolve([]);
    q = q.where(sql<string>`lower(split_part(language, '-', 1))`, 'in', languages.map((l) => l.toLowerCase()));
  }
  if (page.before) {
    const { at, id } = page.before;
    q = q.where((eb) => eb.or([eb('updated_at', '<', at), eb.and([eb('updated_at', '=', at), eb('id', '<', id)])]));
  }
  return q.execute();
}

/**
 * Replaces the text when `basedOn` is still the current version (optimistic concurrency); a stale
 * save throws StaleVersionError carrying the current translation, and changes nothing.
 */
export async function saveText(db: Db, id: number, text: TranslationText, basedOn: number, author: string, kind: 'machine' | 'edit' | 'restore', extra: TranslationUpdate = {}): Promise<TranslationRow> {
  return inTransaction(db, async (trx) => {
    const updated = await trx.updateTable('translations')
      .set({ ...extra, title: text.title, summary: text.summary, body_html: text.bodyHtml, version: sql<number>`version + 1`, last_editor: author, updated_at: new Date() })
      .where('id', '=', id).where('version', '=', basedOn)
      .returningAll().executeTakeFirst();
    if (!updated) {
      const current = await trx.selectFrom('translations').selectAll().where('id', '=', id).executeTakeFirst();
      if (!current) throw new NotFoundError('translation', id);
      throw new StaleVersionError(current, basedOn, current.version);
    }
    await trx.insertInto('revisions').values({ translation_id: id, version: updated.version, title: text.title, summary: text.summary, body_html: text.bodyHtml, author, kind }).execute();
    return updated;
  });
}

/**
 * Moves a translation to `to` if the workflow allows it from its current state (checked under a
 * row lock, so two concurrent moves cannot both pass), records the event, applies `extra`.
 */
export async function changeState(db: Db, id: number, to: TranslationState, actor: string, opts: { reason?: string | undefined; extra?: TranslationUpdate } = {}): Promise<TranslationRow> {
  return inTransaction(db, async (trx) => {
    const current = await trx.selectFrom('translations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!current) throw new NotFoundError('translation', id);
    const from = current.state as TranslationState;
    transition(from, to);
    const updated = await trx.updateTable('translations')
      .set({ ...opts.extra, state: to, updated_at: new Date() })
      .where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await trx.insertInto('translation_events').values({ translation_id: id, from_state: from, to_state: to, actor, reason: opts.reason ?? null }).execute();
    return updated;
  });
}

/**
 * Many texts and one state move at once, as saveText + changeState would do them one by one (a
 * revision and an event each), in three statements: for the translation machine, which stores the
 * drafts of a story's audiences together. The caller's transaction must hold the rows' locks and
 * pass them as they are now (`current`); a move the workflow forbids throws before anything changes.
 */
export async function saveTextsAndMove(trx: Db, items: readonly { current: TranslationRow; text: TranslationText }[], to: TranslationState, author: string, kind: 'machine' | 'edit' | 'restore'): Promise<void> {
  if (!items.length) return;
  for (const { current } of items) transition(current.state as TranslationState, to);
  const now = new Date();
  const values = sql.join(items.map(({ current, text }) => sql`(${current.id}::int, ${current.version}::int, ${text.title}, ${text.summary}, ${text.bodyHtml})`));
  const moved = await sql<{ id: number }>`
    UPDATE translations AS t SET title = v.title, summary = v.summary, body_html = v.body_html, version = t.version + 1,
      last_editor = ${author}, updated_at = ${now}, state = ${to}
    FROM (VALUES ${values}) AS v(id, version, title, summary, body_html)
    WHERE t.id = v.id AND t.version = v.version
    RETURNING t.id`.execute(trx);
  if (moved.rows.length !== items.length) {
    const stale = items.find((i) => !moved.rows.some((r) => r.id === i.current.id))!;
    const current = await trx.selectFrom('translations').selectAll().where('id', '=', stale.current.id).executeTakeFirst();
    if (!current) throw new NotFoundError('translation', stale.current.id);
    throw new StaleVersionError(current, stale.current.version, current.version);
  }
  // the revisions and the events in one statement (one round trip)
  await trx.with('revision', (db) => db.insertInto('revisions').values(items.map(({ current, text }) => ({
    translation_id: current.id, version: current.version + 1, title: text.title, summary: text.summary, body_html: text.bodyHtml, author, kind,
  })))).insertInto('translation_events').values(items.map(({ current }) => ({
    translation_id: current.id, from_state: current.state, to_state: to, actor: author, reason: null,
  }))).execute();
}

export function listRevisions(db: Db, translationId: number) {
  return db.selectFrom('revisions').selectAll().where('translation_id', '=', translationId).orderBy('version', 'desc').execute();
}

export function listEvents(db: Db, translationId: number) {
  return db.selectFrom('translation_events').selectAll().where('translation_id', '=', translationId).orderBy('id').execute();
}
