/**
 * Differences between two versions of a text, word by word (the `diff` package), as segments a
 * page can show with <ins> and <del>. Compared on plain text: one line per block.
 */
import { diffWords } from 'diff';
import { toBlocks } from './qa/text.ts';

export interface DiffPart { kind: 'same' | 'added' | 'removed'; text: string }

export const plainLines = (html: string) => toBlocks(html).join('\n');

export function diffTexts(before: string, after: string): DiffPart[] {
  return diffWords(before, after).map((c) => ({ kind: c.added ? 'added' : c.removed ? 'removed' : 'same', text: c.value }));
}

export const changed = (parts: readonly DiffPart[]) => parts.some((p) => p.kind !== 'same');
