/**
 * Translation memory: segment pairs reused instead of machine translation, matched exactly by
 * source key (sha-256 of the NFC, whitespace-normalised source). Approved pairs come from
 * published human translations; machine pairs are earlier provider answers for the same target,
 * formality and glossary, so recurring boilerplate is sent once.
 */
import { sql } from 'kysely';
import type { Db } from './db.ts';

export interface MemoryPair { sourceKey: string; sourceText: string; targetText: string }

/** Best match per source key: an approved pair wins over a machine one. */
export async function lookupMemory(db: Db, sourceLanguage: string, targetKeys: { approved: string; machine: string }, sourceKeys: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (!sourceKeys.length) return found;
  const rows = await db.selectFrom('translation_memory').select(['source_key', 'target_text', 'origin'])
    .where('source_language', '=', sourceLanguage)
    .where('target_key', 'in', [targetKeys.approved, targetKeys.machine])
    .where('source_key', 'in', [...new Set(sourceKeys)])
    .execute();
  for (const r of rows.sort((a, b) => (a.origin === 'approved' ? 1 : 0) - (b.origin === 'approved' ? 1 : 0))) found.set(r.source_key, r.target_text);
  return found;
}

/** Adds or replaces pairs (the newest approved rendering wins). */
export async function rememberPairs(db: Db, sourceLanguage: string, targetKey: string, origin: 'approved' | 'machine', pairs: readonly MemoryPair[]): Promise<void> {
  const unique = [...new Map(pairs.map((p) => [p.sourceKey, p])).values()];
  if (!unique.length) return;
  await db.insertInto('translation_memory')
    .values(unique.map((p) => ({ source_language: sourceLanguage, target_key: targetKey, source_key: p.sourceKey, origin, source_text: p.sourceText, target_text: p.targetText })))
    .onConflict((oc) => oc.columns(['source_language', 'target_key', 'source_key']).doUpdateSet({
      target_text: sql`excluded.target_text`, source_text: sql`excluded.source_text`, updated_at: new Date(),
    }))
    .execute();
}

export async function countMemoryHits(db: Db, sourceLanguage: string, targetKeys: readonly string[], sourceKeys: readonly string[]): Promise<void> {
  if (!sourceKeys.length) return;
  await db.updateTable('translation_memory').set({ hits: sql`hits + 1` })
    .where('source_language', '=', sourceLanguage).where('target_key', 'in', [...targetKeys]).where('source_key', 'in', [...new Set(sourceKeys)])
    .execute();
}
