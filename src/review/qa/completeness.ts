/**
 * Completeness: every block (paragraph) of the source has one in the translation, none is empty,
 * and the length of each is plausible. Expected length ratios (target ÷ Vietnamese characters) are
 * derived from the OPUS-100 expansion figures (see README, Review desk): English ≈ 0.94, French
 * ≈ 1.05; a block outside half to double the expected length, or a whole text (of 400+
 * characters) outside 0.6–1.7 times, is worth a second look.
 */
import { span, type Check, type QaIssue } from './types.ts';

export const expectedRatio: Record<string, number> = { en: 0.94, fr: 1.05, es: 1.0, ru: 0.97, de: 1.1, it: 1.05, pt: 1.0, ja: 0.45, ko: 0.53, zh: 0.34, lo: 1.0, km: 1.0, th: 1.0 };
const MIN_BLOCK = 60; // shorter blocks vary too much to judge by length

export const completenessCheck: Check = (p) => {
  const issues: QaIssue[] = [];
  const ratio = expectedRatio[p.targetLang] ?? 1;
  const src = p.source.blocks, tgt = p.target.blocks;
  const total = (b: typeof src) => b.reduce((n, x) => n + x.text.length, 0);
  if (!tgt.length && src.length) {
    return [{ check: 'completeness', severity: 'error', code: 'completeness.empty', message: 'the translation is empty' }];
  }
  if (tgt.length < src.length) {
    const missing = src.length - tgt.length;
    issues.push({ check: 'completeness', severity: 'error', code: 'completeness.missing', params: { source: src.length, target: tgt.length, missing }, message: `the source has ${src.length} paragraphs, the translation ${tgt.length}: ${missing} missing or merged` });
  } else if (tgt.length > src.length) {
    issues.push({ check: 'completeness', severity: 'warning', code: 'completeness.extra', params: { source: src.length, target: tgt.length }, message: `the translation has ${tgt.length} paragraphs, the source ${src.length}` });
  }
  if (tgt.length === src.length) {
    src.forEach((s, i) => {
      const t = tgt[i]!;
      if (s.text.length < MIN_BLOCK) return;
      const r = t.text.length / s.text.length / ratio;
      if (r < 0.5 || r > 2) {
        issues.push({
          check: 'completeness', severity: 'warning', code: r < 1 ? 'completeness.shorter' : 'completeness.longer', params: { n: i + 1, target: t.text.length, source: s.text.length },
          message: `paragraph ${i + 1} is ${r < 1 ? 'much shorter' : 'much longer'} than expected (${t.text.length} characters for ${s.text.length} in the source): ${r < 1 ? 'something may be left out' : 'something may be added'}`,
          source: span(p.source.plain, s.start, s.start + s.text.length), target: span(p.target.plain, t.start, t.start + t.text.length),
        });
      }
    });
  }
  const s = total(src), t = total(tgt);
  // the whole text: only for longer texts, where one expanded official name does not tip it
  if (s >= 400) {
    const r = t / s / ratio;
    if (r < 0.6 || r > 1.7) issues.push({ check: 'completeness', severity: 'warning', code: 'completeness.ratio', params: { percent: Math.round((t / s) * 100), usual: Math.round(ratio * 100) }, message: `the translation is ${Math.round((t / s) * 100)}% of the source's length; about ${Math.round(ratio * 100)}% is usual for this language` });
  }
  return issues;
};
