/**
 * /api/v1/memory: the translation memory's pairs, for editors. GET lists pairs whose source or
 * target contains `q` (`language` narrows to the approved pairs of one language, `translation` to
 * those harvested from one translation, `unusable=true` includes retired ones); PATCH /:id
 * `{targetText}` corrects a pair (served from the next story on); POST /:id/unusable `{reason}`
 * takes one out of use. Pairs of a withdrawn translation are retired by the withdrawal itself.
 */
import { Router } from 'express';
import { z } from 'zod';
import { NotFoundError } from '../../errors.ts';
import type { Db } from '../../store/db.ts';
import { correctPair, findPairs, getPair, markUnusable } from '../../store/translation-memory.ts';
import { actorOf, requireRole } from '../auth.ts';
import { parse } from '../http.ts';

const listQuery = z.object({
  q: z.string().max(200).optional(),
  language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/).optional(),
  translation: z.coerce.number().int().positive().optional(),
  unusable: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const correctBody = z.strictObject({ targetText: z.string().trim().min(1, 'a correction needs the corrected text').max(20_000) });
const unusableBody = z.strictObject({ reason: z.string().trim().min(1, 'taking a pair out of use needs a reason').max(2000) });
const pairId = (raw: string | string[] | undefined) => {
  const id = String(raw ?? '');
  if (!/^\d{1,18}$/.test(id)) throw new NotFoundError('memory pair', id);
  return id;
};

export function memoryRouter(deps: { db: Db; clock: () => Date }): Router {
  const router = Router();
  router.use(requireRole('editor'));

  router.get('/', async (req, res) => {
    const query = parse(listQuery, req.query);
    const pairs = await findPairs(deps.db, {
      search: query.q, targetKey: query.language ? `lang:${query.language}` : undefined, translationId: query.translation,
      includeUnusable: query.unusable === 'true', limit: query.limit,
    });
    res.json({ data: pairs });
  });

  router.get('/:id', async (req, res) => {
    const pair = await getPair(deps.db, pairId(req.params.id));
    if (!pair) throw new NotFoundError('memory pair', req.params.id);
    res.json({ data: pair });
  });

  router.patch('/:id', async (req, res) => {
    const { targetText } = parse(correctBody, req.body ?? {});
    const pair = await correctPair(deps.db, pairId(req.params.id), targetText, actorOf(req.identity), deps.clock());
    if (!pair) throw new NotFoundError('memory pair', req.params.id);
    res.json({ data: pair });
  });

  router.post('/:id/unusable', async (req, res) => {
    const { reason } = parse(unusableBody, req.body ?? {});
    const pair = await markUnusable(deps.db, pairId(req.params.id), reason, actorOf(req.identity), deps.clock());
    if (!pair) throw new NotFoundError('memory pair', req.params.id);
    res.json({ data: pair });
  });
  return router;
}
