/**
 * Table-driven specs for the accuracy checks: correct pairs must produce no issue at all from the
 * check (a false alarm is a defect), wrong pairs must produce an issue of the given severity whose
 * message matches.
 */
import { expect } from 'chai';
import { runChecks, type QaGlossaryTerm } from '../../src/review/qa/index.ts';

export type Correct = [source: string, target: string];
export type Wrong = [source: string, target: string, message: RegExp, severity?: 'error' | 'warning'];

export function pairSuite(check: string, opts: { lang?: string; glossary?: QaGlossaryTerm[]; correct: Correct[]; wrong: Wrong[] }) {
  const lang = opts.lang ?? 'en';
  const run = (source: string, target: string) => runChecks({ source, target, sourceLang: 'vi', targetLang: lang, glossary: opts.glossary ?? [] }, [check]);
  describe(`${check} (${lang}): stays silent on correct translations`, () => {
    for (const [source, target] of opts.correct) {
      it(target, () => {
        expect(run(source, target).map((i) => `${i.severity}: ${i.message}`), source).to.deep.equal([]);
      });
    }
  });
  describe(`${check} (${lang}): flags mistakes`, () => {
    for (const [source, target, message, severity = 'error'] of opts.wrong) {
      it(target, () => {
        const issues = run(source, target);
        const hit = issues.find((i) => i.severity === severity && message.test(i.message));
        expect(hit, `expected a ${severity} matching ${message}; got ${JSON.stringify(issues.map((i) => `${i.severity}: ${i.message}`))}`).to.not.equal(undefined);
        expect(hit!.check).to.equal(check);
      });
    }
  });
}
