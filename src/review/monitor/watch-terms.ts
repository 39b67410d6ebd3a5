/**
 * The watch list and its matches. Editors keep the terms; each foreign item is matched once it is
 * read in Vietnamese (its original and its translation), and a new or changed term is matched
 * against the last 30 days' items at once, so the monitoring page never waits for the next poll.
 *
 * The automaton is built from the database and kept while the list is unchanged: every match asks
 * for the list's version (count and last change), so a term changed on another instance counts at
 * the next item there too. Recording a match is idempotent (one row per item and term).
 */
import { sql } from 'kysely';
import { z } from 'zod';
import { NotFoundError } from '../../errors.ts';
import type { Db } from '../../store/db.ts';
import { watchKinds, type WatchForm, type WatchKind, type WatchTermRow } from '../../store/schema-monitoring.ts';
import '../../store/schema-monitoring.ts';
import { WatchMatcher, type WatchHit } from './watch-match.ts';

const languageCode = z.string().regex(/^[a-z]{2,3}(-[a-z0-9]+)*$/i, 'must be a language code such as "en" or "zh-Hans"');
export const watchFormSchema = z.strictObject({ language: languageCode, text: z.string().trim().min(1).max(200) });
export const watchTermSchema = z.strictObject({
  label: z.string().trim().min(1).max(200),
  kind: z.enum(watchKinds),
  priority: z.boolean().default(false),
  forms: z.array(watchFormSchema).max(100).default([]),
});
export type WatchTermInput = z.infer<typeof watchTermSchema>;

/** How far back a new or changed term is looked for. */
export const REMATCH_DAYS = 30;

/** The label is the term's Vietnamese form; the others follow as given. */
export const formsOf = (t: Pick<WatchTermRow, 'label' | 'forms'>): WatchForm[] => [{ language: 'vi', text: t.label }, ...t.forms];

export function listWatchTerms(db: Db): Promise<WatchTermRow[]> {
  return db.selectFrom('watch_terms').selectAll().where('removed_at', 'is', null).orderBy('priority', 'desc').orderBy('label').execute();
}

export async function getWatchTerm(db: Db, id: number): Promise<WatchTermRow> {
  const row = await db.selectFrom('watch_terms').selectAll().where('id', '=', id).where('removed_at', 'is', null).executeTakeFirst();
  if (!row) throw new NotFoundError('watch term', String(id));
  return row;
}

/** Terms' match counts and last match, for the watch list page. */
export async function watchTermActivity(db: Db): Promise<Map<number, { items: number; lastAt: Date | null }>> {
  const rows = await db.selectFrom('watch_matches').select(['watch_term_id', sql<string>`count(*)`.as('items'), sql<Date | null>`max(matched_at)`.as('last_at')])
    .groupBy('watch_term_id').execute();
  return new Map(rows.map((r) => [r.watch_term_id, { items: Number(r.items), lastAt: r.last_at }]));
}

export interface WatchDeps { db: Db; clock(): Date }

export async function createWatchTerm(deps: WatchDeps, input: WatchTermInput, by: string): Promise<WatchTermRow> {
  const row = await deps.db.insertInto('watch_terms').values({
    label: input.label, kind: input.kind, priority: input.priority, forms: JSON.stringify(input.forms), created_by: by, created_at: deps.clock(), updated_at: deps.clock(),
  }).returningAll().executeTakeFirstOrThrow();
  await rematchTerm(deps, row);
  return row;
}

export async function updateWatchTerm(deps: WatchDeps, id: number, input: WatchTermInput): Promise<WatchTermRow> {
  await getWatchTerm(deps.db, id);
  const row = await deps.db.updateTable('watch_terms').set({ label: input.label, kind: input.kind as WatchKind, priority: input.priority, forms: JSON.stringify(input.forms), updated_at: deps.clock() })
    .where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  // its old forms' matches go; the current ones are found again
  await deps.db.deleteFrom('watch_matches').where('watch_term_id', '=', id).execute();
  await rematchTerm(deps, row);
  return row;
}

/** A removed term keeps its history out of sight: its matches go, the row stays for the audit. */
export async function removeWatchTerm(deps: WatchDeps, id: number): Promise<void> {
  await getWatchTerm(deps.db, id);
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('watch_terms').set({ removed_at: deps.clock(), updated_at: deps.clock() }).where('id', '=', id).execute();
    await trx.deleteFrom('watch_matches').where('watch_term_id', '=', id).execute();
  });
}

async function rematchTerm(deps: WatchDeps, term: WatchTermRow): Promise<void> {
  const matcher = new WatchMatcher([{ id: term.id, forms: formsOf(term) }]);
  const since = new Date(deps.clock().getTime() - REMATCH_DAYS * 86_400_000);
  const items = await deps.db.selectFrom('foreign_items').select(['id', 'title', 'summary', 'body_html', 'vi_title', 'vi_summary', 'vi_body_html'])
    .where('first_seen_at', '>=', since).orderBy('id', 'desc').limit(20_000).execute();
  const rows = items.flatMap((item) => matcher.match(...textsOf(item)).map((hit) => ({ item, hit })));
  if (rows.length) await insertMatches(deps.db, rows.map(({ item, hit }) => ({ itemId: item.id, hit })), deps.clock());
}

type ItemTexts = { title: string; summary: string; body_html: string; vi_title: string | null; vi_summary: string | null; vi_body_html: string | null };

/** What an item is matched on: its own text and, when it has one, its Vietnamese translation. */
function textsOf(item: ItemTexts): string[] {
  const plain = (html: string) => html.replace(/<[^>]*>/g, ' ');
  return [item.title, item.summary, plain(item.body_html), item.vi_title ?? '', item.vi_summary ?? '', plain(item.vi_body_html ?? '')];
}

async function insertMatches(db: Db, rows: ReadonlyArray<{ itemId: number; hit: WatchHit }>, at: Date): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    await db.insertInto('watch_matches').values(rows.slice(i, i + 1000).map(({ itemId, hit }) => ({
      foreign_item_id: itemId, watch_term_id: hit.termId, form: hit.form.slice(0, 200), language: hit.language, matched_at: at,
    }))).onConflict((oc) => oc.columns(['foreign_item_id', 'watch_term_id']).doNothing()).execute();
  }
}

/** One automaton per version of the list; rebuilt when a term is added, changed or removed anywhere. */
export function createWatchList(db: Db) {
  let built: { version: string; matcher: WatchMatcher } | undefined;
  const current = async (): Promise<WatchMatcher> => {
    const v = await db.selectFrom('watch_terms').select([sql<string>`count(*)`.as('n'), sql<string>`coalesce(max(updated_at)::text, '')`.as('at')]).executeTakeFirstOrThrow();
    const version = `${v.n}@${v.at}`;
    if (built?.version !== version) {
      const terms = await listWatchTerms(db);
      built = { version, matcher: new WatchMatcher(terms.map((t) => ({ id: t.id, forms: formsOf(t) }))) };
    }
    return built.matcher;
  };
  return {
    /** Matches one item and records what it names; answers the hits (new and known alike). */
    async matchItem(itemId: number, at: Date): Promise<WatchHit[]> {
      const item = await db.selectFrom('foreign_items').select(['id', 'title', 'summary', 'body_html', 'vi_title', 'vi_summary', 'vi_body_html']).where('id', '=', itemId).executeTakeFirst();
      if (!item) return [];
      const hits = (await current()).match(...textsOf(item));
      if (hits.length) await insertMatches(db, hits.map((hit) => ({ itemId, hit })), at);
      return hits;
    },
  };
}
export type WatchList = ReturnType<typeof createWatchList>;
