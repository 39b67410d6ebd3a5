/**
 * How much text one field may carry, in characters and in markup (tags and entity or character
 * references), checked before anything parses or sanitizes it: a few hundred thousand `&amp;` or
 * `&#x41;` cost the sanitizer and the accuracy checks far more than their length suggests. The
 * limits are far above any news article (a long one is some 50,000 characters with a few hundred
 * tags) and the same for every way text comes in: polled items, pushed stories, a translator's
 * edit, the QA call, a comment. Pure.
 */
import { PersonError } from '../errors.ts';

export const textBounds = {
  title: { chars: 1_000, markup: 200 },
  summary: { chars: 10_000, markup: 2_000 },
  body: { chars: 500_000, markup: 50_000 },
  comment: { chars: 5_000, markup: 1_000 },
} as const;

export type BoundedField = keyof typeof textBounds;

/** Tags and references: each `<` and `&` counts, whatever follows (an honest text has few). */
export function markupCount(text: string, stopAt = Infinity): number {
  let n = 0;
  for (const mark of ['<', '&']) {
    for (let i = text.indexOf(mark); i >= 0 && n < stopAt; i = text.indexOf(mark, i + 1)) n++;
  }
  return Math.min(n, stopAt);
}

/** Why `text` is too much for `field`, in English (the log, the API, a source's item errors), or undefined. */
export function overBound(field: BoundedField, text: string): TextTooLargeError | undefined {
  const bound = textBounds[field];
  if (text.length > bound.chars) {
    return new TextTooLargeError(`errors:textTooLong.${field}`, { max: bound.chars, count: text.length }, `${field} has ${text.length} characters; at most ${bound.chars} are accepted`);
  }
  const markup = markupCount(text, bound.markup + 1);
  if (markup > bound.markup) {
    return new TextTooLargeError(`errors:textTooDense.${field}`, { max: bound.markup }, `${field} has more than ${bound.markup} tags and entities; at most ${bound.markup} are accepted`);
  }
  return undefined;
}

/** Throws the reason `text` is too much for `field` (400 invalid_input, in the person's words on a page). */
export function assertWithinBound(field: BoundedField, text: string): void {
  const over = overBound(field, text);
  if (over) throw over;
}

export class TextTooLargeError extends PersonError {
  constructor(key: string, values: Record<string, unknown>, message: string) {
    super('invalid_input', key, values, message);
  }
}
