/**
 * The machine's drafts of one story, stored in one statement: one round trip and one durable
 * commit for every audience that answered together. A statement is its own transaction; its parts
 * share one snapshot and see each other only through `moved`, the translations actually moved.
 * Those are locked first, so a concurrent writer (another worker, a person) is waited for and the
 * state re-checked; every other part joins `moved`, so a draft that lost the race writes nothing —
 * no text, no segments, no billed characters.
 */
import { sql } from 'kysely';
import type { Db } from './db.ts';
import type { TranslationText } from './translations.ts';

/** Translations waiting for a machine draft (the workflow moves both to machine_translated). */
export const PENDING_STATES = ['queued', 'outdated'] as const;

export interface MachineDraft {
  translationId: number;
  audienceId: string;
  text: TranslationText;
  /** Segment positions translated again; kept on the translation when it was outdated. */
  changed: number[];
  notes: string[];
  usage: { billedCharacters: number; requests: number; memoryHits: number; memoryCharactersSaved: number };
  segments: Array<{ kind: string; tag: string; sourceKey: string; sourceText: string; targetText: string; links: string[]; origin: string }>;
  /** Memory rows reused by this draft (their hit counts go up). */
  memoryHits: Array<{ targetKey: string; sourceKey: string }>;
  /** Provider answers to remember. */
  memoryPairs: Array<{ targetKey: string; sourceKey: string; sourceText: string; targetText: string }>;
}

export interface MachineDrafts {
  sourceLanguage: string;
  storyVersion: number;
  at: Date;
  /** Segments of the story now: older segments past this position are removed. */
  segmentCount: number;
  drafts: readonly MachineDraft[];
}

/** Answers the ids of the translations moved to machine_translated. */
export async function storeMachineDrafts(db: Db, input: MachineDrafts): Promise<Set<number>> {
  const { drafts, at } = input;
  if (!drafts.length) return new Set();
  const drafted = sql.join(drafts.map((d) => sql`(${d.translationId}::int, ${d.text.title}, ${d.text.summary}, ${d.text.bodyHtml}, ${d.changed}::int[],
    ${JSON.stringify(d.notes)}::jsonb, ${d.audienceId}, ${d.usage.billedCharacters}::bigint, ${d.usage.requests}::int, ${d.usage.memoryHits}::int, ${d.usage.memoryCharactersSaved}::bigint)`));
  // one array per column (unnest): hundreds of rows in one short statement
  const segments = drafts.flatMap((d) => d.segments.map((s, position) => ({ ...s, translationId: d.translationId, position })));
  const hits = drafts.flatMap((d) => d.memoryHits.map((h) => ({ ...h, translationId: d.translationId })));
  // one rendering per memory row (two audiences may share a machine key)
  const pairs = [...new Map(drafts.flatMap((d) => d.memoryPairs.map((p) => [`${p.targetKey}\n${p.sourceKey}`, { ...p, translationId: d.translationId }] as const))).values()];

  const { rows } = await sql<{ id: number }>`
    WITH drafted (id, title, summary, body_html, changed, notes, audience_id, billed, requests, memory_hits, memory_saved) AS (VALUES ${drafted}),
    current AS (
      SELECT t.id, t.state, t.version FROM translations t JOIN drafted USING (id)
      WHERE t.state = ANY(${[...PENDING_STATES]}::text[]) ORDER BY t.id FOR UPDATE OF t),
    moved AS (
      UPDATE translations t SET title = d.title, summary = d.summary, body_html = d.body_html, version = c.version + 1,
        state = 'machine_translated', last_editor = 'machine', updated_at = ${at}, machine_translated_at = ${at},
        changed_segments = CASE WHEN c.state = 'outdated' THEN d.changed ELSE '{}' END, mt_notes = d.notes, error = NULL,
        story_version = ${input.storyVersion}, mt_attempts = 0, mt_lease_until = NULL, mt_waiting = NULL
      FROM current c JOIN drafted d USING (id) WHERE t.id = c.id
      RETURNING t.id, t.version, c.state AS from_state, d.title, d.summary, d.body_html, d.audience_id, d.billed, d.requests, d.memory_hits, d.memory_saved),
    revision AS (
      INSERT INTO revisions (translation_id, version, title, summary, body_html, author, kind)
      SELECT id, version, title, summary, body_html, 'machine', 'machine' FROM moved),
    event AS (
      INSERT INTO translation_events (translation_id, from_state, to_state, actor)
      SELECT id, from_state, 'machine_translated', 'machine' FROM moved),
    segment AS (
      INSERT INTO translation_segments (translation_id, position, kind, tag, source_key, source_text, target_text, links, origin)
      SELECT s.* FROM unnest(${segments.map((s) => s.translationId)}::int[], ${segments.map((s) => s.position)}::int[], ${segments.map((s) => s.kind)}::text[],
        ${segments.map((s) => s.tag)}::text[], ${segments.map((s) => s.sourceKey)}::text[], ${segments.map((s) => s.sourceText)}::text[],
        ${segments.map((s) => s.targetText)}::text[], ${segments.map((s) => JSON.stringify(s.links))}::jsonb[], ${segments.map((s) => s.origin)}::text[])
        AS s(translation_id, position, kind, tag, source_key, source_text, target_text, links, origin)
      WHERE s.translation_id IN (SELECT id FROM moved)
      ON CONFLICT (translation_id, position) DO UPDATE SET kind = excluded.kind, tag = excluded.tag, source_key = excluded.source_key,
        source_text = excluded.source_text, target_text = excluded.target_text, links = excluded.links, origin = excluded.origin),
    -- a story that lost blocks since its last draft: the segments past its new end go (rows the upsert does not touch)
    shorter AS (
      DELETE FROM translation_segments s USING moved WHERE s.translation_id = moved.id AND s.position >= ${input.segmentCount}),
    usage AS (
      INSERT INTO translation_usage (day, audience_id, billed_characters, requests, memory_hits, memory_characters_saved)
      SELECT ${at.toISOString().slice(0, 10)}::date, audience_id, billed, requests, memory_hits, memory_saved FROM moved
      ON CONFLICT (day, audience_id) DO UPDATE SET
        billed_characters = translation_usage.billed_characters + excluded.billed_characters,
        requests = translation_usage.requests + excluded.requests,
        memory_hits = translation_usage.memory_hits + excluded.memory_hits,
        memory_characters_saved = translation_usage.memory_characters_saved + excluded.memory_characters_saved),
    hit AS (
      UPDATE translation_memory m SET hits = m.hits + 1
      FROM (SELECT DISTINCT h.target_key, h.source_key
        FROM unnest(${hits.map((h) => h.translationId)}::int[], ${hits.map((h) => h.targetKey)}::text[], ${hits.map((h) => h.sourceKey)}::text[]) AS h(translation_id, target_key, source_key)
        WHERE h.translation_id IN (SELECT id FROM moved)) h
      WHERE m.source_language = ${input.sourceLanguage} AND m.target_key = h.target_key AND m.source_key = h.source_key),
    pair AS (
      INSERT INTO translation_memory (source_language, target_key, source_key, origin, source_text, target_text)
      SELECT ${input.sourceLanguage}, p.target_key, p.source_key, 'machine', p.source_text, p.target_text
      FROM unnest(${pairs.map((p) => p.translationId)}::int[], ${pairs.map((p) => p.targetKey)}::text[], ${pairs.map((p) => p.sourceKey)}::text[],
        ${pairs.map((p) => p.sourceText)}::text[], ${pairs.map((p) => p.targetText)}::text[]) AS p(translation_id, target_key, source_key, source_text, target_text)
      WHERE p.translation_id IN (SELECT id FROM moved)
      ON CONFLICT (source_language, target_key, source_key) DO UPDATE
        SET target_text = excluded.target_text, source_text = excluded.source_text, origin = excluded.origin, updated_at = now())
    SELECT id FROM moved`.execute(db);
  return new Set(rows.map((r) => r.id));
}
