/**
 * The translation memory page: editors find remembered pairs by their text, correct a pair's
 * translation or take it out of use (with a reason); pairs of a withdrawn translation show as
 * retired. The same store functions as /api/v1/memory.
 */
import { Router, type Request, type Response } from 'express';
import type { AudienceConfig } from '../../../core/audience.ts';
import type { Db } from '../../../store/db.ts';
import { glossaryLanguage } from '../../../store/glossary.ts';
import { correctPair, findPairs, markUnusable } from '../../../store/translation-memory.ts';
import { flash, requirePage } from '../context.ts';
import { renderPage } from '../render.ts';

export interface MemoryPageDeps { db: Db; clock: () => Date; audiences: readonly AudienceConfig[] }

export function memoryPageRouter(deps: MemoryPageDeps): Router {
  const router = Router();
  const languages = [...new Set(deps.audiences.map((a) => a.language))];
  const langOf = (raw: unknown) => (languages.includes(String(raw)) ? String(raw) : languages[0]!);
  const back = (lang: string, q: string) => `/ui/memory?lang=${encodeURIComponent(lang)}${q ? `&q=${encodeURIComponent(q)}` : ''}`;

  async function page(req: Request, res: Response, status = 200, error?: string) {
    const lang = langOf(req.query.lang ?? req.body?.lang);
    const q = String(req.query.q ?? req.body?.q ?? '').slice(0, 200);
    const retired = req.query.retired === '1';
    const pairs = q ? await findPairs(deps.db, { search: q, targetKey: `lang:${lang}`, includeUnusable: retired, limit: 100 }) : [];
    renderPage(res, 'memory', { title: res.locals.t('memory.title'), languages, lang, textLang: glossaryLanguage(lang), q, retired, pairs, error }, status);
  }

  router.get('/memory', requirePage('editor'), (req, res) => page(req, res));

  router.post('/memory/:id', requirePage('editor'), async (req, res) => {
    const text = String(req.body?.targetText ?? '').trim();
    if (!text) return page(req, res, 400, res.locals.t('memory.textNeeded'));
    const pair = await correctPair(deps.db, String(req.params.id).replace(/\D/g, '') || '0', text, req.identity!.person!.actor, deps.clock());
    if (!pair) return page(req, res, 404, res.locals.t('memory.notFound'));
    flash(req, 'ok', res.locals.t('memory.corrected'));
    res.redirect(303, back(langOf(req.body?.lang), String(req.body?.q ?? '')));
  });

  router.post('/memory/:id/unusable', requirePage('editor'), async (req, res) => {
    const reason = String(req.body?.reason ?? '').trim();
    if (!reason) return page(req, res, 400, res.locals.t('memory.reasonNeeded'));
    const pair = await markUnusable(deps.db, String(req.params.id).replace(/\D/g, '') || '0', reason, req.identity!.person!.actor, deps.clock());
    if (!pair) return page(req, res, 404, res.locals.t('memory.notFound'));
    flash(req, 'ok', res.locals.t('memory.retired'));
    res.redirect(303, back(langOf(req.body?.lang), String(req.body?.q ?? '')));
  });
  return router;
}
