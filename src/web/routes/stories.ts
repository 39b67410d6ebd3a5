/** /api/v1/stories: the Vietnamese originals and their translations. */
import { Router } from 'express';
import type { Db } from '../../store/db.ts';
import { getStory, listStories } from '../../store/stories.ts';
import { listForStory } from '../../store/translations.ts';
import { NotFoundError } from '../../errors.ts';
import { requireRole } from '../auth.ts';
import { decodeCursor, intParam, pageOf, pageQuery, parse } from '../http.ts';
import { presentStory, presentTranslation } from '../present.ts';

export function storiesRouter(deps: { db: Db }): Router {
  const router = Router();
  router.use(requireRole('translator'));

  router.get('/', async (req, res) => {
    const { limit, cursor } = parse(pageQuery, req.query);
    const rows = await listStories(deps.db, { limit, before: decodeCursor(cursor) });
    res.json(pageOf(rows, limit, (s) => ({ id: s.id, at: s.ingested_at }), presentStory));
  });

  router.get('/:id', async (req, res) => {
    const id = intParam(req, 'id');
    const story = await getStory(deps.db, id);
    if (!story) throw new NotFoundError('story', id);
    res.json({ data: presentStory(story) });
  });

  router.get('/:id/translations', async (req, res) => {
    const id = intParam(req, 'id');
    if (!(await getStory(deps.db, id))) throw new NotFoundError('story', id);
    res.json({ data: (await listForStory(deps.db, id)).map(presentTranslation) });
  });

  return router;
}
