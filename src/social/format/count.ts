/**
 * Counting and trimming text the way people see it: graphemes (a Vietnamese "ệ" written as e +
 * two combining marks is one; a family emoji is one), word boundaries from ICU (which also finds
 * words in Chinese, Japanese and Lao text that has no spaces).
 */
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Characters that are one grapheme each whatever follows them (no combining marks, joiners,
 * surrogates, CR or jamo): Latin with Vietnamese, Greek, Cyrillic, punctuation, kana, CJK,
 * Hangul syllables. Text made only of these is counted by its length; the segmenter (slow in V8,
 * ~0.5 µs a character) is kept for the rest.
 */
const oneGraphemeEach = /^[\t\n\u0020-\u007E\u00A0-\u02FF\u0370-\u0377\u037A-\u03FF\u0400-\u0482\u048A-\u04FF\u1E00-\u1EFF\u2010-\u2027\u2030-\u205E\u3000-\u3098\u309B-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7A3\uFF01-\uFF9D]*$/;

export function graphemeLength(text: string): number {
  if (oneGraphemeEach.test(text)) return text.length;
  return segmentedLength(text);
}

export function segmentedLength(text: string): number {
  let n = 0;
  for (const _ of graphemes.segment(text)) n++;
  return n;
}

export const ellipsis = '…';

/**
 * The longest prefix of `text` ending at a word boundary that, with an ellipsis, satisfies `fits`;
 * '' when not even one word fits. A single word longer than everything is cut between graphemes.
 * `fits` must be monotonic (a shorter text never fits less), which every network's count is.
 */
export function trimToFit(text: string, language: string, fits: (candidate: string) => boolean): string {
  if (fits(text)) return text;
  // word ends are found lazily: a 300-grapheme post cut from a 5,000-word summary reads only the
  // first few hundred words (galloping, then binary search between the last fit and the first miss)
  const words = wordSegmenter(language).segment(text)[Symbol.iterator]();
  const ends: number[] = [];
  const endAt = (i: number): number | undefined => {
    while (ends.length <= i) {
      const next = words.next();
      if (next.done) return undefined;
      if (next.value.isWordLike) ends.push(next.value.index + next.value.segment.length);
    }
    return ends[i];
  };
  const cut = (end: number) => text.slice(0, end).trimEnd() + ellipsis;
  const fitsAt = (i: number) => {
    const end = endAt(i);
    return end !== undefined && fits(cut(end));
  };
  let best = -1;
  let miss = 0;
  while (fitsAt(miss)) {
    best = miss;
    miss = miss * 2 + 1;
  }
  let lo = best + 1;
  let hi = miss - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (fitsAt(mid)) { best = mid; lo = mid + 1; } else hi = mid - 1;
  }
  if (best >= 0) return cut(ends[best]!);
  // no whole word fits: cut the first word between graphemes rather than post nothing
  let prefix = '';
  for (const { segment } of graphemes.segment(text)) {
    if (!fits(prefix + segment + ellipsis)) break;
    prefix += segment;
  }
  return prefix ? prefix.trimEnd() + ellipsis : '';
}

const wordSegmenters = new Map<string, Intl.Segmenter>();
function wordSegmenter(language: string): Intl.Segmenter {
  let s = wordSegmenters.get(language);
  if (!s) wordSegmenters.set(language, (s = new Intl.Segmenter(language, { granularity: 'word' })));
  return s;
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
