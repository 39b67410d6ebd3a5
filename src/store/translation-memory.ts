/**
 * Translation memory: segment pairs reused instead of machine translation, matched exactly by
 * source key (sha-256 of the NFC, whitespace-normalised source). Approved pairs come from
 * published human translations; machine pairs are earlier provider answers for the same target,
 * formality and glossary, so recurring boilerplate is sent once. An approved pair names the
 * translation it came from; withdrawing that translation makes the pair unusable (never served
 * again, kept for the record), and editors find, correct or retire pairs one by one.
 */
import { sql } from 'kysely';
import { runPrepared, type Db } from './db.ts';

export interface MemoryPair { sourceKey: string; sourceText: string; targetText: string; /** the approved translation it came from */ translationId?: number | undefined }

export interface MemoryRow { target_key: string; source_key: string; target_text: string; origin: string }

/** Every pair for these targets and source keys (one query for a whole story's audiences). */
export async function lookupMemory(db: Db, sourceLanguage: string, targetKeys: readonly string[], sourceKeys: readonly string[]): Promise<MemoryRow[]> {
  if (!sourceKeys.length || !targetKeys.length) return [];
  return runPrepared(db, 'lookup-memory', sql<MemoryRow>`
    SELECT target_key, source_key, target_text, origin FROM translation_memory
    WHERE source_language = ${sourceLanguage} AND target_key = ANY(${[...new Set(targetKeys)]}::text[]) AND source_key = ANY(${[...new Set(sourceKeys)]}::text[])
      AND unusable_at IS NULL`);
}

/** Adds or replaces pairs (the newest rendering wins). */
export async function rememberPairs(db: Db, sourceLanguage: string, origin: 'approved' | 'machine', pairs: readonly (MemoryPair & { targetKey: string })[]): Promise<void> {
  const unique = [...new Map(pairs.map((p) => [`${p.targetKey}\n${p.sourceKey}`, p])).values()];
  if (!unique.length) return;
  // one array per column (unnest): a story's pairs in one short statement
  // a new rendering replaces the pair, and is usable again even if the old one was retired
  await sql`INSERT INTO translation_memory (source_language, target_key, source_key, origin, source_text, target_text, translation_id)
    SELECT ${sourceLanguage}, t.target_key, t.source_key, ${origin}, t.source_text, t.target_text, t.translation_id
    FROM unnest(${unique.map((p) => p.targetKey)}::text[], ${unique.map((p) => p.sourceKey)}::text[], ${unique.map((p) => p.sourceText)}::text[], ${unique.map((p) => p.targetText)}::text[], ${unique.map((p) => p.translationId ?? null)}::int[])
      AS t(target_key, source_key, source_text, target_text, translation_id)
    ON CONFLICT (source_language, target_key, source_key) DO UPDATE
      SET target_text = excluded.target_text, source_text = excluded.source_text, origin = excluded.origin, translation_id = excluded.translation_id,
        unusable_at = NULL, unusable_reason = NULL, updated_by = NULL, updated_at = now()`.execute(db);
}

/** Makes every pair harvested from this translation unusable (its withdrawal); returns how many. Run in the withdrawal's transaction. */
export async function retireTranslationPairs(db: Db, translationId: number, at: Date, reason: string): Promise<number> {
  const r = await db.updateTable('translation_memory').set({ unusable_at: at, unusable_reason: reason, updated_at: at })
    .where('translation_id', '=', translationId).where('unusable_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export interface RememberedPair {
  id: string; sourceLanguage: string; targetKey: string; origin: string; sourceText: string; targetText: string;
  translationId: number | null; unusableAt: Date | null; unusableReason: string | null; updatedAt: Date; updatedBy: string | null;
}

const asPair = (r: { id: string; source_language: string; target_key: string; origin: string; source_text: string; target_text: string; translation_id: number | null; unusable_at: Date | null; unusable_reason: string | null; updated_at: Date; updated_by: string | null }): RememberedPair => ({
  id: String(r.id), sourceLanguage: r.source_language, targetKey: r.target_key, origin: r.origin, sourceText: r.source_text, targetText: r.target_text,
  translationId: r.translation_id, unusableAt: r.unusable_at, unusableReason: r.unusable_reason, updatedAt: r.updated_at, updatedBy: r.updated_by,
});

const columns = ['id', 'source_language', 'target_key', 'origin', 'source_text', 'target_text', 'translation_id', 'unusable_at', 'unusable_reason', 'updated_at', 'updated_by'] as const;

/** Pairs whose source or target contains `search` (any case), newest first; usable ones only unless asked. */
export async function findPairs(db: Db, opts: { search?: string | undefined; targetKey?: string | undefined; translationId?: number | undefined; includeUnusable?: boolean; limit: number }): Promise<RememberedPair[]> {
  let q = db.selectFrom('translation_memory').select(columns).orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(opts.limit);
  if (opts.search) {
    const like = `%${opts.search.normalize('NFC').replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('source_text', 'ilike', like), eb('target_text', 'ilike', like)]));
  }
  if (opts.targetKey) q = q.where('target_key', '=', opts.targetKey);
  if (opts.translationId !== undefined) q = q.where('translation_id', '=', opts.translationId);
  if (!opts.includeUnusable) q = q.where('unusable_at', 'is', null);
  return (await q.execute()).map(asPair);
}

export async function getPair(db: Db, id: string): Promise<RememberedPair | undefined> {
  const row = await db.selectFrom('translation_memory').select(columns).where('id', '=', id as never).executeTakeFirst();
  return row ? asPair(row) : undefined;
}

/** An editor's correction: the pair serves the new text from now on (and is usable again). */
export async function correctPair(db: Db, id: string, targetText: string, actor: string, at: Date): Promise<RememberedPair | undefined> {
  const row = await db.updateTable('translation_memory')
    .set({ target_text: targetText.normalize('NFC').trim(), updated_by: actor, updated_at: at, unusable_at: null, unusable_reason: null })
    .where('id', '=', id as never).returning(columns).executeTakeFirst();
  return row ? asPair(row) : undefined;
}

/** An editor takes a pair out of use; it is kept, and served again only once corrected or replaced. */
export async function markUnusable(db: Db, id: string, reason: string, actor: string, at: Date): Promise<RememberedPair | undefined> {
  const row = await db.updateTable('translation_memory')
    .set({ unusable_at: at, unusable_reason: reason, updated_by: actor, updated_at: at })
    .where('id', '=', id as never).returning(columns).executeTakeFirst();
  return row ? asPair(row) : undefined;
}
