/**
 * The planning page: incoming stories newest first, and per audience translate / skip (with the
 * characters each would cost) or the translation's state; bulk choices over the ticked stories,
 * a story's priority, taking a whole story down or embargoing it everywhere, one audience translated
 * again, and the monthly budgets' warnings (80 %, 100 %). Every
 * action goes through review/planning.ts and answers with a redirect back and a message.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AudienceConfig } from '../../../core/audience.ts';
import { mayWorkIn } from '../../../core/person.ts';
import { AppError, PersonError } from '../../../errors.ts';
import type { Planning } from '../../../review/planning.ts';
import type { BudgetState } from '../../../translate/budgets.ts';
import { decodeCursor, encodeCursor, intParam } from '../../http.ts';
import { fromLocalInput, type Formats } from '../format.ts';
import { flash, requirePage } from '../context.ts';
import { messageOf } from '../messages.ts';
import { renderPage } from '../render.ts';

export interface PlanningPageDeps {
  planning: Planning;
  audiences: readonly AudienceConfig[];
  /** The monthly budgets this month (the ceiling and each audience's): 80 % and 100 % are warned of. */
  budgets(): Promise<BudgetState[]>;
}

const listQuery = z.object({ show: z.enum(['waiting', 'all']).default('waiting'), cursor: z.string().optional() });
const choice = z.enum(['take', 'skip']);
// the page it came from (filters and page kept), or the plain page
const backOf = (req: Request) => (typeof req.body.back === 'string' && /^\/ui\/planning(\?[\w=&%-]*)?$/.test(req.body.back) ? req.body.back : '/ui/planning');

export function planningPageRouter(deps: PlanningPageDeps): Router {
  const router = Router();
  const editor = requirePage('editor');
  const act = (handler: (req: Request, res: Response, actor: string) => Promise<string>) => async (req: Request, res: Response) => {
    try {
      flash(req, 'ok', await handler(req, res, req.identity!.person!.actor));
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      flash(req, 'error', messageOf(res.locals.t, err));
    }
    res.redirect(303, backOf(req));
  };

  router.get('/planning', editor, async (req, res) => {
    const t = res.locals.t;
    const parsed = listQuery.safeParse(req.query);
    const q = parsed.success ? parsed.data : { show: 'waiting' as const, cursor: undefined };
    const person = req.identity!.person!;
    const audiences = deps.audiences.filter((a) => mayWorkIn(person, a.language));
    let before;
    try {
      before = decodeCursor(q.cursor);
    } catch {
      before = undefined;
    }
    const [page, budgets] = await Promise.all([
      deps.planning.list({ waiting: q.show === 'waiting', limit: 50, before, audiences: audiences.map((a) => a.id) }),
      deps.budgets(),
    ]);
    const here = `/ui/planning?show=${q.show}${q.cursor ? `&cursor=${encodeURIComponent(q.cursor)}` : ''}`;
    renderPage(res, 'planning/page', {
      title: t('planning:title'), audiences, stories: page.stories, show: q.show, back: here,
      warnings: budgets.filter((b) => b.level !== 'ok' && (b.audienceId === null || audiences.some((a) => a.id === b.audienceId))),
      next: page.next ? `/ui/planning?show=${q.show}&cursor=${encodeCursor({ id: page.next.id }, page.next.at)}` : undefined,
    });
  });

  // one form per story: the button pressed says what and for whom ("take en", "skip fr", "again ko")
  router.post('/planning/:id/route', editor, act(async (req, res, actor) => {
    const [what, audience = ''] = String(req.body.pick ?? '').split(' ');
    const storyId = intParam(req, 'id');
    if (what === 'again') {
      const count = await deps.planning.translateAgain(storyId, audience, actor);
      return res.locals.t('planning:done.again', { count, audience });
    }
    const c = choice.safeParse(what);
    if (!c.success) throw new PersonError('invalid_input', 'planning:errors.choice', {}, 'choose translate or skip');
    const [outcome] = await deps.planning.choose([{ storyId, audience, choice: c.data }], actor);
    return res.locals.t(outcome!.changed ? `planning:done.${c.data}` : 'planning:done.unchanged', { audience });
  }));

  router.post('/planning/choices', editor, act(async (req, res, actor) => {
    const c = choice.safeParse(req.body.choice);
    const ids = [req.body.story ?? []].flat().map(Number).filter((n) => Number.isInteger(n) && n > 0);
    if (!c.success) throw new PersonError('invalid_input', 'planning:errors.choice', {}, 'choose translate or skip');
    if (!ids.length) throw new PersonError('invalid_input', 'planning:errors.noStories', {}, 'tick at least one story');
    const one = typeof req.body.audience === 'string' && req.body.audience !== '*' ? req.body.audience : undefined;
    // "every audience" means every one still to decide: a bulk choice does not undo earlier ones
    const outcomes = one
      ? await deps.planning.choose(ids.map((storyId) => ({ storyId, audience: one, choice: c.data })), actor)
      : await deps.planning.chooseWaiting(ids, deps.audiences.filter((a) => mayWorkIn(req.identity!.person!, a.language)).map((a) => a.id), c.data, actor);
    return res.locals.t(`planning:done.bulk.${c.data}`, { count: outcomes.filter((o) => o.changed).length });
  }));

  router.post('/planning/:id/priority', editor, act(async (req, res, actor) => {
    const priority = req.body.priority === 'true';
    const { taken } = await deps.planning.setPriority(intParam(req, 'id'), priority, actor);
    return res.locals.t(priority ? 'planning:done.priority' : 'planning:done.normal', { count: taken.length });
  }));

  router.post('/planning/:id/withdraw', editor, act(async (req, res, actor) => {
    const reason = String(req.body.reason ?? '').normalize('NFC').trim();
    if (!reason) throw new PersonError('invalid_input', 'actions:withdraw.needsReason', {}, 'a takedown needs a reason');
    const count = await deps.planning.takeDown(intParam(req, 'id'), reason, actor);
    return res.locals.t('planning:done.withdrawn', { count });
  }));

  // a time typed in the person's own zone; "lift" clears the embargo everywhere
  router.post('/planning/:id/embargo', editor, act(async (req, res, actor) => {
    const fmt = res.locals.fmt as Formats;
    const lift = req.body.lift !== undefined;
    const until = lift ? null : fromLocalInput(String(req.body.until ?? ''), fmt.timeZone);
    if (until === undefined) throw new PersonError('invalid_input', 'actions:embargo.badTime', {}, 'the embargo time is not a date and time');
    const out = await deps.planning.embargo(intParam(req, 'id'), until, actor);
    const t = res.locals.t;
    const done = until
      ? t('planning:done.embargo', { count: out.embargoed.length, until: fmt.dateTime(until), zone: fmt.timeZone })
      : t('planning:done.embargoLifted', { count: out.embargoed.length });
    return out.public.length ? `${done} ${t('planning:done.embargoPublic', { audiences: out.public.join(', '), count: out.public.length })}` : done;
  }));

  return router;
}
