/** The one interface every translation provider implements (one file per provider in providers/). */
import type { AudienceConfig } from '../config.ts';

export interface TranslationRequest {
  /** Plain-text segments, NFC; the answer keeps their order and count. */
  segments: string[];
  sourceLanguage: string;
  audience: AudienceConfig;
  /** Title and lead, sent to help the provider with short segments; not translated, not billed. */
  context?: string;
}

export interface TranslationResult {
  segments: string[];
  billedCharacters: number;
}

export interface Translator {
  readonly name: string;
  /**
   * Machine-translates the segments, or answers undefined when this provider makes no machine
   * draft (a person writes the translation).
   */
  translate(request: TranslationRequest): Promise<TranslationResult | undefined>;
}
