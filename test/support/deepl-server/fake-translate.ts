// The deterministic fake "translation" of the DeepL test server and its billing count.
// The rule is stated in full at the top of ../deepl-server.ts; keep the two in step.
import type { GlossaryEntry } from './glossaries.ts';

/** Lower-case Vietnamese words replaced for English targets (capitalised words are left alone). */
export const WORD_MAP: ReadonlyMap<string, string> = new Map(
  Object.entries({
    và: 'and',
    của: 'of',
    với: 'with',
    trong: 'in',
    là: 'is',
    ngày: 'day',
    tháng: 'month',
    năm: 'year',
  }).map(([vi, en]) => [vi.normalize('NFC'), en]),
);

export interface FakeTranslateOptions {
  /** As sent (any case); shown upper-cased in the prefix. */
  targetLang: string;
  /** Only set when the target supports formality and the request asked for it. */
  formality?: 'formal' | 'informal';
  glossary?: readonly GlossaryEntry[];
  /** When on, only text between tags is translated; markup is copied byte for byte. */
  tagHandling?: boolean;
}

interface Segment {
  text: string;
  markup: boolean;
}

// Comments, CDATA and tags (quoted attribute values may contain '>'). A '<' not followed by a
// letter, '/', '!' or '?' is text, as in "a < b".
const MARKUP = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<[A-Za-z/!?](?:[^>"']|"[^"]*"|'[^']*')*>/g;
const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;
const WORD_RUN = /[\p{L}\p{M}\p{N}]+/uy;

function splitMarkup(text: string): Segment[] {
  const segments: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(MARKUP)) {
    if (match.index > last) segments.push({ text: text.slice(last, match.index), markup: false });
    segments.push({ text: match[0], markup: true });
    last = match.index + match[0].length;
  }
  if (last < text.length) segments.push({ text: text.slice(last), markup: false });
  return segments;
}

const isWordChar = (s: string, i: number): boolean => i >= 0 && i < s.length && WORD_CHAR.test(s.charAt(i));

/** Does `term` occur at `i` of `s` without cutting a word in two? */
function termAt(s: string, i: number, term: string): boolean {
  if (!s.startsWith(term, i)) return false;
  const end = i + term.length;
  if (isWordChar(term, 0) && isWordChar(s, i - 1)) return false;
  if (isWordChar(term, term.length - 1) && isWordChar(s, end)) return false;
  return true;
}

/** NFC, then glossary terms (longest first), then the word map for English targets. */
function translateText(source: string, glossary: readonly GlossaryEntry[], english: boolean): string {
  const s = source.normalize('NFC');
  let out = '';
  let i = 0;
  outer: while (i < s.length) {
    for (const [term, replacement] of glossary) {
      if (termAt(s, i, term)) {
        out += replacement;
        i += term.length;
        continue outer;
      }
    }
    WORD_RUN.lastIndex = i;
    const word = WORD_RUN.exec(s)?.[0];
    if (word) {
      out += (english && WORD_MAP.get(word)) || word;
      i += word.length;
    } else {
      out += s.charAt(i);
      i++;
    }
  }
  return out;
}

export function translationPrefix(targetLang: string, formality?: 'formal' | 'informal'): string {
  return `[${targetLang.toUpperCase()}${formality ? ` ${formality}` : ''}] `;
}

export function fakeTranslate(text: string, options: FakeTranslateOptions): string {
  const glossary = (options.glossary ?? [])
    .map(([s, t]): GlossaryEntry => [s.normalize('NFC'), t])
    .sort((a, b) => b[0].length - a[0].length);
  const english = options.targetLang.toLowerCase().startsWith('en');
  const prefix = translationPrefix(options.targetLang, options.formality);
  const segments = options.tagHandling ? splitMarkup(text) : [{ text, markup: false }];
  let prefixed = false;
  const out = segments
    .map((segment) => {
      if (segment.markup) return segment.text;
      let translated = translateText(segment.text, glossary, english);
      const firstVisible = prefixed ? -1 : translated.search(/\S/u);
      if (firstVisible >= 0) {
        translated = translated.slice(0, firstVisible) + prefix + translated.slice(firstVisible);
        prefixed = true;
      }
      return translated;
    })
    .join('');
  return prefixed ? out : prefix + out;
}

/** Unicode code points of the source as sent (no NFC); with tag handling, text between tags only. */
export function billedCharacters(text: string, tagHandling: boolean): number {
  const segments = tagHandling ? splitMarkup(text) : [{ text, markup: false }];
  return segments.reduce((n, s) => (s.markup ? n : n + [...s.text].length), 0);
}
