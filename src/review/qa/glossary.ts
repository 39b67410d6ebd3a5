/**
 * Glossary: when a term of the glossary occurs in the source, its required translation (or an
 * accepted variant) is in the translation. A term inside a longer matched term is left to the
 * longer one ("Việt Nam" inside "Thông tấn xã Việt Nam"). Case, diacritics and apostrophe forms
 * are ignored on both sides.
 */
import { escapeRegExp, fold } from './text.ts';
import { span, type Check, type QaIssue } from './types.ts';

/** A pattern matching the phrase as whole words, any case, any run of spaces, ' or ’. */
export function phrasePattern(phrase: string): RegExp {
  let source = patternSources.get(phrase);
  if (source === undefined) {
    const body = fold(phrase.normalize('NFC').trim()).split(/\s+/).map((w) => escapeRegExp(w).replace(/['’]/g, "['’]")).join('[\\s\\u00a0]+');
    source = `(?<![\\p{L}\\d])${body}(?![\\p{L}\\d])`;
    if (patternSources.size > 50_000) patternSources.clear();
    patternSources.set(phrase, source);
  }
  // a new RegExp each time (a global one carries lastIndex); V8 reuses the compiled code
  return new RegExp(source, 'gu');
}

// the pattern of each glossary phrase, built once: the editor looks every term up in every block
const patternSources = new Map<string, string>();

export interface TermHit { term: { source: string; target: string; variants?: readonly string[] }; start: number; end: number }

/** Where glossary terms occur in a (Vietnamese) text, longest first, without overlaps. */
export function findTerms(text: string, terms: readonly TermHit['term'][]): TermHit[] {
  const folded = fold(text);
  const hits: TermHit[] = [];
  for (const term of [...terms].sort((a, b) => b.source.length - a.source.length)) {
    if (!term.source.trim()) continue;
    for (const m of folded.matchAll(phrasePattern(term.source))) {
      const start = m.index, end = m.index + m[0].length;
      if (hits.some((h) => start < h.end && end > h.start)) continue;
      // folding ignores diacritics: the source itself must match exactly, up to case
      if (text.slice(start, end).toLowerCase().replace(/\s+/g, ' ') !== term.source.normalize('NFC').toLowerCase().replace(/\s+/g, ' ')) continue;
      hits.push({ term, start, end });
    }
  }
  return hits.sort((a, b) => a.start - b.start);
}

export const glossaryCheck: Check = (p) => {
  if (!p.glossary.length) return [];
  const issues: QaIssue[] = [];
  const target = fold(p.target.plain);
  const done = new Set<string>();
  for (const hit of findTerms(p.source.plain, p.glossary)) {
    if (done.has(hit.term.source)) continue;
    done.add(hit.term.source);
    const forms = [hit.term.target, ...(hit.term.variants ?? [])].filter((f) => f.trim());
    if (forms.some((f) => phrasePattern(f).test(target))) continue;
    issues.push({
      check: 'glossary', severity: 'error', code: hit.term.variants?.length ? 'glossary.requiredOr' : 'glossary.required',
      params: { source: hit.term.source, target: hit.term.target, variants: (hit.term.variants ?? []).map((v) => `"${v}"`).join(', ') },
      message: `"${hit.term.source}" must be translated as "${hit.term.target}"${hit.term.variants?.length ? ` (or ${hit.term.variants.map((v) => `"${v}"`).join(', ')})` : ''}`,
      source: span(p.source.plain, hit.start, hit.end),
    });
  }
  return issues;
};
