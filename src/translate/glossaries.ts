/**
 * Glossaries and the provider: the sample files are imported for pairs that have no terms yet,
 * and the provider's copy of a pair is created (or replaced) when the pair's terms change. The
 * provider glossary id and the terms' hash are kept per pair (provider_glossaries).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { importTerms, listTerms, liveTerms, parseGlossaryTsv, type LanguagePair } from '../store/glossary.ts';
import { getProviderGlossary, setProviderGlossary } from '../store/translation-usage.ts';
import { termsHash, type Term } from './terms.ts';
import type { GlossaryHost } from './translator.ts';

/** config/glossaries/<source>-<target>.tsv → the pair's terms, for pairs with no terms yet. */
export async function importGlossaryFiles(db: Db, dir: string, log: Logger): Promise<number> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => /^[a-z]{2,3}-[a-z]{2,3}\.tsv$/.test(f));
  } catch {
    return 0;
  }
  let imported = 0;
  for (const file of files) {
    const [sourceLanguage, targetLanguage] = file.slice(0, -4).split('-') as [string, string];
    const pair = { sourceLanguage, targetLanguage };
    if ((await listTerms(db, pair, { includeRetired: true })).length) continue;
    try {
      const counts = await importTerms(db, pair, parseGlossaryTsv(await readFile(path.join(dir, file), 'utf8')), 'import');
      imported += counts.added;
      log.info({ glossary: file, ...counts }, `glossary ${sourceLanguage}-${targetLanguage}: ${counts.added} term(s) imported from ${file}`);
    } catch (err) {
      log.error({ glossary: file, err: (err as Error).message }, `glossary file ${file} not imported`);
    }
  }
  return imported;
}

/**
 * Live terms per pair, read again after `ttlMs`: the database stays the source of truth, and an
 * editor's change reaches machine translation within that time instead of costing one query per
 * story and audience.
 */
export function cachedTerms(db: Db, ttlMs: number): (pair: LanguagePair) => Promise<Term[]> {
  const cache = new Map<string, { at: number; terms: Promise<Term[]> }>();
  return (pair) => {
    const key = `${pair.sourceLanguage}-${pair.targetLanguage}`;
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at < ttlMs) return hit.terms;
    const terms = liveTerms(db, pair);
    cache.set(key, { at: Date.now(), terms });
    terms.catch(() => cache.delete(key));
    return terms;
  };
}

/**
 * The provider's glossary id for the pair's current terms, creating it when the terms changed.
 * Two workers may both create one after a change; the last stored wins and both are valid.
 */
export async function ensureProviderGlossary(db: Db, provider: { name: string } & GlossaryHost, pair: LanguagePair, terms: readonly Term[], log: Logger): Promise<string | undefined> {
  if (!terms.length) return undefined;
  const hash = termsHash(terms);
  const stored = await getProviderGlossary(db, provider.name, pair.sourceLanguage, pair.targetLanguage);
  if (stored?.terms_hash === hash) return stored.glossary_id;
  const entries = Object.fromEntries(terms.map((t) => [t.source, t.target]));
  const glossaryId = await provider.createGlossary(`doingoai ${pair.sourceLanguage}-${pair.targetLanguage} ${hash.slice(0, 8)}`, pair.sourceLanguage, pair.targetLanguage, entries);
  await setProviderGlossary(db, { provider: provider.name, ...pair, glossaryId, termsHash: hash, termCount: terms.length });
  log.info({ glossary_id: glossaryId, terms: terms.length }, `glossary ${pair.sourceLanguage}-${pair.targetLanguage} synced to ${provider.name}`);
  if (stored) await provider.deleteGlossary(stored.glossary_id).catch(() => {}); // an old copy left behind costs nothing
  return glossaryId;
}
