/**
 * An audience: one language (and its readers) that stories are translated for, with its own
 * provider, time zone, feeds and credit. The schema is the one definition; config.ts validates the
 * file with it and the rest of the code receives its frozen result.
 */
import { z } from 'zod';

export const languageTag = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 language tag such as "en" or "zh-Hans"');

/** An IANA time zone name that this Node.js knows. */
export const timeZoneName = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as "Europe/Paris"');

/** The translation providers an audience may name (and a translation row records). */
export const providerNames = ['deepl', 'manual'] as const;
export type ProviderName = (typeof providerNames)[number];

/** Whether a provider drafts by machine; the manual one leaves the draft to a person. */
const machineDrafts: Record<ProviderName, boolean> = { deepl: true, manual: false };
export const makesMachineDrafts = (provider: ProviderName): boolean => machineDrafts[provider];
export const machineProviders: readonly ProviderName[] = providerNames.filter(makesMachineDrafts);
/** Where a translation goes when no machine will draft it: a person writes it. */
export const peopleProvider: ProviderName = 'manual';

export const audienceSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and dashes'),
  language: languageTag,
  provider: z.enum(providerNames).default('deepl'),
  /** The provider's target code, e.g. EN-GB or ZH-HANS; required when provider is deepl. */
  targetCode: z.string().optional(),
  formality: z.enum(['default', 'more', 'less', 'prefer_more', 'prefer_less']).optional(),
  timeZone: timeZoneName.default('UTC'),
  /** i18next keys (namespace "feeds") of the feed's title and description. */
  feedTitleKey: z.string().default('feeds:title'),
  feedDescriptionKey: z.string().default('feeds:description'),
  glossary: z.string().optional(),
  /** The credit line of this audience's feeds; the locale's feeds:credit when absent. */
  credit: z.string().optional(),
});

export type AudienceConfig = z.infer<typeof audienceSchema>;
