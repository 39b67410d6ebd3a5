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

/**
 * A country's or place's name also stands in the translation as its adjective: "Tuần lễ Văn hóa
 * Việt Nam" is "Vietnamese Culture Week", "la Semaine de la culture vietnamienne", "вьетнамская
 * культура". The adjective is the name's letters run together (the spelling "Viet Nam" too) and
 * one of the language's demonym endings; not in scripts without such endings (Han, kana, Hangul).
 */
const demonymEndings: Record<string, string> = {
  en: 'ese|ian|ians|n|ns|an|ans|i|is|ish',
  fr: 'ien|iens|ienne|iennes|ais|aise|aises|ois|oise|oises|ain|aine|ains|aines|e|es',
  es: 'ita|itas|és|esa|eses|esas|ano|ana|anos|anas|ense|enses|ino|ina|inos|inas',
  ru: 'ск\\p{L}{1,4}|ец|цы|цев',
};

export function demonymPattern(name: string, lang: string): RegExp | undefined {
  const endings = demonymEndings[lang.split('-')[0]!.toLowerCase()];
  const words = name.normalize('NFC').trim().split(/[\s\u00a0]+/);
  // proper names only: a common word's derivations are other words
  if (!endings || !words.every((w) => /^\p{Lu}/u.test(w))) return undefined;
  const letters = fold(words.join('')).replace(/['’-]+/g, '');
  if (!/^\p{L}{3,}$/u.test(letters)) return undefined;
  // a final vowel may give way to the ending ("Corea" → "coreano"); other changes ("Россия" → "российский") are the glossary's variants
  const stems = /[aeiouyаояеиы]$/u.test(letters) ? [letters, letters.slice(0, -1)] : [letters];
  return new RegExp(`(?<![\\p{L}\\d])(?:${stems.map(escapeRegExp).join('|')})(?:${endings})(?![\\p{L}\\d])`, 'u');
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
    if (forms.some((f) => phrasePattern(f, p.targetLang).test(target) || demonymPattern(f, p.targetLang)?.test(target))) continue;
    issues.push({
      check: 'glossary', severity: 'error', code: hit.term.variants?.length ? 'glossary.requiredOr' : 'glossary.required',
      params: { source: hit.term.source, target: hit.term.target, variants: (hit.term.variants ?? []).map((v) => `"${v}"`).join(', ') },
      message: `"${hit.term.source}" must be translated as "${hit.term.target}"${hit.term.variants?.length ? ` (or ${hit.term.variants.map((v) => `"${v}"`).join(', ')})` : ''}`,
      source: span(p.source.plain, hit.start, hit.end),
    });
  }
  return issues;
};
