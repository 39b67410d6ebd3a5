/**
 * The accuracy checks measured on the accuracy set (test/fixtures/qa/accuracy): per language and
 * per check, precision (of the blocking errors raised, the share that point at a real mistake)
 * and recall (of the planted mistakes, the share a blocking error catches), and the share of
 * correct translations blocked by any check. Targets: no correct translation blocked; recall 1.
 * The held-out set (figures prefixed "heldout.") was written after the readers and is never tuned
 * to: its figures are the honest ones.
 * `npm run bench -- accuracy`; ACCURACY_DETAIL=1 also lists each miss and false alarm.
 */
import { report } from './support.ts';
import { scoreLanguage, setLanguages } from '../test/support/accuracy-set.ts';

const BENCH = 'accuracy';
const ratio = (a: number, b: number) => (b === 0 ? 1 : Math.round((a / b) * 1000) / 1000);

for (const set of ['accuracy', 'heldout'] as const) for (const lang of setLanguages) {
  const s = scoreLanguage(lang, set);
  const prefix = set === 'heldout' ? 'heldout.' : '';
  for (const [check, t] of Object.entries(s.byCheck)) {
    report(BENCH, { figure: `${prefix}${lang}.${check}`, value: ratio(t.tp, t.tp + t.fn), unit: 'recall', precision: ratio(t.tp, t.tp + t.fp), caught: t.tp, missed: t.fn, blockedCorrect: t.fp, wrong: t.wrong, correct: t.correct });
  }
  report(BENCH, { figure: `${prefix}${lang}.blocked`, value: ratio(s.blocked, s.correct), unit: 'share of correct translations with a blocking error', target: '0', blocked: s.blocked, correct: s.correct });
  if (process.env.ACCURACY_DETAIL) {
    for (const m of s.misses) console.log(`  ${prefix}${lang} missed ${m}`);
    for (const f of s.falseAlarms) console.log(`  ${prefix}${lang} blocked ${f}`);
  }
}
