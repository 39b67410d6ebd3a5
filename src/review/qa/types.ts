/** The shapes shared by every accuracy check. */

/** A stretch of the plain text (tags removed, entities decoded, blocks separated by a blank line). */
export interface Span { start: number; end: number; text: string }

export interface QaIssue {
  check: string;
  severity: 'error' | 'warning';
  message: string;
  /** What the message says, for people reading another language: an i18n key ("numbers.missing") and its values. */
  code?: string;
  params?: Record<string, string | number>;
  source?: Span;
  target?: Span;
}

export interface QaGlossaryTerm { source: string; target: string; variants?: readonly string[] }

export interface QaInput {
  /** Plain text or HTML. */
  source: string;
  target: string;
  sourceLang: string;
  targetLang: string;
  glossary?: readonly QaGlossaryTerm[];
}

/** Both sides, prepared once and shared by every check. */
export interface Prepared {
  input: QaInput;
  source: TextSide;
  target: TextSide;
  /** Base language of the target ("en" for "en-GB"). */
  targetLang: string;
  glossary: readonly QaGlossaryTerm[];
}

export interface TextSide {
  /** The text as given (HTML or plain). */
  raw: string;
  /** Plain text: blocks joined by "\n\n". */
  plain: string;
  /** Each block's plain text and its offset in `plain`. */
  blocks: { text: string; start: number }[];
}

export type Check = (p: Prepared) => QaIssue[];

export const span = (text: string, start: number, end: number): Span => ({ start, end, text: text.slice(start, end) });
