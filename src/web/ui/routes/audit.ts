/**
 * The audit trail for editors and admins: who did what, when, from where, with the outcome;
 * filtered by person, action, a span of days (in the person's zone) and a story (the story and
 * its translations); each entry links to the desk page of what it changed.
 */
import { Router } from 'express';
import { z } from 'zod';
import { listAudit, storyTargets } from '../../../ops/audit.ts';
import type { Db } from '../../../store/db.ts';
import { decodeCursor, encodeCursor } from '../../http.ts';
import { requirePage } from '../context.ts';
import { fromLocalInput, type Formats } from '../format.ts';
import { renderPage } from '../render.ts';
import { storedId } from '../../http.ts';

export interface AuditPageDeps { db: Db }

const filters = z.object({
  actor: z.string().trim().max(200).optional().catch(undefined),
  action: z.string().trim().max(200).optional().catch(undefined),
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().catch(undefined),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().catch(undefined),
  story: storedId.optional().catch(undefined),
  cursor: z.string().optional(),
});

/** The desk page of what an entry changed, from its path; undefined when there is none. */
export function deskLinkOf(target: string): string | undefined {
  const m = /^\/(?:api\/v1|ui)\/(translations|stories|sources|people|partners|channels)\/([^/]+)/.exec(target);
  if (!m) return /^\/(?:api\/v1|ui)\/(tokens|glossary)/.test(target) ? `/ui/${/^\/(?:api\/v1|ui)\/(\w+)/.exec(target)![1]}` : undefined;
  const [, kind, id] = m;
  if (kind === 'people' && !/^\d+$/.test(id!)) return undefined;
  return `/ui/${kind}/${id}`;
}

export function auditPageRouter(deps: AuditPageDeps): Router {
  const router = Router();
  router.get('/audit', requirePage('editor'), async (req, res) => {
    const q = filters.parse(req.query);
    const fmt = res.locals.fmt as Formats;
    // whole days in the person's zone: from the start of `from` to the end of `to`
    const since = q.from ? fromLocalInput(`${q.from}T00:00`, fmt.timeZone) : undefined;
    const untilDay = q.to ? fromLocalInput(`${q.to}T00:00`, fmt.timeZone) : undefined;
    const until = untilDay ? new Date(untilDay.getTime() + 86_400_000) : undefined;
    let targets: string[] | undefined;
    if (q.story) targets = await storyTargets(deps.db, q.story);
    const limit = 50;
    let before;
    try { before = decodeCursor(q.cursor); } catch { before = undefined; }
    const rows = await listAudit(deps.db, { limit, actor: q.actor || undefined, action: q.action || undefined, since, until, targets, before });
    const last = rows.at(-1);
    const params = new URLSearchParams(Object.entries({ actor: q.actor, action: q.action, from: q.from, to: q.to, story: q.story ? String(q.story) : undefined }).filter((e): e is [string, string] => Boolean(e[1])));
    const next = last && rows.length === limit ? `/ui/audit?${new URLSearchParams([...params, ['cursor', encodeCursor({ id: last.id }, last.at)]])}` : undefined;
    renderPage(res, 'audit', {
      title: res.locals.t('audit:title'), q, next,
      rows: rows.map((r) => ({ ...r, link: deskLinkOf(r.target), refused: r.status >= 400 })),
    });
  });
  return router;
}
