/**
 * The dashboard (editors and admins): the figures of src/ops/figures.ts — the same ones /metrics
 * reports — at a glance, with SVG charts where a picture reads faster than a table.
 */
import { Router } from 'express';
import type { AudienceConfig } from '../../../core/audience.ts';
import type { Clock } from '../../../core/clock.ts';
import { barChart, columnChart } from '../../../ops/charts.ts';
import { allFigures, stages, type AllFigures, type DashboardDeps } from '../../../ops/figures.ts';
import { translationStates } from '../../../core/workflow.ts';
import { falseClaimPanel } from '../../../review/monitor/false-claim-follow-up.ts';
import { listUnits, unitName, type UnitRow } from '../../../store/units.ts';
import type { BudgetState } from '../../../translate/budgets.ts';
import { requirePage } from '../context.ts';
import { renderPage } from '../render.ts';

export interface DashboardPageDeps extends DashboardDeps {
  clock: Clock;
  audiences: readonly AudienceConfig[];
  /** The monthly budgets this month: those at 80 % or more are warned of at the top. */
  budgets(): Promise<BudgetState[]>;
}

type T = (key: string, options?: Record<string, unknown>) => string;

/** Seconds as people read a delay: "45 s", "12 min", "3 h 05 min", "2 d 4 h". */
export function duration(seconds: number, t: T): string {
  const s = Math.round(seconds);
  if (s < 60) return t('dashboard:duration.seconds', { s });
  const m = Math.round(s / 60);
  if (m < 60) return t('dashboard:duration.minutes', { m });
  const h = Math.floor(m / 60);
  if (h < 48) return t('dashboard:duration.hours', { h, m: String(m % 60).padStart(2, '0') });
  return t('dashboard:duration.days', { d: Math.floor(h / 24), h: h % 24 });
}

/** The charts and tables of the page, from the figures: pure, so it can be read without a database. */
export function dashboardView(f: AllFigures, audiences: readonly string[], t: T, lang: string) {
  const number = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB');
  const n = (v: number) => number.format(v);
  const ids = [...new Set([...audiences, ...f.backlog.map((b) => b.audience), ...f.timing.map((x) => x.audience)])];

  const states = translationStates.filter((s) => f.backlog.some((b) => b.state === s));
  const backlogRows = ids.filter((a) => f.backlog.some((b) => b.audience === a)).map((a) => ({
    label: a, values: states.map((s) => f.backlog.find((b) => b.audience === a && b.state === s)?.count ?? 0),
  }));
  const backlogChart = barChart({
    id: 'chart-backlog', title: t('dashboard:backlog.chartTitle'), desc: t('dashboard:backlog.chartDesc'), stacked: true,
    series: states.map((s) => ({ key: s, label: t(`ui:state.${s}`) })), rows: backlogRows, format: n, empty: t('dashboard:empty'),
  });

  const timingChart = (window: 'day' | 'week') => barChart({
    id: `chart-timing-${window}`, title: t(`dashboard:timing.chartTitle.${window}`), desc: t('dashboard:timing.chartDesc'), stacked: false,
    series: [{ key: 'p50', label: t('dashboard:timing.p50') }, { key: 'p95', label: t('dashboard:timing.p95') }],
    rows: ids.flatMap((a) => stages.flatMap((stage) => {
      const x = f.timing.find((r) => r.audience === a && r.stage === stage && r.window === window);
      return x ? [{ label: `${a} · ${t(`dashboard:stage.${stage}`)}`, values: [x.p50 ?? 0, x.p95 ?? 0] }] : [];
    })),
    format: (s) => duration(s, t), empty: t('dashboard:timing.none'),
  });

  let costChart: string | undefined;
  if (f.cost) {
    // cumulative characters billed through each day of the month, against the monthly budget
    const byDay = new Map<string, number>();
    for (const d of f.cost.days) byDay.set(d.day, (byDay.get(d.day) ?? 0) + d.billedCharacters);
    let total = 0;
    const points = [...byDay].sort(([a], [b]) => a.localeCompare(b)).map(([day, v]) => ({ label: day.slice(8), value: (total += v) }));
    costChart = columnChart({
      id: 'chart-cost', title: t('dashboard:cost.chartTitle', { month: f.cost.month }), desc: t('dashboard:cost.chartDesc'),
      points, limit: f.cost.budget === null ? undefined : { value: f.cost.budget, label: t('dashboard:cost.budget') }, format: n, empty: t('dashboard:cost.none'),
    });
  }
  return { backlogChart, states, backlogRows, timingDay: timingChart('day'), timingWeek: timingChart('week'), costChart, n, duration: (s: number) => duration(s, t) };
}

/** The unit a page was asked for (`?unit=`), with its name in the reader's language; an unknown one is no filter. */
export function chosenUnit(units: readonly UnitRow[], raw: unknown, lang: string): { id: string; name: string } | undefined {
  const u = typeof raw === 'string' ? units.find((x) => x.id === raw) : undefined;
  return u && { id: u.id, name: unitName(u, lang) };
}

export function dashboardRouter(deps: DashboardPageDeps): Router {
  const router = Router();
  router.get('/dashboard', requirePage('editor'), async (req, res) => {
    const t = res.locals.t as T;
    const lang = res.locals.lang as string;
    const now = deps.clock();
    const units = await listUnits(deps.db);
    const unit = chosenUnit(units, req.query.unit, lang);
    const [figures, claims, budgets] = await Promise.all([allFigures(deps, now, unit?.id), falseClaimPanel(deps.db, now), deps.budgets()]);
    const view = dashboardView(figures, deps.audiences.map((a) => a.id), t, lang);
    renderPage(res, 'dashboard', { title: t('dashboard:title'), f: figures, v: view, stages, now, slaMinutes: deps.slaMinutes, claims, units, unit, warnings: budgets.filter((b) => b.level !== 'ok') });
  });
  return router;
}
