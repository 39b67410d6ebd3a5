/** Sign-in, sign-out, and the person's own account: password change and UI language. */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Clock } from '../../../core/clock.ts';
import { statusOf } from '../../../errors.ts';
import type { Db } from '../../../store/db.ts';
import { changePassword, checkPassword, hasAnyUser, minPasswordLength, recordSignIn, setLocale, setTimeZone } from '../../../store/users.ts';
import { isTimeZone } from '../format.ts';
import { flash, isUiLanguage, requirePage, uiLanguages } from '../context.ts';
import { LoginLimit } from '../login-limit.ts';
import { renderPage } from '../render.ts';
import { SESSION_COOKIE, SESSION_PATHS } from '../session.ts';

export interface LoginDeps { db: Db; clock: Clock; loginAttempts: number; loginAddressAttempts: number; loginWindowMinutes: number; csrfToken(req: Request, res: Response): string }

/** Only local paths: a sign-in link must not send anyone elsewhere. */
const safeNext = (raw: unknown) => (typeof raw === 'string' && /^\/ui(\/|$)/.test(raw) && !raw.startsWith('//') ? raw : '/ui/queue');

export function loginRouter(deps: LoginDeps): Router {
  const router = Router();
  // failed sign-ins per account and per address, separately (login-limit.ts)
  const limit = new LoginLimit({ accountAttempts: deps.loginAttempts, addressAttempts: deps.loginAddressAttempts, windowMinutes: deps.loginWindowMinutes }, deps.clock);

  router.get('/login', async (req, res) => {
    if (req.user) return res.redirect(303, safeNext(req.query.next));
    req.session.visitor = true; // a session to bind the form's CSRF token to
    res.locals.csrfToken = deps.csrfToken(req, res);
    // an empty installation says how to make its first admin, instead of a form nobody can use
    const empty = !(await hasAnyUser(deps.db));
    renderPage(res, 'login', { title: res.locals.t('login.title'), next: safeNext(req.query.next), username: '', error: undefined, empty });
  });

  router.post('/login', async (req, res) => {
    const { username = '', password = '', next } = req.body as { username?: string; password?: string; next?: string };
    // only from the sign-in page's own session (its CSRF token was checked on the way in)
    if (!req.session.visitor && req.session.userId === undefined) {
      return renderPage(res, 'login', { title: res.locals.t('login.title'), next: safeNext(next), username, error: res.locals.t('login.expired') }, statusOf('csrf_failed'));
    }
    const address = req.ip ?? '';
    const refused = limit.refusal(String(username), address);
    if (refused) {
      // the password is not checked (nor counted) while the account or the address is locked
      const minutes = Math.ceil(refused.retryAfterSeconds / 60);
      res.setHeader('Retry-After', String(refused.retryAfterSeconds));
      const error = res.locals.t(refused.by === 'account' ? 'login.accountLocked' : 'login.tooMany', { minutes });
      return renderPage(res, 'login', { title: res.locals.t('login.title'), next: safeNext(next), username, error }, 429);
    }
    const user = await checkPassword(deps.db, String(username), String(password));
    if (!user) {
      limit.failed(String(username), address);
      return renderPage(res, 'login', { title: res.locals.t('login.title'), next: safeNext(next), username, error: res.locals.t('login.failed') }, statusOf('unauthorized'));
    }
    limit.succeeded(String(username));
    // a new session id at sign-in, so an id planted before cannot be used (session fixation)
    await new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
    req.session.userId = user.id;
    req.session.loginAt = deps.clock().getTime();
    await recordSignIn(deps.db, user.id, deps.clock());
    res.redirect(303, safeNext(next));
  });

  router.post('/logout', (req, res) => {
    req.session.destroy(() => {
      // the cookie of each path, and one set for the whole site by an earlier version
      for (const path of [...SESSION_PATHS, '/']) res.clearCookie(SESSION_COOKIE, { path });
      res.redirect(303, '/ui/login');
    });
  });

  router.get('/account', requirePage('translator'), (req, res) => {
    renderPage(res, 'account', { title: res.locals.t('account.title'), person: req.user, languages: uiLanguages, minPasswordLength, timeZones: Intl.supportedValuesOf('timeZone') });
  });

  const passwordBody = z.object({ current: z.string(), password: z.string(), confirm: z.string() });
  router.post('/account/password', requirePage('translator'), async (req, res) => {
    const body = passwordBody.safeParse(req.body);
    const t = res.locals.t;
    const fail = (message: string, status = 400) => renderPage(res, 'account', { title: t('account.title'), person: req.user, languages: uiLanguages, minPasswordLength, timeZones: Intl.supportedValuesOf('timeZone'), error: message }, status);
    if (!body.success) return fail(t('account.fillAll'));
    if (!(await checkPassword(deps.db, req.user!.username, body.data.current))) return fail(t('account.wrongCurrent'), 403);
    if (body.data.password.length < minPasswordLength) return fail(t('account.tooShort', { min: minPasswordLength }));
    if (body.data.password !== body.data.confirm) return fail(t('account.mismatch'));
    const now = deps.clock();
    await changePassword(deps.db, req.user!.id, body.data.password, req.session.id, now);
    req.session.loginAt = now.getTime() + 1;
    flash(req, 'ok', t('account.changed'));
    res.redirect(303, '/ui/account');
  });

  router.post('/account/time-zone', requirePage('translator'), async (req, res) => {
    const zone = String(req.body?.timeZone ?? '').trim();
    if (!isTimeZone(zone)) {
      flash(req, 'error', res.locals.t('account.badTimeZone', { zone }));
      return res.redirect(303, '/ui/account');
    }
    await setTimeZone(deps.db, req.user!.id, zone);
    flash(req, 'ok', res.locals.t('account.timeZoneSaved', { zone }));
    res.redirect(303, '/ui/account');
  });

  router.post('/account/locale', requirePage('translator'), async (req, res) => {
    const locale = String(req.body?.locale ?? '');
    if (!isUiLanguage(locale)) return res.redirect(303, '/ui/account');
    await setLocale(deps.db, req.user!.id, locale);
    res.redirect(303, safeNext(req.body?.next ?? '/ui/account'));
  });

  return router;
}
