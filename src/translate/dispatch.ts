/**
 * Machine translation as the service runs it: the two jobs, sending a story to translation
 * (priority stories first), the sweep at start that resends unfinished work (a crash or restart
 * resumes), resuming parked work, and knowing when nothing is left to do (tests, benchmarks).
 */
import type { Config } from '../config.ts';
import { makesMachineDrafts } from '../core/audience.ts';
import type { Job, JobQueue } from '../jobs/queue.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import type { StoryRow } from '../store/schema.ts';
import { changeState, listForStory } from '../store/translations.ts';
import { NotFoundError } from '../errors.ts';
import { awaitsMachine, awaitsMachineDraft } from '../store/machine-drafts.ts';
import { Limiter } from './batching.ts';
import { cachedTerms, importGlossaryFiles, sweepProviderGlossaries } from './glossaries.ts';
import { pendingMachineWork, ReadyStories, type TranslateDeps } from './service.ts';
import { TRANSLATE_RESUME, translateResumeJob } from './translate-resume.job.ts';
import { jobPriority, TRANSLATE_STORY, translateStoryJob } from './translate-story.job.ts';
import type { TranslatorRegistry } from './registry.ts';
import { glossaryHost } from './translator.ts';

export interface DispatchDeps {
  db: Db;
  log: Logger;
  config: Pick<Config, 'audiences' | 'sourceLanguage' | 'translation'>;
  providers: TranslatorRegistry;
  /** The audiences' own monthly budgets as they stand now (the desk may change them). */
  audienceBudgets?(): readonly { audienceId: string; monthlyCharacters: number }[];
  clock(): Date;
  /** The service's queue, started once every job exists (sending before is refused). */
  jobs: Pick<JobQueue, 'send'>;
}

export interface TranslationDispatch {
  jobs: Job[];
  /**
   * Sends the story to translation (after ingestion, a source change, or a request to translate
   * again); a whole row is also kept for the job, should it run in this process.
   */
  storyReady(story: StoryRow | Pick<StoryRow, 'id' | 'priority'>): Promise<void>;
  /** Sends every story with unfinished, unparked machine work; answers how many. */
  dispatchPending(): Promise<number>;
  /** At service start: glossary files for empty pairs, unfinished work sent again, parked work checked. */
  start(glossaryDir: string): Promise<void>;
  /** Clears parked work now (`translate resume`), whatever the provider's usage says. */
  resume(): Promise<void>;
  /** Looks at once whether budget-parked work may go (a budget was raised or removed). */
  budgetsChanged(): Promise<void>;
  /** Translate a story again (after a fix): its translations that wait (of one audience, when named) get a fresh set of attempts. */
  translateAgain(storyId: number, actor: string, audienceId?: string): Promise<number>;
  /** Resolves when no machine work is left that is not parked or given up. */
  drained(pollMs?: number): Promise<void>;
  maxAttempts: number;
}

export function createTranslationDispatch(deps: DispatchDeps): TranslationDispatch {
  const t = deps.config.translation;
  let sweeping: Promise<void> | undefined;
  const send = (name: string, payload: object, options: Parameters<JobQueue['send']>[2] = {}) => deps.jobs.send(name, payload, options);
  const retry = { baseDelayMs: t.retry.baseDelayMs, maxAttempts: t.retry.maxAttempts, quotaCheckMs: t.quotaCheckSeconds * 1000 };
  const scheduleCheck = async () => {
    // the resume queue keeps one waiting check ('short' policy, one key)
    await send(TRANSLATE_RESUME, { force: false }, { startAfter: new Date(Date.now() + retry.quotaCheckMs), singletonKey: 'check' });
  };
  const translateDeps: TranslateDeps = {
    db: deps.db, log: deps.log, audiences: deps.config.audiences, chainFor: deps.providers.chainFor, sourceLanguage: deps.config.sourceLanguage,
    limiter: new Limiter(t.concurrency), retry, monthlyCharacterBudget: t.monthlyCharacterBudget, clock: deps.clock,
    ...(deps.audienceBudgets ? { audienceBudgets: deps.audienceBudgets } : {}),
    leaseMs: Math.max(3 * t.timeoutMs, 1000),
    termsFor: cachedTerms(deps.db, 5000),
    readyStories: new ReadyStories(),
  };

  const storyReady = async (story: StoryRow | Pick<StoryRow, 'id' | 'priority'>) => {
    if ('body_html' in story) translateDeps.readyStories!.remember(story);
    await send(TRANSLATE_STORY, { storyId: story.id, priority: story.priority }, { priority: jobPriority(story.priority) });
  };

  const dispatchPending = async () => {
    const stories = await deps.db.selectFrom('translations').innerJoin('stories', 'stories.id', 'translations.story_id')
      .select(['stories.id', 'stories.priority']).distinct()
      .where(awaitsMachine('translations', retry.maxAttempts)).where('translations.mt_waiting', 'is', null)
      .orderBy('stories.priority', 'desc').orderBy('stories.id')
      .execute();
    for (const story of stories) await storyReady(story);
    return stories.length;
  };

  const storyJob = translateStoryJob({
    ...translateDeps, send, scheduleQuotaCheck: scheduleCheck, batchSize: Math.max(1, t.concurrency),
  });
  const resumeJob = translateResumeJob({
    db: deps.db, log: deps.log, providers: deps.providers.machineProviders(),
    monthlyCharacterBudget: t.monthlyCharacterBudget, clock: deps.clock, dispatchPending, scheduleCheck,
    ...(deps.audienceBudgets ? { audienceBudgets: deps.audienceBudgets } : {}),
  });
  resumeJob.queue = { ...resumeJob.queue, policy: 'short' };

  return {
    jobs: [storyJob, resumeJob],
    storyReady,
    dispatchPending,
    async start(glossaryDir) {
      await importGlossaryFiles(deps.db, glossaryDir, deps.log, deps.clock());
      // our glossaries at the provider that no pair uses (left by a crash, a race, a replacement): in
      // the background, so that a provider that is down does not hold up the start
      const hosts = deps.providers.machineProviders().flatMap((p) => glossaryHost(p) ?? []);
      sweeping = Promise.all(hosts.map((host) => sweepProviderGlossaries(deps.db, host, deps.log, deps.clock())
        .catch((err) => deps.log.warn({ provider: host.name, err: (err as Error).message }, 'unused glossaries could not be listed or deleted at the provider; the next start tries again')))).then(() => {});
      const resent = await dispatchPending();
      if (resent) deps.log.info(`${resent} stor${resent === 1 ? 'y' : 'ies'} with unfinished machine translation sent again`);
      const parked = await deps.db.selectFrom('translations').select('id').where('mt_waiting', 'is not', null).limit(1).executeTakeFirst();
      if (parked) {
        deps.log.error('machine translation is parked (quota or budget); it resumes by itself when allowed, or with `npm run cli -- translate resume`');
        await send(TRANSLATE_RESUME, { force: false }, { singletonKey: 'check' });
      }
    },
    async resume() {
      await send(TRANSLATE_RESUME, { force: true }, { singletonKey: 'force' });
    },
    async budgetsChanged() {
      // its own key: the periodic check may already wait its turn for minutes
      await send(TRANSLATE_RESUME, { force: false }, { singletonKey: 'budgets' });
    },
    async translateAgain(storyId, actor, audienceId) {
      const story = await deps.db.selectFrom('stories').select(['id', 'priority']).where('id', '=', storyId).executeTakeFirst();
      if (!story) throw new NotFoundError('story', storyId);
      let requeued = 0;
      for (const t of await listForStory(deps.db, storyId)) {
        if (audienceId !== undefined && t.audience_id !== audienceId) continue;
        const audience = deps.config.audiences.find((a) => a.id === t.audience_id);
        const first = audience ? deps.providers.chainFor(audience)[0]! : undefined;
        if (!first || !makesMachineDrafts(first.name)) continue;
        // a draft nobody has taken up yet (or a rejected one) is replaced; texts people are working on are left alone
        if (t.state === 'machine_translated' || t.state === 'rejected') await changeState(deps.db, t.id, 'queued', actor, deps.clock(), { reason: { code: 'translate_again' } });
        else if (!awaitsMachineDraft(t.state)) continue;
        await deps.db.updateTable('translations').set({ provider: first.name, mt_attempts: 0, error: null, error_code: null, error_values: null }).where('id', '=', t.id).execute();
        requeued++;
      }
      if (requeued) await storyReady(story);
      return requeued;
    },
    async drained(pollMs = 20) {
      await sweeping;
      while (await pendingMachineWork(deps.db, retry.maxAttempts) > 0) await new Promise((r) => setTimeout(r, pollMs));
    },
    maxAttempts: retry.maxAttempts,
  };
}
