/**
 * Translation memory: segment pairs reused instead of machine translation, matched exactly by
 * source key (sha-256 of the NFC, whitespace-normalised source). Approved pairs come from
 * published human translations; machine pairs are earlier provider answers for the same target,
 * formality and glossary, so recurring boilerplate is sent once.
 */
import { sql } from 'kysely';
import { runPrepared, type Db } from './db.ts';

export interface MemoryPair { sourceKey: string; sourceText: string; targetText: string }

export interface MemoryRow { target_key: string; source_key: string; target_text: string; origin: string }

/** Every pair for these targets and source keys (one query for a whole story's audiences). */
export async function lookupMemory(db: Db, sourceLanguage: string, targetKeys: readonly string[], sourceKeys: readonly string[]): Promise<MemoryRow[]> {
  if (!sourceKeys.length || !targetKeys.length) return [];
  return runPrepared(db, 'lookup-memory', sql<MemoryRow>`
    SELECT target_key, source_key, target_text, origin FROM translation_memory
    WHERE source_language = ${sourceLanguage} AND target_key = ANY(${[...new Set(targetKeys)]}::text[]) AND source_key = ANY(${[...new Set(sourceKeys)]}::text[])`);
}

/** Adds or replaces pairs (the newest rendering wins). */
export async function rememberPairs(db: Db, sourceLanguage: string, origin: 'approved' | 'machine', pairs: readonly (MemoryPair & { targetKey: string })[]): Promise<void> {
  const unique = [...new Map(pairs.map((p) => [`${p.targetKey}\n${p.sourceKey}`, p])).values()];
  if (!unique.length) return;
  // one array per column (unnest): a story's pairs in one short statement
  await sql`INSERT INTO translation_memory (source_language, target_key, source_key, origin, source_text, target_text)
    SELECT ${sourceLanguage}, t.target_key, t.source_key, ${origin}, t.source_text, t.target_text
    FROM unnest(${unique.map((p) => p.targetKey)}::text[], ${unique.map((p) => p.sourceKey)}::text[], ${unique.map((p) => p.sourceText)}::text[], ${unique.map((p) => p.targetText)}::text[])
      AS t(target_key, source_key, source_text, target_text)
    ON CONFLICT (source_language, target_key, source_key) DO UPDATE
      SET target_text = excluded.target_text, source_text = excluded.source_text, origin = excluded.origin, updated_at = now()`.execute(db);
}
