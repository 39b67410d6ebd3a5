/**
 * POST /api/v1/qa: runs the accuracy checks on a source and a target (plain text or HTML).
 * Body `{source, target, sourceLang, targetLang, glossary?: [{source, target, variants?}]}`;
 * without `glossary`, the live glossary of the language pair is used. Answers
 * `{"issues": [{check, severity, message, source?, target?}]}` — the shape the review desk's QA
 * panel and outside tools share.
 */
import { Router } from 'express';
import { z } from 'zod';
import { markupCount, textBounds } from '../../core/bounds.ts';
import { runChecksAsync } from '../../review/qa/index.ts';
import type { Db } from '../../store/db.ts';
import { liveTerms } from '../../store/glossary.ts';
import { requireRole } from '../auth.ts';
import { parse } from '../http.ts';

const MAX_TEXT = 200_000;
// tags and entities as a story's body may have them (core/bounds.ts), counted before any check parses the text
const MAX_MARKUP = textBounds.body.markup;
const withinMarkup = (s: string) => markupCount(s, MAX_MARKUP + 1) <= MAX_MARKUP;
const MARKUP_MESSAGE = `has more than ${MAX_MARKUP} tags and entities`;
const lang = z.string().regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/, 'must be a language tag such as "vi" or "en-GB"');
export const qaBody = z.strictObject({
  source: z.string().max(MAX_TEXT).refine(withinMarkup, MARKUP_MESSAGE),
  target: z.string().max(MAX_TEXT).refine(withinMarkup, MARKUP_MESSAGE),
  sourceLang: lang.refine((l) => l.toLowerCase().startsWith('vi'), 'only Vietnamese sources are checked ("vi")').default('vi'),
  targetLang: lang,
  glossary: z.array(z.object({ source: z.string().min(1).max(500), target: z.string().min(1).max(500), variants: z.array(z.string().max(500)).max(20).optional() })).max(5000).optional(),
});

export function qaRouter(deps: { db: Db }): Router {
  const router = Router();
  router.use(requireRole('translator'));
  router.post('/', async (req, res) => {
    const body = parse(qaBody, req.body ?? {});
    const glossary = body.glossary ?? await liveTerms(deps.db, { sourceLanguage: body.sourceLang, targetLanguage: body.targetLang });
    // exactly {check, severity, message, source?, target?}: the i18n code is the desk's own business
    res.json({ issues: (await runChecksAsync({ ...body, glossary })).map(({ code: _code, params: _params, ...issue }) => issue) });
  });
  return router;
}
