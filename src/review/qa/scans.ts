/** Scans both sides once per QA run; the numbers and dates checks share the result. */
import { scanTarget } from './scan-target.ts';
import { scanVietnamese } from './scan-vi.ts';
import type { Scan } from './mentions.ts';
import type { Prepared } from './types.ts';

const cache = new WeakMap<Prepared, { source: Scan; target: Scan }>();

export function scansOf(p: Prepared): { source: Scan; target: Scan } {
  let s = cache.get(p);
  if (!s) {
    s = { source: scanVietnamese(p.source.plain), target: scanTarget(p.target.plain, p.targetLang) };
    cache.set(p, s);
  }
  return s;
}
