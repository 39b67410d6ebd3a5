/** /api/v1/stories: the Vietnamese originals and their translations. */
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../store/db.ts';
import { getStory, listStories, listStoryRevisions } from '../../ingest/stories.ts';
import type { AcceptedStory, PushedStory } from '../../ingest/push.ts';
import { diffRevisions } from '../../ingest/revisions.ts';
import { routesOf } from '../../ingest/routing.ts';
import { listForStory } from '../../store/translations.ts';
import { NotFoundError } from '../../errors.ts';
import { actorOf, requireRole } from '../auth.ts';
import { decodeCursor, intParam, pageOf, pageQuery, parse } from '../http.ts';
import { presentRoute, presentStory, presentTranslation } from '../present.ts';

const translateAgainBody = z.object({ audience: z.string().min(1).optional() });

export interface StoriesDeps {
  db: Db;
  /** Stores a story given through the API like a polled one (src/ingest/push.ts). */
  acceptStory?(input: PushedStory, pushedBy: string): Promise<AcceptedStory>;
  /** Sends the story (one audience of it, when named) to machine translation again (src/translate/dispatch.ts); answers how many translations wait. */
  translateAgain?(storyId: number, actor: string, audienceId?: string): Promise<number>;
}

export function storiesRouter(deps: StoriesDeps): Router {
  const router = Router();
  router.use(requireRole('translator'));

  // Push: 201 for a new story, 200 when the same id/url updated (or matched) an existing one.
  router.post('/', requireRole('editor'), async (req, res) => {
    if (!deps.acceptStory) throw new Error('acceptStory is not wired');
    const { outcome, story } = await deps.acceptStory(req.body as PushedStory, actorOf(req.identity));
    res.status(outcome === 'new' ? 201 : 200).location(`/api/v1/stories/${story.id}`)
      .json({ data: { ...presentStory(story), outcome, duplicateOf: story.duplicate_of } });
  });

  router.get('/:id/revisions', async (req, res) => {
    const id = intParam(req, 'id');
    if (!(await getStory(deps.db, id))) throw new NotFoundError('story', id);
    res.json({ data: diffRevisions(await listStoryRevisions(deps.db, id)).reverse() });
  });

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

  // Translate again (after a glossary fix, a failure given up on): 202, the drafts follow.
  router.post('/:id/translate', requireRole('editor'), async (req, res) => {
    if (!deps.translateAgain) throw new Error('translateAgain is not wired');
    const id = intParam(req, 'id');
    const { audience } = parse(translateAgainBody, req.body ?? {});
    const queued = await deps.translateAgain(id, actorOf(req.identity), audience);
    res.status(202).json({ data: { storyId: id, queued } });
  });

  router.get('/:id/translations', async (req, res) => {
    const id = intParam(req, 'id');
    if (!(await getStory(deps.db, id))) throw new NotFoundError('story', id);
    res.json({ data: await Promise.all((await listForStory(deps.db, id)).map(presentTranslation)) });
  });

  // Where the story goes: per audience take / plan / skip and the rule or person that chose it
  router.get('/:id/routes', async (req, res) => {
    const id = intParam(req, 'id');
    if (!(await getStory(deps.db, id))) throw new NotFoundError('story', id);
    res.json({ data: (await routesOf(deps.db, [id])).map(presentRoute) });
  });

  return router;
}
