/**
 * /api/v1/monitoring/items and /api/v1/watch-terms: what foreign outlets say, read in Vietnamese,
 * and the watch list editors keep. Editors read and change both; nothing here publishes.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import { listMonitoredItems, type MonitoredItem } from '../../review/monitor/monitored-items.ts';
import { createWatchTerm, formsOf, getWatchTerm, listWatchTerms, removeWatchTerm, updateWatchTerm, watchTermActivity, watchTermSchema } from '../../review/monitor/watch-terms.ts';
import type { Db } from '../../store/db.ts';
import type { WatchTermRow } from '../../store/schema-monitoring.ts';
import { actorOf, requireRole } from '../auth.ts';
import { intParam, parse } from '../http.ts';

export interface MonitoringApiDeps { db: Db; clock: Clock }

const itemsQuery = z.object({
  matching: z.enum(['0', '1', 'true', 'false']).optional(),
  term: z.coerce.number().int().positive().optional(),
  source: z.string().max(100).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const presentMonitoredItem = (i: MonitoredItem) => ({
  id: i.id, source: i.sourceId, outlet: i.outlet, reach: i.reach, language: i.language, url: i.url,
  title: i.title, summary: i.summary, publishedAt: i.publishedAt, firstSeenAt: i.firstSeenAt,
  vietnamese: i.vi ? { title: i.vi.title, summary: i.vi.summary, bodyHtml: i.vi.bodyHtml, current: i.vi.current } : null,
  untranslatedBecause: i.viError, untranslatedReasons: i.viReasons, watchTerms: i.terms, outlets: i.outlets,
});

const presentTerm = (t: WatchTermRow, activity?: { items: number; lastAt: Date | null }) => ({
  id: t.id, label: t.label, kind: t.kind, priority: t.priority, forms: formsOf(t), createdBy: t.created_by, createdAt: t.created_at, updatedAt: t.updated_at,
  ...(activity ? { matchedItems: activity.items, lastMatchedAt: activity.lastAt } : {}),
});

export function monitoringRouter(deps: MonitoringApiDeps): Router {
  const router = Router();
  router.use(requireRole('editor'));
  router.get('/items', async (req, res) => {
    const q = parse(itemsQuery, req.query);
    const rows = await listMonitoredItems(deps.db, { matching: q.matching === '1' || q.matching === 'true', termId: q.term, sourceId: q.source, beforeId: q.before, limit: q.limit });
    res.json({ data: rows.map(presentMonitoredItem), page: { next: rows.length === q.limit ? `before=${rows.at(-1)!.id}` : null } });
  });

  return router;
}

export function watchTermsRouter(deps: MonitoringApiDeps): Router {
  const router = Router();
  router.use(requireRole('editor'));
  router.get('/', async (_req, res) => {
    const activity = await watchTermActivity(deps.db);
    res.json({ data: (await listWatchTerms(deps.db)).map((t) => presentTerm(t, activity.get(t.id) ?? { items: 0, lastAt: null })) });
  });

  router.post('/', async (req, res) => {
    const row = await createWatchTerm(deps, parse(watchTermSchema, req.body), actorOf(req.identity));
    res.status(201).location(`/api/v1/watch-terms/${row.id}`).json({ data: presentTerm(row) });
  });

  router.get('/:id', async (req, res) => {
    res.json({ data: presentTerm(await getWatchTerm(deps.db, intParam(req, 'id'))) });
  });

  router.put('/:id', async (req, res) => {
    res.json({ data: presentTerm(await updateWatchTerm(deps, intParam(req, 'id'), parse(watchTermSchema, req.body))) });
  });

  router.delete('/:id', async (req, res) => {
    await removeWatchTerm(deps, intParam(req, 'id'));
    res.status(204).end();
  });
  return router;
}
