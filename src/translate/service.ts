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
import { countMemoryHits, rememberPairs } from '../store/translation-memory.ts';
import { billedThisMonth, recordUsage, setQuotaExhausted } from '../store/translation-usage.ts';
import { saveTextsAndMove } from '../store/translations.ts';
import { batchTexts, formBytes, type Limiter } from './batching.ts';
import { asProviderError, ProviderError, retryDelay, type BackoffPolicy } from './failures.ts';
import { ensureProviderGlossary, liveTerms } from './glossaries.ts';
import { approvedMemoryKey, harvestApproved, memoryLoader } from './memory.ts';
import {
  lostLinks, markedToXml, normalizeText, rebuildBody, segmentKey, storySegments, stripMarks, xmlToMarked, type Segment,
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

export const PENDING_STATES = ['queued', 'outdated'] as const;

export async function translateStory(deps: TranslateDeps, storyId: number): Promise<StoryOutcome> {
  const outcome: StoryOutcome = { stored: 0, waitingForPeople: 0, failed: 0 };
  const [story, pending] = await Promise.all([
    getStory(deps.db, storyId),
    // with the provider's quota state, to park at once when it is exhausted
    deps.db.selectFrom('translations').leftJoin('translation_provider_state as quota', 'quota.provider', 'translations.provider')
      .selectAll('translations').select('quota.quota_exhausted_since')
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

  const now = deps.clock();
  // the claim need not survive a crash (its holder would not either): no wait for the disk
  // (published translations are harvested into the memory meanwhile)
  const harvested = harvestApproved(deps.db, deps.sourceLanguage, deps.audiences);
  const claimed = await deps.db.transaction().execute(async (trx) => {
    await sql`select set_config('synchronous_commit', 'off', true)`.execute(trx);
    return trx.updateTable('translations')
      .set({ mt_lease_until: new Date(now.getTime() + deps.leaseMs), mt_waiting: null, mt_requested_at: sql`coalesce(mt_requested_at, ${now})` })
      .where('id', 'in', pending.map((t) => t.id)).where('state', 'in', [...PENDING_STATES])
      .where((eb) => eb.or([eb('mt_lease_until', 'is', null), eb('mt_lease_until', '<', now)]))
      .returningAll().execute();
  });
  if (claimed.length < pending.length) {
    // another worker holds the rest: look again when its claim runs out
    const held = pending.filter((t) => !claimed.some((c) => c.id === t.id) && t.mt_lease_until);
    const until = Math.max(0, ...held.map((t) => t.mt_lease_until!.getTime() - now.getTime()));
    if (held.length) outcome.retryAfterMs = until + 50;
  }

  await harvested;
  const segments = storySegments(story);
  const context = normalizeText(`${story.title}\n${story.summary}`);
  const writer = draftWriter((drafts) => storeDrafts(deps, story, segments, drafts), claimed.length);
  const memory = memoryLoader(deps.db, deps.sourceLanguage);
  const results = await Promise.all(claimed.map(async (translation) => {
    let wrote = false;
    try {
      return await translateOne(deps, story, segments, context, translation, memory, (draft) => {
        wrote = true;
        return writer.write(draft);
      });
    } finally {
      if (!wrote) writer.skip();
    }
  }));
  for (const r of results) {
    if (r.kind === 'stored') outcome.stored++;
    else if (r.kind === 'manual') outcome.waitingForPeople++;
    else if (r.kind === 'retry') outcome.retryAfterMs = Math.max(outcome.retryAfterMs ?? 0, r.delayMs);
    else if (r.kind === 'quota') outcome.parked = 'quota';
    else if (r.kind === 'failed') outcome.failed++;
  }
  return outcome;
}

async function budgetSpent(deps: TranslateDeps, story: StoryRow): Promise<'budget' | undefined> {
  if (!story.priority && deps.monthlyCharacterBudget !== undefined && await billedThisMonth(deps.db, deps.clock()) >= deps.monthlyCharacterBudget) return 'budget';
  return undefined;
}

type OneResult = { kind: 'stored' | 'manual' | 'failed' | 'quota' | 'skipped' } | { kind: 'retry'; delayMs: number };

/**
 * Writes drafts as they become ready, gathering those of one round: a write starts when every
 * audience still out has answered, or `maxWaitMs` after the first waiting draft, whichever comes
 * first; drafts ready during a write go in the next one. A crash loses at most the answers of that
 * moment, and a round costs one durable commit instead of one per audience.
 */
function draftWriter(store: (drafts: Draft[]) => Promise<Set<number>>, expected: number, maxWaitMs = 10) {
  let queue: Array<{ draft: Draft; done: (stored: boolean) => void; fail: (err: unknown) => void }> = [];
  let outstanding = expected;
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  const run = async () => {
    clearTimeout(timer);
    timer = undefined;
    running = true;
    while (queue.length) {
      const batch = queue;
      queue = [];
      outstanding -= batch.length;
      try {
        const stored = await store(batch.map((b) => b.draft));
        for (const b of batch) b.done(stored.has(b.draft.translation.id));
      } catch (err) {
        for (const b of batch) b.fail(err);
      }
    }
    running = false;
  };
  const maybeRun = () => {
    if (running || !queue.length) return;
    if (queue.length >= outstanding) void run();
    else timer ??= setTimeout(() => void (running || run()), maxWaitMs);
  };
  return {
    write: (draft: Draft) => new Promise<boolean>((done, fail) => {
      queue.push({ draft, done, fail });
      maybeRun();
    }),
    /** An audience finished without a draft (failed, handed to a person). */
    skip() {
      outstanding--;
      maybeRun();
    },
  };
}

/** A machine draft ready to be stored. */
interface Draft {
  translation: TranslationRow;
  keys: string[];
  targets: string[];
  origins: string[];
  notes: string[];
  usage: { billedCharacters: number; requests: number; memoryHits: number; memoryCharactersSaved: number };
  machineKey: string;
  memoryKeys: string[];
  log: Logger;
}

async function translateOne(deps: TranslateDeps, story: StoryRow, segments: readonly Segment[], context: string, translation: TranslationRow, lookup: ReturnType<typeof memoryLoader>, write: (draft: Draft) => Promise<boolean>): Promise<OneResult> {
  const audience = deps.audiences.find((a) => a.id === translation.audience_id);
  const log = deps.log.child({ story_id: story.id, audience: translation.audience_id, translation_id: translation.id });
  if (!audience) return release(deps, translation.id, { kind: 'skipped' });
  const provider = deps.providerFor(audience);
  try {
    const caps: PairCapabilities = provider.capabilities && audience.targetCode
      ? await provider.capabilities(deps.sourceLanguage, audience.targetCode)
      : { translatable: provider.name !== 'manual', tagHandling: false, glossary: false, formality: false };
    if (!caps.translatable) return await handOver(deps, translation, `${provider.name} cannot translate ${deps.sourceLanguage} into ${audience.targetCode ?? audience.language}; a translator writes this draft`, log);

    const pair = { sourceLanguage: glossaryLanguage(deps.sourceLanguage), targetLanguage: glossaryLanguage(audience.language) };
    const terms = await (deps.termsFor ? deps.termsFor(pair) : liveTerms(deps.db, pair));
    const glossaryId = caps.glossary && terms.length && provider.createGlossary && provider.deleteGlossary
      ? await ensureProviderGlossary(deps.db, { name: provider.name, createGlossary: provider.createGlossary, deleteGlossary: provider.deleteGlossary }, pair, terms, log)
      : undefined;
    const protect = glossaryId ? [] : terms;
    const formality = caps.formality ? audience.formality : audience.formality?.startsWith('prefer_') ? audience.formality : undefined;
    const memoryKeys = {
      approved: approvedMemoryKey(audience),
      machine: `mt:${audience.targetCode}:${formality ?? ''}:${terms.length ? termsHash(terms).slice(0, 16) : '-'}`,
    };

    // 1. kept from the current translation, 2. translation memory, 3. the provider
    const keys = segments.map((s) => segmentKey(s.text));
    const kept = translation.state === 'outdated' ? await keptSegments(deps.db, translation) : new Map<string, string>();
    const memory = await lookup(memoryKeys, keys.filter((k, i) => !kept.has(k) && segments[i]!.text));
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
    return failure(deps, translation, provider.name, err, log);
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

/**
 * Stores drafts of one story in one transaction (one durable commit for the audiences that answered
 * together): each translation is re-checked under its row lock and skipped when another worker or a
 * person got there first; its text, segments, state change and billed characters land together.
 * Answers the ids stored. Should the joint write fail, each draft is tried on its own.
 */
async function storeDrafts(deps: TranslateDeps, story: StoryRow, segments: readonly Segment[], drafts: readonly Draft[]): Promise<Set<number>> {
  try {
    return await deps.db.transaction().execute((trx) => writeDrafts(deps, trx, story, segments, drafts));
  } catch (err) {
    if (drafts.length === 1) throw err;
    deps.log.warn({ story_id: story.id, err: (err as Error).message }, 'storing the drafts together failed; storing them one by one');
    const stored = new Set<number>();
    for (const d of drafts) {
      for (const id of await deps.db.transaction().execute((trx) => writeDrafts(deps, trx, story, segments, [d]))) stored.add(id);
    }
    return stored;
  }
}

async function writeDrafts(deps: TranslateDeps, trx: Db, story: StoryRow, segments: readonly Segment[], drafts: readonly Draft[]): Promise<Set<number>> {
  const locked = await trx.selectFrom('translations').selectAll().where('id', 'in', drafts.map((d) => d.translation.id)).orderBy('id').forUpdate().execute();
  const current = new Map(locked.filter((t) => (PENDING_STATES as readonly string[]).includes(t.state)).map((t) => [t.id, t]));
  const now = deps.clock();
  const stored = drafts.filter((d) => current.has(d.translation.id)); // others: stored by another worker, or taken over by a person
  await saveTextsAndMove(trx, stored.map((d) => {
    const [title = '', summary = '', ...body] = d.targets;
    return { current: current.get(d.translation.id)!, text: { title: stripMarks(title), summary: stripMarks(summary), bodyHtml: rebuildBody(segments.slice(2), body) } };
  }), 'machine_translated', 'machine', 'machine');
  if (stored.length) {
    // what the machine knows about each draft: changed segments (outdated stories), checks, no claim left
    const rows = sql.join(stored.map((d) => {
      const changed = current.get(d.translation.id)!.state === 'outdated' ? d.origins.map((o, i) => (o === 'kept' ? -1 : i)).filter((i) => i >= 0) : [];
      return sql`(${d.translation.id}::int, ${changed}::int[], ${JSON.stringify(d.notes)}::jsonb)`;
    }));
    await sql`UPDATE translations AS t SET changed_segments = v.changed, mt_notes = v.notes, machine_translated_at = ${now}, error = NULL,
        story_version = ${story.version}, mt_attempts = 0, mt_lease_until = NULL, mt_waiting = NULL
      FROM (VALUES ${rows}) AS v(id, changed, notes) WHERE t.id = v.id`.execute(trx);
  }
  for (const d of stored) {
    const hits = d.keys.filter((_, i) => d.origins[i] === 'memory');
    if (hits.length) await countMemoryHits(trx, deps.sourceLanguage, d.memoryKeys, hits);
  }
  const ids = stored.map((d) => d.translation.id);
  if (!ids.length) return new Set();
  // only a translation machine-translated before has segments to replace
  const replaced = stored.filter((d) => current.get(d.translation.id)!.machine_translated_at).map((d) => d.translation.id);
  if (replaced.length) await trx.deleteFrom('translation_segments').where('translation_id', 'in', replaced).execute();
  // one array per column (unnest): hundreds of rows in one short statement
  const rows = stored.flatMap((d) => segments.map((s, i) => [d.translation.id, i, s.kind, s.tag, d.keys[i]!, s.text, d.targets[i] ?? '', JSON.stringify(s.links), d.origins[i]!] as const));
  const column = <K extends number>(k: K) => rows.map((r) => r[k]);
  await sql`INSERT INTO translation_segments (translation_id, position, kind, tag, source_key, source_text, target_text, links, origin)
    SELECT * FROM unnest(${column(0)}::int[], ${column(1)}::int[], ${column(2)}::text[], ${column(3)}::text[], ${column(4)}::text[],
      ${column(5)}::text[], ${column(6)}::text[], ${column(7)}::jsonb[], ${column(8)}::text[])`.execute(trx);
  await recordUsage(trx, now, stored.map((d) => ({ audienceId: d.translation.audience_id, ...d.usage })));
  await rememberPairs(trx, deps.sourceLanguage, 'machine', stored.flatMap((d) => segments.flatMap((s, i) => (
    d.origins[i] === 'machine' && s.text ? [{ targetKey: d.machineKey, sourceKey: d.keys[i]!, sourceText: s.text, targetText: d.targets[i]! }] : []))));
  for (const d of stored) d.log.info({ billed_characters: d.usage.billedCharacters, requests: d.usage.requests, memory_hits: d.usage.memoryHits, notes: d.notes.length }, 'machine draft stored');
  return new Set(ids);
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
      log.error({ err: error.message }, 'translation quota exhausted: machine translation is parked until the quota returns (or `npm run cli -- translate resume`)');
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
