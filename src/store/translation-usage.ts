/**
 * What machine translation costs: billed characters, requests and memory savings per audience and
 * UTC day; the provider's quota state; the provider's copies of our glossaries.
 */
import { sql } from 'kysely';
import type { ProviderName } from '../core/audience.ts';
import type { Db } from './db.ts';

export const monthStart = (at: Date) => `${at.toISOString().slice(0, 7)}-01`;

/** Characters billed since the first day of `at`'s UTC month. */
export async function billedThisMonth(db: Db, at: Date): Promise<number> {
  const row = await db.selectFrom('translation_usage').select(sql<string>`coalesce(sum(billed_characters), 0)`.as('total'))
    .where('day', '>=', monthStart(at)).executeTakeFirstOrThrow();
  return Number(row.total);
}

export interface AudienceDay { day: string; audienceId: string; billedCharacters: number; requests: number; memoryHits: number; memoryCharactersSaved: number }

export async function usageSince(db: Db, fromDay: string): Promise<AudienceDay[]> {
  const rows = await db.selectFrom('translation_usage').selectAll().where('day', '>=', fromDay).orderBy('day').orderBy('audience_id').execute();
  return rows.map((r) => ({
    day: typeof r.day === 'string' ? r.day : r.day.toISOString().slice(0, 10), audienceId: r.audience_id,
    billedCharacters: Number(r.billed_characters), requests: r.requests, memoryHits: r.memory_hits, memoryCharactersSaved: Number(r.memory_characters_saved),
  }));
}

/** Providers whose quota is exhausted now. */
export async function quotaExhaustedProviders(db: Db): Promise<Set<string>> {
  const rows = await db.selectFrom('translation_provider_state').select('provider').where('quota_exhausted_since', 'is not', null).execute();
  return new Set(rows.map((r) => r.provider));
}

export function getProviderState(db: Db, provider: string) {
  return db.selectFrom('translation_provider_state').selectAll().where('provider', '=', provider).executeTakeFirst();
}

/**
 * Marks the provider's quota exhausted (kept from the first 456 of the episode). Answers true for
 * exactly one caller per episode: the one that should alert the admins. An episode that was never
 * seen to end (a provider that reports no usage) alerts again after a day.
 */
export async function setQuotaExhausted(db: Db, provider: string, at: Date, lastError: string): Promise<boolean> {
  await db.insertInto('translation_provider_state').values({ provider, quota_exhausted_since: at, last_error: lastError })
    .onConflict((oc) => oc.column('provider').doUpdateSet({
      quota_exhausted_since: sql`coalesce(translation_provider_state.quota_exhausted_since, excluded.quota_exhausted_since)`, last_error: lastError,
    }))
    .execute();
  const alerted = await db.updateTable('translation_provider_state').set({ quota_alerted_at: at })
    .where('provider', '=', provider)
    .where((eb) => eb.or([eb('quota_alerted_at', 'is', null), eb('quota_alerted_at', '<', new Date(at.getTime() - 24 * 3600_000))]))
    .returning('provider').executeTakeFirst();
  return !!alerted;
}

/**
 * The quota is back (a reset, a raised limit, or a person said so): the episode ends. `tryAgain`:
 * the provider cannot tell, and is only being tried again; the episode (and its alert) goes on.
 */
export async function clearQuotaExhausted(db: Db, provider: string, opts: { tryAgain?: boolean } = {}): Promise<void> {
  await db.updateTable('translation_provider_state').set(opts.tryAgain ? { quota_exhausted_since: null } : { quota_exhausted_since: null, quota_alerted_at: null, last_error: null })
    .where('provider', '=', provider).execute();
}

/**
 * Characters the provider's parked translations would cost at most: their stories' title, lead and
 * body text in code points (markup left out; memory hits would only make it less).
 */
export async function parkedCharacters(db: Db, provider: ProviderName): Promise<number> {
  const row = await db.selectFrom('translations as t').innerJoin('stories as s', 's.id', 't.story_id')
    .select(sql<string>`coalesce(sum(char_length(s.title) + char_length(s.summary) + char_length(regexp_replace(s.body_html, '<[^>]*>', '', 'g'))), 0)`.as('n'))
    .where('t.mt_waiting', '=', 'quota').where('t.provider', '=', provider)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function recordProviderUsage(db: Db, provider: string, usage: { count: number; limit: number }, at: Date): Promise<void> {
  await db.insertInto('translation_provider_state').values({ provider, character_count: usage.count, character_limit: usage.limit, checked_at: at })
    .onConflict((oc) => oc.column('provider').doUpdateSet({ character_count: usage.count, character_limit: usage.limit, checked_at: at }))
    .execute();
}

export function getProviderGlossary(db: Db, provider: string, sourceLanguage: string, targetLanguage: string) {
  return db.selectFrom('provider_glossaries').selectAll()
    .where('provider', '=', provider).where('source_language', '=', sourceLanguage).where('target_language', '=', targetLanguage)
    .executeTakeFirst();
}

/**
 * Stores the pair's provider glossary, unless another worker stored one for the same terms first;
 * answers the id in force (ours, or the one stored first).
 */
export async function storeProviderGlossary(db: Db, row: { provider: string; sourceLanguage: string; targetLanguage: string; glossaryId: string; termsHash: string; termCount: number }, at: Date): Promise<string> {
  const stored = await db.insertInto('provider_glossaries').values({
    provider: row.provider, source_language: row.sourceLanguage, target_language: row.targetLanguage,
    glossary_id: row.glossaryId, terms_hash: row.termsHash, term_count: row.termCount, synced_at: at,
  }).onConflict((oc) => oc.columns(['provider', 'source_language', 'target_language']).doUpdateSet({
    glossary_id: row.glossaryId, terms_hash: row.termsHash, term_count: row.termCount, synced_at: at,
  }).where('provider_glossaries.terms_hash', '<>', row.termsHash)).returning('glossary_id').executeTakeFirst();
  if (stored) return stored.glossary_id;
  const first = await getProviderGlossary(db, row.provider, row.sourceLanguage, row.targetLanguage);
  return first?.glossary_id ?? row.glossaryId;
}

/** Forgets the pair's provider glossary if it is still `glossaryId` (another worker may have replaced it). */
export async function dropProviderGlossary(db: Db, provider: string, sourceLanguage: string, targetLanguage: string, glossaryId: string): Promise<void> {
  await db.deleteFrom('provider_glossaries')
    .where('provider', '=', provider).where('source_language', '=', sourceLanguage).where('target_language', '=', targetLanguage)
    .where('glossary_id', '=', glossaryId).execute();
}

export async function providerGlossaryIds(db: Db, provider: string): Promise<string[]> {
  return (await db.selectFrom('provider_glossaries').select('glossary_id').where('provider', '=', provider).execute()).map((r) => r.glossary_id);
}

/** Adds one round of requests to a usage row (`audienceId` may be a desk's own account, such as monitoring's). */
export async function addUsage(db: Db, day: string, audienceId: string, billedCharacters: number, requests: number): Promise<void> {
  await db.insertInto('translation_usage').values({ day, audience_id: audienceId, billed_characters: billedCharacters, requests })
    .onConflict((oc) => oc.columns(['day', 'audience_id']).doUpdateSet((eb) => ({
      billed_characters: eb('translation_usage.billed_characters', '+', eb.ref('excluded.billed_characters')),
      requests: eb('translation_usage.requests', '+', eb.ref('excluded.requests')),
    }))).execute();
}

/** Characters billed since the first day of `at`'s UTC month, per audience (audiences that billed nothing are absent). */
export async function billedThisMonthByAudience(db: Db, at: Date): Promise<Map<string, number>> {
  const rows = await db.selectFrom('translation_usage').select(['audience_id', sql<string>`sum(billed_characters)`.as('total')])
    .where('day', '>=', monthStart(at)).groupBy('audience_id').execute();
  return new Map(rows.map((r) => [r.audience_id, Number(r.total)]));
}
