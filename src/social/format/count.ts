/**
 * Counting and trimming text the way people see it: graphemes (a Vietnamese "ệ" written as e +
 * two combining marks is one; a family emoji is one), word boundaries from ICU (which also finds
 * words in Chinese, Japanese and Lao text that has no spaces).
 */
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function graphemeLength(text: string): number {
  let n = 0;
  for (const _ of graphemes.segment(text)) n++;
  return n;
}

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

export const ellipsis = '…';

/**
 * The longest prefix of `text` ending at a word boundary that, with an ellipsis, satisfies `fits`;
 * '' when not even one word fits. A single word longer than everything is cut between graphemes.
 * `fits` must be monotonic (a shorter text never fits less), which every network's count is.
 */
export function trimToFit(text: string, language: string, fits: (candidate: string) => boolean): string {
  if (fits(text)) return text;
  const words = [...new Intl.Segmenter(language, { granularity: 'word' }).segment(text)];
  const ends = words.filter((w) => w.isWordLike).map((w) => w.index + w.segment.length);
  const cut = (end: number) => text.slice(0, end).trimEnd() + ellipsis;
  let best = -1;
  let lo = 0;
  let hi = ends.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (fits(cut(ends[mid]!))) { best = mid; lo = mid + 1; } else hi = mid - 1;
  }
  if (best >= 0) return cut(ends[best]!);
  // no whole word fits: cut the first word between graphemes rather than post nothing
  const first = [...graphemes.segment(text)].map((g) => g.segment);
  let prefix = '';
  for (const g of first) {
    if (!fits(prefix + g + ellipsis)) break;
    prefix += g;
  }
  return prefix ? prefix.trimEnd() + ellipsis : '';
}

/**
 * Fits the parts of a post into a limit: the summary is trimmed at a word boundary first (down
 * to nothing), then the hashtags go, then the title is trimmed. The link is never cut.
 */
export function fitParts<P extends { title: string; summary: string; hashtags: string }>(
  parts: P, language: string, assemble: (p: P) => string, fits: (text: string) => boolean,
): P {
  if (fits(assemble(parts))) return parts;
  const summary = trimToFit(parts.summary, language, (s) => fits(assemble({ ...parts, summary: s })));
  if (summary && fits(assemble({ ...parts, summary }))) return { ...parts, summary };
  const bare = { ...parts, summary: '' };
  if (fits(assemble(bare))) return bare;
  const noTags = { ...bare, hashtags: '' };
  if (fits(assemble(noTags))) return noTags;
  return { ...noTags, title: trimToFit(parts.title, language, (t) => fits(assemble({ ...noTags, title: t }))) };
}

/** Hashtags as written in a post: "#a #b". */
export function hashtagLine(tags: readonly string[]): string {
  return tags.map((t) => `#${t}`).join(' ');
}

/** Blocks separated by blank lines, empty ones left out. */
export function joinBlocks(...blocks: string[]): string {
  return blocks.map((b) => b.trim()).filter(Boolean).join('\n\n');
}
