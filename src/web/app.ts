/** The web layer: feed files answered before Express, then the Express application (API, public pages). Built from narrow deps, no globals. */
import express from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.ts';
import type { i18n } from 'i18next';
import type { AudienceConfig } from '../core/audience.ts';
import type { Clock } from '../core/clock.ts';
import type { FeedFiles } from '../publish/feed-files.ts';
import type { Db } from '../store/db.ts';
import { auditTrail } from '../ops/audit.ts';
import { actorOf, authenticate } from './auth.ts';
import { DATABASE_RETRY_AFTER_SECONDS, databaseIsAway, errorHandler, notFoundHandler } from './http.ts';
import { auditRouter } from './routes/audit.ts';
import { audiencesRouter, type AudiencesApiDeps } from './routes/audiences.ts';
import { healthRouter } from './routes/health.ts';
import { metricsRouter } from './routes/metrics.ts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createFeedHandler, type FeedServingDeps } from './routes/feeds.ts';
import { createSiteHandler, type SiteServingDeps } from './routes/site.ts';
import { partnersRouter } from './routes/partners.ts';
import { qaRouter } from './routes/qa.ts';
import { mediaRouter } from './routes/media.ts';
import { monitoringRouter, watchTermsRouter } from './routes/monitoring.ts';
import { memoryRouter } from './routes/memory.ts';
import { falseClaimsRouter, type FalseClaimsApiDeps } from './routes/false-claims.ts';
import { sourcesRouter, type SourcesDeps } from './routes/sources.ts';
import { storiesRouter, type StoriesDeps } from './routes/stories.ts';
import { planningRouter, type PlanningApiDeps } from './routes/planning.ts';
import { translationsRouter, type TranslationsApiDeps } from './routes/translations.ts';
import { usageRouter, type UsageDeps } from './routes/usage.ts';
import { channelsRouter, type ChannelsDeps } from './routes/channels.ts';

/** What the web layer uses; each router is handed its own part of it (createApp), nothing more. */
export interface WebDeps extends Pick<FalseClaimsApiDeps, 'falseClaims' | 'answers'>, Pick<SourcesDeps, 'pollNow'>, Omit<StoriesDeps, 'db'>, Partial<UsageDeps>, Partial<ChannelsDeps>, Partial<PlanningApiDeps>, Partial<AudiencesApiDeps> {
  db: Db;
  clock: Clock;
  log: Logger;
  publicUrl: string;
  audiences: readonly AudienceConfig[];
  /** The feed files the publisher writes, served from the same object (what it has just rebuilt is served at once). */
  files: FeedFiles;
  /** WebSub hubs, named in the feed files' Link headers. */
  hubs: readonly string[];
  /** The desk's moves (approval publishes), with the takedown and embargo bound to the publishing deps. */
  translations: Omit<TranslationsApiDeps, 'db' | 'clock' | 'log'>;
  /** Whether the start is complete (until then /readyz answers 503 `starting`). */
  started(): boolean;
  /** The locales: server sentences answered outside the desk's pages (a partner refused a feed). */
  i18n: i18n;
  /** The review desk's pages (/ui) and the session sign-in the API also accepts. */
  ui?: { router: express.Router; apiSession: express.RequestHandler } | undefined;
  /** review.slaMinutes, for the priority figures of /metrics. */
  slaMinutes?: number | undefined;
  /** The public site: pages, stylesheet, logos, robots.txt and sitemaps, answered before Express. */
  site?: Omit<SiteServingDeps, 'log' | 'clock'> | undefined;
}

/** A locale key's sentence in the desk language a request's Accept-Language asks for. */
const sayIn = (i18n: i18n) => (acceptLanguage: string | undefined, key: string, values: Record<string, unknown>) => i18n.getFixedT(deskLanguageOf(acceptLanguage))(key, values);

const feedServingDeps = (deps: WebDeps): FeedServingDeps => ({
  db: deps.db, files: deps.files, publicUrl: deps.publicUrl, hubs: deps.hubs, clock: deps.clock, log: deps.log, say: sayIn(deps.i18n),
});

/** Vietnamese when the first language asked for is Vietnamese, else English: the desk's two languages. */
export function deskLanguageOf(acceptLanguage: string | undefined): 'vi' | 'en' {
  return /^\s*vi\b/i.test(acceptLanguage ?? '') ? 'vi' : 'en';
}

/**
 * The server's request listener: feed files are answered before Express (no routing, request log
 * or helmet on the hottest path, about three times the throughput); everything else goes to the app.
 */
export function createRequestListener(deps: WebDeps) {
  const app = createApp(deps);
  const feeds = createFeedHandler(feedServingDeps(deps));
  const languages = new Map(deps.audiences.map((a) => [a.id, a.language]));
  const site = deps.site ? createSiteHandler({ ...deps.site, log: deps.log, clock: deps.clock }, (id) => languages.get(id)) : () => false as const;
  const failed = (req: IncomingMessage, res: ServerResponse) => async (err: unknown) => {
    if (await databaseIsAway(deps.db, err, deps.log)) {
      if (!res.headersSent) res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) });
      return void res.end('Service Unavailable: try again in a few seconds');
    }
    deps.log.error({ err, url: req.url }, 'serving a feed or page failed');
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Internal Server Error');
  };
  // each handler answers (true, or a promise of true) or passes (false): feeds, then the site, then the app
  const next = (req: IncomingMessage, res: ServerResponse) => {
    const served = site(req, res);
    if (served === false) app(req, res);
    else if (served !== true) served.then((done) => { if (!done) app(req, res); }, failed(req, res));
  };
  return (req: IncomingMessage, res: ServerResponse) => {
    const served = feeds(req, res);
    if (served === false) next(req, res);
    else if (served !== true) served.then((done) => { if (!done) next(req, res); }, failed(req, res));
  };
}

export function createApp(deps: WebDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(pinoHttp({
    logger: deps.log,
    genReqId: (req, res) => {
      const id = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) || randomUUID();
      res.setHeader('x-request-id', id);
      return id;
    },
    autoLogging: { ignore: (req) => req.url === '/healthz' },
    // one compact line per request: no headers (they carry tokens and cookies)
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
  }));
  // nothing Express answers may run script or be framed: the API's JSON, media, errors; the desk's
  // pages set their own policy (ui/render.ts), the site and feed files theirs (answered before Express)
  app.use(helmet({ contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] } } }));
  app.use(auditTrail({ db: deps.db, log: deps.log, actorOf: (req) => actorOf(req.identity) }));
  app.use(healthRouter({ db: deps.db, started: deps.started }));
  // `/` is the public site's home once something is public (answered before Express); until then, and without a site, the desk
  app.get('/', (_req, res) => res.redirect(303, '/ui/'));
  if (deps.ui) app.use('/ui', deps.ui.router);
  app.use(mediaRouter({ db: deps.db }));
  app.use('/metrics', authenticate(deps.db, deps.clock), metricsRouter({ db: deps.db, clock: deps.clock, slaMinutes: deps.slaMinutes, usage: deps.usage }));

  const api = express.Router();
  api.use(express.json({ limit: '2mb' }));
  api.use(authenticate(deps.db, deps.clock));
  if (deps.ui) api.use(deps.ui.apiSession);
  const { db, clock } = deps;
  api.use('/stories', storiesRouter({ db, acceptStory: deps.acceptStory, translateAgain: deps.translateAgain }));
  api.use('/translations', translationsRouter({ db, clock, log: deps.log, ...deps.translations }));
  api.use('/sources', sourcesRouter({ db, clock, pollNow: deps.pollNow, say: sayIn(deps.i18n) }));
  api.use('/partners', partnersRouter({ db, clock, publicUrl: deps.publicUrl, audiences: deps.audiences }));
  api.use('/audit', auditRouter({ db }));
  api.use('/qa', qaRouter({ db }));
  api.use('/monitoring', monitoringRouter({ db, clock }));
  api.use('/watch-terms', watchTermsRouter({ db, clock }));
  api.use('/memory', memoryRouter({ db, clock }));
  api.use('/false-claims', falseClaimsRouter({ db, clock, falseClaims: deps.falseClaims, answers: deps.answers }));
  if (deps.usage) api.use('/usage', usageRouter({ usage: deps.usage }));
  if (deps.social) api.use('/channels', channelsRouter({ social: deps.social }));
  if (deps.planning) api.use(planningRouter({ planning: deps.planning }));
  if (deps.audienceRouting) api.use('/audiences', audiencesRouter({ audienceRouting: deps.audienceRouting }));
  api.use(notFoundHandler);
  app.use('/api/v1', api);

  app.use(notFoundHandler);
  app.use(errorHandler({ db: deps.db, i18n: deps.i18n }));
  return app;
}
