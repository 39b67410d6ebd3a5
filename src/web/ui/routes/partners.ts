/**
 * Partner outlets for admins: each with the audiences it may read, its feed tokens (made here, shown
 * once), how often it pulled each private feed and when last; add a partner with its audiences,
 * change them, make and revoke tokens, disable one.
 */
import { Router, type Request, type Response } from 'express';
import { AppError, PersonError, statusOf } from '../../../errors.ts';
import type { Db } from '../../../store/db.ts';
import { checkAudiences, createPartner, createPartnerToken, disablePartner, listPartners, revokePartnerToken, setPartnerAudiences } from '../../../store/partners.ts';
import { intParam } from '../../http.ts';
import { flash, requirePage } from '../context.ts';
import { messageOf } from '../messages.ts';
import { renderPage } from '../render.ts';

export interface PartnerPagesDeps { db: Db; clock: () => Date; publicUrl: string; audiences: readonly { id: string }[] }

/** The audiences ticked in a form (one `audiences` field per box). */
const ticked = (raw: unknown): string[] => (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);

export function partnerPagesRouter(deps: PartnerPagesDeps): Router {
  const router = Router();
  const admin = requirePage('admin');
  const configured = deps.audiences.map((a) => a.id);

  async function page(_req: Request, res: Response, extra: { status?: number; error?: string; created?: { partner: string; token: string } } = {}) {
    const partners = await listPartners(deps.db);
    renderPage(res, 'partners', {
      title: res.locals.t('partners:title'), feedsUrl: `${deps.publicUrl}/partner/feeds/`, error: extra.error, created: extra.created, audiences: configured,
      partners: partners.map((p) => ({ ...p, pulls: p.access.reduce((n, a) => n + a.count, 0), lastAt: p.access.reduce<Date | undefined>((d, a) => (!d || a.lastAt > d ? a.lastAt : d), undefined) })),
    }, extra.status ?? 200);
  }

  router.get('/partners', admin, (req, res) => page(req, res));

  router.post('/partners', admin, async (req, res) => {
    const name = String(req.body.name ?? '').normalize('NFC').trim();
    try {
      if (!name || name.length > 200) throw new PersonError('invalid_input', 'partners:error.name', {}, 'a partner needs a name of 1 to 200 characters');
      const existing = (await listPartners(deps.db)).find((p) => p.name === name);
      if (existing) throw new PersonError('conflict', 'partners:error.taken', { name }, `a partner named "${name}" already exists`);
      const audiences = checkAudiences(ticked(req.body.audiences), configured);
      await createPartner(deps.db, name, audiences, req.user!.username);
      flash(req, 'ok', res.locals.t('partners:added', { name }));
      res.redirect(303, '/ui/partners');
    } catch (err) {
      if (err instanceof AppError) return page(req, res, { status: statusOf(err.code), error: messageOf(res.locals.t, err) });
      throw err;
    }
  });

  router.post('/partners/:id/audiences', admin, async (req, res) => {
    const id = intParam(req, 'id');
    const partner = (await listPartners(deps.db)).find((p) => p.id === id);
    if (!partner) throw new AppError('not_found', `partner ${id} does not exist`);
    try {
      await setPartnerAudiences(deps.db, id, checkAudiences(ticked(req.body.audiences), configured), req.user!.username);
      flash(req, 'ok', res.locals.t('partners:audiencesSaved', { name: partner.name }));
      res.redirect(303, '/ui/partners');
    } catch (err) {
      if (err instanceof AppError) return page(req, res, { status: statusOf(err.code), error: messageOf(res.locals.t, err) });
      throw err;
    }
  });

  // the token is on this answer only
  router.post('/partners/:id/tokens', admin, async (req, res) => {
    const id = intParam(req, 'id');
    const partner = (await listPartners(deps.db)).find((p) => p.id === id);
    if (!partner) throw new AppError('not_found', `partner ${id} does not exist`);
    const { token } = await createPartnerToken(deps.db, id);
    await page(req, res, { created: { partner: partner.name, token } });
  });

  router.post('/partners/:id/tokens/:tokenId/revoke', admin, async (req, res) => {
    await revokePartnerToken(deps.db, intParam(req, 'id'), intParam(req, 'tokenId'), deps.clock());
    flash(req, 'ok', res.locals.t('partners:revoked'));
    res.redirect(303, '/ui/partners');
  });

  router.post('/partners/:id/disable', admin, async (req, res) => {
    const row = await disablePartner(deps.db, intParam(req, 'id'), deps.clock());
    flash(req, 'ok', res.locals.t('partners:disabled', { name: row.name }));
    res.redirect(303, '/ui/partners');
  });
  return router;
}
