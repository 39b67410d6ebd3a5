/**
 * Server-rendered pages: eta templates under src/web/ui/views, one shared layout (layout.eta).
 * `renderPage(res, view, data)` is the one way a route answers with a page; any area may add its
 * views under views/<area>/ and call it. The layout reads what the session middleware put in
 * res.locals: `t` (i18next bound to the person's language), `user`, `csrfToken`, `lang`.
 */
import type { Response } from 'express';
import { Eta } from 'eta';
import { fileURLToPath } from 'node:url';
import type { Role } from '../../core/person.ts';
import { httpUrl } from '../../core/urls.ts';
import { navFor } from './nav.ts';

// pages load only our own stylesheet and scripts: an injected <script> or inline handler does not run
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

const eta = new Eta({ views: fileURLToPath(new URL('./views', import.meta.url)), cache: true, autoTrim: [false, 'nl'] });

export interface PageLocals {
  /** Looks up a UI string in the person's language (namespace "ui" by default). */
  t: (key: string, options?: Record<string, unknown>) => string;
  lang: string;
  user?: { id: number; username: string; displayName: string; role: string } | undefined;
  csrfToken?: string | undefined;
}

/** Renders `view` (relative to views/, without .eta) inside the layout, with `title` for <title>. */
export function renderPage(res: Response, view: string, data: { title: string } & Record<string, unknown>, status = 200): void {
  const locals = res.locals as Partial<PageLocals>;
  const navPath = res.req.originalUrl.split('?')[0]!;
  const nav = locals.user ? navFor(locals.user.role as Role, navPath) : undefined;
  // `it.httpUrl(u)`: a link from outside (a story's original, a network's post) only as http(s), else undefined
  const it = { t: (k: string) => k, lang: 'en', ...locals, nav, navPath, httpUrl, ...data };
  const html = eta.render(`./${view}`, it);
  const started = res.locals.startedAt as number | undefined;
  const cpuAt = res.locals.cpuAt as NodeJS.CpuUsage | undefined;
  if (started !== undefined) {
    const cpu = cpuAt ? process.cpuUsage(cpuAt) : undefined;
    res.set('server-timing', `app;dur=${(performance.now() - started).toFixed(1)}${cpu ? `, cpu;dur=${((cpu.user + cpu.system) / 1000).toFixed(1)}` : ''}`);
  }
  res.status(status).type('html').set('cache-control', 'no-store').set('content-security-policy', csp).send(html);
}
