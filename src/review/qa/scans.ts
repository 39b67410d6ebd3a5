/**
 * Scans both sides once per QA run; the numbers and dates checks share the result. Each block is
 * read on its own (a heading's last number never joins the next paragraph's first), and the
 * offsets are shifted back into the side's plain text.
 */
import { scanTarget } from './scan-target.ts';
import { scanVietnamese } from './scan-vi.ts';
import type { Scan } from './mentions.ts';
import type { Prepared, TextSide } from './types.ts';

function byBlock(side: TextSide, scan: (text: string) => Scan): Scan {
  const out: Scan = { dates: [], times: [], quantities: [] };
  for (const b of side.blocks) {
    const s = scan(b.text);
    const shift = <T extends { start: number; end: number }>(m: T): T => ({ ...m, start: m.start + b.start, end: m.end + b.start });
    out.dates.push(...s.dates.map(shift));
    out.times.push(...s.times.map(shift));
    out.quantities.push(...s.quantities.map(shift));
  }
  return out;
}

const cache = new WeakMap<Prepared, { source: Scan; target: Scan }>();

export function scansOf(p: Prepared): { source: Scan; target: Scan } {
  let s = cache.get(p);
  if (!s) {
    s = { source: byBlock(p.source, scanVietnamese), target: byBlock(p.target, (text) => scanTarget(text, p.targetLang)) };
    cache.set(p, s);
  }
  return s;
}
