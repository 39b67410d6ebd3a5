/** What the scanners find in a text: dates, times and quantities, each with where it stands. */

export interface DateMention { day?: number | undefined; month?: number | undefined; year?: number | undefined; start: number; end: number; text: string; /** written in digits only ("10/9/2008") */ numeric?: boolean }
export interface TimeMention { minutes: number; /** the hour was written without a.m./p.m. and is ≤ 12 */ twelveHourAmbiguous: boolean; start: number; end: number; text: string }
export interface Quantity {
  value: number;
  kind: 'number' | 'percent' | 'ordinal' | 'roman' | 'words';
  /** Weak readings ("one", "un") help a source number find its match but are never "extra". */
  weak?: boolean;
  /** The same digits read with Vietnamese separators, when that differs (a separator left unconverted). */
  viReading?: number | undefined;
  start: number;
  end: number;
  text: string;
}

export interface Scan { dates: DateMention[]; times: TimeMention[]; quantities: Quantity[] }

/**
 * Marks stretches as taken, so a date's digits are not read again as plain numbers. One flag per
 * character: checking and taking cost the stretch's length, not the number of stretches taken (a
 * text of thousands of numbers scanned in linear time, not quadratic).
 */
export class Claims {
  private taken = new Uint8Array(256);
  take(start: number, end: number) {
    if (end > this.taken.length) {
      const grown = new Uint8Array(Math.max(end, this.taken.length * 2));
      grown.set(this.taken);
      this.taken = grown;
    }
    this.taken.fill(1, start, end);
  }
  free(start: number, end: number) {
    const stop = Math.min(end, this.taken.length);
    for (let i = start; i < stop; i++) if (this.taken[i]) return false;
    return true;
  }
}

/** Runs a global regex over text, calling fn for each match whose stretch is still free. */
export function eachFree(text: string, re: RegExp, claims: Claims, fn: (m: RegExpExecArray) => boolean | void) {
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0].length === 0) { re.lastIndex++; continue; }
    if (!claims.free(m.index, m.index + m[0].length)) continue;
    if (fn(m) !== false) claims.take(m.index, m.index + m[0].length);
  }
}

const romanValues: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };

/** The value of a canonical upper-case Roman numeral, or undefined ("IIII", "VX" are not). */
export function romanValue(s: string): number | undefined {
  if (!/^[IVXLCDM]+$/.test(s)) return undefined;
  let total = 0;
  for (let i = 0; i < s.length; i++) {
    const v = romanValues[s[i]!]!;
    const next = romanValues[s[i + 1] ?? ''] ?? 0;
    total += v < next ? -v : v;
  }
  return total > 0 && total < 4000 && toRoman(total) === s ? total : undefined;
}

function toRoman(n: number): string {
  const table: [number, string][] = [[1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'], [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']];
  let out = '';
  for (const [v, r] of table) while (n >= v) { out += r; n -= v; }
  return out;
}

/** Parses digits with the given separators: thousands groups must have exactly three digits. */
export function parseDigits(s: string, thousands: string, decimal: string): number | undefined {
  const compact = s.replace(/[\s\u00a0\u202f]/g, thousands === ' ' ? '' : '');
  const t = thousands === ' ' ? '' : thousands;
  let intPart = compact;
  let frac = '';
  const d = compact.lastIndexOf(decimal);
  if (d >= 0) {
    intPart = compact.slice(0, d);
    frac = compact.slice(d + 1);
    if (!/^\d+$/.test(frac)) return undefined;
  }
  if (t && intPart.includes(t)) {
    const groups = intPart.split(t);
    if (!/^\d{1,3}$/.test(groups[0]!) || groups.slice(1).some((g) => !/^\d{3}$/.test(g))) return undefined;
    intPart = groups.join('');
  }
  if (!/^\d+$/.test(intPart)) return undefined;
  return Number(frac ? `${intPart}.${frac}` : intPart);
}

export const sameValue = (a: number, b: number) => Math.abs(a - b) <= Math.max(Math.abs(a), Math.abs(b)) * 1e-9;
