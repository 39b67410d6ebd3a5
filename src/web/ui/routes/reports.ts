/**
 * Periodic reports (editors and admins): a month, a quarter, a year or any span of days in the
 * person's zone, as a page that prints cleanly (the print stylesheet leaves out the desk's chrome)
 * and as CSV (/ui/reports.csv with the same query).
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../../../core/clock.ts';
import { periodReport, type ReportDeps } from '../../../ops/report.ts';
import { renderReportCsv } from '../../../ops/report-csv.ts';
import { requirePage } from '../context.ts';
import { addDays, dayRange, localInput, type Formats } from '../format.ts';
import { renderPage } from '../render.ts';
import { listUnits } from '../../../store/units.ts';
import { chosenUnit, duration } from './dashboard.ts';

export interface ReportPageDeps extends ReportDeps { clock: Clock }

type T = (key: string, options?: Record<string, unknown>) => string;

const day = /^\d{4}-\d{2}-\d{2}$/;
const query = z.object({ from: z.string().regex(day).optional().catch(undefined), to: z.string().regex(day).optional().catch(undefined) });

const pad = (n: number) => String(n).padStart(2, '0');
/** The month `index` (year × 12 + month − 1) as its first day. */
const monthDay = (index: number) => `${Math.floor(index / 12)}-${pad((index % 12) + 1)}-01`;

/** Calendar periods around today (in the person's zone), as from/to days, `to` included. */
export function periodPresets(today: string) {
  const [y, m] = today.split('-').map(Number);
  const month = y! * 12 + m! - 1;
  const quarter = month - (month % 3);
  const span = (key: string, start: number, months: number, label: Record<string, unknown>) =>
    ({ key, from: monthDay(start), to: addDays(monthDay(start + months), -1), label });
  return [
    span('month', month, 1, { month: monthDay(month).slice(0, 7) }),
    span('lastMonth', month - 1, 1, { month: monthDay(month - 1).slice(0, 7) }),
    span('quarter', quarter, 3, { q: (quarter % 12) / 3 + 1, year: Math.floor(quarter / 12) }),
    span('lastQuarter', quarter - 3, 3, { q: (((quarter - 3) % 12) + 12) % 12 / 3 + 1, year: Math.floor((quarter - 3) / 12) }),
    span('year', y! * 12, 12, { year: y }),
    span('lastYear', (y! - 1) * 12, 12, { year: y! - 1 }),
  ];
}

export function reportsRouter(deps: ReportPageDeps): Router {
  const router = Router();
  const rangeOf = (q: z.infer<typeof query>, zone: string) => {
    const today = localInput(deps.clock(), zone).slice(0, 10);
    // without a choice: the current month so far
    return dayRange({ from: q.from ?? `${today.slice(0, 7)}-01`, to: q.to ?? today }, deps.clock(), zone);
  };

  router.get('/reports', requirePage('editor'), async (req, res) => {
    const t = res.locals.t as T;
    const fmt = res.locals.fmt as Formats;
    const range = rangeOf(query.parse(req.query), fmt.timeZone);
    const units = await listUnits(deps.db);
    const unit = chosenUnit(units, req.query.unit, res.locals.lang as string);
    const report = await periodReport(deps, { from: range.from, to: range.to }, unit?.id);
    const presets = periodPresets(localInput(deps.clock(), fmt.timeZone).slice(0, 10));
    renderPage(res, 'report', {
      title: t('reports:title'), report, range, presets, generatedAt: deps.clock(), units, unit,
      csv: `/ui/reports.csv?${new URLSearchParams({ from: range.fromDay, to: range.toDay, ...(unit ? { unit: unit.id } : {}) })}`,
      duration: (s: number | null) => (s === null ? '–' : duration(s, t)),
    });
  });

  router.get('/reports.csv', requirePage('editor'), async (req, res) => {
    const fmt = res.locals.fmt as Formats;
    const range = rangeOf(query.parse(req.query), fmt.timeZone);
    const unit = chosenUnit(await listUnits(deps.db), req.query.unit, res.locals.lang as string);
    const report = await periodReport(deps, { from: range.from, to: range.to }, unit?.id);
    res.type('text/csv; charset=utf-8').set('content-disposition', `attachment; filename="report-${range.fromDay}-${range.toDay}${unit ? `-${unit.id}` : ''}.csv"`)
      .set('cache-control', 'no-store').send(renderReportCsv(report));
  });
  return router;
}
