/**
 * Signing people in: sessions stored in PostgreSQL (connect-pg-simple, table user_sessions), cookies
 * HttpOnly, SameSite=Lax and Secure whenever the request came over TLS (`trust proxy` is set, so a
 * TLS-terminating proxy on loopback counts); CSRF tokens (csrf-csrf, bound to the session) on every
 * state-changing request made with the session; the person loaded on each request, refused when
 * their password changed after they signed in.
 */
import connectPgSimple from 'connect-pg-simple';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import { doubleCsrf } from 'csrf-csrf';
import type pg from 'pg';
import { AppError, statusOf } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import { personFromUser } from '../../core/person.ts';
import type { Db } from '../../store/db.ts';
import { getUser, type UserRow } from '../../store/users.ts';

declare module 'express-session' {
  interface SessionData {
    userId?: number;
    /** When the person signed in (ms); a later password change ends the session. */
    loginAt?: number;
    /** Set on the sign-in page, so the anonymous visitor has a session to bind the CSRF token to. */
    visitor?: boolean;
    flash?: { kind: 'ok' | 'error'; message: string } | undefined;
    lang?: string;
    renewedAt?: number;
  }
}

declare module 'express-serve-static-core' {
  interface Request {
    user?: UserRow;
  }
}

export interface SessionDeps {
  db: Db;
  pool: pg.Pool;
  log: Logger;
  secret: string;
  sessionHours: number;
}

export interface Sessions {
  /** express-session with the PostgreSQL store. */
  session: RequestHandler;
  /** Loads the signed-in person into req.user and req.identity (after any bearer token). */
  loadPerson: RequestHandler;
  /** Refuses an unsafe request made with a session but without a valid CSRF token (403 csrf_failed). */
  csrfProtection: RequestHandler;
  /** A CSRF token for the forms of the page being rendered. */
  csrfToken(req: Request, res: Response): string;
  close(): void;
}

const renewEveryMs = 5 * 60_000;

export const SESSION_COOKIE = 'doingoai.sid';
/**
 * Where the session cookie goes: the desk and the API (which also accepts a signed-in session),
 * never the public pages and feeds (/read, /feeds, /<audience>/) that show text from outside. A
 * cookie has one path, so the same cookie is set once for each.
 */
export const SESSION_PATHS = ['/ui', '/api'] as const;

/** Each session cookie set for one of SESSION_PATHS is set for the other too (same value and expiry). */
function forBothPaths(value: number | string | readonly string[]): number | string | readonly string[] {
  if (typeof value === 'number') return value;
  const lines = typeof value === 'string' ? [value] : value;
  return [...new Set(lines.flatMap((line) => {
    const path = /;\s*Path=([^;]*)/i.exec(line)?.[1];
    if (!line.startsWith(`${SESSION_COOKIE}=`) || !path || !(SESSION_PATHS as readonly string[]).includes(path)) return [line];
    return SESSION_PATHS.map((p) => line.replace(/;\s*Path=[^;]*/i, `; Path=${p}`));
  }))];
}

export function createSessions(deps: SessionDeps): Sessions {
  const PgStore = connectPgSimple(session);
  const store = new PgStore({
    pool: deps.pool, tableName: 'user_sessions', createTableIfMissing: false, pruneSessionInterval: 15 * 60,
    // no write on every request: loadPerson renews an active session every few minutes instead
    disableTouch: true,
    errorLog: (...args: unknown[]) => deps.log.error({ args }, 'session store error'),
  });
  const sessionMw = session({
    store, secret: deps.secret, name: SESSION_COOKIE, resave: false, saveUninitialized: false, rolling: false,
    // express-session reads a session only below its cookie's path: the desk's or the API's, by
    // request; Secure as 'auto' would (a function's options are not resolved for 'auto')
    cookie: (req) => ({
      httpOnly: true, sameSite: 'lax', secure: (req as Request).secure, maxAge: deps.sessionHours * 3600_000,
      path: req.originalUrl.startsWith(SESSION_PATHS[1]) ? SESSION_PATHS[1] : SESSION_PATHS[0],
    }),
  });
  const sessionWithBothPaths: RequestHandler = (req, res, next) => {
    const setHeader = res.setHeader.bind(res);
    res.setHeader = ((name: string, value: number | string | readonly string[]) =>
      setHeader(name, name.toLowerCase() === 'set-cookie' ? forBothPaths(value) : value)) as typeof res.setHeader;
    sessionMw(req, res, next);
  };

  // One CSRF setup per scheme: a Secure cookie cannot be set over plain HTTP (a local service).
  const csrf = (secure: boolean) => doubleCsrf({
    getSecret: () => deps.secret,
    getSessionIdentifier: (req) => req.session?.id ?? '',
    cookieName: secure ? '__Host-doingoai.csrf' : 'doingoai.csrf',
    cookieOptions: { sameSite: 'lax', secure, httpOnly: true, path: '/' },
    getCsrfTokenFromRequest: (req) => (req.body as { _csrf?: string } | undefined)?._csrf ?? req.get('x-csrf-token'),
    errorConfig: { statusCode: statusOf('csrf_failed'), code: 'csrf_failed', message: 'the form has expired or did not come from this site; reload the page and try again' },
  });
  const secureCsrf = csrf(true);
  const plainCsrf = csrf(false);
  const csrfOf = (req: Request) => (req.secure ? secureCsrf : plainCsrf);

  const loadPerson: RequestHandler = async (req, _res, next) => {
    const userId = req.session?.userId;
    if (userId === undefined || req.identity) return next();
    const user = await getUser(deps.db, userId);
    const stale = user?.password_changed_at && (req.session.loginAt ?? 0) < user.password_changed_at.getTime();
    // a disabled person's sessions were deleted; one still in flight ends here too
    if (!user || stale || user.disabled_at) {
      delete req.session.userId;
      return next();
    }
    req.user = user;
    req.identity = { name: user.username, role: user.role, qaBypass: false, locale: user.locale, person: personFromUser(user) };
    // an active session lives on: renewed (saved with a new expiry and cookie) every few minutes
    const now = Date.now();
    if (now - (req.session.renewedAt ?? 0) > renewEveryMs) req.session.renewedAt = now;
    next();
  };

  const csrfProtection: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    // bearer-token requests carry no ambient credential: CSRF does not apply to them
    if (req.identity && !req.identity.person) return next();
    // no session to ride on: nothing to forge (the role check answers 401)
    if (req.session?.userId === undefined && !req.session?.visitor) return next();
    csrfOf(req).doubleCsrfProtection(req, res, (err?: unknown) => {
      if (err) return next(new AppError('csrf_failed', 'the form has expired or did not come from this site; reload the page and try again'));
      next();
    });
  };

  return {
    session: sessionWithBothPaths,
    loadPerson,
    csrfProtection,
    csrfToken: (req, res) => csrfOf(req).generateCsrfToken(req, res, { overwrite: false, validateOnReuse: false }),
    close: () => store.close(),
  };
}
