/**
 * Per-request page context: the person's language (their saved choice, else the browser's, else
 * Vietnamese), `t` bound to it, the CSRF token, the flash message; and the role guard for pages,
 * which sends anonymous visitors to the sign-in page and answers 403 with a page otherwise.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { i18n } from 'i18next';
import { includesRole, type Role } from '../../core/person.ts';
import { statusOf } from '../../errors.ts';
import { formatsFor } from './format.ts';
import { renderPage } from './render.ts';
import type { Sessions } from './session.ts';

export const uiLanguages = ['vi', 'en'] as const;
export type UiLanguage = (typeof uiLanguages)[number];
export const isUiLanguage = (value: string): value is UiLanguage => uiLanguages.some((l) => l === value);
/** Until a person chooses their own: the newsroom's zone. */
export const deskTimeZone = 'Asia/Ho_Chi_Minh';

export function languageOf(req: Request): string {
  const chosen = req.user?.locale ?? req.session?.lang;
  if (chosen && isUiLanguage(chosen)) return chosen;
  return req.acceptsLanguages(...uiLanguages) || 'vi';
}

type T = (key: string, options?: Record<string, unknown>) => string;

/**
 * i18next's `t` for one language, remembering each string it gave (by key and values): a queue
 * page asks for the same few hundred strings on every request, and locales do not change while
 * the service runs. The memory is bounded; past it, it starts again.
 */
export function rememberingT(i18n: i18n, lang: string, ns = 'ui'): T {
  const t = i18n.getFixedT(lang, ns);
  const seen = new Map<string, string>();
  return (key, options) => {
    const id = options ? `${key}\u0000${JSON.stringify(options)}` : key;
    let text = seen.get(id);
    if (text === undefined) {
      text = t(key, options ?? {}) as string;
      if (seen.size >= 20_000) seen.clear();
      seen.set(id, text);
    }
    return text;
  };
}

export function pageContext(i18n: i18n, sessions: Sessions): RequestHandler {
  const translators = new Map(uiLanguages.map((l) => [l as string, rememberingT(i18n, l)]));
  return (req, res, next) => {
    const lang = languageOf(req);
    res.locals.lang = lang;
    res.locals.fmt = formatsFor(lang === 'vi' ? 'vi-VN' : 'en-GB', req.user?.time_zone ?? deskTimeZone);
    res.locals.t = translators.get(lang)!;
    res.locals.who = whoFor(res.locals.t);
    res.locals.user = req.user ? { id: req.user.id, username: req.user.username, displayName: req.user.display_name, role: req.user.role } : undefined;
    if (req.session && (req.session.userId !== undefined || req.session.visitor)) res.locals.csrfToken = sessions.csrfToken(req, res);
    if (req.session?.flash && req.method === 'GET') {
      res.locals.flash = req.session.flash;
      delete req.session.flash;
    }
    next();
  };
}

// who acted, as revisions and state changes record it: a username, token:<name>, a provider, the source
const machines = new Set(['deepl', 'google', 'openai', 'machine']);
const whoFor = (t: T) => (actor: string) => (actor.startsWith('token:') ? t('actor.token', { name: actor.slice(6) })
  : machines.has(actor) ? t('actor.machine', { provider: actor === 'deepl' ? 'DeepL' : actor })
    : actor === 'source' ? t('actor.source') : actor);

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
