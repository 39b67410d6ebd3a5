/**
 * Storing machine drafts: exactly once, billed once. Drafts of one round are gathered
 * (draftWriter) and written together (storeDrafts): under the rows' locks, each translation is
 * checked to be still waiting, and its text, revision, state change, per-segment alignment, billed
 * characters and memory pairs land in one transaction.
 */
import { sql } from 'kysely';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import type { StoryRow, TranslationRow } from '../store/schema.ts';
import { countMemoryHits, pairsUpsert } from '../store/translation-memory.ts';
import { usageUpsert } from '../store/translation-usage.ts';
import { saveTextsAndMove } from '../store/translations.ts';
import { rebuildBody, stripMarks, type Segment } from './segments.ts';

export const PENDING_STATES = ['queued', 'outdated'] as const;

export interface DraftDeps { db: Db; log: Logger; sourceLanguage: string; clock(): Date }

/**
 * Writes drafts as they become ready, gathering those of one round: a write starts when every
 * audience still out has answered, or `maxWaitMs` after the first waiting draft, whichever comes
 * first; drafts ready during a write go in the next one. A crash loses at most the answers of that
 * moment, and a round costs one durable commit instead of one per audience.
 */
export function draftWriter(store: (drafts: Draft[]) => Promise<Set<number>>, expected: number, maxWaitMs = 10) {
  let queue: Array<{ draft: Draft; done: (stored: boolean) => void; fail: (err: unknown) => void }> = [];
  let outstanding = expected;
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  const run = async () => {
    clearTimeout(timer);
    timer = undefined;
    running = true;
    while (queue.length) {
      const batch = queue;
      queue = [];
      outstanding -= batch.length;
      try {
        const stored = await store(batch.map((b) => b.draft));
        for (const b of batch) b.done(stored.has(b.draft.translation.id));
      } catch (err) {
        for (const b of batch) b.fail(err);
      }
    }
    running = false;
  };
  const maybeRun = () => {
    if (running || !queue.length) return;
    if (queue.length >= outstanding) void run();
    else timer ??= setTimeout(() => void (running || run()), maxWaitMs);
  };
  return {
    write: (draft: Draft) => new Promise<boolean>((done, fail) => {
      queue.push({ draft, done, fail });
      maybeRun();
    }),
    /** An audience finished without a draft (failed, handed to a person). */
    skip() {
      outstanding--;
      maybeRun();
    },
  };
}

/** A machine draft ready to be stored. */
export interface Draft {
  translation: TranslationRow;
  keys: string[];
  targets: string[];
  origins: string[];
  notes: string[];
  usage: { billedCharacters: number; requests: number; memoryHits: number; memoryCharactersSaved: number };
  machineKey: string;
  memoryKeys: string[];
  log: Logger;
}

/**
 * Stores drafts of one story in one transaction (one durable commit for the audiences that answered
 * together): each translation is re-checked under its row lock and skipped when another worker or a
 * person got there first; its text, segments, state change and billed characters land together.
 * Answers the ids stored. Should the joint write fail, each draft is tried on its own.
 */
export async function storeDrafts(deps: DraftDeps, story: StoryRow, segments: readonly Segment[], drafts: readonly Draft[]): Promise<Set<number>> {
  try {
    return await deps.db.transaction().execute((trx) => writeDrafts(deps, trx, story, segments, drafts));
  } catch (err) {
    if (drafts.length === 1) throw err;
    deps.log.warn({ story_id: story.id, err: (err as Error).message }, 'storing the drafts together failed; storing them one by one');
    const stored = new Set<number>();
    for (const d of drafts) {
      for (const id of await deps.db.transaction().execute((trx) => writeDrafts(deps, trx, story, segments, [d]))) stored.add(id);
    }
    return stored;
  }
}

async function writeDrafts(deps: DraftDeps, trx: Db, story: StoryRow, segments: readonly Segment[], drafts: readonly Draft[]): Promise<Set<number>> {
  const locked = await trx.selectFrom('translations').selectAll().where('id', 'in', drafts.map((d) => d.translation.id)).orderBy('id').forUpdate().execute();
  const current = new Map(locked.filter((t) => (PENDING_STATES as readonly string[]).includes(t.state)).map((t) => [t.id, t]));
  const now = deps.clock();
  const stored = drafts.filter((d) => current.has(d.translation.id)); // others: stored by another worker, or taken over by a person
  await saveTextsAndMove(trx, stored.map((d) => {
    const [title = '', summary = '', ...body] = d.targets;
    return { current: current.get(d.translation.id)!, text: { title: stripMarks(title), summary: stripMarks(summary), bodyHtml: rebuildBody(segments.slice(2), body) } };
  }), 'machine_translated', 'machine', 'machine');
  const ids = stored.map((d) => d.translation.id);
  if (!ids.length) return new Set();
  for (const d of stored) {
    const hits = d.keys.filter((_, i) => d.origins[i] === 'memory');
    if (hits.length) await countMemoryHits(trx, deps.sourceLanguage, d.memoryKeys, hits);
  }
  // only a translation machine-translated before has segments to replace
  const replaced = stored.filter((d) => current.get(d.translation.id)!.machine_translated_at).map((d) => d.translation.id);
  if (replaced.length) await trx.deleteFrom('translation_segments').where('translation_id', 'in', replaced).execute();

  // what the machine knows about each draft (changed segments of outdated stories, checks, no claim
  // left), its segments, the billed characters and the memory pairs: one statement, one round trip
  const meta = sql.join(stored.map((d) => {
    const changed = current.get(d.translation.id)!.state === 'outdated' ? d.origins.map((o, i) => (o === 'kept' ? -1 : i)).filter((i) => i >= 0) : [];
    return sql`(${d.translation.id}::int, ${changed}::int[], ${JSON.stringify(d.notes)}::jsonb)`;
  }));
  // one array per column (unnest): hundreds of rows in one short statement
  const rows = stored.flatMap((d) => segments.map((s, i) => [d.translation.id, i, s.kind, s.tag, d.keys[i]!, s.text, d.targets[i] ?? '', JSON.stringify(s.links), d.origins[i]!] as const));
  const column = <K extends number>(k: K) => rows.map((r) => r[k]);
  const writes = [
    sql`UPDATE translations AS t SET changed_segments = v.changed, mt_notes = v.notes, machine_translated_at = ${now}, error = NULL,
        story_version = ${story.version}, mt_attempts = 0, mt_lease_until = NULL, mt_waiting = NULL
      FROM (VALUES ${meta}) AS v(id, changed, notes) WHERE t.id = v.id`,
    sql`INSERT INTO translation_segments (translation_id, position, kind, tag, source_key, source_text, target_text, links, origin)
    SELECT * FROM unnest(${column(0)}::int[], ${column(1)}::int[], ${column(2)}::text[], ${column(3)}::text[], ${column(4)}::text[],
      ${column(5)}::text[], ${column(6)}::text[], ${column(7)}::jsonb[], ${column(8)}::text[])`,
    usageUpsert(now, stored.map((d) => ({ audienceId: d.translation.audience_id, ...d.usage }))),
    pairsUpsert(deps.sourceLanguage, 'machine', stored.flatMap((d) => segments.flatMap((s, i) => (
      d.origins[i] === 'machine' && s.text ? [{ targetKey: d.machineKey, sourceKey: d.keys[i]!, sourceText: s.text, targetText: d.targets[i]! }] : [])))),
  ].filter((w) => w !== undefined);
  await sql`WITH ${sql.join(writes.map((w, i) => sql`${sql.raw(`w${i}`)} AS (${w})`))} SELECT 1`.execute(trx);
  for (const d of stored) d.log.info({ billed_characters: d.usage.billedCharacters, requests: d.usage.requests, memory_hits: d.usage.memoryHits, notes: d.notes.length }, 'machine draft stored');
  return new Set(ids);
}
