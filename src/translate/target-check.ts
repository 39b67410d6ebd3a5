/**
 * At start, once each provider's language list is known (its discovery, discovery.ts): an
 * audience whose target code a provider of its chain does not list is named in one warning with
 * the key path to fix. Such an audience still starts, and its stories pass that provider by (to
 * the next of the chain, or a translator), which is what a mistyped code would otherwise do in
 * silence. Runs in the background: a provider that is slow to answer does not hold the start.
 */
import { makesMachineDrafts, targetCodeFor, type AudienceConfig } from '../core/audience.ts';
import type { Logger } from '../log.ts';
import type { Provider } from './translator.ts';

export interface TargetCheckDeps {
  audiences: readonly AudienceConfig[];
  sourceLanguage: string;
  chainFor(audience: AudienceConfig): readonly Provider[];
  log: Logger;
}

/** The configuration key that sets the code `provider` is asked to translate into for the audience at `index`. */
export function targetKeyPath(audience: AudienceConfig, index: number, provider: string): string {
  if (audience.targetCodes?.[provider as keyof typeof audience.targetCodes]) return `audiences[${index}].targetCodes.${provider}`;
  return provider === 'deepl' ? `audiences[${index}].targetCode` : `audiences[${index}].language`;
}

/** Resolves when every pair has been checked (or its provider could not say); never rejects. */
export async function checkTargetCodes(deps: TargetCheckDeps): Promise<void> {
  await Promise.all(deps.audiences.flatMap((audience, index) => deps.chainFor(audience).map(async (provider) => {
    if (!makesMachineDrafts(provider.name) || !provider.capabilities) return;
    const code = targetCodeFor(audience, provider.name);
    const keyPath = targetKeyPath(audience, index, provider.name);
    try {
      const pair = await provider.capabilities(deps.sourceLanguage, code);
      if (!pair.translatable) {
        deps.log.warn({ audience: audience.id, provider: provider.name, key: keyPath },
          `${keyPath} "${code}" is not a language that ${provider.name} lists as a target for ${deps.sourceLanguage}: the ${audience.id} stories pass ${provider.name} by (to the next provider of the chain, or a translator)`);
      }
    } catch (err) {
      deps.log.warn({ audience: audience.id, provider: provider.name, key: keyPath, err: (err as Error).message },
        `${keyPath} "${code}" could not be checked against ${provider.name}'s languages now; its drafts say if the provider refuses it`);
    }
  })));
}
