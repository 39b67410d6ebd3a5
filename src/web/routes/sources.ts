/** /api/v1/sources: where stories come from, and polling one now. */
import { Router } from 'express';
import { z } from 'zod';
import { sourceKinds } from '../../config.ts';
import type { PollCounts } from '../../ingest/poll.ts';
import type { Db } from '../../store/db.ts';
import { createSource, getSource, listSources } from '../../store/sources.ts';
import { AppError } from '../../errors.ts';
import { requireRole } from '../auth.ts';
import { parse } from '../http.ts';
import { presentSource } from '../present.ts';

const newSource = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1),
  url: z.string().url(),
  kind: z.enum(sourceKinds).default('auto'),
  schedule: z.string().default('*/5 * * * *'),
  fullText: z.boolean().default(false),
  enabled: z.boolean().default(true),
});

export interface SourcesDeps {
  db: Db;
  pollNow(sourceId: string): Promise<PollCounts>;
}

export function sourcesRouter(deps: SourcesDeps): Router {
  const router = Router();
  router.use(requireRole('editor'));

  router.get('/', async (_req, res) => {
    res.json({ data: (await listSources(deps.db)).map(presentSource) });
  });

  router.post('/', requireRole('admin'), async (req, res) => {
    const input = parse(newSource, req.body);
    const exists = await deps.db.selectFrom('sources').select('id').where('id', '=', input.id).executeTakeFirst();
    if (exists) throw new AppError('conflict', `source ${input.id} already exists`);
    res.status(201).json({ data: presentSource(await createSource(deps.db, input)) });
  });

  router.get('/:id', async (req, res) => {
    res.json({ data: presentSource(await getSource(deps.db, req.params.id!)) });
  });

  router.post('/:id/poll', async (req, res) => {
    await getSource(deps.db, req.params.id!);
    res.json({ data: await deps.pollNow(req.params.id!) });
  });

  return router;
}
