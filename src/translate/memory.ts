/**
 * Feeding the translation memory from what people approved: each published translation whose
 * text version has not been harvested yet is aligned with its story, segment by segment (title,
 * lead, and body blocks when their count matches), and the pairs are stored as approved. Runs
 * before a story is translated whenever a publication waits (the claim asks), so a publication is
 * reused from the next story on; it reads the translations table and needs no hook in the
 * publishing code. Each pair names its translation: withdrawing it retires the pairs
 * (store/translation-memory.ts, in the withdrawal's transaction).
 */
import type { AudienceConfig } from '../core/audience.ts';
import type { Db } from '../store/db.ts';
import { lookupMemory, rememberPairs, type MemoryPair } from '../store/translation-memory.ts';
import { segmentKey, storySegments } from './segments.ts';

export const approvedMemoryKey = (audience: Pick<AudienceConfig, 'language'>) => `lang:${audience.language}`;

export async function harvestApproved(db: Db, sourceLanguage: string, audiences: readonly AudienceConfig[], limit = 200): Promise<number> {
  const rows = await db.selectFrom('translations').innerJoin('stories', 'stories.id', 'translations.story_id')
    .select(['translations.id', 'translations.audience_id', 'translations.version', 'translations.story_version', 'translations.title', 'translations.summary', 'translations.body_html',
      'stories.version as source_version', 'stories.title as source_title', 'stories.summary as source_summary', 'stories.body_html as source_body'])
    .where('translations.state', '=', 'published')
    .where((eb) => eb('translations.memory_version', 'is distinct from', eb.ref('translations.version')))
    .orderBy('translations.id').limit(limit).execute();
  for (const row of rows) {
    const audience = audiences.find((a) => a.id === row.audience_id);
    await db.transaction().execute(async (trx) => {
      // still published, and held so: a withdrawal waits for this and then retires these pairs, or went first and nothing is stored
      const live = await trx.selectFrom('translations').select('id').where('id', '=', row.id).where('state', '=', 'published').forShare().executeTakeFirst();
      // a translation of an older story version is not aligned with the current source
      if (live && audience && row.story_version === row.source_version) {
        const source = storySegments({ title: row.source_title, summary: row.source_summary, body_html: row.source_body });
        const target = storySegments({ title: row.title, summary: row.summary, body_html: row.body_html });
        const pairs: MemoryPair[] = [];
        const add = (i: number) => {
          if (source[i]?.text && target[i]?.text) pairs.push({ sourceKey: segmentKey(source[i]!.text), sourceText: source[i]!.text, targetText: target[i]!.text, translationId: row.id });
        };
        add(0);
        add(1);
        if (source.length === target.length) for (let i = 2; i < source.length; i++) add(i);
        await rememberPairs(trx, sourceLanguage, 'approved', pairs.map((p) => ({ ...p, targetKey: approvedMemoryKey(audience) })));
      }
      await trx.updateTable('translations').set({ memory_version: row.version }).where('id', '=', row.id).execute();
    });
  }
  return rows.length;
}

export interface MemoryKeys { approved: string; machine: string }

/** A story's memory matches: for one audience's keys, source key → target (an approved pair wins). */
export type MemoryMatches = (keys: MemoryKeys) => Map<string, string>;

/** One query for the memory of every audience of a story. */
export async function memoryMatches(db: Db, sourceLanguage: string, keySets: readonly MemoryKeys[], sourceKeys: readonly string[]): Promise<MemoryMatches> {
  const rows = keySets.length ? await lookupMemory(db, sourceLanguage, keySets.flatMap((k) => [k.approved, k.machine]), sourceKeys) : [];
  const byTarget = new Map<string, Map<string, string>>();
  for (const r of rows) {
    const found = byTarget.get(r.target_key) ?? new Map<string, string>();
    byTarget.set(r.target_key, found.set(r.source_key, r.target_text));
  }
  return (keys) => new Map([...byTarget.get(keys.machine) ?? [], ...byTarget.get(keys.approved) ?? []]);
}
