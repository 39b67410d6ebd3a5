/**
 * "My work" and quality per person, for training. Every person sees their own work at /ui/work:
 * drafts by state, what reviewers changed in what they submitted (paragraph by paragraph), the
 * reasons of rejections, their figures month by month. Editors see anyone's at /ui/work/<username>
 * and everyone's figures side by side at /ui/quality; a translator is refused both.
 */
import { Router, type Response } from 'express';
import { z } from 'zod';
import type { AudienceConfig } from '../../../core/audience.ts';
import type { Clock } from '../../../core/clock.ts';
import { monthStart } from '../../../core/schedule.ts';
import { paragraphChanges } from '../../../review/post-edit.ts';
import { approvedWorkOf, draftsOf, qualityFigures, rejectionsOf, type QualityFigures } from '../../../review/quality.ts';
import { NotFoundError } from '../../../errors.ts';
import type { Db } from '../../../store/db.ts';
import { findUser } from '../../../store/users.ts';
import { requirePage } from '../context.ts';
import { dayRange, type Formats } from '../format.ts';
import { renderPage } from '../render.ts';
import { duration } from './dashboard.ts';

export interface WorkPageDeps { db: Db; clock: Clock; audiences: readonly AudienceConfig[] }

type T = (key: string, options?: Record<string, unknown>) => string;

const day = /^\d{4}-\d{2}-\d{2}$/;
const rangeQuery = z.object({
  from: z.string().regex(day).optional().catch(undefined),
  to: z.string().regex(day).optional().catch(undefined),
  audience: z.string().trim().max(100).optional().catch(undefined),
});

const locale = (lang: string) => (lang === 'vi' ? 'vi-VN' : 'en-GB');
/** A share (0–1) as a percentage; nothing as a dash. */
export const share = (v: number | null, lang: string) => (v === null ? '–' : new Intl.NumberFormat(locale(lang), { style: 'percent', maximumFractionDigits: 1 }).format(v));

/** Figures as cells a person reads: shares as percentages, durations in words, nothing as a dash. */
export function figureCells(r: QualityFigures, t: T, lang: string) {
  const n = new Intl.NumberFormat(locale(lang));
  const pct = (v: number | null) => share(v, lang);
  const time = (v: number | null) => (v === null ? '–' : duration(v, t));
  return {
    key: r.key, submissions: n.format(r.submissions), approvals: n.format(r.approvals), untouched: n.format(r.untouched),
    effort: pct(r.effort), reviewChange: pct(r.reviewChange), rejections: n.format(r.rejections), rejectionRate: pct(r.rejectionRate),
    qaErrors: n.format(r.qaErrors), turnaround: time(r.turnaroundP50), reviewWait: time(r.reviewWaitP50),
  };
}

export function workRouter(deps: WorkPageDeps): Router {
  const router = Router();

  async function showWork(res: Response, username: string, own: boolean) {
    const t = res.locals.t as T;
    const fmt = res.locals.fmt as Formats;
    const lang = res.locals.lang as string;
    const person = await findUser(deps.db, { username });
    const now = deps.clock();
    const since = monthStart(now, fmt.timeZone, 11);
    const [drafts, months, rejections, work] = await Promise.all([
      draftsOf(deps.db, username),
      qualityFigures(deps.db, 'month', { from: since, to: now, person: username, timeZone: fmt.timeZone }),
      rejectionsOf(deps.db, username, since),
      approvedWorkOf(deps.db, username),
    ]);
    renderPage(res, 'work', {
      title: own ? t('work:titleOwn') : t('work:titleOf', { name: person.display_name }),
      own, person: { username, displayName: person.display_name },
      drafts, months: months.map((m) => figureCells(m, t, lang)).reverse(), rejections,
      work: work.map((w) => ({
        ...w, effort: share(w.effort && w.effort.chars ? w.effort.distance / w.effort.chars : null, lang),
        changes: paragraphChanges(w.submitted, w.approved),
      })),
    });
  }

  router.get('/work', requirePage('translator'), async (req, res) => {
    await showWork(res, req.user!.username, true);
  });

  router.get('/work/:username', requirePage('editor'), async (req, res) => {
    const username = String(req.params.username);
    if (username === req.user!.username) return res.redirect(303, '/ui/work');
    try {
      await showWork(res, username, false);
    } catch (err) {
      if (err instanceof NotFoundError) return renderPage(res, 'error', { title: res.locals.t('error.notFoundTitle'), message: res.locals.t('error.notFound') }, 404);
      throw err;
    }
  });

  router.get('/quality', requirePage('editor'), async (req, res) => {
    const t = res.locals.t as T;
    const fmt = res.locals.fmt as Formats;
    const lang = res.locals.lang as string;
    const q = rangeQuery.parse(req.query);
    const audience = deps.audiences.some((a) => a.id === q.audience) ? q.audience : undefined;
    const range = dayRange(q, deps.clock(), fmt.timeZone);
    const scope = { from: range.from, to: range.to, audience, timeZone: fmt.timeZone };
    const [people, audiences] = await Promise.all([qualityFigures(deps.db, 'person', scope), qualityFigures(deps.db, 'audience', scope)]);
    renderPage(res, 'quality', {
      title: t('work:quality.title'), range, audience, audiences: deps.audiences.map((a) => a.id),
      people: people.map((p) => figureCells(p, t, lang)), byAudience: audiences.map((a) => figureCells(a, t, lang)),
    });
  });
  return router;
}
