/**
 * The providers, built once from the configuration, and each audience's chain of them. A provider
 * without its credentials is left out of every chain, and the start says so; an audience whose
 * chain is left empty gets the manual provider (a translator writes every draft).
 */
import type { Config } from '../config.ts';
import { chainOf, type AudienceConfig, type MachineProvider } from '../core/audience.ts';
import type { Logger } from '../log.ts';
import { createDeepLTranslator } from './providers/deepl.ts';
import { createGoogleTranslator } from './providers/google.ts';
import { createManualTranslator } from './providers/manual.ts';
import { createOpenAiTranslator } from './providers/openai.ts';
import type { Provider } from './translator.ts';

export interface TranslatorRegistry {
  /** The audience's providers in order; never empty. */
  chainFor(audience: AudienceConfig): readonly Provider[];
  /** Every machine provider some audience or monitoring uses. */
  machineProviders(): readonly Provider[];
  /** The providers that translate foreign outlets' items into Vietnamese, in order; may be empty. */
  monitoringChain(): readonly Provider[];
}

/** Why a provider cannot be built, in words for the log; undefined when it can. */
function build(name: MachineProvider, config: Config, log: Logger): Provider | string {
  const { timeoutMs } = config.translation;
  switch (name) {
    case 'deepl':
      return config.deepl.authKey ? createDeepLTranslator({ authKey: config.deepl.authKey, serverUrl: config.deepl.serverUrl, timeoutMs, log }) : 'DEEPL_AUTH_KEY is not set';
    case 'google': {
      const g = config.google;
      if (!g.apiKey && !g.keyFilename) return 'neither GOOGLE_TRANSLATE_API_KEY nor GOOGLE_APPLICATION_CREDENTIALS is set';
      if (!g.projectId) return 'no project: set translation.google.projectId or GOOGLE_CLOUD_PROJECT';
      return createGoogleTranslator({ projectId: g.projectId, location: config.translation.google.location, apiKey: g.apiKey, keyFilename: g.keyFilename, serverUrl: g.serverUrl, timeoutMs, log });
    }
    case 'openai': {
      const o = config.openai;
      if (!o.baseUrl) return 'no server: set translation.openai.baseUrl or MT_OPENAI_BASE_URL';
      const { model, maxSegments, temperature } = config.translation.openai;
      return createOpenAiTranslator({ baseUrl: o.baseUrl, apiKey: o.apiKey, model, maxSegments, temperature, timeoutMs, log });
    }
  }
}

export function createTranslatorRegistry(config: Config, log: Logger): TranslatorRegistry {
  const manual = createManualTranslator();
  const providers = new Map<MachineProvider, Provider>();
  const used = [...new Set([...config.audiences.flatMap((a) => chainOf(a)), ...config.monitoring.providers])];
  for (const name of used) {
    const built = build(name, config, log);
    if (typeof built === 'string') {
      const audiences = config.audiences.filter((a) => chainOf(a).includes(name)).map((a) => a.id);
      if (audiences.length) log.warn({ provider: name, audiences }, `${name} is not configured (${built}): the audiences ${audiences.join(', ')} go on without it (to the next provider of their chain, or a translator)`);
      if (config.monitoring.providers.includes(name) && config.sources.some((s) => s.language !== config.sourceLanguage)) log.warn({ provider: name }, `${name} is not configured (${built}): foreign outlets' items are not translated by it into Vietnamese`);
    } else {
      providers.set(name, built);
    }
  }
  const chains = new Map(config.audiences.map((a) => {
    const chain = chainOf(a).flatMap((name) => providers.get(name) ?? []);
    return [a.id, chain.length ? chain : [manual]] as const;
  }));
  return {
    chainFor: (audience) => chains.get(audience.id) ?? (() => {
      const chain = chainOf(audience).flatMap((name) => providers.get(name) ?? []);
      return chain.length ? chain : [manual];
    })(),
    machineProviders: () => [...providers.values()],
    monitoringChain: () => config.monitoring.providers.flatMap((name) => providers.get(name) ?? []),
  };
}
