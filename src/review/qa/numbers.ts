/**
 * Numbers: every number of the source appears in the translation with the same value, whatever
 * the notation ("1.234,5" ↔ "1,234.5", "2,5 tỷ" ↔ "2.5 billion", "5 năm" ↔ "five years",
 * "khóa XI" ↔ "11th tenure" or "XI", "15%" ↔ "15 per cent"). A value written twice need appear
 * only once. A translation's number that the source does not have is a warning.
 */
import { readsLanguage } from './scan-target.ts';
import { sameValue, type Quantity } from './mentions.ts';
import { scansOf } from './scans.ts';
import { span, type Check, type QaIssue } from './types.ts';

const fmt = (n: number) => (Number.isFinite(n) ? n.toLocaleString('en-GB', { maximumFractionDigits: 6 }) : '?');
/** "1.234,5 triệu (1,234,500,000)"; just "500" when the value reads the same. */
const shown = (q: Quantity) => (q.text === fmt(q.value) || /^\d+$/.test(q.text) ? q.text : `${q.text} (${fmt(q.value)})`);
/** Significant digits: 6,850.3 billion has five, 6.85 trillion three. */
const significant = (n: number) => String(Math.abs(n)).replace('.', '').replace(/e.*$/, '').replace(/^0+/, '').replace(/0+$/, '').length;

/**
 * "6 tháng đầu năm" (the first six months) is a half-year in most languages' news: 上半年, 上半期,
 * 상반기, "the first half", "le premier semestre", "первое полугодие". Such a word stands for the 6.
 */
const halfYearWords = /[上下]半[年期]|[상하]반기|\b(?:first|second) half\b|\bH[12]\b|\b(?:premier|second|1er|2e|primer|segundo|1er\.?|2º) semestre\b|полугоди/iu;
const halfYear = (source: string, q: Quantity) => q.value === 6 && /^\s*tháng\s+(?:đầu|cuối)(?:\s+năm)?\b/iu.test(source.slice(q.end));

export const numbersCheck: Check = (p) => {
  if (p.targetLang === 'vi') return [];
  const { source, target } = scansOf(p);
  const issues: QaIssue[] = [];
  // values the target states elsewhere (dates, times) also satisfy a source number: "năm 2017" ↔ "August 2017"
  const targetAtoms = [
    ...target.quantities.map((q) => q.value),
    ...target.dates.flatMap((d) => [d.day, d.month, d.year].filter((x): x is number => x !== undefined)),
    ...target.times.flatMap((t) => [Math.floor(t.minutes / 60), t.minutes % 60, Math.floor(t.minutes / 60) % 12]),
  ];
  const used = new Set<Quantity>();
  const seen: number[] = [];
  for (const q of source.quantities) {
    if (seen.some((v) => sameValue(v, q.value))) continue;
    seen.push(q.value);
    const match = target.quantities.find((t) => sameValue(t.value, q.value));
    if (match) {
      used.add(match);
      continue;
    }
    if (targetAtoms.some((v) => sameValue(v, q.value))) continue;
    if (halfYear(p.source.plain, q) && halfYearWords.test(p.target.plain)) continue;
    const viStyle = target.quantities.find((t) => t.viReading !== undefined && sameValue(t.viReading, q.value));
    if (viStyle) {
      used.add(viStyle);
      issues.push({
        check: 'numbers', severity: 'error', code: 'numbers.viSeparators', params: { target: viStyle.text, source: q.text, value: fmt(q.value) },
        message: `"${viStyle.text}" keeps the Vietnamese separators; the source's ${q.text} is ${fmt(q.value)}`,
        source: span(p.source.plain, q.start, q.end), target: span(p.target.plain, viStyle.start, viStyle.end),
      });
      continue;
    }
    // rounding keeps fewer significant digits ("6,850.3 billion" → "6.85 trillion"); 2030 → 2031 is a mistake
    const near = target.quantities.find((t) => !t.weak && Math.abs(t.value - q.value) <= Math.abs(q.value) * 0.005 && q.value >= 1000 && significant(t.value) < significant(q.value));
    if (near) {
      used.add(near);
      issues.push({ check: 'numbers', severity: 'warning', code: 'numbers.rounded', params: { source: shown(q), target: near.text }, message: `the source's ${shown(q)} is rounded to ${near.text} in the translation`, source: span(p.source.plain, q.start, q.end), target: span(p.target.plain, near.start, near.end) });
      continue;
    }
    issues.push({ check: 'numbers', severity: 'error', code: 'numbers.missing', params: { source: shown(q) }, message: `the source's ${shown(q)} is not in the translation`, source: span(p.source.plain, q.start, q.end) });
  }
  // extra numbers: only digits in languages we read, never article-like words
  if (readsLanguage(p.targetLang)) {
    const sourceAtoms = [
      ...source.quantities.map((q) => q.value),
      ...source.dates.flatMap((d) => [d.day, d.month, d.year].filter((x): x is number => x !== undefined)),
      ...source.times.flatMap((t) => [Math.floor(t.minutes / 60), t.minutes % 60, Math.floor(t.minutes / 60) % 12]),
    ];
    const reported: number[] = [];
    for (const t of target.quantities) {
      if (used.has(t) || t.weak || t.kind === 'words' || t.kind === 'ordinal' && t.value <= 10) continue;
      if (sourceAtoms.some((v) => sameValue(v, t.value)) || reported.some((v) => sameValue(v, t.value))) continue;
      if (!Number.isFinite(t.value)) {
        issues.push({ check: 'numbers', severity: 'error', code: 'numbers.notation', params: { target: t.text }, message: `"${t.text}" is not a number in this language's notation`, target: span(p.target.plain, t.start, t.end) });
        continue;
      }
      reported.push(t.value);
      issues.push({ check: 'numbers', severity: 'warning', code: 'numbers.extra', params: { target: t.text }, message: `the translation's ${t.text} is not in the source`, target: span(p.target.plain, t.start, t.end) });
    }
  }
  return issues;
};
