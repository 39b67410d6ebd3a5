/**
 * Style guides per audience: editors write each audience's guide in Markdown (with a preview of
 * what translators will see, the language's glossary, and the corrections people keep making to
 * machine drafts as glossary suggestions); translators of that audience read it here and beside
 * the editor.
 */
import { Router, type Request, type Response } from 'express';
import type { AudienceConfig } from '../../../core/audience.ts';
import type { Clock } from '../../../core/clock.ts';
import { hasRole, mayWorkIn } from '../../../core/person.ts';
import { correctionsFor, getGuide, maxGuideLength, renderGuide, saveGuide } from '../../../review/style-guide.ts';
import type { Db } from '../../../store/db.ts';
import { glossaryLanguage, listTerms } from '../../../store/glossary.ts';
import { flash, requirePage } from '../context.ts';
import { renderPage } from '../render.ts';

export interface StyleGuidePageDeps { db: Db; clock: Clock; audiences: readonly AudienceConfig[] }

const correctionDays = 30;

export function styleGuidesRouter(deps: StyleGuidePageDeps): Router {
  const router = Router();
  const audienceOf = (id: unknown) => deps.audiences.find((a) => a.id === String(id));

  async function page(req: Request, res: Response, audience: AudienceConfig, extra: { status?: number; error?: string; draft?: string } = {}) {
    const person = req.identity!.person!;
    const editor = hasRole(person, 'editor');
    const guide = await getGuide(deps.db, audience.id);
    const [corrections, terms] = editor
      ? await Promise.all([
        correctionsFor(deps.db, audience.id, new Date(deps.clock().getTime() - correctionDays * 86_400_000)),
        listTerms(deps.db, { sourceLanguage: 'vi', targetLanguage: audience.language }),
      ])
      : [[], []];
    const draft = extra.draft ?? guide.markdown;
    renderPage(res, 'style-guide', {
      title: res.locals.t('style-guides:title', { audience: audience.id }), editor,
      audience, audiences: deps.audiences.filter((a) => mayWorkIn(person, a.language)).map((a) => a.id),
      guide, draft, preview: extra.draft === undefined ? guide.html : renderGuide(draft), maxLength: maxGuideLength,
      corrections, correctionDays, terms: terms.slice(0, 200), moreTerms: terms.length > 200, glossaryLang: glossaryLanguage(audience.language),
      error: extra.error,
    }, extra.status ?? 200);
  }

  router.get('/style-guides', requirePage('translator'), (req, res) => {
    const first = deps.audiences.find((a) => mayWorkIn(req.identity!.person!, a.language));
    if (!first) return renderPage(res, 'error', { title: res.locals.t('error.notFoundTitle'), message: res.locals.t('error.notFound') }, 404);
    res.redirect(303, `/ui/style-guides/${encodeURIComponent(first.id)}`);
  });

  router.get('/style-guides/:audience', requirePage('translator'), async (req, res) => {
    const audience = audienceOf(req.params.audience);
    if (!audience) return renderPage(res, 'error', { title: res.locals.t('error.notFoundTitle'), message: res.locals.t('error.notFound') }, 404);
    if (!mayWorkIn(req.identity!.person!, audience.language)) {
      return renderPage(res, 'error', { title: res.locals.t('error.forbiddenTitle'), message: res.locals.t('error.notYourLanguage', { language: audience.language }) }, 403);
    }
    await page(req, res, audience);
  });

  router.post('/style-guides/:audience', requirePage('editor'), async (req, res) => {
    const audience = audienceOf(req.params.audience);
    if (!audience) return renderPage(res, 'error', { title: res.locals.t('error.notFoundTitle'), message: res.locals.t('error.notFound') }, 404);
    const markdown = String(req.body?.markdown ?? '');
    if (markdown.length > maxGuideLength) {
      return page(req, res, audience, { status: 400, error: res.locals.t('style-guides:tooLong', { max: maxGuideLength }), draft: markdown });
    }
    if (req.body?.action === 'preview') return page(req, res, audience, { draft: markdown });
    await saveGuide(deps.db, audience.id, markdown, req.identity!.person!.actor, deps.clock());
    flash(req, 'ok', res.locals.t('style-guides:saved', { audience: audience.id }));
    res.redirect(303, `/ui/style-guides/${encodeURIComponent(audience.id)}`);
  });
  return router;
}
