/**
 * The accuracy checks, run together: `runChecks(input)` → issues sorted errors first. Each check
 * is a pure function in its own module; spans are offsets in the plain text of each side (tags
 * removed, entities decoded, blocks separated by a blank line).
 */
import { offThread, OFF_THREAD_CHARS } from '../../core/off-thread.ts';
import { completenessCheck } from './completeness.ts';
import { datesCheck } from './dates.ts';
import { glossaryCheck } from './glossary.ts';
import { markupCheck } from './markup.ts';
import { namesCheck } from './names.ts';
import { numbersCheck } from './numbers.ts';
import { baseLang, prepareSide } from './text.ts';
import type { Check, Prepared, QaInput, QaIssue } from './types.ts';
import { untranslatedCheck } from './untranslated.ts';

export type { QaInput, QaIssue, QaGlossaryTerm, Span } from './types.ts';

export const checks: Record<string, Check> = {
  numbers: numbersCheck,
  dates: datesCheck,
  glossary: glossaryCheck,
  names: namesCheck,
  untranslated: untranslatedCheck,
  markup: markupCheck,
  completeness: completenessCheck,
};

export function prepare(input: QaInput): Prepared {
  return {
    input,
    source: prepareSide(input.source),
    target: prepareSide(input.target),
    targetLang: baseLang(input.targetLang),
    glossary: (input.glossary ?? []).map((g) => ({ source: g.source.normalize('NFC'), target: g.target.normalize('NFC'), variants: (g.variants ?? []).map((v) => v.normalize('NFC')) })),
  };
}

export function runChecks(input: QaInput, only?: readonly string[]): QaIssue[] {
  const p = prepare(input);
  // an empty draft is one finding, not every number and name of the source missing
  if (!p.target.blocks.length && p.source.blocks.length && (!only || only.includes('completeness'))) return completenessCheck(p);
  const issues = Object.entries(checks).filter(([name]) => !only || only.includes(name)).flatMap(([, check]) => check(p));
  return issues.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
}

/**
 * runChecks, off the event loop when the texts are large (core/off-thread.ts): the desk's QA panel,
 * the QA API and the approval gate use this, so a long or dense text does not hold up others.
 */
export function runChecksAsync(input: QaInput, only?: readonly string[]): Promise<QaIssue[]> {
  if (input.source.length + input.target.length < OFF_THREAD_CHARS) return Promise.resolve(runChecks(input, only));
  return offThread<QaIssue[]>(new URL(import.meta.url), 'runChecks', only ? [input, only] : [input]);
}

export const hasErrors = (issues: readonly QaIssue[]) => issues.some((i) => i.severity === 'error');
