/**
 * Translating one story for every audience that waits for a machine draft: all audiences in one
 * parallel round (requests capped by a shared Limiter), each audience's segments in as few
 * requests as the provider's limits allow.
 *
 * Per segment, in order: kept from the existing translation when its source did not change
 * (outdated stories), else the translation memory, else the provider. Required terms go through
 * the provider's glossary where the pair has one, else they are protected and checked here.
 *
 * Exactly once: a translation is claimed with a lease before the provider is asked, and the draft,
 * its segments, the state change and the billed characters are written in one transaction that
 * first re-checks, under a row lock, that the translation still waits. A second worker (a job
 * delivered twice, a restart) finds nothing to claim or nothing to write, and bills nothing.
 */
import { sql } from 'kysely';
import type { AudienceConfig } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { glossaryLanguage } from '../store/glossary.ts';
import type { StoryRow, TranslationRow } from '../store/schema.ts';
import { getStory } from '../store/stories.ts';
import { billedThisMonth, setQuotaExhausted } from '../store/translation-usage.ts';
import { draftWriter, PENDING_STATES, storeDrafts, type Draft } from './drafts.ts';
import { batchTexts, formBytes, type Limiter } from './batching.ts';
import { asProviderError, ProviderError, retryDelay, type BackoffPolicy } from './failures.ts';
import { ensureProviderGlossary, liveTerms } from './glossaries.ts';
import { approvedMemoryKey, harvestApproved, harvestDue, memoryMatches, type MemoryKeys, type MemoryMatches } from './memory.ts';
import {
  lostLinks, markedToXml, normalizeText, segmentKey, storySegments, stripMarks, xmlToMarked, type Segment,
} from './segments.ts';
import { missingTerms, PROTECT_CLOSE, PROTECT_OPEN, protectTerms, termsHash, type Term } from './terms.ts';
import type { PairCapabilities, Provider } from './translator.ts';

export interface TranslateDeps {
  db: Db;
  log: Logger;
  audiences: readonly AudienceConfig[];
  providerFor(audience: AudienceConfig): Provider;
  sourceLanguage: string;
  limiter: Limiter;
  retry: BackoffPolicy;
  /** Characters per calendar month (UTC); past it only priority stories are translated. */
  monthlyCharacterBudget: number | undefined;
  /** How long a claim on a translation lasts: longer than one story's requests can take. */
  leaseMs: number;
  /** A pair's live glossary terms (default: read for every story; the service caches them briefly). */
  termsFor?(pair: { sourceLanguage: string; targetLanguage: string }): Promise<Term[]>;
  clock(): Date;
}

export interface StoryOutcome {
  stored: number;
  waitingForPeople: number;
  failed: number;
  /** Set when some translations should be tried again after this long. */
  retryAfterMs?: number;
  /** Set when translations were parked. */
  parked?: 'quota' | 'budget';
}

export async function translateStory(deps: TranslateDeps, storyId: number): Promise<StoryOutcome> {
  const outcome: StoryOutcome = { stored: 0, waitingForPeople: 0, failed: 0 };
  const [story, pending] = await Promise.all([
    getStory(deps.db, storyId),
    // with the provider's quota state, to park at once when it is exhausted, and whether a
    // publication waits to be harvested into the memory (so that this story reuses it)
    deps.db.selectFrom('translations').leftJoin('translation_provider_state as quota', 'quota.provider', 'translations.provider')
      .selectAll('translations').select('quota.quota_exhausted_since').select(harvestDue().as('harvest_due'))
      .where('translations.story_id', '=', storyId).where('translations.state', 'in', [...PENDING_STATES]).where('translations.provider', '<>', 'manual')
      .where('translations.mt_attempts', '<', deps.retry.maxAttempts)
      .execute(),
  ]);
  if (!story || !pending.length) return outcome;

  const parked = pending.some((t) => t.quota_exhausted_since) ? 'quota' : await budgetSpent(deps, story);
  if (parked) {
    await deps.db.updateTable('translations').set({ mt_waiting: parked })
      .where('id', 'in', pending.map((t) => t.id)).execute();
    return { ...outcome, parked };
  }

  // While the claim is written: each audience's plan (capabilities, terms: cached) and the memory
  // lookup for all of them (after the harvest, when one is due), so the provider is asked one
  // round trip after the story is read.
  const segments = storySegments(story);
  const source = { segments, keys: segments.map((s) => segmentKey(s.text)), context: normalizeText(`${story.title}\n${story.summary}`) };
  const plans = new Map(pending.map((t) => [t.id, quiet(planAudience(deps, t))]));
  const harvested = pending[0]!.harvest_due ? quiet(harvestApproved(deps.db, deps.sourceLanguage, deps.audiences)) : Promise.resolve(0);
  const memory = quiet(harvested.then(() => lookupStoryMemory(deps, [...plans.values()], source.keys.filter((_, i) => segments[i]!.text))));

  const now = deps.clock();
  const claimed = await deps.db.updateTable('translations')
    .set({
      mt_lease_until: new Date(now.getTime() + deps.leaseMs), mt_waiting: null,
      // a new request once the last one was answered (an outdated story, translate again)
      mt_requested_at: sql`CASE WHEN mt_requested_at IS NULL OR machine_translated_at >= mt_requested_at THEN ${now}::timestamptz ELSE mt_requested_at END`,
    })
    .where('id', 'in', pending.map((t) => t.id)).where('state', 'in', [...PENDING_STATES])
    .where((eb) => eb.or([eb('mt_lease_until', 'is', null), eb('mt_lease_until', '<', now)]))
    // the claim need not survive a crash (its holder would not either): its own one-statement
    // transaction commits without waiting for the disk, in one round trip
    .where(sql<boolean>`set_config('synchronous_commit', 'off', true) = 'off'`)
    .returningAll().execute()
    .finally(() => memory.catch(() => {}));
  if (claimed.length < pending.length) {
    // another worker holds the rest: look again when its claim runs out
    const held = pending.filter((t) => !claimed.some((c) => c.id === t.id) && t.mt_lease_until);
    const until = Math.max(0, ...held.map((t) => t.mt_lease_until!.getTime() - now.getTime()));
    if (held.length) outcome.retryAfterMs = until + 50;
  }

  const writer = draftWriter((drafts) => storeDrafts(deps, story, segments, drafts), claimed.length);
  const results = await Promise.all(claimed.map(async (translation) => {
    let wrote = false;
    try {
      return await translateOne(deps, story, source, translation, plans.get(translation.id)!, memory, (draft) => {
        wrote = true;
        return writer.write(draft);
      });
    } finally {
      if (!wrote) writer.skip();
    }
  }));
  await harvested.catch(() => {}); // its failure is the memory lookup's, reported there
  for (const r of results) {
    if (r.kind === 'stored') outcome.stored++;
    else if (r.kind === 'manual') outcome.waitingForPeople++;
    else if (r.kind === 'retry') outcome.retryAfterMs = Math.max(outcome.retryAfterMs ?? 0, r.delayMs);
    else if (r.kind === 'quota') outcome.parked = 'quota';
    else if (r.kind === 'failed') outcome.failed++;
  }
  return outcome;
}

/** A promise whose failure is handled where it is awaited, and never reported as unhandled meanwhile. */
function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => {});
  return p;
}

async function budgetSpent(deps: TranslateDeps, story: StoryRow): Promise<'budget' | undefined> {
  if (!story.priority && deps.monthlyCharacterBudget !== undefined && await billedThisMonth(deps.db, deps.clock()) >= deps.monthlyCharacterBudget) return 'budget';
  return undefined;
}

/** The story as it is sent: segments, their memory keys, and the context that helps short ones. */
interface StorySource { segments: readonly Segment[]; keys: readonly string[]; context: string }

/** How one audience is translated: decided before the claim, from cached answers. */
interface AudiencePlan {
  audience: AudienceConfig;
  provider: Provider;
  caps: PairCapabilities;
  pair: { sourceLanguage: string; targetLanguage: string };
  terms: Term[];
  formality: string | undefined;
  memoryKeys: MemoryKeys;
}

/** undefined: the audience is no longer configured. */
async function planAudience(deps: TranslateDeps, translation: TranslationRow): Promise<AudiencePlan | undefined> {
  const audience = deps.audiences.find((a) => a.id === translation.audience_id);
  if (!audience) return undefined;
  const provider = deps.providerFor(audience);
  const caps: PairCapabilities = provider.capabilities && audience.targetCode
    ? await provider.capabilities(deps.sourceLanguage, audience.targetCode)
    : { translatable: provider.name !== 'manual', tagHandling: false, glossary: false, formality: false };
  const pair = { sourceLanguage: glossaryLanguage(deps.sourceLanguage), targetLanguage: glossaryLanguage(audience.language) };
  const terms = caps.translatable ? await (deps.termsFor ? deps.termsFor(pair) : liveTerms(deps.db, pair)) : [];
  const formality = caps.formality ? audience.formality : audience.formality?.startsWith('prefer_') ? audience.formality : undefined;
  return {
    audience, provider, caps, pair, terms, formality,
    memoryKeys: {
      approved: approvedMemoryKey(audience),
      machine: `mt:${audience.targetCode}:${formality ?? ''}:${terms.length ? termsHash(terms).slice(0, 16) : '-'}`,
    },
  };
}

/** One memory query for every audience that can be machine-translated; a failed plan asks nothing. */
async function lookupStoryMemory(deps: TranslateDeps, plans: readonly Promise<AudiencePlan | undefined>[], sourceKeys: readonly string[]): Promise<MemoryMatches> {
  const keys = (await Promise.allSettled(plans)).flatMap((p) => (p.status === 'fulfilled' && p.value?.caps.translatable ? [p.value.memoryKeys] : []));
  return memoryMatches(deps.db, deps.sourceLanguage, keys, sourceKeys);
}

type OneResult = { kind: 'stored' | 'manual' | 'failed' | 'quota' | 'skipped' } | { kind: 'retry'; delayMs: number };

async function translateOne(deps: TranslateDeps, story: StoryRow, source: StorySource, translation: TranslationRow, planned: Promise<AudiencePlan | undefined>, memoryFound: Promise<MemoryMatches>, write: (draft: Draft) => Promise<boolean>): Promise<OneResult> {
  const log = deps.log.child({ story_id: story.id, audience: translation.audience_id, translation_id: translation.id });
  const { segments, keys, context } = source;
  let providerName = deps.audiences.find((a) => a.id === translation.audience_id)?.provider ?? 'unknown';
  try {
    const plan = await planned;
    if (!plan) return await release(deps, translation.id, { kind: 'skipped' });
    const { audience, provider, caps, pair, terms, formality, memoryKeys } = plan;
    providerName = provider.name;
    if (!caps.translatable) return await handOver(deps, translation, `${provider.name} cannot translate ${deps.sourceLanguage} into ${audience.targetCode ?? audience.language}; a translator writes this draft`, log);
    const glossaryId = caps.glossary && terms.length && provider.createGlossary && provider.deleteGlossary
      ? await ensureProviderGlossary(deps.db, { name: provider.name, createGlossary: provider.createGlossary, deleteGlossary: provider.deleteGlossary }, pair, terms, log)
      : undefined;
    const protect = glossaryId ? [] : terms;

    // 1. kept from the current translation, 2. translation memory, 3. the provider
    const kept = translation.state === 'outdated' ? await keptSegments(deps.db, translation) : new Map<string, string>();
    const memory = (await memoryFound)(memoryKeys);
    const targets: (string | undefined)[] = segments.map((s, i) => (!s.text ? '' : kept.get(keys[i]!) ?? memory.get(keys[i]!)));
    const origins = segments.map((s, i) => (!s.text ? 'kept' : kept.has(keys[i]!) ? 'kept' : memory.has(keys[i]!) ? 'memory' : 'machine'));
    const memoryHits = origins.filter((o) => o === 'memory').length;
    const memorySaved = segments.reduce((sum, s, i) => sum + (origins[i] === 'memory' ? [...s.text].length : 0), 0);

    // one request text per distinct source: a sentence repeated in the story is sent once
    const toSend = [...new Set(segments.map((_, i) => i).filter((i) => targets[i] === undefined).map((i) => keys[i]!))];
    const firstIndex = new Map(toSend.map((k) => [k, keys.indexOf(k)]));
    const texts = toSend.map((k) => requestText(segments[firstIndex.get(k)!]!.text, protect, caps.tagHandling));
    let billed = 0;
    let requests = 0;
    if (texts.length) {
      const batches = requestBatches(texts, context);
      const answers = await Promise.all(batches.map((batch) => deps.limiter.run(() => provider.translate({
        segments: batch.map((i) => texts[i]!), sourceLanguage: deps.sourceLanguage, targetCode: audience.targetCode ?? audience.language,
        formality, context: context || undefined, tagHandling: caps.tagHandling, glossaryId,
      }))));
      if (answers.some((a) => a === undefined)) return await handOver(deps, translation, `${provider.name} makes no machine drafts; a translator writes this draft`, log);
      const translatedByKey = new Map<string, string>();
      batches.forEach((batch, b) => batch.forEach((textIndex, j) => translatedByKey.set(toSend[textIndex]!, fromProvider(answers[b]!.segments[j]!, caps.tagHandling))));
      billed = answers.reduce((sum, a) => sum + a!.billedCharacters, 0);
      requests = answers.length;
      segments.forEach((_, i) => { targets[i] ??= translatedByKey.get(keys[i]!); });
    }

    const notes = checkDraft(segments, targets as string[], protect);
    const stored = await write({
      translation, keys, targets: targets as string[], origins, notes, log,
      usage: { billedCharacters: billed, requests, memoryHits, memoryCharactersSaved: memorySaved },
      machineKey: memoryKeys.machine, memoryKeys: [memoryKeys.approved, memoryKeys.machine],
    });
    return { kind: stored ? 'stored' : 'skipped' };
  } catch (err) {
    return failure(deps, translation, providerName, err, log);
  }
}

/** A segment too large for any request is a problem with the story, not with the provider. */
function requestBatches(texts: readonly string[], context: string): number[][] {
  try {
    return batchTexts(texts, formBytes(context));
  } catch (err) {
    throw new ProviderError('give_up', `the story cannot be sent: ${(err as Error).message}; split the paragraph`);
  }
}

/** The text sent for one segment: protected terms, and XML link tags when the pair has tag handling. */
function requestText(marked: string, protect: readonly Term[], tagHandling: boolean): string {
  const text = protectTerms(marked, protect);
  if (!tagHandling) return text.replaceAll(PROTECT_OPEN, '').replaceAll(PROTECT_CLOSE, '');
  return markedToXml(text).replaceAll(PROTECT_OPEN, '<x>').replaceAll(PROTECT_CLOSE, '</x>');
}

function fromProvider(text: string, tagHandling: boolean): string {
  return (tagHandling ? xmlToMarked(text.replace(/<\/?x>/g, '')) : text).normalize('NFC');
}

/** What the reviewer should look at: required terms missing, links the provider lost. */
function checkDraft(segments: readonly Segment[], targets: readonly string[], protect: readonly Term[]): string[] {
  const notes: string[] = [];
  segments.forEach((s, i) => {
    const target = targets[i] ?? '';
    for (const t of missingTerms(stripMarks(s.text), stripMarks(target), protect)) notes.push(`segment ${i}: required term "${t.source}" → "${t.target}" is missing`);
    for (const n of lostLinks(s, target)) notes.push(`segment ${i}: the link to ${s.links[n]} was lost in translation`);
  });
  return notes;
}

/** For an outdated translation: source key → current target, taking human edits where they align. */
async function keptSegments(db: Db, translation: TranslationRow): Promise<Map<string, string>> {
  const rows = await db.selectFrom('translation_segments').selectAll().where('translation_id', '=', translation.id).orderBy('position').execute();
  const current = storySegments({ title: translation.title, summary: translation.summary, body_html: translation.body_html });
  const aligned = current.length === rows.length;
  return new Map(rows.map((r, i) => [r.source_key, aligned ? current[i]!.text : r.target_text]));
}

/** The provider makes no draft for this pair: the translation becomes a person's (manual). */
async function handOver(deps: TranslateDeps, translation: TranslationRow, reason: string, log: Logger): Promise<OneResult> {
  await deps.db.updateTable('translations').set({ provider: 'manual', error: reason, mt_lease_until: null }).where('id', '=', translation.id).execute();
  log.info(reason);
  return { kind: 'manual' };
}

function release(deps: TranslateDeps, id: number, result: OneResult): Promise<OneResult> {
  return deps.db.updateTable('translations').set({ mt_lease_until: null }).where('id', '=', id).execute().then(() => result);
}

async function failure(deps: TranslateDeps, translation: TranslationRow, providerName: string, err: unknown, log: Logger): Promise<OneResult> {
  const error = asProviderError(err);
  const attempts = translation.mt_attempts + 1;
  const set = (values: { error: string; mt_attempts?: number; mt_waiting?: string | null }) =>
    deps.db.updateTable('translations').set({ ...values, mt_lease_until: null }).where('id', '=', translation.id).execute();
  switch (error.disposition) {
    case 'retry': {
      if (attempts >= deps.retry.maxAttempts) {
        await set({ error: `gave up after ${attempts} attempts: ${error.message}`, mt_attempts: attempts });
        log.error({ err: error.message, attempts }, 'machine translation gave up; the translation stays queued for a person or POST /translate');
        return { kind: 'failed' };
      }
      const delayMs = retryDelay(deps.retry, attempts, error.retryAfterMs);
      await set({ error: `${error.message} (attempt ${attempts}; retrying in ${Math.ceil(delayMs / 1000)} s)`, mt_attempts: attempts });
      log.warn({ err: error.message, attempts, delay_ms: delayMs }, 'machine translation failed; retrying later');
      return { kind: 'retry', delayMs };
    }
    case 'quota': {
      await setQuotaExhausted(deps.db, providerName, deps.clock(), error.message);
      await set({ error: error.message, mt_waiting: 'quota' });
      log.error({ err: error.message, alert: 'translation_quota_exhausted' }, 'translation quota exhausted: machine translation is parked until the quota returns (or `npm run cli -- translate resume`)');
      return { kind: 'quota' };
    }
    case 'human':
    case 'give_up': {
      await set({ error: error.message, mt_attempts: deps.retry.maxAttempts });
      log[error.disposition === 'human' ? 'error' : 'warn']({ err: error.message }, 'machine translation failed and will not be retried; the reason is on the translation');
      return { kind: 'failed' };
    }
  }
}

/** Machine work still to do: translations waiting for a provider, not parked, not given up. */
export async function pendingMachineWork(db: Db, maxAttempts: number): Promise<number> {
  const row = await db.selectFrom('translations').select((eb) => eb.fn.countAll<string>().as('n'))
    .where('state', 'in', [...PENDING_STATES]).where('provider', '<>', 'manual').where('mt_waiting', 'is', null).where('mt_attempts', '<', maxAttempts)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
