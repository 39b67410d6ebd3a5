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
import { sql, type RawBuilder, type SqlBool } from 'kysely';
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

/**
 * Newest first in two steps: the newest `recentStories` stories, then (when they do not fill the
 * page) all older ones. A word in every story is found at once among the newest; a word of a few
 * old stories is read from the search index, not looked for in each newer story (PostgreSQL
 * reckons matches evenly spread and would walk from the newest).
 */
const recentStories = 500;
type Window = { above: number; below?: undefined } | { below: number; above?: undefined };
/** The first and last story id of the days chosen. */
type IdRange = { lo: number; hi: number };
const windowed = (column: RawBuilder<unknown>, w: Window) => (w.below === undefined ? sql`${column} > ${w.above}` : sql`${column} <= ${w.below}`);

async function recentFloor(db: Db): Promise<number> {
  const newest = await db.selectFrom('stories').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return Math.max(0, Number(newest?.id ?? 0) - recentStories);
}

/** `bottom`: the ids at or under it are known to be outside the search (none below a range's first). */
async function newestFirst(floor: Promise<number>, want: number, find: (w: Window) => Promise<number[]>, bottom = 0): Promise<number[]> {
  const below = await floor;
  const recent = await find({ above: below });
  if (recent.length >= want || below <= bottom) return recent;
  return [...recent, ...await find({ below })];
}

/**
 * The words as conditions on translations, each in its own language's configuration: one per
 * group of audiences whose languages read the words alike (one index search each, not one per
 * language). A translation is in its audience's language, so the audience (a plain comparison)
 * picks the query: computing each matching row's language base cost more than the index search.
 */
interface TranslationMatch { query: string; audiences: string[] }

async function translationMatches(db: Db, words: string, audiences: (readonly [string, string])[]): Promise<TranslationMatch[]> {
  const languages = [...new Set(audiences.map(([, lang]) => base(lang)))];
  const { rows } = await sql<{ lang: string; query: string }>`SELECT l AS lang, websearch_to_tsquery(search_config(l), search_split(${words}))::text AS query
    FROM unnest(${languages}::text[]) AS l`.execute(db);
  const queryOf = new Map(rows.map((r) => [r.lang, r.query]));
  const groups = new Map<string, string[]>();
  for (const [id, lang] of audiences) {
    const query = queryOf.get(base(lang))!;
    groups.set(query, [...(groups.get(query) ?? []), id]);
  }
  return [...groups].map(([query, ids]) => ({ query, audiences: ids }));
}

/**
 * Any group's words in its audiences' translations, as one condition (or none without words).
 * `fromSearchIndex`: the audience compared byte for byte (COLLATE "C", equal for the same ids), which
 * no index serves, so that PostgreSQL reads the few matches from the search index and tests each
 * one's audience, instead of also reading an audience's 100,000 entries from an index to AND them.
 */
const anyGroup = (matches: TranslationMatch[], fromSearchIndex = false): RawBuilder<SqlBool> | undefined => (matches.length === 0 ? undefined
  : sql<SqlBool>`(${sql.join(matches.map((m) => sql`(${fromSearchIndex ? sql`t.audience_id COLLATE "C"` : sql`t.audience_id`} IN (${sql.join(m.audiences)}) AND t.search @@ ${m.query}::tsquery)`), sql` OR `)})`);

/** Words typed with or without diacritics, as a tsquery: "quoted phrases", -excluded, or. */
const storyQuery = (words: string) => sql`websearch_to_tsquery('simple', search_split(${words}))`;

export async function searchStories(db: Db, q: SearchQuery, audienceLanguages: ReadonlyMap<string, string>): Promise<{ hits: SearchHit[]; more: boolean }> {
  const offset = Math.min(Math.max(0, q.offset), maxOffset);
  const want = offset + q.limit + 1;
  const words = q.words?.normalize('NFC').trim() || undefined;
  const languages = q.languages === 'all' ? undefined : q.languages.map(base);
  const audiences = [...audienceLanguages].filter(([id, lang]) => (!q.audience || id === q.audience) && (!languages || languages.includes(base(lang))));
  const rowFilters = Boolean(q.state || q.person);
  const translationFilters = Boolean(q.audience) || rowFilters;

  const conditions = [sql`s.duplicate_of IS NULL`];
  if (q.source) conditions.push(sql`s.source_id = ${q.source}`);
  if (q.topic) conditions.push(sql`s.category = ${q.topic}`);
  if (q.since) conditions.push(sql`s.ingested_at >= ${q.since}`);
  if (q.until) conditions.push(sql`s.ingested_at < ${q.until}`);
  const storyFilters = sql<SqlBool>`${sql.join(conditions, sql` AND `)}`;

  const storyIds = (rows: { id: number }[]) => rows.map((r) => r.id);
  // read once, and only by a side that searches the newest stories first (without words, in one step)
  let floorRead: Promise<number> | undefined;
  const floor = () => (words ? (floorRead ??= recentFloor(db)) : Promise.resolve(0));
  // a few days' stories, read from the time index first (PostgreSQL reckons them spread over all
  // ids and would walk back from the newest story to the days, row by row)
  const fewDays = Boolean(q.since && q.until && q.until.getTime() - q.since.getTime() <= 31 * 86_400_000);
  const storyRows = db.selectFrom('stories as s').select('s.id').where(storyFilters);
  // their first and last ids bound the translations looked at: a common word of one day's stories
  // was otherwise looked for in every translation below the newest stories (seconds, not ms)
  // (null: no story in those days; undefined: no few days chosen)
  const idRange: Promise<IdRange | null | undefined> = fewDays && (words || translationFilters)
    ? sql<{ lo: number | null; hi: number | null }>`WITH d AS MATERIALIZED (${storyRows}) SELECT min(id) AS lo, max(id) AS hi FROM d`.execute(db)
      .then(({ rows: [r] }) => (!r || r.lo === null || r.hi === null ? null : { lo: r.lo, hi: r.hi }))
    : Promise.resolve(undefined);

  // the story's own text: only when no filter is about translations
  const own = translationFilters || !words ? Promise.resolve([] as number[])
    : newestFirst(floor(), want, (window) => {
      const hits = db.selectFrom('stories as s').select('s.id').where(storyFilters)
        .where(sql<SqlBool>`s.search @@ ${storyQuery(words)}`).where(sql<SqlBool>`${windowed(sql`s.id`, window)}`);
      // below the recent window, the matches from the index first (as for translations, below)
      return (window.below === undefined ? hits.orderBy('s.id', 'desc').limit(want).execute()
        : sql<{ id: number }>`WITH h AS MATERIALIZED (${hits}) SELECT id FROM h ORDER BY id DESC LIMIT ${want}`.execute(db).then((r) => r.rows)).then(storyIds);
    });

  // translations: their text in their own language (or, without words, the translation filters alone)
  const audienceIds = audiences.map(([id]) => id);
  // `fromSearchIndex`: the audience and the story ids tested on each of the search index's matches
  // (as anyGroup's): a month's 132,000 entries of the story key ANDed with 16,000 matches cost 12 ms
  const translationRows = (window: Window, range: IdRange | undefined, match: RawBuilder<SqlBool> | undefined, fromSearchIndex = false) => {
    const story = fromSearchIndex ? sql`(t.story_id + 0)` : sql`t.story_id`;
    const rows = db.selectFrom('translations as t').$if(!fromSearchIndex, (b) => b.where('t.audience_id', 'in', audienceIds))
      .$if(Boolean(q.state), (b) => b.where('t.state', '=', q.state!))
      .$if(Boolean(q.person), (b) => b.where((eb) => eb.or([eb('t.last_editor', '=', q.person!), eb('t.approved_by', '=', q.person!)])))
      .where(sql<SqlBool>`${windowed(story, window)}`)
      .$if(range !== undefined, (b) => b.where(sql<SqlBool>`${story} BETWEEN ${range!.lo} AND ${range!.hi}`));
    return (match === undefined ? rows : rows.where(match)).select('t.story_id');
  };
  const viaTranslations = (!words && !translationFilters) || !audiences.length ? Promise.resolve([] as number[])
    : Promise.all([words ? translationMatches(db, words, audiences) : Promise.resolve([]), idRange]).then(([matches, range]) => {
      if (range === null) return []; // no story in those days
      const find = (window: Window) => {
        // among the recent stories one query with the groups OR'ed, which PostgreSQL may walk newest
        // first; below them one query per group in a UNION ALL, each read from the index alone (the
        // OR made it test every row the index found against each group again)
        const hits = window.below === undefined || !matches.length ? translationRows(window, range, anyGroup(matches))
          // (a state or a person is read from its own index, ANDed with the search index's matches)
          : sql.join(matches.map((match) => translationRows(window, range, anyGroup([match], !rowFilters), !rowFilters)), sql` UNION ALL `);
        // in the recent window PostgreSQL may walk the newest stories; below it, the search index is
        // read first (a CTE it cannot walk), so that a word of a few old stories is not looked for in
        // every newer translation, one story at a time
        const found = window.below === undefined
          ? sql<{ id: number }>`SELECT DISTINCT s.id FROM stories s JOIN (${hits}) h ON h.story_id = s.id WHERE ${storyFilters} ORDER BY s.id DESC LIMIT ${want}`
          // (each matching story once, newest first, then its filters: a story has a translation per
          // audience, and looking each one's story up was most of the time; in that order, only until
          // the page is full: 21 stories looked up instead of 2,000. LATERAL with LIMIT keeps it a
          // lookup per story: as a join PostgreSQL merged with every story from the newest down, 62 ms)
          : sql<{ id: number }>`WITH h AS MATERIALIZED (${hits}), d AS MATERIALIZED (SELECT DISTINCT story_id FROM h ORDER BY story_id DESC)
              SELECT d.story_id AS id FROM d CROSS JOIN LATERAL (SELECT 1 FROM stories s WHERE s.id = d.story_id AND ${storyFilters} LIMIT 1) ok
              ORDER BY d.story_id DESC LIMIT ${want}`;
        return found.execute(db).then((r) => storyIds(r.rows));
      };
      // a day or two (up to 3,000 stories) in one step, which PostgreSQL walks newest first for a
      // common word (1 ms) or reads from the index for a rare one; more days in the same two steps
      // as the whole archive, from their newest story (walking the 17,000 stories of a month newest
      // first took 106 ms for a word of the oldest 2,000)
      if (!range) return newestFirst(floor(), want, find);
      const fewStories = range.hi - range.lo < 3000;
      return newestFirst(Promise.resolve(fewStories ? range.lo - 1 : range.hi - recentStories), want, find, range.lo - 1);
    });
  // the archive: no words, no translation filter
  const archive = words || translationFilters ? Promise.resolve([] as number[])
    : (fewDays
      ? sql<{ id: number }>`WITH d AS MATERIALIZED (${storyRows}) SELECT id FROM d ORDER BY id DESC LIMIT ${want}`.execute(db).then((r) => r.rows)
      : storyRows.orderBy('s.id', 'desc').limit(want).execute()).then(storyIds);

  const ids = [...new Set([...(await own), ...(await viaTranslations), ...(await archive)])].sort((a, b) => b - a);
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
