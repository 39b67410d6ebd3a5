/**
 * The planning actions in the API (the desk's planning page does the same through review/planning.ts):
 * incoming stories with their per-audience routes and costs, translate/skip choices one by one or
 * in bulk, a story's priority, a whole story taken down or embargoed, one audience translated again.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Planning, PlanningStory } from '../../review/planning.ts';
import { actorOf, requireRole } from '../auth.ts';
import { decodeCursor, encodeCursor, intParam, pageQuery, parse } from '../http.ts';

export interface PlanningApiDeps { planning: Planning }

const listQuery = pageQuery.extend({
  waiting: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  audience: z.union([z.string(), z.array(z.string())]).optional().transform((v) => (v === undefined ? undefined : [v].flat())),
});
const choiceBody = z.object({ choice: z.enum(['take', 'skip']) });
const choicesBody = z.object({
  choices: z.array(z.object({ storyId: z.number().int().positive(), audience: z.string().min(1), choice: z.enum(['take', 'skip']) })).min(1).max(500),
});
const priorityBody = z.object({ priority: z.boolean() });
const withdrawBody = z.object({ reason: z.string().trim().min(1, 'a takedown needs a reason') });
const embargoBody = z.object({ until: z.iso.datetime({ offset: true }).nullable() });

export function presentPlanningStory(s: PlanningStory) {
  return {
    id: s.id, title: s.title, category: s.category, sourceId: s.sourceId, sourceName: s.sourceName, priority: s.priority,
    duplicateOf: s.duplicateOf, ingestedAt: s.ingestedAt, embargoUntil: s.embargoUntil, length: s.length,
    audiences: s.cells.map((c) => ({
      audience: c.audience, status: c.status, cost: c.cost,
      route: c.route ? { choice: c.route.choice, rule: c.route.rule, decidedBy: c.route.decided_by, reason: c.route.reason } : null,
      translation: c.translation ? { id: c.translation.id, state: c.translation.state, error: c.translation.error, attempts: c.translation.mt_attempts, waiting: c.translation.mt_waiting } : null,
    })),
  };
}

export function planningRouter(deps: PlanningApiDeps): Router {
  const router = Router();
  const editor = requireRole('editor');

  router.get('/planning', editor, async (req, res) => {
    const q = parse(listQuery, req.query);
    const page = await deps.planning.list({ waiting: q.waiting, limit: q.limit, before: decodeCursor(q.cursor), audiences: q.audience });
    res.json({ data: page.stories.map(presentPlanningStory), page: { next: page.next ? encodeCursor({ id: page.next.id }, page.next.at) : null } });
  });

  router.post('/planning/choices', editor, async (req, res) => {
    const { choices } = parse(choicesBody, req.body ?? {});
    res.json({ data: await deps.planning.choose(choices, actorOf(req.identity)) });
  });

  router.post('/stories/:id/routes/:audience', editor, async (req, res) => {
    const { choice } = parse(choiceBody, req.body ?? {});
    const [outcome] = await deps.planning.choose([{ storyId: intParam(req, 'id'), audience: String(req.params.audience), choice }], actorOf(req.identity));
    res.json({ data: outcome });
  });

  router.put('/stories/:id/priority', editor, async (req, res) => {
    const { priority } = parse(priorityBody, req.body ?? {});
    const id = intParam(req, 'id');
    res.json({ data: { storyId: id, priority, ...(await deps.planning.setPriority(id, priority, actorOf(req.identity))) } });
  });

  router.post('/stories/:id/withdraw', editor, async (req, res) => {
    const { reason } = parse(withdrawBody, req.body ?? {});
    const id = intParam(req, 'id');
    res.json({ data: { storyId: id, withdrawn: await deps.planning.takeDown(id, reason, actorOf(req.identity)) } });
  });

  // every audience's translation of the story, those created later too, not public before `until`
  router.put('/stories/:id/embargo', editor, async (req, res) => {
    const { until } = parse(embargoBody, req.body ?? {});
    const id = intParam(req, 'id');
    const at = until ? new Date(until) : null;
    res.json({ data: { storyId: id, until: at, ...(await deps.planning.embargo(id, at, actorOf(req.identity))) } });
  });

  return router;
}
