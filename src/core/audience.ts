/**
 * An audience: one language (and its readers) that stories are translated for, with its own
 * provider, time zone, feeds and credit. The schema is the one definition; config.ts validates the
 * file with it and the rest of the code receives its frozen result.
 */
import { z } from 'zod';
import { routingSchema } from './routing.ts';

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

/** Providers that draft by machine (src/translate/providers/, one file each). */
export const machineProviders = ['deepl', 'google', 'openai'] as const;
export type MachineProvider = (typeof machineProviders)[number];

/** The translation providers an audience may name (and a translation row records): the machines, and a person. */
export const providerNames = [...machineProviders, 'manual'] as const;
export type ProviderName = (typeof providerNames)[number];

/** Whether a provider drafts by machine; the manual one leaves the draft to a person. */
const machineDrafts: Record<ProviderName, boolean> = { deepl: true, google: true, openai: true, manual: false };
export const makesMachineDrafts = (provider: ProviderName): provider is MachineProvider => machineDrafts[provider];
/** Where a translation goes when no machine will draft it: a person writes it. */
export const peopleProvider: ProviderName = 'manual';

export const audienceSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and dashes'),
  language: languageTag,
  provider: z.enum(providerNames).default('deepl'),
  /**
   * The fallback chain, tried in order (a pair the provider cannot translate, its quota spent, or
   * it keeps failing: the next one); a person when none is left. Instead of `provider`.
   */
  providers: z.array(z.enum(machineProviders)).min(1).optional(),
  /** DeepL's target code, e.g. EN-GB or ZH-HANS; required when DeepL is in the chain. */
  targetCode: z.string().optional(),
  /** Other providers' codes where they differ from `language`, e.g. { google: zh-CN }. */
  targetCodes: z.partialRecord(z.enum(machineProviders), z.string().min(2)).optional(),
  formality: z.enum(['default', 'more', 'less', 'prefer_more', 'prefer_less']).optional(),
  timeZone: timeZoneName.default('UTC'),
  /** i18next keys (namespace "feeds") of the feed's title and description. */
  feedTitleKey: z.string().default('feeds:title'),
  feedDescriptionKey: z.string().default('feeds:description'),
  glossary: z.string().optional(),
  /** The credit line of this audience's feeds; the locale's feeds:credit when absent. */
  credit: z.string().optional(),
  /** BCP 47 locale of dates on pages and in feeds (e.g. en-GB); see localeOf. */
  locale: languageTag.optional(),
  /** The audience's publication: the name its site, sitemaps and article metadata carry (publishing.publicationName when absent). */
  publicationName: z.string().min(1).max(120).optional(),
  /** The publication's logo, an SVG or PNG file relative to the configuration file, shown on every page of the site. */
  logo: z.string().regex(/^[^\0]+\.(svg|png)$/i, 'must name an .svg or .png file').optional(),
  /**
   * Which stories this audience takes, which it never takes, and whether they wait for an editor
   * (core/routing.ts). Absent: every story, translated at once (automatic).
   */
  routing: routingSchema.optional(),
  /**
   * Characters billed per calendar month (UTC) for this audience; past it its normal stories wait
   * (translation.monthlyCharacterBudget stays the ceiling over all audiences). None when absent.
   */
  monthlyCharacterBudget: z.number().int().min(0).optional(),
});

export type AudienceConfig = z.infer<typeof audienceSchema>;

/**
 * The locale an audience reads dates in: `locale` when set, else its language refined by a regional
 * provider target (targetCode EN-GB → en-GB, ES-419 → es-419), else the language itself. An en
 * audience translated into British English must not read "December 2, 2026 at 1:03 AM".
 */
export function localeOf(audience: Pick<AudienceConfig, 'language' | 'locale' | 'targetCode'>): string {
  if (audience.locale) return audience.locale;
  const region = /^[A-Za-z]{2,3}-([A-Za-z]{2}|\d{3})$/.exec(audience.targetCode ?? '')?.[1];
  if (region && !audience.language.includes('-') && audience.targetCode!.toLowerCase().startsWith(`${audience.language.toLowerCase()}-`)) {
    return `${audience.language}-${region.toUpperCase()}`;
  }
  return audience.language;
}

/** The machine providers an audience tries, in order (none: a person writes every draft). */
export function chainOf(audience: { provider: ProviderName; providers?: readonly MachineProvider[] | undefined }): MachineProvider[] {
  if (audience.providers) return [...audience.providers];
  return audience.provider === 'manual' ? [] : [audience.provider];
}

/** The code a provider is asked to translate into for this audience. */
export function targetCodeFor(audience: AudienceConfig, provider: MachineProvider): string {
  return audience.targetCodes?.[provider] ?? (provider === 'deepl' ? audience.targetCode : undefined) ?? audience.language;
}
