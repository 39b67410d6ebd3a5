/**
 * Small server-rendered SVG charts for the dashboard: data in, an SVG string out. No scripts and
 * no style attributes (the pages' Content-Security-Policy refuses inline styles): colours are SVG
 * presentation attributes. Every chart is an image with a <title> and <desc> (role="img",
 * aria-labelledby), each bar carries its value in its own <title>, and the page shows the same
 * numbers in a table beside it. Colours are dark enough for 3:1 against white and are told apart
 * by the legend's order as well as by hue.
 */
import { escapeXml } from '../core/escape.ts';

export interface Series { key: string; label: string }
export interface BarRow { label: string; values: readonly number[] }

export interface BarChartInput {
  /** Unique on the page: the ids of <title> and <desc> are made from it. */
  id: string;
  title: string;
  desc: string;
  series: readonly Series[];
  rows: readonly BarRow[];
  /** Stacked: one bar per row, series end to end. Grouped: one thin bar per series. */
  stacked: boolean;
  format?: (n: number) => string;
  /** Shown instead of bars when there are no rows. */
  empty: string;
  width?: number;
}

export interface ColumnChartInput {
  id: string;
  title: string;
  desc: string;
  points: readonly { label: string; value: number }[];
  /** A horizontal line, e.g. the monthly budget. */
  limit?: { value: number; label: string } | undefined;
  format?: (n: number) => string;
  empty: string;
  width?: number;
}

/** Blue, amber, green, violet, red, grey, teal, brown: each at least 3:1 against white. */
export const palette = ['#0b5394', '#a35200', '#17703a', '#6b3fa0', '#b3261e', '#4b5563', '#0f6e75', '#7a4f1d'] as const;
const ink = '#1a1a1a';
const grid = '#8a8a8a';

const plain = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
const px = (n: number) => Number(n.toFixed(1));
const safeId = (id: string) => id.replace(/[^A-Za-z0-9_-]/g, '-');

function frame(id: string, title: string, desc: string, width: number, height: number, body: string): string {
  const i = safeId(id);
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="${i}" role="img" aria-labelledby="${i}-title ${i}-desc" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="12">`
    + `<title id="${i}-title">${escapeXml(title)}</title><desc id="${i}-desc">${escapeXml(desc)}</desc>${body}</svg>`;
}

/** Swatches and labels in rows that fit `width`; returns the SVG and the height it takes. */
function legend(series: readonly Series[], x0: number, width: number): { svg: string; height: number } {
  let x = x0;
  let y = 14;
  const items = series.map((s, k) => {
    const w = 24 + s.label.length * 6.5;
    if (x > x0 && x + w > width) {
      x = x0;
      y += 18;
    }
    const item = `<rect x="${px(x)}" y="${y - 10}" width="12" height="12" fill="${palette[k % palette.length]}"/><text x="${px(x + 16)}" y="${y}" fill="${ink}">${escapeXml(s.label)}</text>`;
    x += w + 8;
    return item;
  });
  return { svg: items.join(''), height: y + 14 };
}

/** Horizontal bars, one row per label (audiences, stages …), stacked or grouped by series. */
export function barChart(input: BarChartInput): string {
  const width = input.width ?? 640;
  const format = input.format ?? plain;
  const labelWidth = 150;
  const valueWidth = 70;
  if (!input.rows.length) {
    return frame(input.id, input.title, input.desc, width, 40, `<text x="0" y="24" fill="${ink}">${escapeXml(input.empty)}</text>`);
  }
  const barSpan = width - labelWidth - valueWidth;
  const totals = input.rows.map((r) => (input.stacked ? r.values.reduce((a, b) => a + b, 0) : Math.max(0, ...r.values)));
  const max = Math.max(1, ...totals);
  const scale = (v: number) => (v / max) * barSpan;
  const barHeight = input.stacked ? 18 : 12;
  const rowHeight = input.stacked ? 26 : input.series.length * (barHeight + 2) + 10;
  const key = legend(input.series, labelWidth, width);
  const top = key.height;
  const parts: string[] = [key.svg];
  input.rows.forEach((row, r) => {
    const y = top + r * rowHeight;
    parts.push(`<text x="${labelWidth - 8}" y="${px(y + rowHeight / 2)}" text-anchor="end" dominant-baseline="middle" fill="${ink}">${escapeXml(row.label)}</text>`);
    let x = labelWidth;
    row.values.forEach((v, k) => {
      const s = input.series[k];
      if (!s) return;
      const w = scale(Math.max(0, v));
      const by = input.stacked ? y + (rowHeight - barHeight) / 2 : y + 4 + k * (barHeight + 2);
      const bx = input.stacked ? x : labelWidth;
      const tip = `<title>${escapeXml(`${row.label}, ${s.label}: ${format(v)}`)}</title>`;
      if (w > 0) parts.push(`<rect x="${px(bx)}" y="${px(by)}" width="${px(w)}" height="${barHeight}" fill="${palette[k % palette.length]}" stroke="#fff" stroke-width="1">${tip}</rect>`);
      if (!input.stacked) parts.push(`<text x="${px(labelWidth + w + 4)}" y="${px(by + barHeight - 2)}" fill="${ink}">${escapeXml(format(v))}</text>`);
      if (input.stacked) x += w;
    });
    if (input.stacked) parts.push(`<text x="${px(x + 4)}" y="${px(y + rowHeight / 2)}" dominant-baseline="middle" fill="${ink}">${escapeXml(format(totals[r]!))}</text>`);
  });
  const height = top + input.rows.length * rowHeight + 4;
  parts.push(`<line x1="${labelWidth}" y1="${top - 4}" x2="${labelWidth}" y2="${height - 2}" stroke="${grid}"/>`);
  return frame(input.id, input.title, input.desc, width, height, parts.join(''));
}

/** Vertical columns over time (e.g. characters per day), with an optional limit line. */
export function columnChart(input: ColumnChartInput): string {
  const width = input.width ?? 640;
  const format = input.format ?? plain;
  if (!input.points.length) {
    return frame(input.id, input.title, input.desc, width, 40, `<text x="0" y="24" fill="${ink}">${escapeXml(input.empty)}</text>`);
  }
  const left = 70;
  const right = 10;
  const top = 20;
  const plotHeight = 160;
  const bottom = top + plotHeight;
  const max = Math.max(1, input.limit?.value ?? 0, ...input.points.map((p) => p.value)) * 1.05;
  const y = (v: number) => bottom - (Math.max(0, v) / max) * plotHeight;
  const step = (width - left - right) / input.points.length;
  const every = Math.max(1, Math.ceil(input.points.length / 10));
  const parts: string[] = [
    `<line x1="${left}" y1="${bottom}" x2="${width - right}" y2="${bottom}" stroke="${grid}"/>`,
    `<text x="${left - 6}" y="${bottom}" text-anchor="end" fill="${ink}">0</text>`,
    `<text x="${left - 6}" y="${px(top + 4)}" text-anchor="end" fill="${ink}">${escapeXml(format(Math.round(max)))}</text>`,
  ];
  input.points.forEach((p, i) => {
    const x = left + i * step;
    const h = bottom - y(p.value);
    if (h > 0) parts.push(`<rect x="${px(x + step * 0.15)}" y="${px(y(p.value))}" width="${px(step * 0.7)}" height="${px(h)}" fill="${palette[0]}"><title>${escapeXml(`${p.label}: ${format(p.value)}`)}</title></rect>`);
    if (i % every === 0) parts.push(`<text x="${px(x + step / 2)}" y="${bottom + 16}" text-anchor="middle" fill="${ink}">${escapeXml(p.label)}</text>`);
  });
  if (input.limit) {
    const ly = px(y(input.limit.value));
    parts.push(`<line x1="${left}" y1="${ly}" x2="${width - right}" y2="${ly}" stroke="${palette[4]}" stroke-width="2" stroke-dasharray="6 4"><title>${escapeXml(`${input.limit.label}: ${format(input.limit.value)}`)}</title></line>`);
    parts.push(`<text x="${width - right}" y="${px(ly - 6)}" text-anchor="end" fill="${palette[4]}">${escapeXml(`${input.limit.label}: ${format(input.limit.value)}`)}</text>`);
  }
  return frame(input.id, input.title, input.desc, width, bottom + 24, parts.join(''));
}
