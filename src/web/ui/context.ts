/**
 * Per-request page context: the person's language (their saved choice, else the browser's, else
 * Vietnamese), `t` bound to it, the CSRF token, the flash message; and the role guard for pages,
 * which sends anonymous visitors to the sign-in page and answers 403 with a page otherwise.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { i18n } from 'i18next';
import { includesRole, type Role } from '../../core/person.ts';
import { statusOf } from '../../errors.ts';
import { renderPage } from './render.ts';
import type { Sessions } from './session.ts';

export const uiLanguages = ['vi', 'en'] as const;
export type UiLanguage = (typeof uiLanguages)[number];
export const isUiLanguage = (value: string): value is UiLanguage => uiLanguages.some((l) => l === value);

export function languageOf(req: Request): string {
  const chosen = req.user?.locale ?? req.session?.lang;
  if (chosen && isUiLanguage(chosen)) return chosen;
  return req.acceptsLanguages(...uiLanguages) || 'vi';
}

export function pageContext(i18n: i18n, sessions: Sessions): RequestHandler {
  return (req, res, next) => {
    const lang = languageOf(req);
    const t = i18n.getFixedT(lang, 'ui');
    res.locals.lang = lang;
    res.locals.t = (key: string, options?: Record<string, unknown>) => t(key, options ?? {}) as string;
    res.locals.user = req.user ? { id: req.user.id, username: req.user.username, displayName: req.user.display_name, role: req.user.role } : undefined;
    if (req.session && (req.session.userId !== undefined || req.session.visitor)) res.locals.csrfToken = sessions.csrfToken(req, res);
    if (req.session?.flash && req.method === 'GET') {
      res.locals.flash = req.session.flash;
      delete req.session.flash;
    }
    next();
  };
}

export function flash(req: Request, kind: 'ok' | 'error', message: string): void {
  if (req.session) req.session.flash = { kind, message };
}

/** Pages: anonymous → the sign-in page (then back here); too low a role → 403 page. */
export function requirePage(role: Role): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.user) {
      if (req.method === 'GET') return res.redirect(303, `/ui/login?next=${encodeURIComponent(req.originalUrl)}`);
      return renderPage(res, 'error', { title: res.locals.t('error.unauthorizedTitle'), message: res.locals.t('error.unauthorized') }, statusOf('unauthorized'));
    }
    if (!includesRole(req.user.role, role)) {
      return renderPage(res, 'error', { title: res.locals.t('error.forbiddenTitle'), message: res.locals.t('error.forbidden', { role: res.locals.t(`role.${role}`) }) }, statusOf('forbidden'));
    }
    next();
  };
}

export const relativeTime = (ms: number, t: (k: string, o?: Record<string, unknown>) => string) => {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes < 60) return t('time.minutes', { count: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t('time.hoursMinutes', { hours, minutes: minutes % 60 });
  return t('time.days', { count: Math.floor(hours / 24) });
};
