/**
 * Units for admins: list them with what belongs to them, add one, change its names, delete one
 * nothing names. Sources, tokens and people are put in a unit on their own forms.
 */
import { Router, type Request, type Response } from 'express';
import { AppError, statusOf } from '../../../errors.ts';
import type { Db } from '../../../store/db.ts';
import { createUnit, deleteUnit, renameUnit, unitName, unitSummaries } from '../../../store/units.ts';
import { flash, requirePage } from '../context.ts';
import { messageOf } from '../messages.ts';
import { renderPage } from '../render.ts';

export interface UnitPagesDeps { db: Db }

export function unitPagesRouter(deps: UnitPagesDeps): Router {
  const router = Router();
  const admin = requirePage('admin');

  async function page(_req: Request, res: Response, extra: { status?: number; error?: string; draft?: Record<string, string> } = {}) {
    renderPage(res, 'units', { title: res.locals.t('units:title'), units: await unitSummaries(deps.db), error: extra.error, draft: extra.draft ?? {} }, extra.status ?? 200);
  }
  const refused = (req: Request, res: Response, err: unknown, draft?: Record<string, string>) => {
    if (err instanceof AppError) return page(req, res, { status: statusOf(err.code), error: messageOf(res.locals.t, err), draft });
    throw err;
  };
  const names = (body: Record<string, unknown>) => ({ nameVi: String(body.nameVi ?? ''), nameEn: String(body.nameEn ?? '') });

  router.get('/units', admin, (req, res) => page(req, res));

  router.post('/units', admin, async (req, res) => {
    const draft = { id: String(req.body.id ?? ''), ...names(req.body) };
    try {
      const unit = await createUnit(deps.db, draft);
      flash(req, 'ok', res.locals.t('units:added', { name: unitName(unit, res.locals.lang as string) }));
      res.redirect(303, '/ui/units');
    } catch (err) {
      await refused(req, res, err, draft);
    }
  });

  router.post('/units/:id', admin, async (req, res) => {
    try {
      const unit = await renameUnit(deps.db, String(req.params.id), names(req.body));
      flash(req, 'ok', res.locals.t('units:saved', { name: unitName(unit, res.locals.lang as string) }));
      res.redirect(303, '/ui/units');
    } catch (err) {
      await refused(req, res, err);
    }
  });

  router.post('/units/:id/delete', admin, async (req, res) => {
    try {
      await deleteUnit(deps.db, String(req.params.id));
      flash(req, 'ok', res.locals.t('units:deleted', { id: String(req.params.id) }));
      res.redirect(303, '/ui/units');
    } catch (err) {
      await refused(req, res, err);
    }
  });
  return router;
}
