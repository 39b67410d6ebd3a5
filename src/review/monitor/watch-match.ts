/**
 * Finding watch terms in a foreign item: every form of every term (Vietnamese, English, Chinese …)
 * in one Aho–Corasick automaton, so one pass over the item's text finds them all whatever their
 * number (5,000 terms in 6 languages: well under the 2 ms an item may take; `npm run bench`).
 *
 * Text and forms are folded alike: NFKC (full-width letters and digits become plain), lower case,
 * Latin diacritics dropped (so "Hà Nội" matches "Ha Noi" and "Đà Nẵng" matches "Da Nang"), and any
 * run of punctuation or spaces made one space. A form written in a script that separates words with
 * spaces (Latin, Cyrillic, Greek, digits) only matches whole words ("Nam" does not match "Vietnamese");
 * a form in Chinese, Japanese, Thai, Lao or Khmer matches anywhere, as those scripts do not mark words;
 * a Korean form matches at the start of a word (particles attach behind nouns). Pure.
 */
import type { WatchForm } from '../../store/schema-monitoring.ts';

export interface WatchTermForms { id: number; forms: readonly WatchForm[] }
export interface WatchHit { termId: number; form: string; language: string }

const LATIN_MARKS = /([a-z])[\u0300-\u036f]+/g;
const NOT_WORD = /[^\p{L}\p{N}\p{M}]+/gu;
const SPACED = /^[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\p{N}]/u;
const HANGUL = /^\p{Script=Hangul}/u;
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

export function foldForMatching(text: string): string {
  return text.normalize('NFKD').toLowerCase().replace(LATIN_MARKS, '$1').replace(/đ/g, 'd').normalize('NFC')
    .replace(NOT_WORD, ' ').trim();
}

/** How a form must sit among the text's words. */
const enum Edges { None = 0, Start = 1, Both = 3 }

interface Pattern { termId: number; form: string; language: string; length: number; edges: Edges }

export class WatchMatcher {
  /** Each UTF-16 code unit of the forms numbered from 1 (0: in no form), so transition keys stay small integers. */
  private readonly symbols = new Uint16Array(65536);
  private alphabet = 0;
  /** Transitions: node * alphabet + symbol → node (one map instead of one per node). */
  private readonly next = new Map<number, number>();
  private fail: Int32Array = new Int32Array(1);
  /** Patterns ending at each node, its failure chain's included. */
  private out: number[][] = [[]];
  private readonly patterns: Pattern[] = [];
  readonly size: number;

  constructor(terms: readonly WatchTermForms[]) {
    let nodes = 1;
    const seen = new Set<string>();
    const folded: Array<{ termId: number; form: WatchForm; text: string }> = [];
    for (const term of terms) {
      for (const f of term.forms) {
        const text = foldForMatching(f.text);
        if (!text || seen.has(`${term.id}\u0000${text}`)) continue;
        seen.add(`${term.id}\u0000${text}`);
        folded.push({ termId: term.id, form: f, text });
        for (let i = 0; i < text.length; i++) {
          const unit = text.charCodeAt(i);
          if (!this.symbols[unit]) this.symbols[unit] = ++this.alphabet;
        }
      }
    }
    const width = this.alphabet + 1;
    for (const { termId, form: f, text: form } of folded) {
      {
        const edges = SPACED.test(form) && SPACED.test(form.at(-1)!) ? Edges.Both : HANGUL.test(form) ? Edges.Start : Edges.None;
        const index = this.patterns.push({ termId, form: f.text, language: f.language, length: form.length, edges }) - 1;
        let node = 0;
        for (let i = 0; i < form.length; i++) {
          const key = node * width + this.symbols[form.charCodeAt(i)]!;
          let child = this.next.get(key);
          if (child === undefined) {
            child = nodes++;
            this.next.set(key, child);
            this.out[child] = [];
          }
          node = child;
        }
        this.out[node]!.push(index);
      }
    }
    this.size = this.patterns.length;
    this.buildFailures(nodes);
  }

  private buildFailures(nodes: number): void {
    const width = this.alphabet + 1;
    this.fail = new Int32Array(nodes);
    // children of each node, for the breadth-first walk
    const children: Array<Array<[number, number]>> = Array.from({ length: nodes }, () => []);
    for (const [key, child] of this.next) children[Math.floor(key / width)]!.push([key % width, child]);
    const queue: number[] = [];
    for (const [, child] of children[0]!) queue.push(child);
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head]!;
      for (const [unit, child] of children[node]!) {
        let f = this.fail[node]!;
        while (f !== 0 && !this.next.has(f * width + unit)) f = this.fail[f]!;
        const target = this.next.get(f * width + unit);
        this.fail[child] = target !== undefined && target !== child ? target : 0;
        const inherited = this.out[this.fail[child]!]!;
        if (inherited.length) this.out[child] = [...this.out[child]!, ...inherited];
        queue.push(child);
      }
    }
  }

  /** The terms found in the texts, each once (its first form found), in the order first found. */
  match(...texts: readonly string[]): WatchHit[] {
    const hits = new Map<number, WatchHit>();
    const width = this.alphabet + 1;
    for (const raw of texts) {
      const text = foldForMatching(raw);
      let node = 0;
      for (let i = 0; i < text.length; i++) {
        const unit = this.symbols[text.charCodeAt(i)]!;
        if (!unit) { node = 0; continue; } // a letter no form has: no form spans it
        let step = this.next.get(node * width + unit);
        while (step === undefined && node !== 0) {
          node = this.fail[node]!;
          step = this.next.get(node * width + unit);
        }
        node = step ?? 0;
        for (const p of this.out[node]!) {
          const pattern = this.patterns[p]!;
          if (hits.has(pattern.termId)) continue;
          const start = i - pattern.length + 1;
          if (pattern.edges !== Edges.None && start > 0 && WORD_CHAR.test(text[start - 1]!)) continue;
          if (pattern.edges === Edges.Both && i + 1 < text.length && WORD_CHAR.test(text[i + 1]!)) continue;
          hits.set(pattern.termId, { termId: pattern.termId, form: pattern.form, language: pattern.language });
        }
      }
    }
    return [...hits.values()];
  }
}
