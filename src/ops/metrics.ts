/**
 * /metrics in the Prometheus text format (prom-client). Gauges are filled from the database at
 * each scrape (src/ops/figures.ts), so every instance reports the same numbers and nothing is lost
 * across restarts; process metrics are this instance's own.
 */
import client from 'prom-client';
import type { Clock } from '../core/clock.ts';
import type { Db } from '../store/db.ts';
import type { UsageReportDeps } from '../translate/usage-report.ts';
import { backlog, channelHealth, partnerPulls, qaFound, qaOverrides, slaBreaches, sourceHealth, stageHistograms, throughput, translationCost, type StageSource } from './figures.ts';

export interface MetricsDeps {
  db: Db;
  clock: Clock;
  /** review.slaMinutes: the deadline of priority stories (60 when not given). */
  slaMinutes?: number | undefined;
  /** Without it the machine-translation cost gauges are left out. */
  usage?: UsageReportDeps | undefined;
  /** Where the figures are read (the rollups unless the benchmark compares). */
  stageSource?: StageSource | undefined;
}

/** Labels stay few: audiences, states, stages, windows, checks, sources, partners and people are all short, configured lists. */
type Setter = { set(labels: Record<string, string>, value: number): void };

/**
 * Gauges are collected in parallel at a scrape: those fed by one query share it while it runs
 * (one read per scrape, the same numbers in each gauge).
 */
function shared<T>(read: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => (pending ??= read().finally(() => { pending = undefined; }));
}

export function createMetrics(deps: MetricsDeps): client.Registry {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'doingoai_' });

  new client.Gauge({
    name: 'doingoai_translations', help: 'Translations by audience and state (the backlog).', labelNames: ['audience', 'state'], registers: [registry],
    async collect() {
      this.reset();
      for (const b of await backlog(deps.db, undefined, deps.stageSource)) this.set({ audience: b.audience, state: b.state }, b.count);
    },
  });
  registry.registerMetric(stageHistogram(deps));
  new client.Gauge({
    name: 'doingoai_source_consecutive_failures', help: 'Consecutive failed polls per source (0 is healthy).', labelNames: ['source'], registers: [registry],
    async collect() {
      this.reset();
      for (const s of await sourceHealth(deps.db)) this.set({ source: s.id }, s.consecutiveFailures);
    },
  });
  const channelsNow = shared(() => channelHealth(deps.db));
  new client.Gauge({
    name: 'doingoai_social_channel_active', help: 'Whether a social channel can post (1 active; 0 broken, not configured or disabled).', labelNames: ['channel'], registers: [registry],
    async collect() {
      this.reset();
      for (const c of await channelsNow()) this.set({ channel: c.id }, c.status === 'active' ? 1 : 0);
    },
  });
  new client.Gauge({
    name: 'doingoai_social_posts_failed', help: 'Posts that failed per social channel (each waits for a person to post it again or cancel it).', labelNames: ['channel'], registers: [registry],
    async collect() {
      this.reset();
      for (const c of await channelsNow()) this.set({ channel: c.id }, c.failed);
    },
  });
  new client.Gauge({
    name: 'doingoai_person_actions', help: 'Edits and approvals per person over the last day and week.', labelNames: ['person', 'window', 'action'], registers: [registry],
    async collect() {
      this.reset();
      for (const t of await throughput(deps.db, deps.clock(), undefined, deps.stageSource)) {
        this.set({ person: t.person, window: t.window, action: 'edit' }, t.edits);
        this.set({ person: t.person, window: t.window, action: 'approve' }, t.approvals);
      }
    },
  });
  const sla = deps.slaMinutes ?? 60;
  const slaNow = shared(() => slaBreaches(deps.db, deps.clock(), sla));
  const qaNow = shared(() => qaOverrides(deps.db, deps.clock()));
  new client.Gauge({
    name: 'doingoai_priority_reviews', help: 'Priority translations first approved in the window, in time or after review.slaMinutes from ingestion.',
    labelNames: ['audience', 'window', 'outcome'], registers: [registry],
    async collect() {
      this.reset();
      for (const r of (await slaNow()).reviews) {
        this.set({ audience: r.audience, window: r.window, outcome: 'in_time' }, r.reviewed - r.late);
        this.set({ audience: r.audience, window: r.window, outcome: 'late' }, r.late);
      }
    },
  });
  new client.Gauge({
    name: 'doingoai_priority_overdue', help: 'Open translations of priority stories past their review deadline now.', labelNames: ['audience'], registers: [registry],
    async collect() {
      this.reset();
      for (const r of (await slaNow()).overdue) this.set({ audience: r.audience }, r.count);
    },
  });
  new client.Gauge({
    name: 'doingoai_qa_errors_found', help: 'QA errors found at approval (refused or overridden; each text version once) over the last day and week.', labelNames: ['audience', 'window'], registers: [registry],
    async collect() {
      this.reset();
      for (const r of await qaFound(deps.db, deps.clock())) this.set({ audience: r.audience, window: r.window }, r.errors);
    },
  });
  new client.Gauge({
    name: 'doingoai_qa_overrides', help: 'Approvals despite QA errors over the last day and week.', labelNames: ['audience', 'window'], registers: [registry],
    async collect() {
      this.reset();
      for (const r of (await qaNow()).byAudience) this.set({ audience: r.audience, window: r.window }, r.overrides);
    },
  });
  new client.Gauge({
    name: 'doingoai_qa_errors_overridden', help: 'QA errors approved despite, per check, over the last day and week.', labelNames: ['check', 'window'], registers: [registry],
    async collect() {
      this.reset();
      for (const r of (await qaNow()).byCheck) this.set({ check: r.check, window: r.window }, r.errors);
    },
  });
  new client.Gauge({
    name: 'doingoai_partner_feed_pulls', help: 'Feed requests per partner outlet since it was added.', labelNames: ['partner'], registers: [registry],
    async collect() {
      this.reset();
      for (const p of await partnerPulls(deps.db)) this.set({ partner: p.partner }, p.pulls);
    },
  });
  if (deps.usage) costGauges(registry, { ...deps.usage, clock: deps.clock });
  return registry;
}

/**
 * Time from ingestion to each stage as a Prometheus histogram (cumulative buckets, sum and count
 * since the start), per audience and stage: quantiles over any range are Prometheus' own, e.g.
 * histogram_quantile(0.95, rate(doingoai_time_to_stage_seconds_bucket[1d])). prom-client's
 * Histogram only counts observations made in this process, so the rows come from the database.
 */
function stageHistogram(deps: MetricsDeps): client.Metric {
  const name = 'doingoai_time_to_stage_seconds';
  const help = 'Time from ingestion to the machine draft, the first approval, the first publication and the first social post, since the start.';
  return {
    name, help, type: 'histogram', aggregator: 'sum',
    async get() {
      const values = (await stageHistograms(deps.db, deps.stageSource)).flatMap((h) => {
        const labels = { audience: h.audience, stage: h.stage };
        return [
          ...h.buckets.map((b) => ({ metricName: `${name}_bucket`, labels: { ...labels, le: b.le === Infinity ? '+Inf' : b.le }, value: b.count })),
          { metricName: `${name}_sum`, labels, value: h.sum },
          { metricName: `${name}_count`, labels, value: h.count },
        ];
      });
      return { name, help, type: 'histogram' as const, aggregator: 'sum' as const, values };
    },
    // prom-client types registerMetric for its own four classes; its registry reads only name and get()
  } as unknown as client.Metric;
}

/** Machine-translation cost this (UTC) month, from the same report as /api/v1/usage: one read per scrape. */
function costGauges(registry: client.Registry, usage: UsageReportDeps): void {
  const report = shared(() => translationCost(usage));
  const gauge = (name: string, help: string, labelNames: string[], fill: (g: Setter, r: Awaited<ReturnType<typeof report>>) => void) =>
    new client.Gauge({
      name, help, labelNames, registers: [registry],
      async collect() {
        const r = await report();
        this.reset();
        fill(this, r);
      },
    });
  gauge('doingoai_mt_billed_characters', 'Characters billed by the translation provider this (UTC) month.', ['audience'],
    (g, r) => r.audiences.forEach((a) => g.set({ audience: a.audience }, a.billedCharacters)));
  gauge('doingoai_mt_memory_characters_saved', 'Characters the translation memory saved this month.', ['audience'],
    (g, r) => r.audiences.forEach((a) => g.set({ audience: a.audience }, a.memoryCharactersSaved)));
  gauge('doingoai_mt_memory_hits', 'Segments taken from the translation memory this month.', ['audience'],
    (g, r) => r.audiences.forEach((a) => g.set({ audience: a.audience }, a.memoryHits)));
  gauge('doingoai_mt_budget_characters', 'translation.monthlyCharacterBudget (absent when no budget is set).', [],
    (g, r) => { if (r.budget !== null) g.set({}, r.budget); });
  gauge('doingoai_mt_provider_characters', "The provider's own count of characters used this period, and its limit.", ['provider', 'kind'], (g, r) => {
    for (const p of r.providers) {
      if (p.characterCount !== null) g.set({ provider: p.provider, kind: 'used' }, p.characterCount);
      if (p.characterLimit !== null) g.set({ provider: p.provider, kind: 'limit' }, p.characterLimit);
    }
  });
  gauge('doingoai_mt_quota_exhausted', "1 while the provider's quota is exhausted.", ['provider'],
    (g, r) => r.providers.forEach((p) => g.set({ provider: p.provider }, p.quotaExhausted ? 1 : 0)));
}
