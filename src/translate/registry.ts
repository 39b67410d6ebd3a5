/** Chooses each audience's provider. Without a DeepL key every audience is manual, and we say so. */
import type { Config } from '../config.ts';
import type { AudienceConfig, ProviderName } from '../core/audience.ts';
import type { Logger } from '../log.ts';
import { createDeepLTranslator } from './providers/deepl.ts';
import { createManualTranslator } from './providers/manual.ts';
import type { Provider } from './translator.ts';

export function createTranslatorRegistry(config: Config, log: Logger): (audience: AudienceConfig) => Provider {
  const manual = createManualTranslator();
  const providers = new Map<ProviderName, Provider>([[manual.name, manual]]);
  if (config.deepl.authKey) {
    providers.set('deepl', createDeepLTranslator({ authKey: config.deepl.authKey, serverUrl: config.deepl.serverUrl, timeoutMs: config.translation.timeoutMs, log }));
  } else if (config.audiences.some((a) => a.provider === 'deepl')) {
    log.warn('DEEPL_AUTH_KEY is not set: no machine translation; every draft waits for a translator (manual provider for all audiences)');
  }
  return (audience) => providers.get(audience.provider) ?? manual;
}
