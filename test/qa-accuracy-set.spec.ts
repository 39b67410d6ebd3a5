/**
 * The accuracy set (test/fixtures/qa/accuracy) held to its aim: on the correct translation of
 * each sentence, in every language, no blocking error; every planted mistake caught by a blocking
 * error of the check that owns it. bench/accuracy.bench.ts prints the same as figures.
 */
import { expect } from 'chai';
import { kinds, loadSet, runSet, sampleGlossary, setLanguages } from './support/accuracy-set.ts';

const held = new Set(['numbers', 'dates', 'names', 'glossary']);

for (const lang of setLanguages) {
  describe(`accuracy set (${lang})`, () => {
    const glossary = sampleGlossary(lang);
    for (const c of loadSet(lang)) {
      it(`${c.id}: the correct translation is not blocked`, () => {
        const errors = runSet(lang, c.source, c.correct, glossary).filter((i) => i.severity === 'error' && held.has(i.check));
        expect(errors.map((i) => `${i.check}: ${i.message}`)).to.deep.equal([]);
      });
      for (const w of c.wrong) {
        it(`${c.id}: ${w.kind} "${w.from}" → "${w.to}" is caught`, () => {
          const errors = runSet(lang, c.source, w.text, glossary).filter((i) => i.severity === 'error');
          expect(errors.some((i) => kinds[w.kind].caughtBy.includes(i.check)), JSON.stringify(errors.map((i) => i.message))).to.equal(true);
        });
      }
    }
  });
}
