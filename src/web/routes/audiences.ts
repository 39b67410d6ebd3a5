/**
 * /api/v1/audiences (admins): each audience's routing and monthly budget as in force, where each
 * comes from (the desk or the configuration), and the same changes the desk's routing page makes,
 * through review/audience-routing.ts.
 */
import { Router } from 'express';
import { z } from 'zod';
import { routingSchema } from '../../core/routing.ts';
import type { AudienceRouting } from '../../review/audience-routing.ts';
import type { AudienceSettings } from '../../store/audience-settings.ts';
import type { BudgetState } from '../../translate/budgets.ts';
import { actorOf, requireRole } from '../auth.ts';
import { parse } from '../http.ts';

export interface AudiencesApiDeps { audienceRouting: { desk: AudienceRouting; settings: AudienceSettings; budgets(): Promise<BudgetState[]> } }

// null: back to the configuration's routing
const routingBody = z.object({ routing: routingSchema.nullable() });
// null: no budget; "configuration": back to the file's
const budgetBody = z.object({ monthlyCharacters: z.union([z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), z.null(), z.literal('configuration')]) });

export function audiencesRouter(deps: AudiencesApiDeps): Router {
  const router = Router();
  const admin = requireRole('admin');
  const { desk, settings } = deps.audienceRouting;
  const present = async (id: string, states?: BudgetState[]) => {
    const state = (states ?? await deps.audienceRouting.budgets()).find((b) => b.audienceId === id);
    const routing = settings.routingOf(id);
    const budget = settings.budgetOf(id);
    return {
      audience: id,
      routing: { origin: routing.origin, version: routing.version, updatedBy: routing.updatedBy, updatedAt: routing.updatedAt, ...routing.routing },
      // this month's billing against it, and its level (ok, near: 80 %, spent: 100 %)
      budget: { origin: budget.origin, monthlyCharacters: budget.monthlyCharacters ?? null, updatedBy: budget.updatedBy, updatedAt: budget.updatedAt, billed: state?.billed ?? null, level: state?.level ?? null },
    };
  };

  router.get('/', admin, async (_req, res) => {
    const states = await deps.audienceRouting.budgets();
    res.json({ data: await Promise.all(settings.audiences.map((a) => present(a.id, states))) });
  });

  router.put('/:id/routing', admin, async (req, res) => {
    const { routing } = parse(routingBody, req.body ?? {});
    await desk.replace(String(req.params.id), routing, actorOf(req.identity));
    res.json({ data: await present(String(req.params.id)) });
  });

  router.put('/:id/budget', admin, async (req, res) => {
    const { monthlyCharacters } = parse(budgetBody, req.body ?? {});
    await desk.setBudget(String(req.params.id), monthlyCharacters, actorOf(req.identity));
    res.json({ data: await present(String(req.params.id)) });
  });

  return router;
}
