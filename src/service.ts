/**
 * The composition root: builds every part from the configuration and wires them together.
 * `startService` is what `npm start` runs and what the tests start in-process.
 */
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import type { Config } from './config.ts';
import { systemClock, type Clock } from './core/clock.ts';
import { createI18n } from './i18n.ts';
import { pollSource, type PollCounts } from './ingest/poll.ts';
import { acceptStory, type PushedStory } from './ingest/push.ts';
import { liveStoryRouter, takingAlso } from './ingest/routing.ts';
import { previewSource } from './ingest/preview.ts';
import { createAddressGuard } from './ingest/address-guard.ts';
import { createFetcher } from './ingest/fetch.ts';
import { pollSourceJob, startPollScheduler } from './ingest/scheduler.ts';
import { storyImage, storyImagesJob } from './ingest/images.ts';
import type { Logger } from './log.ts';
import { openDatabase, type DatabaseHandle } from './store/db.ts';
import { grantEarlierPartners } from './store/partners.ts';
import { MIGRATION_LOCK, migrate } from './store/migrate.ts';
import { listSources, syncSourcesFromConfig } from './store/sources.ts';
import { AudienceSettings } from './store/audience-settings.ts';
import { claimDataDir } from './store/data-dir.ts';
import { checkPort, listen } from './web/listen.ts';
import { createSetupLink } from './store/password-links.ts';
import { createTranslatorRegistry } from './translate/registry.ts';
import { checkTargetCodes } from './translate/target-check.ts';
import { createTranslationDispatch } from './translate/dispatch.ts';
import { createMonitoring } from './review/monitor/monitoring.ts';
import { answerPublished, type AnswerDeps } from './review/monitor/false-claim-answers.ts';
import { createRequestListener } from './web/app.ts';
import { PageCache } from './web/routes/site.ts';
import { loadSiteAssets } from './web/routes/site-assets.ts';
import { createSite } from './publish/site/site.ts';
import { createUi } from './web/ui/index.ts';
import { randomBytes } from 'node:crypto';
import { createSocial, type Social } from './social/service.ts';
import { FeedFiles } from './publish/feed-files.ts';
import { buildAllFeeds, buildFeeds } from './publish/feeds.ts';
import { publicationActions, sweepPublicationEffects, type FeedChanges } from './publish/publisher.ts';
import { EFFECTS_SWEEP_CRON, effectsSweepJob } from './publish/effects-job.ts';
import { createPlanning } from './review/planning.ts';
import { createNotifications, type Notifications } from './ops/notify/notifications.ts';
import { ROLLUPS_FOLD_CRON, rollupsFoldJob } from './ops/rollups-job.ts';
import { createAudienceRouting } from './review/audience-routing.ts';
import { budgetStates } from './translate/budgets.ts';
import { FEED_REBUILD_JOB, feedRebuildJob } from './publish/rebuild-job.ts';
import { websubPingJob } from './publish/websub.ts';
import { createJobQueue, jobsSchemaOf, type Job, type JobQueue } from './jobs/queue.ts';
import { createBroadcast, startBroadcast } from './jobs/broadcast.ts';
import type { StoryRow } from './store/schema.ts';

/** What instances tell each other after rebuilding an audience's feeds. */
interface FeedRebuilt { audienceId: string; topics: string[] }

export interface Service {
  url: string;
  database: DatabaseHandle;
  jobs: JobQueue;
  social: Social;
  notifications: Notifications;
  pollNow(sourceId: string): Promise<PollCounts>;
  /** Resolves when the background work started so far (translations) has finished. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Start the cron schedules of the sources (off in most tests, which poll on demand). */
  schedule?: boolean;
  /** Override the database (tests pass a handle to a fresh schema). */
  database?: DatabaseHandle;
  clock?: Clock;
}

export async function startService(config: Config, log: Logger, opts: StartOptions = {}): Promise<Service> {
  // what a failed start has opened so far is closed again, newest first: a start that fails (a
  // taken port, a database that does not answer) leaves no embedded server or lock behind
  const opened: Array<() => Promise<unknown>> = [];
  try {
    return await wire(config, log, opts, opened);
  } catch (err) {
    for (const undo of opened.reverse()) await undo().catch((e: Error) => log.warn({ err: e }, 'could not undo a start step after the start failed'));
    throw err;
  }
}

async function wire(config: Config, log: Logger, opts: StartOptions, opened: Array<() => Promise<unknown>>): Promise<Service> {
  const embedded = !opts.database && !config.databaseUrl;
  // the cheap refusals first: the data folder (in use by another instance, or not writable) and the port
  const lock = embedded ? await claimDataDir(config.dataDir, config.port) : undefined;
  if (lock) opened.push(() => lock.release());
  await checkPort(config.port);
  const database = opts.database ?? await openDatabase({
    databaseUrl: config.databaseUrl, dataDir: config.dataDir, log: (m) => log.info(m),
  });
  if (!opts.database) opened.push(() => database.close());
  const { db } = database;
  const clock = opts.clock ?? systemClock;
  const applied = await migrate(db);
  if (applied.length) log.info({ migrations: applied }, `applied ${applied.length} database migration(s)`);
  await syncSourcesFromConfig(db, config.sources, clock(), (m) => log.warn(m));
  // partners from before audience grants keep every audience, as explicit grants (store/partners.ts)
  const earlier = await grantEarlierPartners(db, config.audiences.map((a) => a.id));
  if (earlier) log.warn({ partners: earlier }, `granted every audience to ${earlier} partner(s) made before audience grants; narrow them on /ui/partners`);
  // routing rules and budgets admins saved in the desk, over the configuration's (store/audience-settings.ts)
  const settings = new AudienceSettings(db, config.audiences);
  await settings.reload();

  // Every job of the service, each built from its deps. The queue is made first, so that the parts
  // the jobs are built from can send, and started once every job exists: no handler can run before
  // what it calls is there. The registry refuses two jobs with one name when it starts.
  const jobs = createJobQueue({ connectionString: database.connectionString, schema: jobsSchemaOf(database), schemaLock: MIGRATION_LOCK, log });
  const jobDefinitions: Job[] = [];
  const fetcher = createFetcher(createAddressGuard(config.ingest.allowPrivateHosts));
  opened.push(() => fetcher.close());
  const storyImages = storyImagesJob({ db, log, fetcher, ingest: config.ingest });
  jobDefinitions.push(storyImages);
  // machine translation: one durable job per story, resumed at start (src/translate/dispatch.ts)
  const providers = createTranslatorRegistry(config, log);
  for (const warning of config.warnings ?? []) log.warn(warning);
  // a target code the provider does not list is named once its language list is known
  void checkTargetCodes({ audiences: config.audiences, sourceLanguage: config.sourceLanguage, chainFor: (a) => providers.chainFor(a), log });
  const translation = createTranslationDispatch({ db, log, config, providers, clock, jobs, audienceBudgets: () => settings.budgets() });
  jobDefinitions.push(...translation.jobs);
  // foreign outlets' items, read in Vietnamese on the monitoring pages and never published
  const monitoringChain = providers.monitoringChain();
  const monitoring = createMonitoring({
    db, log, clock, jobs, chain: monitoringChain,
    targetCodeOf: (p) => (p.name === 'manual' ? 'vi' : config.monitoring.targetCodes[p.name] ?? 'vi'),
  });
  jobDefinitions.push(...monitoring.jobs);
  const i18n = await createI18n(config.localesDir);
  // notifications: rows written with their causes, sent by a durable job (src/ops/notify/)
  const notifications = createNotifications({
    db, log, clock, i18n, publicUrl: config.publishing.publicUrl, config: config.notifications, secrets: config.notifySecrets,
    slaMinutes: config.review.slaMinutes, connectionString: database.connectionString, schema: database.schema, jobs,
    budgets: {
      all: config.translation.monthlyCharacterBudget,
      audiences: new Map(config.audiences.flatMap((a) => (a.monthlyCharacterBudget === undefined ? [] : [[a.id, a.monthlyCharacterBudget] as const]))),
    },
  });
  jobDefinitions.push(...notifications.jobs);

  const inFlight = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    inFlight.add(p);
    p.finally(() => inFlight.delete(p)).catch(() => {});
  };
  opened.push(async () => {
    while (inFlight.size) await Promise.allSettled([...inFlight]);
  });

  const onStoryReady = (story: StoryRow) => translation.storyReady(story);
  const intakeDeps = {
    db, log, clock, audiences: config.audiences, route: liveStoryRouter(settings), onStoryReady,
    collectImages: async (story: StoryRow, urls: string[]) => void await jobs.send(storyImages, { storyId: story.id, urls }),
  };
  const pollNow = (sourceId: string) => pollSource({
    ...intakeDeps, ingest: config.ingest, fetcher, domesticLanguage: config.sourceLanguage, onForeignItemReady: monitoring.itemReady,
  }, sourceId);
  // scheduled polls run through a job per source (one at a time per source, across instances)
  const pollJob = pollSourceJob({ log, poll: pollNow });
  jobDefinitions.push(pollJob);
  const acceptPushed = (input: PushedStory, pushedBy: string) => acceptStory(intakeDeps, input, pushedBy);

  // feeds: WebSub pings and later rebuilds (embargoes lifting, failed rebuilds) as durable jobs;
  // every instance serves feeds from its own files, so a change made here is announced to the others
  const websubJob = websubPingJob({ timeoutMs: 10_000 });
  const feedBroadcast = createBroadcast<FeedRebuilt>({ connectionString: database.connectionString, channel: `${database.schema ?? 'doingoai'}_feeds`, log });
  opened.push(() => feedBroadcast.stop());
  const feedChanges: FeedChanges = {
    async changed(audienceId, topics, urls) {
      // another instance that misses this rebuilds everything when its connection comes back
      track(feedBroadcast.announce({ audienceId, topics: [...topics] }).catch((err) => log.error({ err, audience: audienceId }, 'could not tell the other instances of the feed change')));
      // awaited: a ping that could not be queued leaves the feeds effect pending, to be done again
      await Promise.all(config.publishing.websubHubs.map((hub) => jobs.send(websubJob, { hub, topics: urls })));
    },
    async rebuildLater(audienceId, topics, at) {
      await jobs.send(FEED_REBUILD_JOB, { audienceId, topics }, at ? { startAfter: at } : {});
    },
  };
  // social posts per channel: placed when a translation is published, taken down when withdrawn
  const social = await createSocial({
    db, log, i18n, clock, publicUrl: config.publishing.publicUrl, audiences: config.audiences,
    channels: config.channels, credentials: config.channelCredentials, settings: config.social,
    // the stored lead image, largest variant: each network's card is cut from it
    loadImage: async (storyId) => (await storyImage(db, storyId, { variant: 'large' }))?.bytes ?? null,
  });
  opened.push(() => social.stop());
  // the public site keeps rendered pages until anything public changes: every feed rebuild clears them
  const pages = new PageCache();
  const siteAssets = await loadSiteAssets(config.audiences);
  const feedFiles = new FeedFiles(config.feedsDir, (err, file) => log.warn({ err, file }, 'could not write a compressed copy of a feed file'));
  // writes cut short by a kill or a full disk left temporary files: nothing else would ever remove them
  const swept = await feedFiles.sweep().catch((err: Error) => (log.warn({ err }, 'could not look for unfinished feed files'), []));
  if (swept.length) log.info({ files: swept.length }, `removed ${swept.length} unfinished feed file(s) left by interrupted writes`);
  const feedDeps = {
    onRebuilt: () => pages.clear(), stylesheet: siteAssets.stylesheet,
    db, i18n, publicUrl: config.publishing.publicUrl, itemsPerFeed: config.publishing.itemsPerFeed, clock, audiences: config.audiences,
    files: feedFiles, hubs: config.publishing.websubHubs, publicationName: config.publishing.publicationName,
    idAuthority: config.publishing.idAuthority, feedChanges, log,
    onPublished: social.onPublished, onWithdrawn: social.onWithdrawn, later: track,
    inPublication: answerPublished,
  };
  // the consequences of publications left pending by a crash or a failure (src/publish/effects.ts)
  const effectsJob = effectsSweepJob(feedDeps);
  jobDefinitions.push(websubJob, feedRebuildJob(feedDeps), effectsJob);
  // the dashboard's counters: the changes appended by every write folded in each minute (src/ops/rollups.ts)
  const foldJob = rollupsFoldJob({ db, log });
  jobDefinitions.push(foldJob);

  await jobs.start(jobDefinitions);
  opened.push(() => jobs.stop());
  await feedBroadcast.listen({
    onMessage: ({ audienceId, topics }) => {
      const audience = config.audiences.find((a) => a.id === audienceId);
      if (audience) track(buildFeeds(feedDeps, audience, { topics }).catch((err) => log.error({ err, audience: audienceId }, 'rebuilding feeds changed by another instance failed')));
    },
    // notifications sent while the connection was down are lost: catch up on everything
    onReconnect: () => track(buildAllFeeds(feedDeps).catch((err) => log.error({ err }, 'rebuilding the feed files after a reconnect failed'))),
  });
  // an admin's change to an audience's rules or budget, made on another instance: read them again
  const settingsBroadcast = await startBroadcast<{ audienceId: string }>({
    connectionString: database.connectionString,
    channel: `${database.schema ?? 'doingoai'}_audience_settings`,
    log,
    onMessage: () => track(settings.reload().catch((err) => log.error({ err }, 'could not read the audiences\' routing and budgets again'))),
    onReconnect: () => track(settings.reload().catch((err) => log.error({ err }, 'could not read the audiences\' routing and budgets again'))),
  });
  opened.push(() => settingsBroadcast.stop());
  /** After a save in the desk: this instance reads the settings again and tells the others. */
  const settingsChanged = async (audienceId: string, what: 'routing' | 'budget') => {
    await settings.reload();
    await settingsBroadcast.announce({ audienceId }).catch((err) => log.error({ err, audience: audienceId }, 'could not tell the other instances of the settings change'));
    // a raised or removed budget lets parked work go at once
    if (what === 'budget') await translation.budgetsChanged();
  };
  // the files catch up with the database at every start (a crash between commit and write heals here)
  track(buildAllFeeds(feedDeps).catch((err) => log.error({ err }, 'rebuilding the feed files at start failed')));
  // what a crash left between a publication's commit and its consequences (posts, pings) is done now
  track(sweepPublicationEffects(feedDeps, { all: true }).then(
    ({ done, failed }) => { if (done || failed) log.info({ done, failed }, 'pending consequences of publications carried out at start'); },
    (err) => log.error({ err }, 'could not carry out the pending consequences of publications at start'),
  ));
  // the review desk: pages under /ui, sessions in PostgreSQL; the same rules for the API's approvals
  const review = { fourEyes: config.review.fourEyes, qaGate: config.review.qaGate };
  // routers get publication as three bound actions, never the publishing deps behind them
  const publications = publicationActions(feedDeps);
  if (!config.sessionSecret) log.warn('SESSION_SECRET is not set: a random one is used, so sign-ins end when the service restarts');
  const socialControl = {
    db, i18n, clock, publicUrl: config.publishing.publicUrl, channels: social.channels, wake: social.wake,
    hasImage: async (storyId: number) => !!(await db.selectFrom('story_images').select('story_id').where('story_id', '=', storyId).where('position', '=', 0).executeTakeFirst()),
  };
  // the planning page and API: editors' choices per audience after the routing rules (src/review/planning.ts)
  const planning = createPlanning({
    db, clock, audiences: config.audiences, storyReady: translation.storyReady, translateAgain: translation.translateAgain,
    withdraw: publications.withdraw,
    embargo: publications.embargo,
    routingOf: (audienceId) => settings.routingOf(audienceId).routing,
  });
  // an official answer to a false claim: the same intake, with the audiences of the claim's languages taking it
  const answers: AnswerDeps = {
    db, clock, audiences: config.audiences,
    accept: (input, pushedBy, mustTake, rule) => acceptStory({ ...intakeDeps, route: takingAlso(intakeDeps.route, mustTake, rule) }, input, pushedBy),
    takeAlso: (storyId, audienceIds, actor) => planning.choose(audienceIds.map((audience) => ({ storyId, audience, choice: 'take' })), actor),
  };
  const usage = { db, clock, monthlyCharacterBudget: config.translation.monthlyCharacterBudget, providers: providers.machineProviders().map((p) => p.name) };
  // the monthly budgets as they stand (the ceiling and each audience's), for the warnings of the planning page and the dashboard
  const budgets = () => budgetStates(db, clock(), config.translation.monthlyCharacterBudget, settings.budgets());
  // admins' routing rules and budgets per audience (src/review/audience-routing.ts)
  const audienceRouting = createAudienceRouting({
    db, clock, settings, changed: settingsChanged,
    sourceIds: async () => (await listSources(db)).map((s) => s.id),
  });
  const routingPage = {
    desk: audienceRouting, settings, audiences: config.audiences, budgets,
    sources: async () => (await listSources(db)).map((s) => ({ id: s.id, name: s.name })),
  };
  const ui = createUi({
    db, clock, publicUrl: config.publishing.publicUrl, review, publications, social: socialControl, log, i18n, audiences: config.audiences, pool: database.pool, reviewConfig: config.review, usage,
    sessionSecret: config.sessionSecret ?? randomBytes(32).toString('hex'), acceptStory: acceptPushed, domesticLanguage: config.sourceLanguage,
    pollNow, translateAgain: translation.translateAgain, planning, budgets, routing: routingPage, machine: { maxAttempts: config.translation.retry.maxAttempts, quotaCheckSeconds: config.translation.quotaCheckSeconds }, previewSource: (url, kind) => previewSource(fetcher, config.ingest, url, kind),
    falseClaims: config.falseClaims, answers, notifyChannels: notifications.channels,
    oidc: config.oidc && config.oidcClientSecret ? {
      settings: config.oidc, clientSecret: config.oidcClientSecret,
      redirectUrl: config.oidc.redirectUrl ?? `${config.publishing.publicUrl}/ui/login/oidc/callback`,
    } : undefined,
  });
  opened.push(async () => ui.close());
  const site = createSite({
    db, i18n, clock, publicUrl: config.publishing.publicUrl, audiences: config.audiences, publicationName: config.publishing.publicationName,
    defaultAudience: config.publishing.defaultAudience, stylesheet: siteAssets.stylesheet, logos: siteAssets.logos, ratingScale: config.falseClaims,
  });
  let started = false;
  const listener = createRequestListener({
    db, clock, log, i18n, started: () => started, publicUrl: config.publishing.publicUrl, audiences: config.audiences,
    files: feedFiles, hubs: config.publishing.websubHubs, pollNow, acceptStory: acceptPushed, ui,
    translations: { review, ...publications },
    site: { site, cache: pages, assets: siteAssets.assets },
    translateAgain: translation.translateAgain,
    planning,
    audienceRouting: { desk: audienceRouting, settings, budgets },
    social: socialControl,
    usage, slaMinutes: config.review.slaMinutes, falseClaims: config.falseClaims, answers,
  });
  const server: Server = await listen(createServer(listener), config.port);
  opened.push(() => new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  }));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  await lock?.listening(port);

  await translation.start(path.join(config.configDir, 'glossaries'));
  await monitoring.start();
  await notifications.start();
  const pollScheduler = startPollScheduler({ db, log, jobs, clock, tickSeconds: config.ingest.pollTickSeconds, start: opts.schedule !== false });
  opened.push(() => pollScheduler.stop());
  if (opts.schedule !== false) {
    social.start();
    await jobs.boss.schedule(effectsJob.name, EFFECTS_SWEEP_CRON, {});
    await jobs.boss.schedule(foldJob.name, ROLLUPS_FOLD_CRON, {});
  }
  log.info(`listening on ${url}`);
  // an empty installation: one plain line on how to make the first admin (a new link at every start)
  const setup = await createSetupLink(db, clock());
  started = true;
  if (setup) log.warn(`Nobody can sign in yet. Create the first admin at ${config.publishing.publicUrl}/ui/setup/${setup} (the link works once), or run: npm run cli -- user add --username NAME --name "Full name" --role admin`);

  return {
    url,
    database,
    jobs,
    social,
    notifications,
    pollNow,
    async settled() {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
      await translation.drained();
    },
    async close() {
      await pollScheduler.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      while (inFlight.size) await Promise.allSettled([...inFlight]);
      await feedBroadcast.stop();
      await settingsBroadcast.stop();
      await social.stop();
      await notifications.stop();
      ui.close();
      await pollJob.drain();
      await jobs.stop();
      await fetcher.close();
      if (!opts.database) await database.close();
      await lock?.release();
    },
  };
}
