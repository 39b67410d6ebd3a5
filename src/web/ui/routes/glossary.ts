/** The glossary page: editors search, add, edit and retire terms per language pair, and the names (people, places) in their own section. */
import { Router, type Request, type Response } from 'express';
import type { AudienceConfig } from '../../../core/audience.ts';
import { AppError, statusOf } from '../../../errors.ts';
import type { Db } from '../../../store/db.ts';
import type { GlossaryKind } from '../../../store/schema-glossary.ts';
import { addTerm, glossaryLanguage, listTerms, retireTerm, updateTerm } from '../../../store/glossary.ts';
import { flash, requirePage } from '../context.ts';
import { renderPage } from '../render.ts';
import { messageOf } from '../messages.ts';
import { intParam } from '../../http.ts';

export interface GlossaryPageDeps { db: Db; clock: () => Date; audiences: readonly AudienceConfig[] }

const variantsOf = (raw: unknown) => String(raw ?? '').split(/[;\n]/).map((v) => v.trim()).filter(Boolean);

export function glossaryRouter(deps: GlossaryPageDeps): Router {
  const router = Router();
  const languages = [...new Set(deps.audiences.map((a) => glossaryLanguage(a.language)))];
  const pairOf = (lang: string) => ({ sourceLanguage: 'vi', targetLanguage: lang });
  const langOf = (raw: unknown) => (languages.includes(String(raw)) ? String(raw) : languages[0]!);
  const kindOf = (raw: unknown): GlossaryKind => (raw === 'name' ? 'name' : 'term');
  const back = (lang: string, q: string | undefined, kind: GlossaryKind) => `/ui/glossary?lang=${encodeURIComponent(lang)}${kind === 'name' ? '&kind=name' : ''}${q ? `&q=${encodeURIComponent(q)}` : ''}`;

  async function page(req: Request, res: Response, lang: string, extra: { status?: number; error?: string; draft?: Record<string, string> } = {}) {
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 200) : '';
    const retired = req.query.retired === '1';
    const kind = kindOf(req.query.kind ?? req.body?.kind);
    const terms = await listTerms(deps.db, pairOf(lang), { search: q || undefined, includeRetired: retired, kind });
    renderPage(res, 'glossary', { title: res.locals.t('glossary.title'), languages, pairLanguage: lang, q, retired, kind, terms: terms.slice(0, 500), more: terms.length > 500, error: extra.error, draft: extra.draft ?? {} }, extra.status ?? 200);
  }

  router.get('/glossary', requirePage('editor'), (req, res) => page(req, res, langOf(req.query.lang)));

  const guarded = (fn: (req: Request, res: Response, lang: string) => Promise<void>) => async (req: Request, res: Response) => {
    const lang = langOf(req.body?.lang);
    try {
      await fn(req, res, lang);
    } catch (err) {
      if (err instanceof AppError) return page(req, res, lang, { status: statusOf(err.code), error: messageOf(res.locals.t, err), draft: req.body });
      throw err;
    }
  };

  router.post('/glossary', requirePage('editor'), guarded(async (req, res, lang) => {
    const kind = kindOf(req.body.kind);
    const term = await addTerm(deps.db, pairOf(lang), { source: String(req.body.source ?? ''), target: String(req.body.target ?? ''), variants: variantsOf(req.body.variants), note: String(req.body.note ?? '') || undefined, kind }, req.identity!.person!.actor);
    flash(req, 'ok', res.locals.t('glossary.added', { source: term.source }));
    res.redirect(303, back(lang, undefined, kind));
  }));

  router.post('/glossary/:id', requirePage('editor'), guarded(async (req, res, lang) => {
    const term = await updateTerm(deps.db, intParam(req, 'id'), { source: String(req.body.source ?? ''), target: String(req.body.target ?? ''), variants: variantsOf(req.body.variants), note: String(req.body.note ?? '') || undefined }, req.identity!.person!.actor, deps.clock());
    flash(req, 'ok', res.locals.t('glossary.updated', { source: term.source }));
    res.redirect(303, back(lang, String(req.body.q ?? ''), term.kind));
  }));

  router.post('/glossary/:id/retire', requirePage('editor'), guarded(async (req, res, lang) => {
    const term = await retireTerm(deps.db, intParam(req, 'id'), req.identity!.person!.actor, deps.clock());
    flash(req, 'ok', res.locals.t('glossary.retired', { source: term.source }));
    res.redirect(303, back(lang, String(req.body.q ?? ''), term.kind));
  }));
  return router;
}
