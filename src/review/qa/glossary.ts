/**
 * Glossary: when a term of the glossary occurs in the source, its required translation (or an
 * accepted variant) is in the translation. A term inside a longer matched term is left to the
 * longer one ("Việt Nam" inside "Thông tấn xã Việt Nam"). Case, diacritics and apostrophe forms
 * are ignored on both sides.
 */
import { escapeRegExp, fold } from './text.ts';
import { span, type Check, type QaIssue } from './types.ts';

// scripts written without spaces between words: a term is found anywhere in the text
const unspaced = new Set(['zh', 'ja', 'th', 'lo', 'km', 'my']);
// languages whose particles (Korean) or case endings (Russian…) follow a name: "하노이에서", "в Ханое"
const suffixing = new Set(['ko']);
const declining = new Set(['ru', 'uk', 'be', 'bg', 'sr', 'mk', 'pl', 'cs', 'sk']);

/**
 * A pattern matching the phrase as whole words, any case, any run of spaces, ' or ’. In a
 * translation's language (`lang`), words are bounded its way: nothing in Chinese or Japanese, only
 * before the phrase in Korean; in Russian the last word may take a case ending ("Ханой" → "Ханое").
 */
export function phrasePattern(phrase: string, lang?: string): RegExp {
  const key = `${lang ?? ''}\u0000${phrase}`;
  let source = patternSources.get(key);
  if (source === undefined) {
    const words = fold(phrase.normalize('NFC').trim()).split(/\s+/).map((w) => escapeRegExp(w).replace(/['’]/g, "['’]"));
    if (lang && declining.has(lang) && words.length) {
      const last = words.at(-1)!;
      words[words.length - 1] = /[\p{L}]{3,}[айяьоеыи]$/u.test(last) ? `${last.slice(0, -1)}\\p{L}{0,3}` : `${last}\\p{L}{0,3}`;
    }
    const body = words.join(lang && unspaced.has(lang) ? '[\\s\\u00a0・·]*' : '[\\s\\u00a0]+');
    source = lang && unspaced.has(lang) ? body : lang && suffixing.has(lang) ? `(?<![\\p{L}\\d])${body}` : `(?<![\\p{L}\\d])${body}(?![\\p{L}\\d])`;
    if (patternSources.size > 50_000) patternSources.clear();
    patternSources.set(key, source);
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
    if (forms.some((f) => phrasePattern(f, p.targetLang).test(target))) continue;
    issues.push({
      check: 'glossary', severity: 'error', code: hit.term.variants?.length ? 'glossary.requiredOr' : 'glossary.required',
      params: { source: hit.term.source, target: hit.term.target, variants: (hit.term.variants ?? []).map((v) => `"${v}"`).join(', ') },
      message: `"${hit.term.source}" must be translated as "${hit.term.target}"${hit.term.variants?.length ? ` (or ${hit.term.variants.map((v) => `"${v}"`).join(', ')})` : ''}`,
      source: span(p.source.plain, hit.start, hit.end),
    });
  }
  return issues;
};
