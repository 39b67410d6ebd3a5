/** /api/v1/usage: machine-translation cost, budget, memory savings and quota state (editors and up). */
import { Router } from 'express';
import { usageReport, type UsageReportDeps } from '../../translate/usage-report.ts';
import { requireRole } from '../auth.ts';

export type UsageDeps = { usage: UsageReportDeps };

export function usageRouter(deps: UsageDeps): Router {
  const router = Router();
  router.use(requireRole('editor'));
  router.get('/', async (_req, res) => {
    res.json({ data: await usageReport(deps.usage) });
  });
  return router;
}
