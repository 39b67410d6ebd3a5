/**
 * The one interface every translation provider implements (one file per provider in providers/),
 * and the small extra abilities a provider may have, each its own interface. Whether a provider
 * drafts by machine at all is said once, by name, in core/audience.ts.
 */
import type { ProviderName } from '../core/audience.ts';
import type { RequestLimits } from './batching.ts';

export interface TranslationRequest {
  /** Segments, NFC; XML with <l i="n"> link tags when `tagHandling` is set. The answer keeps order and count. */
  segments: string[];
  sourceLanguage: string;
  /** The provider's target code, e.g. EN-GB, ZH-HANS. */
  targetCode: string;
  /** Only when the pair supports it (the caller checks). */
  formality?: string | undefined;
  /** Title and lead, sent to help the provider with short segments; not translated, not billed. */
  context?: string | undefined;
  tagHandling?: boolean;
  glossaryId?: string | undefined;
  /** The pair's required terms, for a provider that takes them with the request (`termsInRequest`). */
  terms?: ReadonlyArray<{ source: string; target: string }>;
}

export interface TranslationResult {
  segments: string[];
  billedCharacters: number;
  /** Segments (by index in the request) the provider answered but whose answer failed its checks; their `segments` entries are ''. */
  rejected?: Array<{ index: number; reason: string }>;
}

export interface Translator {
  readonly name: ProviderName;
  /** Costs nothing per character (a model on the office's own machines): the monthly budget does not stop it. */
  readonly unmetered?: boolean;
  /**
   * Machine-translates the segments, or answers undefined when this provider makes no machine
   * draft (a person writes the translation). Failures are ProviderErrors (failures.ts).
   */
  translate(request: TranslationRequest): Promise<TranslationResult | undefined>;
}

/** What a provider can do for one language pair, as it says itself. */
export interface PairCapabilities {
  translatable: boolean;
  tagHandling: boolean;
  glossary: boolean;
  formality: boolean;
  /** The provider takes the required terms with each request (and checks them) instead of a glossary. */
  termsInRequest?: boolean;
}

export interface Capabilities {
  capabilities(sourceLanguage: string, targetCode: string): Promise<PairCapabilities>;
}

/** A provider that keeps glossaries: entries are source → target, NFC. */
export interface GlossaryHost {
  createGlossary(name: string, sourceLanguage: string, targetLanguage: string, entries: Record<string, string>): Promise<string>;
  /** Deleting a glossary already gone is not an error. */
  deleteGlossary(id: string): Promise<void>;
  /** Every glossary the provider holds for this account (ours and anyone's). */
  listGlossaries(): Promise<Array<{ id: string; name: string; createdAt: Date }>>;
}

export interface UsageReport {
  /** undefined when the provider cannot tell. */
  usage(): Promise<{ count: number; limit: number } | undefined>;
}

/** How much one request may carry (batching.ts); without it, DEFAULT_LIMITS. */
export interface Batching {
  readonly limits: RequestLimits;
}

/** A provider with every ability, as the registry hands it out (manual: none of them apply). */
export type Provider = Translator & Partial<Capabilities & GlossaryHost & UsageReport & Batching>;

/** The provider's glossary abilities, when it has them all. */
export function glossaryHost(provider: Provider): ({ name: string } & GlossaryHost) | undefined {
  const { createGlossary, deleteGlossary, listGlossaries } = provider;
  return createGlossary && deleteGlossary && listGlossaries ? { name: provider.name, createGlossary, deleteGlossary, listGlossaries } : undefined;
}
