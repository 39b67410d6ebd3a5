/**
 * Feeding the translation memory from what people approved: each published translation whose
 * text version has not been harvested yet is aligned with its story, segment by segment (title,
 * lead, and body blocks when their count matches), and the pairs are stored as approved. Runs
 * before each story is translated, so a publication is reused from the next story on; it reads the
 * translations table and needs no hook in the publishing code.
 */
import type { AudienceConfig } from '../config.ts';
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
    // a translation of an older story version is not aligned with the current source
    if (audience && row.story_version === row.source_version) {
      const source = storySegments({ title: row.source_title, summary: row.source_summary, body_html: row.source_body });
      const target = storySegments({ title: row.title, summary: row.summary, body_html: row.body_html });
      const pairs: MemoryPair[] = [];
      const add = (i: number) => {
        if (source[i]?.text && target[i]?.text) pairs.push({ sourceKey: segmentKey(source[i]!.text), sourceText: source[i]!.text, targetText: target[i]!.text });
      };
      add(0);
      add(1);
      if (source.length === target.length) for (let i = 2; i < source.length; i++) add(i);
      await rememberPairs(db, sourceLanguage, 'approved', pairs.map((p) => ({ ...p, targetKey: approvedMemoryKey(audience) })));
    }
    await db.updateTable('translations').set({ memory_version: row.version }).where('id', '=', row.id).execute();
  }
  return rows.length;
}

export interface MemoryKeys { approved: string; machine: string }

/**
 * Memory lookups of one story's audiences, gathered into one query: lookups asked in the same turn
 * of the event loop go together. For each, source key → target; an approved pair wins.
 */
export function memoryLoader(db: Db, sourceLanguage: string) {
  let waiting: Array<{ keys: MemoryKeys; sourceKeys: string[]; resolve: (m: Map<string, string>) => void; reject: (e: unknown) => void }> = [];
  const flush = async () => {
    const batch = waiting;
    waiting = [];
    try {
      const rows = await lookupMemory(db, sourceLanguage, batch.flatMap((b) => [b.keys.approved, b.keys.machine]), batch.flatMap((b) => b.sourceKeys));
      for (const b of batch) {
        const found = new Map<string, string>();
        const wanted = new Set(b.sourceKeys);
        for (const r of rows) {
          if (!wanted.has(r.source_key)) continue;
          if (r.target_key === b.keys.approved) found.set(r.source_key, r.target_text);
          else if (r.target_key === b.keys.machine && !found.has(r.source_key)) found.set(r.source_key, r.target_text);
        }
        b.resolve(found);
      }
    } catch (err) {
      for (const b of batch) b.reject(err);
    }
  };
  return (keys: MemoryKeys, sourceKeys: string[]) => new Promise<Map<string, string>>((resolve, reject) => {
    if (!sourceKeys.length) return resolve(new Map());
    waiting.push({ keys, sourceKeys, resolve, reject });
    if (waiting.length === 1) setImmediate(() => void flush());
  });
}
