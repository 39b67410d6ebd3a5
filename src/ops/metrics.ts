/**
 * /metrics in the Prometheus text format (prom-client). Gauges are filled from the database at
 * each scrape (src/ops/figures.ts), so every instance reports the same numbers and nothing is lost
 * across restarts; process metrics are this instance's own.
 */
import client from 'prom-client';
import type { Db } from '../store/db.ts';
import { backlog, sourceHealth, throughput, timeToPublish } from './figures.ts';

export interface MetricsDeps { db: Db; clock: () => Date }

export function createMetrics(deps: MetricsDeps): client.Registry {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'doingoai_' });

  new client.Gauge({
    name: 'doingoai_translations', help: 'Translations by audience and state (the backlog).', labelNames: ['audience', 'state'], registers: [registry],
    async collect() {
      this.reset();
      for (const b of await backlog(deps.db)) this.set({ audience: b.audience, state: b.state }, b.count);
    },
  });
  new client.Gauge({
    name: 'doingoai_time_to_stage_seconds', help: 'Time from ingestion to each stage, p50 and p95, over the last day and week.',
    labelNames: ['audience', 'stage', 'window', 'quantile'], registers: [registry],
    async collect() {
      this.reset();
      for (const t of await timeToPublish(deps.db, deps.clock())) {
        if (t.p50 !== null) this.set({ audience: t.audience, stage: t.stage, window: t.window, quantile: '0.5' }, t.p50);
        if (t.p95 !== null) this.set({ audience: t.audience, stage: t.stage, window: t.window, quantile: '0.95' }, t.p95);
      }
    },
  });
  new client.Gauge({
    name: 'doingoai_source_consecutive_failures', help: 'Consecutive failed polls per source (0 is healthy).', labelNames: ['source'], registers: [registry],
    async collect() {
      this.reset();
      for (const s of await sourceHealth(deps.db)) this.set({ source: s.id }, s.consecutiveFailures);
    },
  });
  new client.Gauge({
    name: 'doingoai_person_actions', help: 'Edits and approvals per person over the last day and week.', labelNames: ['person', 'window', 'action'], registers: [registry],
    async collect() {
      this.reset();
      for (const t of await throughput(deps.db, deps.clock())) {
        this.set({ person: t.person, window: t.window, action: 'edit' }, t.edits);
        this.set({ person: t.person, window: t.window, action: 'approve' }, t.approvals);
      }
    },
  });
  return registry;
}
