/**
 * The accuracy sets (test/fixtures/qa/accuracy and …/heldout): Vietnamese news sentences (vi.json), a correct
 * translation of each per language (<lang>.json) and deliberately wrong variants of it, each one
 * changed fact written as [kind, from, to] over the correct text. Read by the accuracy spec (which
 * holds the checks to it) and by bench/accuracy.bench.ts (which prints precision and recall).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChecks, type QaGlossaryTerm, type QaIssue } from '../../src/review/qa/index.ts';
import { parseGlossaryTsv } from '../../src/store/glossary.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** "accuracy": the set the readers were built against; "heldout": written afterwards and only measured, never tuned to. */
export type SetName = 'accuracy' | 'heldout';
const dirOf = (set: SetName) => path.join(root, 'test/fixtures/qa', set);

export const setLanguages = ['en', 'fr', 'es', 'ru', 'zh', 'ja', 'ko'] as const;
export type Kind = 'number' | 'magnitude' | 'date' | 'time' | 'year' | 'name';

/** Which check owns a kind of mistake, and which checks' errors count as catching it. */
export const kinds: Record<Kind, { owner: 'numbers' | 'dates' | 'names'; caughtBy: string[] }> = {
  number: { owner: 'numbers', caughtBy: ['numbers'] },
  magnitude: { owner: 'numbers', caughtBy: ['numbers'] },
  date: { owner: 'dates', caughtBy: ['dates'] },
  time: { owner: 'dates', caughtBy: ['dates'] },
  // a year outside a full date ("năm 2025", "quý III/2026") is a number of the source
  year: { owner: 'dates', caughtBy: ['dates', 'numbers'] },
  // a name the glossary gives is the glossary's to require
  name: { owner: 'names', caughtBy: ['names', 'glossary'] },
};

export interface SetCase { id: string; source: string; correct: string; wrong: { kind: Kind; from: string; to: string; text: string }[] }

export function loadSet(lang: string, set: SetName = 'accuracy'): SetCase[] {
  const dir = dirOf(set);
  const sources = JSON.parse(readFileSync(path.join(dir, 'vi.json'), 'utf8')) as Record<string, string>;
  const rows = JSON.parse(readFileSync(path.join(dir, `${lang}.json`), 'utf8')) as { id: string; text: string; wrong: [Kind, string, string][] }[];
  return rows.map((r) => {
    const source = sources[r.id];
    if (!source) throw new Error(`${lang}.json: no source sentence ${r.id}`);
    return {
      id: r.id, source, correct: r.text,
      wrong: r.wrong.map(([kind, from, to]) => {
        if (!kinds[kind]) throw new Error(`${lang}.json ${r.id}: unknown kind ${kind}`);
        if (!r.text.includes(from)) throw new Error(`${lang}.json ${r.id}: "${from}" is not in the correct translation`);
        return { kind, from, to, text: r.text.replace(from, to) };
      }),
    };
  });
}

/** The sample configuration's glossary of the pair (config/glossaries/vi-<lang>.tsv), as the desk would use it. */
export function sampleGlossary(lang: string): QaGlossaryTerm[] {
  const file = path.join(root, 'config/glossaries', `vi-${lang}.tsv`);
  return existsSync(file) ? parseGlossaryTsv(readFileSync(file, 'utf8')) : [];
}

export const runSet = (lang: string, source: string, target: string, glossary: QaGlossaryTerm[]): QaIssue[] =>
  runChecks({ source, target, sourceLang: 'vi', targetLang: lang, glossary });

export interface Tally { tp: number; fn: number; fp: number; correct: number; wrong: number }

/** Per owning check: caught mistakes (tp), missed ones (fn), correct translations it blocked (fp). */
export function scoreLanguage(lang: string, set: SetName = 'accuracy'): { byCheck: Record<string, Tally>; blocked: number; correct: number; misses: string[]; falseAlarms: string[] } {
  const glossary = sampleGlossary(lang);
  const byCheck: Record<string, Tally> = {};
  const tally = (c: string) => (byCheck[c] ??= { tp: 0, fn: 0, fp: 0, correct: 0, wrong: 0 });
  const misses: string[] = [];
  const falseAlarms: string[] = [];
  let blocked = 0;
  const cases = loadSet(lang, set);
  for (const c of cases) {
    const issues = runSet(lang, c.source, c.correct, glossary).filter((i) => i.severity === 'error');
    if (issues.length) {
      blocked++;
      falseAlarms.push(`${c.id}: ${issues.map((i) => `${i.check}: ${i.message}`).join(' | ')}`);
    }
    for (const owner of ['numbers', 'dates', 'names'] as const) {
      const t = tally(owner);
      t.correct++;
      const by = owner === 'names' ? ['names', 'glossary'] : [owner];
      if (issues.some((i) => by.includes(i.check))) t.fp++;
    }
    for (const w of c.wrong) {
      const k = kinds[w.kind];
      const t = tally(k.owner);
      t.wrong++;
      const errors = runSet(lang, c.source, w.text, glossary).filter((i) => i.severity === 'error');
      if (errors.some((i) => k.caughtBy.includes(i.check))) t.tp++;
      else {
        t.fn++;
        misses.push(`${c.id} ${w.kind} "${w.from}" → "${w.to}"`);
      }
    }
  }
  return { byCheck, blocked, correct: cases.length, misses, falseAlarms };
}
