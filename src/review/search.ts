/**
 * Search and archive: stories found by their own (Vietnamese) text or by any translation's text,
 * through PostgreSQL full-text search (migration 012: folded for diacritics, each translation
 * stemmed in its language), filtered by source, audience, state, person, days and topic, newest
 * first. Without words it is the archive: a source's stories, or a day's.
 *
 * Each side is asked for its newest matches separately, ordered by story id (ingestion order), so
 * PostgreSQL either walks the id index until enough rows match (a common word) or reads the few
 * matches from the GIN index (a rare one); the two lists are merged here. Pages are offsets of
 * at most `maxOffset` rows: past that, filters narrow the search better than paging.
 */
import { sql, type SqlBool } from 'kysely';
import type { Db } from '../store/db.ts';
import type { TranslationState } from '../core/workflow.ts';

export interface SearchQuery {
  words?: string | undefined;
  source?: string | undefined;
  audience?: string | undefined;
  state?: TranslationState | undefined;
  /** A username: who last edited or approved a translation. */
  person?: string | undefined;
  /** Stories ingested at or after / before these instants (whole days, chosen by the caller). */
  since?: Date | undefined;
  until?: Date | undefined;
  topic?: string | undefined;
  /** Languages the person may work in ('all' for editors). */
  languages: readonly string[] | 'all';
  offset: number;
  limit: number;
}

export interface SearchHit {
  id: number;
  title: string;
  summary: string;
  sourceId: string | null;
  category: string | null;
  priority: boolean;
  ingestedAt: Date;
  translations: { id: number; audience: string; language: string; state: string; title: string }[];
}

export const maxOffset = 1000;

const base = (tag: string) => tag.split('-')[0]!.toLowerCase();

/** Words typed with or without diacritics, as a tsquery: "quoted phrases", -excluded, or. */
const storyQuery = (words: string) => sql`websearch_to_tsquery('simple', search_split(${words}))`;
const translationQuery = (words: string, language: string) => sql`websearch_to_tsquery(search_config(${language}), search_split(${words}))`;

export async function searchStories(db: Db, q: SearchQuery, audienceLanguages: ReadonlyMap<string, string>): Promise<{ hits: SearchHit[]; more: boolean }> {
  const offset = Math.min(Math.max(0, q.offset), maxOffset);
  const want = offset + q.limit + 1;
  const words = q.words?.normalize('NFC').trim() || undefined;
  const languages = q.languages === 'all' ? undefined : q.languages.map(base);
  const audiences = [...audienceLanguages].filter(([id, lang]) => (!q.audience || id === q.audience) && (!languages || languages.includes(base(lang))));
  const translationFilters = Boolean(q.audience || q.state || q.person);

  const conditions = [sql`s.duplicate_of IS NULL`];
  if (q.source) conditions.push(sql`s.source_id = ${q.source}`);
  if (q.topic) conditions.push(sql`s.category = ${q.topic}`);
  if (q.since) conditions.push(sql`s.ingested_at >= ${q.since}`);
  if (q.until) conditions.push(sql`s.ingested_at < ${q.until}`);
  const storyFilters = sql<SqlBool>`${sql.join(conditions, sql` AND `)}`;

  // the story's own text: only when no filter is about translations
  const own = translationFilters || !words ? Promise.resolve([] as { id: number }[])
    : db.selectFrom('stories as s').select('s.id').where(storyFilters).where(sql<SqlBool>`s.search @@ ${storyQuery(words)}`)
      .orderBy('s.id', 'desc').limit(want).execute();

  // translations: their text in their own language (or, without words, the translation filters alone)
  const viaTranslations = (!words && !translationFilters) || !audiences.length ? Promise.resolve([] as { id: number }[])
    : db.selectFrom('translations as t').innerJoin('stories as s', 's.id', 't.story_id').select('t.story_id as id').distinct()
      .where(storyFilters)
      .where('t.audience_id', 'in', audiences.map(([id]) => id))
      .$if(Boolean(q.state), (b) => b.where('t.state', '=', q.state!))
      .$if(Boolean(q.person), (b) => b.where((eb) => eb.or([eb('t.last_editor', '=', q.person!), eb('t.approved_by', '=', q.person!)])))
      .$if(Boolean(words), (b) => b.where((eb) => eb.or([...new Set(audiences.map(([, lang]) => base(lang)))].map((lang) =>
        sql<SqlBool>`split_part(lower(t.language), '-', 1) = ${lang} AND t.search @@ ${translationQuery(words!, lang)}`))))
      .orderBy('t.story_id', 'desc').limit(want).execute();

  // the archive: no words, no translation filter
  const archive = words || translationFilters ? Promise.resolve([] as { id: number }[])
    : db.selectFrom('stories as s').select('s.id').where(storyFilters).orderBy('s.id', 'desc').limit(want).execute();

  const ids = [...new Set([...(await own), ...(await viaTranslations), ...(await archive)].map((r) => r.id))].sort((a, b) => b - a);
  const page = ids.slice(offset, offset + q.limit);
  if (!page.length) return { hits: [], more: false };
  const [stories, translations] = await Promise.all([
    db.selectFrom('stories').select(['id', 'title', 'summary', 'source_id', 'category', 'priority', 'ingested_at']).where('id', 'in', page).execute(),
    db.selectFrom('translations').select(['id', 'story_id', 'audience_id', 'language', 'state', 'title']).where('story_id', 'in', page)
      .$if(Boolean(languages), (b) => b.where(sql<SqlBool>`split_part(lower(language), '-', 1) IN (${sql.join(languages!)})`))
      .orderBy('audience_id').execute(),
  ]);
  const byId = new Map(stories.map((s) => [s.id, s]));
  return {
    more: ids.length > offset + q.limit,
    hits: page.flatMap((id) => {
      const s = byId.get(id);
      if (!s) return [];
      return [{
        id, title: s.title, summary: s.summary, sourceId: s.source_id, category: s.category, priority: s.priority, ingestedAt: s.ingested_at,
        translations: translations.filter((t) => t.story_id === id).map((t) => ({ id: t.id, audience: t.audience_id, language: t.language, state: t.state, title: t.title })),
      }];
    }),
  };
}

/** The topics stories were filed under, for the search form's choice (at most 200). */
export function searchTopics(db: Db): Promise<{ name: string }[]> {
  return db.selectFrom('feed_topics').select('name').distinct().orderBy('name').limit(200).execute();
}
