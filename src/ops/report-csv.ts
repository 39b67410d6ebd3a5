/**
 * The periodic report as CSV (RFC 4180): one row per figure, in long form — section, item,
 * measure, value — so a spreadsheet can pivot it and a script can read it without knowing the
 * layout. Measures are stable codes, not words; times are ISO 8601 UTC, durations seconds. Pure.
 */
import type { PeriodReport } from './report.ts';

const cell = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function renderReportCsv(r: PeriodReport): string {
  const rows: (string | number | null)[][] = [['section', 'item', 'measure', 'value']];
  const add = (section: string, item: string, measure: string, value: string | number | null) => rows.push([section, item, measure, value]);
  add('range', '', 'from', r.range.from.toISOString());
  add('range', '', 'to', r.range.to.toISOString());
  add('range', '', 'unit', r.unit ?? '');
  add('stories', '', 'received', r.stories.received);
  add('stories', '', 'priority', r.stories.priority);
  for (const s of r.stories.bySource) add('stories_by_source', s.source, 'received', s.count);
  for (const a of r.audiences) {
    add('audience', a.audience, 'machine_drafts', a.machineDrafts);
    add('audience', a.audience, 'approved', a.approved);
    add('audience', a.audience, 'published', a.published);
    add('audience', a.audience, 'corrections', a.corrections);
    add('audience', a.audience, 'withdrawals', a.withdrawals);
    add('audience', a.audience, 'ingest_to_publication_p50_seconds', a.publishP50);
    add('audience', a.audience, 'ingest_to_publication_p95_seconds', a.publishP95);
    add('audience', a.audience, 'priority_reviewed', a.priorityReviewed);
    add('audience', a.audience, 'priority_late', a.priorityLate);
  }
  add('deadline', '', 'priority_review_minutes', r.slaMinutes);
  for (const t of r.takedowns) rows.push([t.kind, `${t.audience} #${t.translationId}`, `${t.at.toISOString()} ${t.actor}`, t.reason]);
  for (const c of r.social) {
    add('social', c.channel, 'sent', c.sent);
    add('social', c.channel, 'failed', c.failed);
  }
  for (const p of r.partners) add('partner_pulls_since_added', p.partner, 'pulls', p.pulls);
  for (const m of r.characters.months) {
    add('characters', m.month, 'billed', m.billed);
    add('characters', m.month, 'memory_saved', m.memorySaved);
  }
  add('characters', '', 'billed_total', r.characters.billed);
  add('characters', '', 'monthly_budget', r.characters.monthlyBudget);
  for (const q of r.qa) {
    add('qa_findings', q.check, 'errors', q.errors);
    add('qa_findings', q.check, 'overridden', q.overridden);
    add('qa_findings', q.check, 'refused', q.errors - q.overridden);
  }
  return `${rows.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}
