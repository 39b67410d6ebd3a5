/**
 * People and API tokens, for admins: list, add, change role, languages and name, disable (their
 * sessions end at once) and enable, a one-time password-reset link; tokens created (shown once),
 * listed with their last use, revoked. The last active admin cannot be disabled or demoted, and
 * nobody disables themselves.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { AppError, PersonError, statusOf } from '../../../errors.ts';
import type { Db } from '../../../store/db.ts';
import { createResetLink, resetLinkHours } from '../../../store/password-links.ts';
import { roles } from '../../../core/person.ts';
import { createToken, listTokens, revokeToken } from '../../../store/tokens.ts';
import { checkLanguages, countActiveAdmins, createUser, disableUser, enableUser, findUser, listUsers, minPasswordLength, updateUser } from '../../../store/users.ts';
import { checkUnit, listUnits, setUnitOf } from '../../../store/units.ts';
import { intParam } from '../../http.ts';
import { flash, requirePage, uiLanguages } from '../context.ts';
import { messageOf } from '../messages.ts';
import { renderPage } from '../render.ts';

export interface PeoplePageDeps { db: Db; clock: () => Date; publicUrl: string; languages: readonly string[] }

const languagesOf = (raw: unknown) => (Array.isArray(raw) ? raw.map(String) : raw === undefined ? [] : String(raw).split(/[,\s]+/)).filter(Boolean);
const roleSchema = z.enum(roles);

export function peopleRouter(deps: PeoplePageDeps): Router {
  const router = Router();
  const admin = requirePage('admin');

  async function list(req: Request, res: Response, extra: { status?: number; error?: string; draft?: Record<string, unknown> } = {}) {
    const [people, units] = await Promise.all([listUsers(deps.db), listUnits(deps.db)]);
    renderPage(res, 'people/list', {
      title: res.locals.t('people:title'), people, units, roles, languages: deps.languages, uiLanguages, minPasswordLength, now: deps.clock(),
      error: extra.error, draft: extra.draft ?? { role: 'translator', languages: [] },
    }, extra.status ?? 200);
  }

  async function edit(req: Request, res: Response, id: number, extra: { status?: number; error?: string; resetLink?: string } = {}) {
    const [person, units] = await Promise.all([findUser(deps.db, { id }), listUnits(deps.db)]);
    renderPage(res, 'people/edit', {
      title: res.locals.t('people:edit.title', { name: person.display_name }), person, units, roles, languages: deps.languages,
      self: person.id === req.user!.id, error: extra.error, resetLink: extra.resetLink, resetLinkHours,
    }, extra.status ?? 200);
  }

  /** The last active admin stays an active admin: someone must be able to manage people. */
  async function keepAnAdmin(personId: number, change: 'disable' | 'demote') {
    const person = await findUser(deps.db, { id: personId });
    if (person.role === 'admin' && !person.disabled_at && (await countActiveAdmins(deps.db)) <= 1) {
      throw new PersonError('conflict', 'people:error.lastAdmin', {}, `the last active admin cannot be ${change === 'disable' ? 'disabled' : 'given another role'}`);
    }
  }

  router.get('/people', admin, (req, res) => list(req, res));

  router.post('/people', admin, async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const draft = { username: String(body.username ?? ''), displayName: String(body.displayName ?? ''), role: String(body.role ?? 'translator'), languages: languagesOf(body.languages), locale: (uiLanguages as readonly string[]).includes(String(body.locale)) ? String(body.locale) : 'vi', unit: String(body.unit ?? '') };
    try {
      const role = roleSchema.safeParse(draft.role);
      if (!role.success) throw new PersonError('invalid_input', 'people:error.role', {}, 'choose a role');
      const person = await createUser(deps.db, {
        username: draft.username, displayName: draft.displayName, role: role.data, password: String(body.password ?? ''),
        languages: checkLanguages(draft.languages, deps.languages), locale: draft.locale, unit: await checkUnit(deps.db, draft.unit),
      });
      flash(req, 'ok', res.locals.t('people:added', { name: person.display_name, username: person.username }));
      res.redirect(303, '/ui/people');
    } catch (err) {
      if (err instanceof AppError) return list(req, res, { status: statusOf(err.code), error: messageOf(res.locals.t, err), draft });
      throw err;
    }
  });

  router.get('/people/:id', admin, (req, res) => edit(req, res, intParam(req, 'id')));

  router.post('/people/:id', admin, async (req, res) => {
    const id = intParam(req, 'id');
    try {
      const role = roleSchema.safeParse(req.body.role);
      if (!role.success) throw new PersonError('invalid_input', 'people:error.role', {}, 'choose a role');
      if (role.data !== 'admin') await keepAnAdmin(id, 'demote');
      const person = await updateUser(deps.db, id, { displayName: String(req.body.displayName ?? ''), role: role.data, languages: checkLanguages(languagesOf(req.body.languages), deps.languages), unit: await checkUnit(deps.db, req.body.unit) });
      flash(req, 'ok', res.locals.t('people:saved', { name: person.display_name }));
      res.redirect(303, `/ui/people/${id}`);
    } catch (err) {
      if (err instanceof AppError) return edit(req, res, id, { status: statusOf(err.code), error: messageOf(res.locals.t, err) });
      throw err;
    }
  });

  router.post('/people/:id/disable', admin, async (req, res) => {
    const id = intParam(req, 'id');
    try {
      if (id === req.user!.id) throw new PersonError('conflict', 'people:error.self', {}, 'you cannot disable yourself');
      await keepAnAdmin(id, 'disable');
      await disableUser(deps.db, id, deps.clock());
      flash(req, 'ok', res.locals.t('people:disabled'));
      res.redirect(303, `/ui/people/${id}`);
    } catch (err) {
      if (err instanceof AppError) return edit(req, res, id, { status: statusOf(err.code), error: messageOf(res.locals.t, err) });
      throw err;
    }
  });

  router.post('/people/:id/enable', admin, async (req, res) => {
    const id = intParam(req, 'id');
    await enableUser(deps.db, id);
    flash(req, 'ok', res.locals.t('people:enabled'));
    res.redirect(303, `/ui/people/${id}`);
  });

  // the link is shown on this answer only (never stored in the clear, never put in a flash)
  router.post('/people/:id/reset', admin, async (req, res) => {
    const id = intParam(req, 'id');
    const person = await findUser(deps.db, { id });
    const token = await createResetLink(deps.db, person.id, req.identity!.person!.actor, deps.clock());
    await edit(req, res, id, { resetLink: `${deps.publicUrl.replace(/\/$/, '')}/ui/reset/${token}` });
  });

  async function tokens(req: Request, res: Response, extra: { status?: number; error?: string; created?: { name: string; token: string } } = {}) {
    const [list, units] = await Promise.all([listTokens(deps.db), listUnits(deps.db)]);
    renderPage(res, 'people/tokens', { title: res.locals.t('people:tokens.title'), tokens: list, units, roles, created: extra.created, error: extra.error }, extra.status ?? 200);
  }

  router.get('/tokens', admin, (req, res) => tokens(req, res));

  router.post('/tokens', admin, async (req, res) => {
    try {
      const role = roleSchema.safeParse(req.body.role);
      if (!role.success) throw new PersonError('invalid_input', 'people:error.role', {}, 'choose a role');
      const name = String(req.body.name ?? '');
      const token = await createToken(deps.db, name, role.data, req.identity!.person!.actor, { qaBypass: req.body.qaBypass === '1', unit: await checkUnit(deps.db, req.body.unit) });
      await tokens(req, res, { created: { name: name.trim(), token } });
    } catch (err) {
      if (err instanceof AppError) return tokens(req, res, { status: statusOf(err.code), error: messageOf(res.locals.t, err) });
      throw err;
    }
  });

  router.post('/tokens/:id/unit', admin, async (req, res) => {
    try {
      const unit = await checkUnit(deps.db, req.body.unit);
      await setUnitOf(deps.db, 'api_tokens', intParam(req, 'id'), unit);
      flash(req, 'ok', res.locals.t('people:tokens.unitChanged'));
      res.redirect(303, '/ui/tokens');
    } catch (err) {
      if (err instanceof AppError) return tokens(req, res, { status: statusOf(err.code), error: messageOf(res.locals.t, err) });
      throw err;
    }
  });

  router.post('/tokens/:id/revoke', admin, async (req, res) => {
    await revokeToken(deps.db, intParam(req, 'id'), deps.clock());
    flash(req, 'ok', res.locals.t('people:tokens.revoked'));
    res.redirect(303, '/ui/tokens');
  });

  return router;
}
