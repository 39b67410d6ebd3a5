/**
 * Translations, their text revisions and their state changes. Every state change goes through
 * changeState, which checks the workflow and records who moved it, in one transaction.
 */
import { sql } from 'kysely';
import { chainOf, type AudienceConfig } from '../core/audience.ts';
import { NotFoundError, StaleVersionError } from '../errors.ts';
import { systemReasonText, transition, type SystemReason, type TranslationState } from '../core/workflow.ts';
import { inTransaction, type Db } from './db.ts';
import type { StoryRow, TranslationRow, TranslationUpdate } from './schema.ts';

export interface TranslationText { title: string; summary: string; bodyHtml: string }

/** One translation per audience; existing ones are left as they are (safe to call twice). */
export async function createTranslations(db: Db, story: StoryRow, audiences: readonly AudienceConfig[]): Promise<TranslationRow[]> {
  if (!audiences.length) return [];
  await db.insertInto('translations')
    // a story under embargo everywhere (the planning page) passes it on to every new translation
    .values(audiences.map((a) => ({ story_id: story.id, audience_id: a.id, language: a.language, state: 'queued', provider: chainOf(a)[0] ?? 'manual', story_version: story.version, embargo_until: story.embargo_until ?? null })))
    .onConflict((oc) => oc.columns(['story_id', 'audience_id']).doNothing())
    .execute();
  return listForStory(db, story.id);
}

/** createTranslations for many stories, each for its own audiences, in one statement (a large feed's new stories); safe to call twice. */
export async function createTranslationsForStories(db: Db, entries: readonly { story: StoryRow; audiences: readonly AudienceConfig[] }[]): Promise<void> {
  if (!entries.some((e) => e.audiences.length)) return;
  await db.insertInto('translations')
    .values(entries.flatMap(({ story, audiences }) => audiences.map((a) => ({ story_id: story.id, audience_id: a.id, language: a.language, state: 'queued', provider: chainOf(a)[0] ?? 'manual', story_version: story.version }))))
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
  state?: TranslationState | undefined;
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
 * save throws StaleVersionError carrying the current translation, and changes nothing. `now`: the
 * caller's clock reading, the translation's updated_at.
 */
export async function saveText(db: Db, id: number, text: TranslationText, basedOn: number, author: string, kind: 'machine' | 'edit' | 'restore', now: Date, extra: TranslationUpdate = {}): Promise<TranslationRow> {
  return inTransaction(db, async (trx) => {
    const updated = await trx.updateTable('translations')
      .set({ ...extra, title: text.title, summary: text.summary, body_html: text.bodyHtml, version: sql<number>`version + 1`, last_editor: author, updated_at: now })
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
 * `version`: the text version the move was decided on (the one the approver or rejecter read, and
 * the checks ran on); a text saved meanwhile makes the move fail with StaleVersionError instead of
 * carrying unread text along.
 * `record`: what must be written with the move, in its transaction (an approval's post-edit record).
 * `now`: the caller's clock reading, the translation's updated_at.
 */
export async function changeState(db: Db, id: number, to: TranslationState, actor: string, now: Date, opts: {
  /** A person's own words, or why the system made the move. */
  reason?: string | SystemReason | undefined; extra?: TranslationUpdate; version?: number;
  record?: (trx: Db, eventId: number) => Promise<void>;
} = {}): Promise<TranslationRow> {
  return inTransaction(db, async (trx) => {
    const current = await trx.selectFrom('translations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!current) throw new NotFoundError('translation', id);
    if (opts.version !== undefined && current.version !== opts.version) throw new StaleVersionError(current, opts.version, current.version, 'reviewed');
    const from = current.state;
    transition(from, to);
    const updated = await trx.updateTable('translations')
      .set({ ...opts.extra, state: to, updated_at: now })
      .where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    const event = await trx.insertInto('translation_events').values({ translation_id: id, from_state: from, to_state: to, actor, ...reasonColumns(opts.reason) }).returning('id').executeTakeFirstOrThrow();
    await opts.record?.(trx, event.id);
    return updated;
  });
}

function reasonColumns(reason: string | SystemReason | undefined) {
  if (reason === undefined || typeof reason === 'string') return { reason: reason ?? null };
  const { code, ...values } = reason;
  return { reason: systemReasonText(reason), reason_code: code, reason_values: JSON.stringify(values) };
}

export function listRevisions(db: Db, translationId: number) {
  return db.selectFrom('revisions').selectAll().where('translation_id', '=', translationId).orderBy('version', 'desc').execute();
}

export function listEvents(db: Db, translationId: number) {
  return db.selectFrom('translation_events').selectAll().where('translation_id', '=', translationId).orderBy('id').execute();
}
