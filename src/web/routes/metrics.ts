/** GET /metrics: Prometheus text format, for a scraper holding an editor or admin bearer token. */
import { Router } from 'express';
import { createMetrics, type MetricsDeps } from '../../ops/metrics.ts';
import { requireRole } from '../auth.ts';

export function metricsRouter(deps: MetricsDeps): Router {
  const registry = createMetrics(deps);
  const router = Router();
  router.get('/', requireRole('editor'), async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
