/**
 * Translating one story for every audience that waits for a machine draft: all audiences in one
 * parallel round (requests capped by a shared Limiter), each audience's segments in as few
 * requests as the provider's limits allow.
 *
 * Per segment, in order: kept from the existing translation when its source did not change
 * (outdated stories), else the translation memory, else the provider. Required terms go through
 * the provider's glossary where the pair has one, else they are protected and checked here.
 *
 * Exactly once: a translation is claimed with a lease before the provider is asked (or parked
 * when the quota or the budget says so; store/machine-claims.ts), and the draft, its segments, the
 * state change and the billed characters are written in one statement that first re-checks, under
 * a row lock, that the translation still waits (store/machine-drafts.ts). A second worker (a job
 * delivered twice, a restart) finds nothing to claim or nothing to write, and bills nothing.
 */
import { chainOf, makesMachineDrafts, peopleProvider, targetCodeFor, type AudienceConfig, type ProviderName } from '../core/audience.ts';
import type { MachineReason } from '../core/failure-reasons.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { glossaryLanguage, liveTerms } from '../store/glossary.ts';
import type { StoryRow } from '../store/schema.ts';
import { getStory } from '../ingest/stories.ts';
import { billedThisMonth, billedThisMonthByAudience, quotaExhaustedProviders, setQuotaExhausted } from '../store/translation-usage.ts';
import { claimStory, type ClaimedTranslation } from '../store/machine-claims.ts';
import { awaitsMachine, type SegmentOrigin } from '../store/machine-drafts.ts';
import { draftWriter, storeDrafts, type Draft, type SegmentedStory } from './drafts.ts';
import { batchTexts, type Limiter, type RequestLimits } from './batching.ts';
import { asProviderError, GlossaryMissingError, ProviderError, retryDelay, type RetryPolicy } from './failures.ts';
import { ensureProviderGlossary, replaceMissingGlossary } from './glossaries.ts';
import { approvedMemoryKey, harvestApproved, memoryMatches, type MemoryKeys, type MemoryMatches } from './memory.ts';
import {
  lostLinks, markedToXml, normalizeText, segmentKey, storySegments, stripMarks, xmlToMarked, type Segment,
} from './segments.ts';
import { missingTerms, PROTECT_CLOSE, PROTECT_OPEN, protectTerms, termsHash, type Term } from './terms.ts';
import { glossaryHost, type PairCapabilities, type Provider } from './translator.ts';

export interface TranslateDeps {
  db: Db;
  log: Logger;
  audiences: readonly AudienceConfig[];
  /** The audience's provider chain, in order (never empty). */
  chainFor(audience: AudienceConfig): readonly Provider[];
  sourceLanguage: string;
  limiter: Limiter;
  retry: RetryPolicy;
  /** Characters per calendar month (UTC); past it only priority stories are translated. */
  monthlyCharacterBudget: number | undefined;
  /** The audiences' own monthly budgets as they stand now (the desk may change them); none: no audience has one. */
  audienceBudgets?(): readonly { audienceId: string; monthlyCharacters: number }[];
  /** How long a claim on a translation lasts: longer than one story's requests can take. */
  leaseMs: number;
  /** Stories handed over by this process (dispatch remembers them; optional). */
  readyStories?: ReadyStories;
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
  const plans = new Map<string, Promise<AudiencePlan | undefined>>();
  const planOf = (audienceId: string) => {
    if (!plans.has(audienceId)) plans.set(audienceId, quiet(planAudience(deps, audienceId)));
    return plans.get(audienceId)!;
  };
  // segments, their keys and the memory lookup for every audience that might wait (plans come
  // from cached answers); when this process handed the story over, all of it runs while the
  // story is claimed, and the story is not read again unless it changed since
  const prepare = (row: StoryRow, harvest?: Promise<unknown>) => {
    const source = storySource(row);
    const sourceKeys = source.keys.filter((_, i) => source.segments[i]!.text);
    const audiences = deps.audiences.filter((a) => chainOf(a).length).map((a) => planOf(a.id));
    const memory = quiet((harvest ?? Promise.resolve()).then(() => lookupStoryMemory(deps, audiences, sourceKeys)));
    return { source, memory };
  };
  const handed = deps.readyStories?.take(storyId);
  const early = handed ? prepare(handed) : undefined;

  const now = deps.clock();
  // a spent quota parks a translation only at the last provider of its chain
  const lastLinks = deps.audiences.map((a) => `${a.id}:${deps.chainFor(a).at(-1)!.name}`);
  // a spent budget does not park an audience that can still go to a provider it does not stop
  const unmetered = deps.audiences.filter((a) => deps.chainFor(a).some((p) => p.unmetered)).map((a) => a.id);
  const claim = await claimStory(deps.db, { storyId, at: now, leaseMs: deps.leaseMs, maxAttempts: deps.retry.maxAttempts, monthlyCharacterBudget: deps.monthlyCharacterBudget, lastLinks, unmetered, audienceBudgets: deps.audienceBudgets?.() })
    .finally(() => early?.memory.catch(() => {}));
  // another worker holds some: look again when its claim runs out
  if (claim.heldUntil) outcome.retryAfterMs = Math.max(0, claim.heldUntil.getTime() - now.getTime()) + 50;
  if (claim.parked) outcome.parked = claim.parked;
  if (!claim.claimed.length) return outcome;
  const current = handed?.version === claim.storyVersion ? handed : undefined;
  const story = current ?? await getStory(deps.db, storyId);
  if (!story) return outcome; // removed meanwhile: its translations went with it

  // a publication waiting for the memory is harvested first, so that this story reuses it
  const harvest = claim.harvestDue ? quiet(harvestApproved(deps.db, deps.sourceLanguage, deps.audiences)) : undefined;
  const { source, memory } = early && current && !harvest ? early : prepare(story, harvest);
  const writer = draftWriter((drafts) => storeDrafts(deps, story, source, drafts), claim.claimed.length);
  const results = await Promise.all(claim.claimed.map(async (translation) => {
    let wrote = false;
    try {
      return await translateOne(deps, story, source, translation, planOf(translation.audience_id), memory, (draft) => {
        wrote = true;
        return writer.write(draft);
      });
    } finally {
      if (!wrote) writer.skip();
    }
  }));
  await harvest?.catch(() => {}); // its failure is the memory lookup's, reported there
  for (const r of results) {
    if (r.kind === 'stored') outcome.stored++;
    else if (r.kind === 'manual') outcome.waitingForPeople++;
    else if (r.kind === 'retry') outcome.retryAfterMs = Math.max(outcome.retryAfterMs ?? 0, r.delayMs);
    else if (r.kind === 'quota') outcome.parked = 'quota';
    else if (r.kind === 'budget') outcome.parked ??= 'budget';
    else if (r.kind === 'failed') outcome.failed++;
    // a draft the store refused (its claim was cancelled or lost): the story is claimed again at
    // once, which translates what still waits and finds nothing when the refusal was right
    else if (r.kind === 'skipped') outcome.retryAfterMs ??= 0;
  }
  return outcome;
}

/**
 * Stories this process handed to translation, kept until their job runs here (a few, briefly),
 * so that the job need not wait for the story to be read before it looks in the memory. Another
 * instance's job, or a retry, reads the story as usual.
 */
export class ReadyStories {
  private readonly rows = new Map<number, StoryRow>();
  constructor(private readonly max = 64) {}

  remember(row: StoryRow): void {
    this.rows.delete(row.id);
    this.rows.set(row.id, row);
    if (this.rows.size > this.max) this.rows.delete(this.rows.keys().next().value!);
  }

  take(id: number): StoryRow | undefined {
    const row = this.rows.get(id);
    this.rows.delete(id);
    return row;
  }
}

function storySource(story: StoryRow): StorySource {
  const segments = storySegments(story);
  return { segments, keys: segments.map((s) => segmentKey(s.text)), context: normalizeText(`${story.title}\n${story.summary}`) };
}

/** A promise whose failure is handled where it is awaited, and never reported as unhandled meanwhile. */
function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => {});
  return p;
}

/** The story as it is sent: segments, their memory keys, and the context that helps short ones. */
interface StorySource extends SegmentedStory { context: string }

/** How one audience is translated: decided before the claim, from cached answers. */
interface AudiencePlan {
  audience: AudienceConfig;
  /** The fallback chain (at least one: the manual provider when no machine is configured). */
  chain: readonly Provider[];
  /** The first link, planned ahead for the memory lookup. */
  first: LinkPlan;
  memoryKeys: MemoryKeys;
}

/** How one provider of the chain translates this audience. */
interface LinkPlan {
  provider: Provider;
  targetCode: string;
  caps: PairCapabilities;
  pair: { sourceLanguage: string; targetLanguage: string };
  terms: Term[];
  formality: string | undefined;
  /** Where this provider's answers for the audience are remembered. */
  machineKey: string;
  /** Set once its glossary applied the terms (then they need no check here). */
  glossaryUsed?: boolean;
}

/** undefined: the audience is no longer configured. */
async function planAudience(deps: TranslateDeps, audienceId: string): Promise<AudiencePlan | undefined> {
  const audience = deps.audiences.find((a) => a.id === audienceId);
  if (!audience) return undefined;
  const chain = deps.chainFor(audience);
  const first = await planLink(deps, audience, chain[0]!);
  return { audience, chain, first, memoryKeys: { approved: approvedMemoryKey(audience), machine: first.machineKey } };
}

async function planLink(deps: TranslateDeps, audience: AudienceConfig, provider: Provider): Promise<LinkPlan> {
  const targetCode = makesMachineDrafts(provider.name) ? targetCodeFor(audience, provider.name) : audience.language;
  const caps: PairCapabilities = provider.capabilities
    ? await provider.capabilities(deps.sourceLanguage, targetCode)
    : { translatable: makesMachineDrafts(provider.name), tagHandling: false, glossary: false, formality: false };
  const pair = { sourceLanguage: glossaryLanguage(deps.sourceLanguage), targetLanguage: glossaryLanguage(audience.language) };
  const terms = caps.translatable ? await (deps.termsFor ? deps.termsFor(pair) : liveTerms(deps.db, pair)) : [];
  const formality = caps.formality ? audience.formality : audience.formality?.startsWith('prefer_') ? audience.formality : undefined;
  // the key names what shapes the answer (target, formality, glossary), not who gave it
  return { provider, targetCode, caps, pair, terms, formality, machineKey: `mt:${targetCode}:${formality ?? ''}:${terms.length ? termsHash(terms).slice(0, 16) : '-'}` };
}

/** One memory query for every audience that can be machine-translated; a failed plan asks nothing. */
async function lookupStoryMemory(deps: TranslateDeps, plans: readonly Promise<AudiencePlan | undefined>[], sourceKeys: readonly string[]): Promise<MemoryMatches> {
  const keys = (await Promise.allSettled(plans)).flatMap((p) => (p.status === 'fulfilled' && p.value?.first.caps.translatable ? [p.value.memoryKeys] : []));
  return memoryMatches(deps.db, deps.sourceLanguage, keys, sourceKeys);
}

type OneResult = { kind: 'stored' | 'manual' | 'failed' | 'quota' | 'budget' | 'skipped' } | { kind: 'retry'; delayMs: number };

/**
 * One audience's draft, down its provider chain. A link is passed over when it cannot translate
 * the pair, when its quota is spent, when it keeps failing (its last attempt), or when its key or
 * the request is refused; the next link gets the segments still missing, and so does a link after
 * one that returned some segments unusable (the self-hosted provider's checks). The last link's
 * failures are handled as before: retried, parked or given up. Segments no link could translate
 * stay in the source language, named in the notes, for a person. A retry resumes at the link that
 * failed (translations.provider), and the draft records the provider that made it.
 */
async function translateOne(deps: TranslateDeps, story: StoryRow, source: StorySource, translation: ClaimedTranslation, planned: Promise<AudiencePlan | undefined>, memoryFound: Promise<MemoryMatches>, write: (draft: Draft) => Promise<boolean>): Promise<OneResult> {
  const log = deps.log.child({ story_id: story.id, audience: translation.audience_id, translation_id: translation.id });
  const { segments, keys } = source;
  let providerName = translation.provider;
  try {
    const plan = await planned;
    if (!plan) return await release(deps, translation.id, { kind: 'skipped' });
    const { audience, chain, memoryKeys } = plan;

    // 1. kept from the current translation, 2. translation memory, 3. the providers
    const kept = translation.state === 'outdated' ? await keptSegments(deps.db, translation) : new Map<string, string>();
    const memory = (await memoryFound)(memoryKeys);
    const targets: (string | undefined)[] = segments.map((s, i) => (!s.text ? '' : kept.get(keys[i]!) ?? memory.get(keys[i]!)));
    const origins: SegmentOrigin[] = segments.map((s, i) => (!s.text ? 'kept' : kept.has(keys[i]!) ? 'kept' : memory.has(keys[i]!) ? 'memory' : 'machine'));
    const memoryHits = origins.filter((o) => o === 'memory').length;
    const memorySaved = segments.reduce((sum, s, i) => sum + (origins[i] === 'memory' ? [...s.text].length : 0), 0);

    // one request text per distinct source: a sentence repeated in the story is sent once
    let missing = [...new Set(segments.map((_, i) => i).filter((i) => targets[i] === undefined).map((i) => keys[i]!))];
    const made = new Map<string, { text: string; link: LinkPlan }>();
    const rejected = new Map<string, string>();
    const usage = { billedCharacters: 0, requests: 0 };
    let maker: LinkPlan | undefined;
    let attempts = translation.mt_attempts;
    const start = Math.max(0, chain.findIndex((p) => p.name === translation.provider));
    const exhausted = chain.length > 1 ? quiet(quotaExhaustedProviders(deps.db)) : Promise.resolve(new Set<string>());
    // past the monthly budget a normal story goes only to providers the budget does not stop
    const ownBudget = deps.audienceBudgets?.().find((b) => b.audienceId === audience.id)?.monthlyCharacters;
    const overBudget = chain.some((p) => p.unmetered) && !chain.every((p) => p.unmetered) && !story.priority && (deps.monthlyCharacterBudget !== undefined || ownBudget !== undefined)
      ? quiet(Promise.all([
        deps.monthlyCharacterBudget === undefined ? false : billedThisMonth(deps.db, deps.clock()).then((n) => n >= deps.monthlyCharacterBudget!),
        ownBudget === undefined ? false : billedThisMonthByAudience(deps.db, deps.clock()).then((m) => (m.get(audience.id) ?? 0) >= ownBudget),
      ]).then(([all, own]) => all || own)) : Promise.resolve(false);

    for (let index = start; index < chain.length && (missing.length || !maker); index++) {
      const last = index === chain.length - 1;
      const link = index === 0 ? plan.first : await planLink(deps, audience, chain[index]!);
      providerName = link.provider.name;
      const next = () => {
        attempts = 0; // a new provider starts with fresh attempts
        log.info({ provider: link.provider.name, next: chain[index + 1]?.name }, `${link.provider.name} passed over; ${chain[index + 1]?.name} tries next`);
      };
      if (!link.caps.translatable) {
        if (last && !maker) return await handOver(deps, translation, { code: 'unsupported_language', values: { providers: chain.map((p) => p.name).join(', '), source: deps.sourceLanguage, target: link.targetCode } }, `${chain.map((p) => p.name).join(', ')} cannot translate ${deps.sourceLanguage} into ${link.targetCode}; a translator writes this draft`, log);
        if (!last) next();
        continue;
      }
      if (!last && (await exhausted).has(link.provider.name)) {
        next();
        continue;
      }
      if (!link.provider.unmetered && await overBudget) {
        if (last && !maker) {
          await deps.db.updateTable('translations').set({ mt_waiting: 'budget', mt_lease_until: null, provider: link.provider.name, error: 'the monthly character budget is spent', error_code: 'budget_spent', error_values: '{}' }).where('id', '=', translation.id).execute();
          return { kind: 'budget' };
        }
        if (!last) next();
        continue;
      }
      if (!missing.length) { maker = link; break; }
      let answer: LinkAnswer;
      try {
        answer = await translateWithLink(deps, source, link, missing, log);
      } catch (err) {
        const error = asProviderError(err);
        const givesUp = error.disposition !== 'retry' || attempts + 1 >= deps.retry.maxAttempts;
        if (last || !givesUp) return await failure(deps, translation, link.provider.name, error, log, attempts);
        if (error.disposition === 'quota') await noteQuotaExhausted(deps, link.provider.name, error, log);
        log.warn({ err: error.message, provider: link.provider.name }, `${link.provider.name} failed; the next provider in the chain takes over`);
        next();
        continue;
      }
      if (answer === 'no_machine') return await handOver(deps, translation, { code: 'no_machine_drafts', values: { provider: link.provider.name } }, `${link.provider.name} makes no machine drafts; a translator writes this draft`, log);
      usage.billedCharacters += answer.billedCharacters;
      usage.requests += answer.requests;
      for (const [key, text] of answer.made) made.set(key, { text, link });
      for (const [key, reason] of answer.rejected) rejected.set(key, `${link.provider.name}: ${reason}`);
      if (answer.made.size) maker ??= link;
      missing = missing.filter((k) => !made.has(k));
      if (missing.length && !last) next();
    }
    if (!maker) return await handOver(deps, translation, { code: 'no_usable_draft', values: { providers: chain.map((p) => p.name).join(', ') } }, `no provider of ${chain.map((p) => p.name).join(', ')} made a usable draft; a translator writes this draft`, log);

    // segments no provider could translate stay in Vietnamese for a person, named in the notes
    const notes: string[] = [];
    segments.forEach((s, i) => {
      if (targets[i] !== undefined) return;
      const hit = made.get(keys[i]!);
      if (hit) {
        targets[i] = hit.text;
        if (hit.link !== maker) origins[i] = 'fallback';
      } else {
        targets[i] = s.text;
        origins[i] = 'untranslated';
        notes.push(`segment ${i}: not machine-translated (${rejected.get(keys[i]!) ?? 'no provider could'}); a translator writes it`);
      }
    });
    notes.unshift(...checkDraft(segments, targets as string[], (i) => {
      const link = made.get(keys[i]!)?.link;
      return link && !link.glossaryUsed ? link.terms : [];
    }));
    const stored = await write({
      translation, provider: maker.provider.name, targets: targets as string[], origins, notes, log,
      usage: { ...usage, memoryHits, memoryCharactersSaved: memorySaved },
      machineKey: maker.machineKey, memoryKeys: [memoryKeys.approved, memoryKeys.machine],
    });
    return { kind: stored ? 'stored' : 'skipped' };
  } catch (err) {
    return failure(deps, translation, providerName, err, log, translation.mt_attempts);
  }
}

type LinkAnswer = 'no_machine' | { made: Map<string, string>; rejected: Map<string, string>; billedCharacters: number; requests: number };

/** Sends the missing segments (by key) to one provider; its glossary is synced first, and repaired once if the provider lost it. */
async function translateWithLink(deps: TranslateDeps, source: StorySource, link: LinkPlan, missing: readonly string[], log: Logger): Promise<LinkAnswer> {
  const { provider, caps, pair, terms, formality, targetCode } = link;
  const host = caps.glossary && terms.length ? glossaryHost(provider) : undefined;
  let glossaryId = host ? await ensureProviderGlossary(deps.db, host, pair, terms, log, deps.clock()) : undefined;
  link.glossaryUsed = !!glossaryId;
  // terms are replaced in the text only where neither a glossary nor the provider itself applies them
  const protect = glossaryId || caps.termsInRequest ? [] : terms;
  const texts = missing.map((k) => requestText(source.segments[source.keys.indexOf(k)]!.text, protect, caps.tagHandling));
  const batches = requestBatches(texts, source.context, provider.limits);
  const send = () => Promise.all(batches.map((batch) => deps.limiter.run(() => provider.translate({
    segments: batch.map((i) => texts[i]!), sourceLanguage: deps.sourceLanguage, targetCode,
    formality, context: source.context || undefined, tagHandling: caps.tagHandling, glossaryId,
    ...(caps.termsInRequest && terms.length ? { terms: terms.map((t) => ({ source: t.source, target: t.target })) } : {}),
  }))));
  const answers = await send().catch(async (err) => {
    // the provider lost our glossary: create it again and send once more (a second loss is a failure)
    if (!(err instanceof GlossaryMissingError) || !host) throw err;
    glossaryId = await replaceMissingGlossary(deps.db, host, pair, terms, err.glossaryId, log, deps.clock());
    return send();
  });
  if (answers.some((a) => a === undefined)) return 'no_machine';
  const made = new Map<string, string>();
  const rejected = new Map<string, string>();
  batches.forEach((batch, b) => {
    const answer = answers[b]!;
    const refused = new Map((answer.rejected ?? []).map((r) => [r.index, r.reason]));
    batch.forEach((textIndex, j) => {
      const reason = refused.get(j);
      if (reason !== undefined) rejected.set(missing[textIndex]!, reason);
      else made.set(missing[textIndex]!, fromProvider(answer.segments[j]!, caps.tagHandling));
    });
  });
  return { made, rejected, billedCharacters: answers.reduce((sum, a) => sum + a!.billedCharacters, 0), requests: answers.length };
}

/** A segment too large for any request is a problem with the story, not with the provider. */
function requestBatches(texts: readonly string[], context: string, limits: RequestLimits | undefined): number[][] {
  try {
    return batchTexts(texts, context, limits);
  } catch (err) {
    throw new ProviderError('give_up', 'text_too_long', `the story cannot be sent: ${(err as Error).message}; split the paragraph`);
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

/** What the reviewer should look at: required terms missing (where no glossary applied them), links the provider lost. */
function checkDraft(segments: readonly Segment[], targets: readonly string[], protectedTerms: (segment: number) => readonly Term[]): string[] {
  const notes: string[] = [];
  segments.forEach((s, i) => {
    const target = targets[i] ?? '';
    for (const t of missingTerms(stripMarks(s.text), stripMarks(target), protectedTerms(i))) notes.push(`segment ${i}: required term "${t.source}" → "${t.target}" is missing`);
    for (const n of lostLinks(s, target)) notes.push(`segment ${i}: the link to ${s.links[n]} was lost in translation`);
  });
  return notes;
}

/** For an outdated translation: source key → current target, taking human edits where they align. */
async function keptSegments(db: Db, translation: ClaimedTranslation): Promise<Map<string, string>> {
  const rows = await db.selectFrom('translation_segments').selectAll().where('translation_id', '=', translation.id).orderBy('position').execute();
  const current = storySegments({ title: translation.title, summary: translation.summary, body_html: translation.body_html });
  const aligned = current.length === rows.length;
  return new Map(rows.map((r, i) => [r.source_key, aligned ? current[i]!.text : r.target_text]));
}

/** Why a translation went to a person, as the desk words it (core/failure-reasons.ts). */
interface Why { code: MachineReason; values: Record<string, string | number> }

/** The provider makes no draft for this pair: the translation becomes a person's (manual). */
async function handOver(deps: TranslateDeps, translation: ClaimedTranslation, why: Why, reason: string, log: Logger): Promise<OneResult> {
  await deps.db.updateTable('translations').set({ provider: peopleProvider, error: reason, error_code: why.code, error_values: JSON.stringify(why.values), mt_lease_until: null }).where('id', '=', translation.id).execute();
  log.info(reason);
  return { kind: 'manual' };
}

function release(deps: TranslateDeps, id: number, result: OneResult): Promise<OneResult> {
  return deps.db.updateTable('translations').set({ mt_lease_until: null }).where('id', '=', id).execute().then(() => result);
}

/** The provider's quota is spent: recorded, and the admins alerted once per episode. */
async function noteQuotaExhausted(deps: TranslateDeps, providerName: ProviderName, error: ProviderError, log: Logger): Promise<void> {
  const first = await setQuotaExhausted(deps.db, providerName, deps.clock(), error.message);
  if (first) log.error({ err: error.message, alert: 'translation_quota_exhausted', provider: providerName }, `${providerName} translation quota exhausted: its work is parked (or goes to the next provider of the chain) until the quota returns (or \`npm run cli -- translate resume\`)`);
}

/** The failure of the link the translation stays with (`providerName`, where a retry resumes); `previous` attempts already made with it. */
async function failure(deps: TranslateDeps, translation: ClaimedTranslation, providerName: ProviderName, err: unknown, log: Logger, previous: number): Promise<OneResult> {
  const error = asProviderError(err);
  const attempts = previous + 1;
  // the code and its values say it in the reader's language; `error` keeps the provider's English
  const why = JSON.stringify({ provider: providerName, ...(error.status !== undefined ? { status: error.status } : {}) });
  const set = (values: { error: string; mt_attempts?: number; mt_waiting?: string | null }) =>
    deps.db.updateTable('translations').set({ ...values, error_code: error.reason, error_values: why, provider: providerName, mt_lease_until: null }).where('id', '=', translation.id).execute();
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
      await noteQuotaExhausted(deps, providerName, error, log);
      await set({ error: error.message, mt_waiting: 'quota' });
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
    .where(awaitsMachine('translations', maxAttempts)).where('mt_waiting', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
