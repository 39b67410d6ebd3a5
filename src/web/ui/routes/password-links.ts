/**
 * The pages a one-time link opens, before anyone is signed in: the set-up link of an empty
 * installation (creates the first admin) and a password-reset link made by an admin. Both forms
 * carry a CSRF token bound to a visitor session, like the sign-in page.
 */
import { Router, type Request, type Response } from 'express';
import { AppError, statusOf } from '../../../errors.ts';
import type { Db } from '../../../store/db.ts';
import { resetLinkUser, setupLinkValid, useResetLink, useSetupLink } from '../../../store/password-links.ts';
import { minPasswordLength } from '../../../store/users.ts';
import { flash } from '../context.ts';
import { messageOf } from '../messages.ts';
import { renderPage } from '../render.ts';

export interface PasswordLinkDeps { db: Db; clock: () => Date; csrfToken(req: Request, res: Response): string }

export function passwordLinksRouter(deps: PasswordLinkDeps): Router {
  const router = Router();
  const visitor = (req: Request, res: Response) => {
    req.session.visitor = true;
    res.locals.csrfToken = deps.csrfToken(req, res);
  };
  const token = (req: Request) => String(req.params.token ?? '');

  const setupPage = (res: Response, data: { error?: string; draft?: Record<string, string> }, status = 200) => renderPage(res, 'setup', {
    title: res.locals.t('people:setup.title'), minPasswordLength, error: data.error, draft: data.draft ?? {}, action: res.req.originalUrl.split('?')[0],
  }, status);

  router.get('/setup/:token', async (req, res) => {
    visitor(req, res);
    if (!(await setupLinkValid(deps.db, token(req), deps.clock()))) return renderPage(res, 'error', { title: res.locals.t('people:setup.title'), message: res.locals.t('people:setup.spent') }, 410);
    setupPage(res, {});
  });

  router.post('/setup/:token', async (req, res) => {
    const draft = { username: String(req.body.username ?? ''), displayName: String(req.body.displayName ?? '') };
    if (String(req.body.password ?? '') !== String(req.body.confirm ?? '')) return setupPage(res, { error: res.locals.t('people:reset.mismatch'), draft }, 400);
    try {
      await useSetupLink(deps.db, token(req), { ...draft, password: String(req.body.password ?? ''), locale: res.locals.lang as string }, deps.clock());
    } catch (err) {
      if (err instanceof AppError) return setupPage(res, { error: messageOf(res.locals.t, err), draft }, statusOf(err.code));
      throw err;
    }
    flash(req, 'ok', res.locals.t('people:setup.done'));
    res.redirect(303, '/ui/login');
  });

  const resetPage = async (req: Request, res: Response, error?: string, status = 200) => {
    const person = await resetLinkUser(deps.db, token(req), deps.clock());
    if (!person) return renderPage(res, 'error', { title: res.locals.t('people:reset.title'), message: res.locals.t('people:reset.expired') }, 410);
    renderPage(res, 'reset', { title: res.locals.t('people:reset.title'), person, minPasswordLength, error, action: req.originalUrl.split('?')[0] }, status);
  };

  router.get('/reset/:token', async (req, res) => {
    visitor(req, res);
    await resetPage(req, res);
  });

  router.post('/reset/:token', async (req, res) => {
    if (String(req.body.password ?? '') !== String(req.body.confirm ?? '')) return resetPage(req, res, res.locals.t('people:reset.mismatch'), 400);
    try {
      await useResetLink(deps.db, token(req), String(req.body.password ?? ''), deps.clock());
    } catch (err) {
      if (err instanceof AppError) return resetPage(req, res, messageOf(res.locals.t, err), 400);
      throw err;
    }
    flash(req, 'ok', res.locals.t('people:reset.done'));
    res.redirect(303, '/ui/login');
  });
  return router;
}
