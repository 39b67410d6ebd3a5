/**
 * Untranslated: Vietnamese left in the translation — a run of words with letters only Vietnamese
 * uses (ơ, ư, ă, đ, ạ, ả, ế…), or a whole block copied from the source. A name of the source kept
 * with its diacritics is not untranslated.
 */
import { findNames } from './names.ts';
import { squash, vietnameseOnly } from './text.ts';
import { span, type Check, type QaIssue } from './types.ts';

// common Vietnamese words without those letters, which count in a run once it has started
const plainVietnamese = new Set(['va', 'và', 'cac', 'các', 'cho', 'với', 'voi', 'trong', 'tai', 'tại', 'la', 'là', 'co', 'có', 'khi', 'theo', 'nam', 'năm', 'ngay', 'ngày', 'tin', 'thông', 'chính', 'phủ', 'quan', 'hoa', 'hóa', 'hòa', 'kinh', 'te', 'tế', 'xã', 'hội', 'cũng', 'mà', 'thì', 'nhiều', 'người']);

export const untranslatedCheck: Check = (p) => {
  if (p.targetLang === 'vi') return [];
  const issues: QaIssue[] = [];
  const text = p.target.plain;
  const sourcePlain = p.source.plain;
  const names = new Set(findNames(p.source.plain).flatMap((n) => n.name.split(/\s+/)));
  const words = [...text.matchAll(/[\p{L}\p{M}]+/gu)];
  let run: RegExpExecArray[] = [];
  const flush = () => {
    const start0 = run[0]!.index, end0 = run.at(-1)!.index + run.at(-1)![0].length;
    // a proper noun kept as the source writes it ("Hà Nội", "Võ Văn Thưởng") is not untranslated
    const phrase = text.slice(start0, end0);
    if (/^\p{Lu}/u.test(phrase) && run.every((w) => /^\p{Lu}/u.test(w[0])) && sourcePlain.includes(phrase)) { run = []; return; }
    const marked = run.filter((w) => vietnameseOnly.test(w[0]) && !names.has(w[0]));
    if (marked.length >= 2 || (marked.length === 1 && run.length >= 2)) {
      const start = run[0]!.index, end = run.at(-1)!.index + run.at(-1)![0].length;
      issues.push({ check: 'untranslated', severity: 'error', code: 'untranslated.run', params: { text: text.slice(start, end) }, message: `Vietnamese left untranslated: "${text.slice(start, end)}"`, target: span(text, start, end) });
    } else if (marked.length === 1) {
      const w = marked[0]!;
      issues.push({ check: 'untranslated', severity: 'warning', code: 'untranslated.word', params: { word: w[0] }, message: `"${w[0]}" looks Vietnamese: translate it, or check it is a name`, target: span(text, w.index, w.index + w[0].length) });
    }
    run = [];
  };
  for (const w of words) {
    const prev = run.at(-1);
    const gap = prev ? text.slice(prev.index + prev[0].length, w.index) : '';
    // once a run has started, any accented syllable or common Vietnamese word continues it
    const vietnamese = vietnameseOnly.test(w[0]) || (run.length > 0 && (plainVietnamese.has(w[0].toLowerCase()) || /^[a-zàáâãèéêìíòóôõùúý]{1,7}$/i.test(w[0]) && /[àáâãèéêìíòóôõùúý]/i.test(w[0])));
    if (vietnamese && (!prev || /^[\s,]*$/.test(gap))) run.push(w as RegExpExecArray);
    else {
      if (run.length) flush();
      if (vietnameseOnly.test(w[0])) run.push(w as RegExpExecArray);
    }
  }
  if (run.length) flush();
  // a block copied from the source unchanged (also without diacritics)
  const sourceBlocks = new Set(p.source.blocks.filter((b) => b.text.length >= 20).map((b) => squash(b.text)));
  for (const b of p.target.blocks) {
    if (b.text.length >= 20 && sourceBlocks.has(squash(b.text)) && !issues.some((i) => i.target && i.target.start >= b.start && i.target.end <= b.start + b.text.length && i.severity === 'error')) {
      issues.push({ check: 'untranslated', severity: 'error', code: 'untranslated.block', message: 'this block is the source text, not a translation', target: span(text, b.start, b.start + b.text.length) });
    }
  }
  return issues;
};
