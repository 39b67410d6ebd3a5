/**
 * The machine's drafts of one story, stored in one statement: one round trip and one durable
 * commit for every audience that answered together. A statement is its own transaction; its parts
 * share one snapshot and see each other only through `moved`, the translations actually moved.
 * Those are locked first, so a concurrent writer (another worker, a person, a change of the
 * source) is waited for and the state and the claim re-checked; every other part joins `moved`, so
 * a draft that lost the race writes nothing: no text, no segments, no billed characters, no memory.
 *
 * The story's segments travel once and each draft's targets refer to them by position (the same
 * source is not sent once per audience); segments, memory pairs and memory hits are built from
 * those two in the database.
 */
import { sql } from 'kysely';
import { machineProviders } from '../core/audience.ts';
import type { TranslationState } from '../core/workflow.ts';
import { runPrepared, type Db } from './db.ts';
import type { TranslationText } from './translations.ts';

/** Translations waiting for a machine draft (the workflow moves both to machine_translated). */
export const PENDING_STATES = ['queued', 'outdated'] as const satisfies readonly TranslationState[];

export const awaitsMachineDraft = (state: TranslationState): boolean => PENDING_STATES.some((s) => s === state);

/**
 * The one definition of machine work still to do, on a translations row (`table` is its name or
 * alias): a pending state, a provider that drafts by machine, attempts left. Parked rows are
 * included; claimStory decides about them.
 */
export const awaitsMachine = (table: string, maxAttempts: number) => sql<boolean>`${sql.ref(`${table}.state`)} = ANY(${[...PENDING_STATES]}::text[])
  AND ${sql.ref(`${table}.provider`)} = ANY(${[...machineProviders]}::text[]) AND ${sql.ref(`${table}.mt_attempts`)} < ${maxAttempts}`;

export interface SourceSegment { kind: string; tag: string; sourceKey: string; sourceText: string; links: string[] }

/**
 * What a segment's target came from: kept from the current text, the memory, the provider that
 * made the draft, a later provider of the chain (`fallback`, not remembered under the first's key),
 * or nobody (`untranslated`: the source is left for a person).
 */
export type SegmentOrigin = 'kept' | 'memory' | 'machine' | 'fallback' | 'untranslated';

export interface MachineDraft {
  translationId: number;
  audienceId: string;
  /** The provider that made the draft (recorded on the translation). */
  provider: string;
  /**
   * The claim this worker holds on the translation (null: none). A draft whose claim was cancelled
   * (the source changed) or taken over (it ran out) is not stored.
   */
  claimedUntil: Date | null;
  text: TranslationText;
  /** Segment positions translated again; kept on the translation when it was outdated. */
  changed: number[];
  notes: string[];
  usage: { billedCharacters: number; requests: number; memoryHits: number; memoryCharactersSaved: number };
  /** One per story segment, by position. */
  targets: Array<{ text: string; origin: SegmentOrigin }>;
  /** Memory rows a `memory` target may have come from (their hit counts go up). */
  memoryKeys: string[];
  /** Where this draft's provider answers are remembered. */
  machineKey: string;
}

export interface MachineDrafts {
  sourceLanguage: string;
  storyVersion: number;
  at: Date;
  /** The story's segments now; older segments past its end are removed. */
  segments: readonly SourceSegment[];
  drafts: readonly MachineDraft[];
}

/** Answers the ids of the translations moved to machine_translated. */
export async function storeMachineDrafts(db: Db, input: MachineDrafts): Promise<Set<number>> {
  const { drafts, at } = input;
  if (!drafts.length) return new Set();
  const drafted = JSON.stringify(drafts.map((d) => ({
    id: d.translationId, provider: d.provider, claimed_until: d.claimedUntil, title: d.text.title, summary: d.text.summary, body_html: d.text.bodyHtml, changed: d.changed, notes: d.notes,
    audience_id: d.audienceId, billed: d.usage.billedCharacters, requests: d.usage.requests, memory_hits: d.usage.memoryHits,
    memory_saved: d.usage.memoryCharactersSaved, memory_keys: d.memoryKeys, machine_key: d.machineKey,
  })));
  const source = JSON.stringify(input.segments.map((s, position) => ({ position, kind: s.kind, tag: s.tag, source_key: s.sourceKey, source_text: s.sourceText, links: s.links })));
  const targets = JSON.stringify(drafts.flatMap((d) => d.targets.map((t, position) => ({ id: d.translationId, position, target_text: t.text, origin: t.origin }))));

  const rows = await runPrepared(db, 'store-machine-drafts', sql<{ id: number }>`
    WITH drafted AS (
      SELECT * FROM json_to_recordset(${drafted}::json) AS d(id int, provider text, claimed_until timestamptz, title text, summary text, body_html text, changed int[], notes jsonb,
        audience_id text, billed bigint, requests int, memory_hits int, memory_saved bigint, memory_keys text[], machine_key text)),
    source AS (
      SELECT * FROM json_to_recordset(${source}::json) AS s(position int, kind text, tag text, source_key text, source_text text, links jsonb)),
    target AS (
      SELECT * FROM json_to_recordset(${targets}::json) AS x(id int, position int, target_text text, origin text)),
    current AS (
      SELECT t.id, t.state, t.version FROM translations t JOIN drafted d USING (id)
      WHERE t.state = ANY(${[...PENDING_STATES]}::text[]) AND t.mt_lease_until IS NOT DISTINCT FROM d.claimed_until
      ORDER BY t.id FOR UPDATE OF t),
    moved AS (
      UPDATE translations t SET title = d.title, summary = d.summary, body_html = d.body_html, version = c.version + 1,
        state = 'machine_translated', last_editor = 'machine', provider = d.provider, updated_at = ${at}, machine_translated_at = ${at},
        changed_segments = CASE WHEN c.state = 'outdated' THEN d.changed ELSE '{}' END, mt_notes = d.notes, error = NULL, error_code = NULL, error_values = NULL,
        story_version = ${input.storyVersion}, mt_attempts = 0, mt_lease_until = NULL, mt_waiting = NULL
      FROM current c JOIN drafted d USING (id) WHERE t.id = c.id
      RETURNING t.id, t.version, c.state AS from_state, d.title, d.summary, d.body_html, d.audience_id, d.billed, d.requests, d.memory_hits, d.memory_saved,
        d.memory_keys, d.machine_key),
    -- each stored draft's segments: its targets beside the story's sources
    stored AS (
      SELECT m.id, m.memory_keys, m.machine_key, s.*, x.target_text, x.origin FROM moved m JOIN target x USING (id) JOIN source s USING (position)),
    revision AS (
      INSERT INTO revisions (translation_id, version, title, summary, body_html, author, kind)
      SELECT id, version, title, summary, body_html, 'machine', 'machine' FROM moved),
    event AS (
      INSERT INTO translation_events (translation_id, from_state, to_state, actor)
      SELECT id, from_state, 'machine_translated', 'machine' FROM moved),
    segment AS (
      INSERT INTO translation_segments (translation_id, position, kind, tag, source_key, source_text, target_text, links, origin)
      SELECT id, position, kind, tag, source_key, source_text, target_text, links, origin FROM stored
      ON CONFLICT (translation_id, position) DO UPDATE SET kind = excluded.kind, tag = excluded.tag, source_key = excluded.source_key,
        source_text = excluded.source_text, target_text = excluded.target_text, links = excluded.links, origin = excluded.origin),
    -- a story that lost blocks since its last draft: the segments past its new end go (rows the upsert does not touch)
    shorter AS (
      DELETE FROM translation_segments s USING moved WHERE s.translation_id = moved.id AND s.position >= ${input.segments.length}),
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
      FROM (SELECT DISTINCT k.target_key, s.source_key FROM stored s CROSS JOIN unnest(s.memory_keys) AS k(target_key) WHERE s.origin = 'memory') h
      WHERE m.source_language = ${input.sourceLanguage} AND m.target_key = h.target_key AND m.source_key = h.source_key),
    -- one rendering per memory row: a sentence repeated in the story, two audiences with one machine key
    pair AS (
      INSERT INTO translation_memory (source_language, target_key, source_key, origin, source_text, target_text)
      SELECT DISTINCT ON (machine_key, source_key) ${input.sourceLanguage}, machine_key, source_key, 'machine', source_text, target_text
      FROM stored WHERE origin = 'machine' AND source_text <> ''
      ON CONFLICT (source_language, target_key, source_key) DO UPDATE
        SET target_text = excluded.target_text, source_text = excluded.source_text, origin = excluded.origin, updated_at = now())
    SELECT id FROM moved`);
  return new Set(rows.map((r) => r.id));
}
