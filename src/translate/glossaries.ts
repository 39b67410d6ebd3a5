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
import { dropProviderGlossary, getProviderGlossary, providerGlossaryIds, storeProviderGlossary } from '../store/translation-usage.ts';
import { termsHash, type Term } from './terms.ts';
import type { GlossaryHost } from './translator.ts';

/** config/glossaries/<source>-<target>.tsv → the pair's terms, for pairs with no terms yet. */
export async function importGlossaryFiles(db: Db, dir: string, log: Logger, now: Date): Promise<number> {
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
      const counts = await importTerms(db, pair, parseGlossaryTsv(await readFile(path.join(dir, file), 'utf8')), 'import', now);
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

/** Every glossary this service creates at a provider is named so: `doingoai vi-en 1a2b3c4d`. */
export const GLOSSARY_NAME_PREFIX = 'doingoai ';

/** Glossaries of ours that no pair uses are deleted once they are this old (a worker may be storing a new one). */
export const ORPHAN_GRACE_MS = 15 * 60_000;

type Host = { name: string } & GlossaryHost;

/**
 * The provider's glossary id for the pair's current terms, creating it when the terms changed.
 * Two workers may both create one after a change (two instances' first sync): the first stored
 * wins, and the other deletes its own copy at once instead of leaving an orphan at the provider.
 */
export async function ensureProviderGlossary(db: Db, provider: Host, pair: LanguagePair, terms: readonly Term[], log: Logger, now: Date): Promise<string | undefined> {
  if (!terms.length) return undefined;
  const hash = termsHash(terms);
  const stored = await getProviderGlossary(db, provider.name, pair.sourceLanguage, pair.targetLanguage);
  if (stored?.terms_hash === hash) return stored.glossary_id;
  const entries = Object.fromEntries(terms.map((t) => [t.source, t.target]));
  const created = await provider.createGlossary(`${GLOSSARY_NAME_PREFIX}${pair.sourceLanguage}-${pair.targetLanguage} ${hash.slice(0, 8)}`, pair.sourceLanguage, pair.targetLanguage, entries);
  const inForce = await storeProviderGlossary(db, { provider: provider.name, ...pair, glossaryId: created, termsHash: hash, termCount: terms.length }, now);
  if (inForce !== created) {
    await provider.deleteGlossary(created).catch((err) => log.warn({ glossary_id: created, err: (err as Error).message }, 'a duplicate glossary could not be deleted; the next sweep deletes it'));
    return inForce;
  }
  log.info({ glossary_id: created, terms: terms.length }, `glossary ${pair.sourceLanguage}-${pair.targetLanguage} synced to ${provider.name}`);
  if (stored) await provider.deleteGlossary(stored.glossary_id).catch(() => {}); // left behind, the sweep deletes it
  return created;
}

/**
 * The provider lost the glossary we stored for the pair (deleted there, a new key): forget the id
 * and create it again. Answers the new id; the caller retries its request once with it.
 */
export async function replaceMissingGlossary(db: Db, provider: Host, pair: LanguagePair, terms: readonly Term[], missingId: string, log: Logger, now: Date): Promise<string | undefined> {
  await dropProviderGlossary(db, provider.name, pair.sourceLanguage, pair.targetLanguage, missingId);
  log.warn({ glossary_id: missingId }, `${provider.name} no longer has the ${pair.sourceLanguage}-${pair.targetLanguage} glossary; creating it again`);
  return ensureProviderGlossary(db, provider, pair, terms, log, now);
}

/**
 * Deletes at the provider the glossaries this service created (by name) that no pair uses any
 * more: copies replaced while the provider was away, a crash between creating and storing, older
 * versions' leftovers. Answers how many were deleted.
 */
export async function sweepProviderGlossaries(db: Db, provider: Host, log: Logger, now: Date, graceMs = ORPHAN_GRACE_MS): Promise<number> {
  const inUse = new Set(await providerGlossaryIds(db, provider.name));
  const orphans = (await provider.listGlossaries()).filter((g) => g.name.startsWith(GLOSSARY_NAME_PREFIX) && !inUse.has(g.id) && now.getTime() - g.createdAt.getTime() >= graceMs);
  for (const g of orphans) await provider.deleteGlossary(g.id);
  if (orphans.length) log.info({ provider: provider.name, deleted: orphans.map((g) => g.id) }, `${orphans.length} unused glossar${orphans.length === 1 ? 'y' : 'ies'} deleted at ${provider.name}`);
  return orphans.length;
}
