/**
 * The review desk's web pages under /ui, and the session sign-in the API also accepts. Built from
 * narrow deps by the composition root; `close()` stops the session store's pruning timer.
 */
import cookieParser from 'cookie-parser';
import express, { Router, type ErrorRequestHandler, type RequestHandler } from 'express';
import type { i18n } from 'i18next';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import type { ReviewConfig } from '../../config.ts';
import type { AudienceConfig } from '../../core/audience.ts';
import type { UsageReportDeps } from '../../translate/usage-report.ts';
import { AppError, statusOf, type ErrorCode } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import type { Clock } from '../../core/clock.ts';
import type { PublicationActions } from '../../publish/publisher.ts';
import type { ReviewRules } from '../../review/desk.ts';
import type { Db } from '../../store/db.ts';
import type { Planning } from '../../review/planning.ts';
import { planningPageRouter } from './routes/planning.ts';
import { routingPageRouter, type RoutingPageDeps } from './routes/routing.ts';
import type { BudgetState } from '../../translate/budgets.ts';
import { languageOf, pageContext, rememberingT } from './context.ts';
import { bodyError, DATABASE_RETRY_AFTER_SECONDS, databaseIsAway } from '../http.ts';
import { renderPage } from './render.ts';
import { messageOf } from './messages.ts';
import { channelPagesRouter, type ChannelPagesDeps } from './routes/channels.ts';
import { dashboardRouter } from './routes/dashboard.ts';
import { glossaryRouter } from './routes/glossary.ts';
import { memoryPageRouter } from './routes/memory.ts';
import { loginRouter } from './routes/login.ts';
import { oidcRouter, type OidcDeps } from './routes/oidc.ts';
import { passwordLinksRouter } from './routes/password-links.ts';
import { peopleRouter } from './routes/people.ts';
import { notificationPagesRouter, type NotifyChannelName } from './routes/notifications.ts';
import { auditPageRouter } from './routes/audit.ts';
import { monitoringPagesRouter } from './routes/monitoring.ts';
import { falseClaimPagesRouter, type FalseClaimPagesDeps } from './routes/false-claims.ts';
import { partnerPagesRouter } from './routes/partners.ts';
import { unitPagesRouter } from './routes/units.ts';
import { searchPageRouter } from './routes/search.ts';
import { sourcePagesRouter, type SourcePagesDeps } from './routes/sources.ts';
import { storyActionsRouter, type StoryActionDeps } from './routes/story-actions.ts';
import { queueRouter } from './routes/queue.ts';
import { storyRouter, type StoryPageDeps } from './routes/story.ts';
import { translationRouter } from './routes/translation.ts';
import { workRouter } from './routes/work.ts';
import { reportsRouter } from './routes/reports.ts';
import { styleGuidesRouter } from './routes/style-guides.ts';
import { createSessions } from './session.ts';

/** What the pages use, each router given its own part below. */
export interface UiDeps {
  db: Db;
  clock: Clock;
  publicUrl: string;
  review: ReviewRules;
  /** Publication (an approval's), takedown and embargo, bound to the publishing deps in service.ts. */
  publications: PublicationActions;
  acceptStory?: StoryPageDeps['acceptStory'];
  social?: ChannelPagesDeps['social'] | undefined;
  translateAgain?: StoryActionDeps['translateAgain'];
  pollNow: SourcePagesDeps['pollNow'];
  previewSource?: SourcePagesDeps['preview'];
  pool: pg.Pool;
  log: Logger;
  i18n: i18n;
  audiences: readonly AudienceConfig[];
  reviewConfig: ReviewConfig;
  sessionSecret: string;
  /** translation.retry.maxAttempts and quotaCheckSeconds: what the queue and the editor say of machine translation. */
  machine: { maxAttempts: number; quotaCheckSeconds: number };
  /** The planning page (left out without it). */
  planning?: Planning | undefined;
  /** Machine-translation cost for the dashboard (left out without it). */
  usage?: UsageReportDeps | undefined;
  /** The monthly budgets this month (the ceiling and each audience's): warned of at 80 % and 100 %. */
  budgets(): Promise<BudgetState[]>;
  /** The routing page (admins): each audience's routing rules and budget, editable. */
  routing: RoutingPageDeps;
  /** Sign-in through the office's identity provider, when configured. */
  oidc?: Pick<OidcDeps, 'settings' | 'clientSecret' | 'redirectUrl'> | undefined;
  /** The desk's own language: sources in any other are foreign outlets (monitoring). */
  domesticLanguage: string;
  falseClaims: FalseClaimPagesDeps['falseClaims'];
  answers: FalseClaimPagesDeps['answers'];
  /** The notification channels set up on this service (the preferences page offers these). */
  notifyChannels: readonly NotifyChannelName[];
}

export interface Ui {
  router: Router;
  /** For /api/v1: a signed-in session counts as authentication (after bearer tokens), with CSRF. */
  apiSession: RequestHandler;
  close(): void;
}

/** Codes whose page says the message in the reader's language instead of the error's own words. */
const pageMessageKeys: Partial<Record<ErrorCode, string>> = { csrf_failed: 'error.csrf', not_found: 'error.notFound', database_unavailable: 'error.databaseUnavailable' };

const staticDir = fileURLToPath(new URL('./static', import.meta.url));

export function createUi(deps: UiDeps): Ui {
  const rc = deps.reviewConfig;
  const sessions = createSessions({ db: deps.db, pool: deps.pool, log: deps.log, secret: deps.sessionSecret, sessionHours: rc.sessionHours });
  const router = Router();
  // the page's own time and the process's CPU time meanwhile, sent as Server-Timing (renderPage):
  // what the desk's benchmark reads (the CPU time stays readable on a busy machine)
  router.use((_req, res, next) => {
    res.locals.startedAt = performance.now();
    res.locals.cpuAt = process.cpuUsage();
    next();
  });
  router.use('/static', express.static(staticDir, { maxAge: '1h', index: false }));
  // the page context before the form is read, so a refused form (too large, too many fields, an
  // unknown encoding) and a refused request still get a page in the person's language
  router.use(cookieParser(), sessions.session, sessions.loadPerson, pageContext(deps.i18n, sessions));
  router.use(express.urlencoded({ extended: true, limit: '2mb', parameterLimit: 5000 }), sessions.csrfProtection);
  // express-session sends a redirect's headers before its store write ends, so the browser's next
  // request could read the session without the message just flashed: save first, then redirect
  router.use((req, res, next) => {
    const redirect = res.redirect.bind(res) as (status: number, url: string) => void;
    res.redirect = ((status: number, url: string) => {
      if (!req.session) return redirect(status, url);
      req.session.save((err) => (err ? next(err) : redirect(status, url)));
    }) as typeof res.redirect;
    next();
  });
  router.get('/', (req, res) => res.redirect(303, req.user ? '/ui/queue' : '/ui/login'));
  if (deps.oidc) router.use(oidcRouter({ ...deps.oidc, db: deps.db, clock: deps.clock, log: deps.log, csrfToken: sessions.csrfToken }));
  router.use(loginRouter({ db: deps.db, clock: deps.clock, loginAttempts: rc.loginAttempts, loginAddressAttempts: rc.loginAddressAttempts, loginWindowMinutes: rc.loginWindowMinutes, csrfToken: sessions.csrfToken }));
  router.use(notificationPagesRouter({ db: deps.db, clock: deps.clock, channels: deps.notifyChannels }));
  router.use(passwordLinksRouter({ db: deps.db, clock: deps.clock, csrfToken: sessions.csrfToken }));
  router.use(peopleRouter({ db: deps.db, clock: deps.clock, publicUrl: deps.publicUrl, languages: [...new Set(deps.audiences.map((a) => a.language.split('-')[0]!.toLowerCase()))] }));
  if (deps.planning) router.use(planningPageRouter({ planning: deps.planning, audiences: deps.audiences, budgets: deps.budgets }));
  router.use(routingPageRouter(deps.routing));
  router.use(queueRouter({ db: deps.db, clock: deps.clock, audiences: deps.audiences, slaMinutes: rc.slaMinutes, maxAttempts: deps.machine.maxAttempts }));
  router.use(translationRouter({
    db: deps.db, clock: deps.clock, log: deps.log, review: deps.review, publish: deps.publications.publish, publicUrl: deps.publicUrl,
    claimMinutes: rc.claimMinutes, fourEyes: rc.fourEyes, translateAgain: deps.translateAgain, machine: deps.machine,
  }));
  router.use(glossaryRouter({ db: deps.db, clock: deps.clock, audiences: deps.audiences }));
  router.use(memoryPageRouter({ db: deps.db, clock: deps.clock, audiences: deps.audiences }));
  router.use(storyRouter({ acceptStory: deps.acceptStory }));
  router.use(storyActionsRouter({
    db: deps.db, clock: deps.clock, publicUrl: deps.publicUrl, translateAgain: deps.translateAgain, machine: deps.machine,
    withdraw: deps.publications.withdraw, embargo: deps.publications.embargo,
  }));
  router.use(searchPageRouter({ db: deps.db, audiences: deps.audiences }));
  router.use(sourcePagesRouter({ db: deps.db, clock: deps.clock, pollNow: deps.pollNow, preview: deps.previewSource }));
  router.use(partnerPagesRouter({ db: deps.db, clock: deps.clock, publicUrl: deps.publicUrl, audiences: deps.audiences }));
  router.use(unitPagesRouter({ db: deps.db }));
  router.use(auditPageRouter({ db: deps.db }));
  router.use(monitoringPagesRouter({ db: deps.db, clock: deps.clock, domesticLanguage: deps.domesticLanguage }));
  router.use(falseClaimPagesRouter({ db: deps.db, clock: deps.clock, falseClaims: deps.falseClaims, answers: deps.answers }));
  if (deps.social) router.use(channelPagesRouter({ social: deps.social }));
  router.use(workRouter({ db: deps.db, clock: deps.clock, audiences: deps.audiences }));
  router.use(styleGuidesRouter({ db: deps.db, clock: deps.clock, audiences: deps.audiences }));
  router.use(reportsRouter({ db: deps.db, clock: deps.clock, slaMinutes: rc.slaMinutes, monthlyCharacterBudget: deps.usage?.monthlyCharacterBudget }));
  router.use(dashboardRouter({ db: deps.db, clock: deps.clock, audiences: deps.audiences, slaMinutes: rc.slaMinutes, usage: deps.usage, budgets: deps.budgets }));
  router.use((_req, res) => renderPage(res, 'error', { title: res.locals.t('error.notFoundTitle'), message: res.locals.t('error.notFound') }, 404));
  const pageErrors: ErrorRequestHandler = async (err, req, res, _next) => {
    // the page went out; a later failure (the session's save) has nothing left to answer
    if (res.headersSent) return void req.log?.warn({ err: (err as Error)?.message }, 'failed after the page was sent');
    // without a page context (it failed itself, or the session store is away): the browser's language, never keys
    res.locals.lang ??= languageOf(req);
    res.locals.t ??= rememberingT(deps.i18n, res.locals.lang as string);
    const t = res.locals.t as (k: string, o?: Record<string, unknown>) => string;
    const refused = err instanceof AppError ? err : bodyError(err);
    if (refused) {
      const status = statusOf(refused.code);
      const key = pageMessageKeys[refused.code];
      return renderPage(res, 'error', { title: t(status === 404 ? 'error.notFoundTitle' : status === 503 ? 'error.unavailableTitle' : 'error.title'), message: key ? t(key) : messageOf(t, refused) }, status);
    }
    if (await databaseIsAway(deps.db, err, req.log)) {
      res.setHeader('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
      return renderPage(res, 'error', { title: t('error.unavailableTitle'), message: t('error.databaseUnavailable') }, statusOf('database_unavailable'));
    }
    req.log?.error({ err }, 'page failed');
    renderPage(res, 'error', { title: t('error.title'), message: t('error.internal') }, 500);
  };
  router.use(pageErrors);

  const api = Router();
  api.use(cookieParser(), sessions.session, sessions.loadPerson, sessions.csrfProtection);
  return { router, apiSession: api, close: () => sessions.close() };
}
