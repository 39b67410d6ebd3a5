/**
 * Post-editing effort, for training: how much of a machine draft a person had to change before it
 * was approved, as the character-level edit distance (Levenshtein, the `fastest-levenshtein`
 * package) between the two plain texts, and that distance over the longer text. Zero for a draft
 * approved untouched. Pure.
 */
import { diffArrays } from 'diff';
import { distance } from 'fastest-levenshtein';
import { changed, diffTexts, type DiffPart } from './diff.ts';
import { toBlocks } from './qa/text.ts';
import { asDocument } from './translation-qa.ts';

export interface TextVersion { title: string; summary: string; body_html: string }

/** Title, lead and one line per block, NFC: the text both sides are measured on. */
export const paragraphsOf = (t: TextVersion): string[] =>
  toBlocks(asDocument({ title: t.title, summary: t.summary, bodyHtml: t.body_html })).map((b) => b.normalize('NFC'));

const plain = (t: TextVersion) => paragraphsOf(t).join('\n');

export interface Effort { fromChars: number; toChars: number; distance: number }

/** Characters are UTF-16 code units, as the distance counts them. */
export function editEffort(from: TextVersion, to: TextVersion): Effort {
  const a = plain(from);
  const b = plain(to);
  return { fromChars: a.length, toChars: b.length, distance: distance(a, b) };
}

/** Share of the text changed: 0 untouched, 1 rewritten throughout; null for two empty texts. */
export const effortRatio = (e: { distance: number; fromChars: number; toChars: number }) =>
  Math.max(e.fromChars, e.toChars) === 0 ? null : e.distance / Math.max(e.fromChars, e.toChars);

export interface ParagraphChange {
  /** Position in the later text (1 = the title); in the earlier one for a paragraph removed. */
  position: number;
  kind: 'changed' | 'added' | 'removed';
  parts: DiffPart[];
}

/**
 * What changed between two versions, paragraph by paragraph: paragraphs are aligned first (so an
 * inserted paragraph does not make every later one look changed), then a changed pair is compared
 * word by word. Unchanged paragraphs are left out.
 */
export function paragraphChanges(before: TextVersion, after: TextVersion): ParagraphChange[] {
  const out: ParagraphChange[] = [];
  let i = 0; // position in `before`
  let j = 0; // position in `after`
  const chunks = diffArrays(paragraphsOf(before), paragraphsOf(after));
  for (let k = 0; k < chunks.length; k++) {
    const c = chunks[k]!;
    if (!c.added && !c.removed) { i += c.value.length; j += c.value.length; continue; }
    const next = chunks[k + 1];
    if (c.removed && next?.added) {
      // a run replaced by another: pair the paragraphs that are still alike, in order; the rest
      // are whole removals or additions
      const pairs = pairAlike(c.value, next.value);
      let x = 0;
      let y = 0;
      for (const [px, py] of [...pairs, [c.value.length, next.value.length] as const]) {
        for (; x < px; x++) out.push({ position: i + x + 1, kind: 'removed', parts: [{ kind: 'removed', text: c.value[x]! }] });
        for (; y < py; y++) out.push({ position: j + y + 1, kind: 'added', parts: [{ kind: 'added', text: next.value[y]! }] });
        if (px < c.value.length && py < next.value.length) {
          const parts = diffTexts(c.value[px]!, next.value[py]!);
          if (changed(parts)) out.push({ position: j + py + 1, kind: 'changed', parts });
          x++; y++;
        }
      }
      i += c.value.length; j += next.value.length; k++;
    } else if (c.removed) {
      c.value.forEach((p, x) => out.push({ position: i + x + 1, kind: 'removed', parts: [{ kind: 'removed', text: p }] }));
      i += c.value.length;
    } else {
      c.value.forEach((p, x) => out.push({ position: j + x + 1, kind: 'added', parts: [{ kind: 'added', text: p }] }));
      j += c.value.length;
    }
  }
  return out;
}

/** How alike two paragraphs are: 1 identical, 0 nothing in common. */
const likeness = (a: string, b: string) => (Math.max(a.length, b.length) === 0 ? 1 : 1 - distance(a, b) / Math.max(a.length, b.length));

/**
 * The in-order pairing of `was` with `now` that keeps the most likeness (paragraphs less than
 * 40 % alike are not paired): a small dynamic programme, runs are a few paragraphs long.
 */
function pairAlike(was: readonly string[], now: readonly string[]): [number, number][] {
  const score: number[][] = Array.from({ length: was.length + 1 }, () => new Array<number>(now.length + 1).fill(0));
  for (let x = 1; x <= was.length; x++) {
    for (let y = 1; y <= now.length; y++) {
      const l = likeness(was[x - 1]!, now[y - 1]!);
      score[x]![y] = Math.max(score[x - 1]![y]!, score[x]![y - 1]!, l >= 0.4 ? score[x - 1]![y - 1]! + l : 0);
    }
  }
  const pairs: [number, number][] = [];
  for (let x = was.length, y = now.length; x > 0 && y > 0;) {
    if (score[x]![y] === score[x - 1]![y]) x--;
    else if (score[x]![y] === score[x]![y - 1]) y--;
    else { pairs.unshift([x - 1, y - 1]); x--; y--; }
  }
  return pairs;
}
