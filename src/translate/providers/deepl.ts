/**
 * DeepL through the official deepl-node client. Retries: deepl-node's own retry loop is turned off
 * (maxRetries: 1 means one attempt) because it ignores Retry-After; the job layer retries instead.
 */
import * as deepl from 'deepl-node';
import type { TranslationRequest, Translator } from '../translator.ts';

export interface DeepLOptions {
  authKey: string;
  serverUrl?: string | undefined;
  timeoutMs: number;
}

export function createDeepLTranslator(opts: DeepLOptions): Translator {
  const client = new deepl.DeepLClient(opts.authKey, {
    serverUrl: opts.serverUrl,
    maxRetries: 1,
    minTimeout: opts.timeoutMs,
    appInfo: { appName: 'doingoai', appVersion: '0.1.0' },
  });
  return {
    name: 'deepl',
    async translate(request: TranslationRequest) {
      const { audience } = request;
      const results = await client.translateText(request.segments, request.sourceLanguage as deepl.SourceLanguageCode, audience.targetCode as deepl.TargetLanguageCode, {
        ...(audience.formality ? { formality: audience.formality } : {}),
        ...(request.context ? { context: request.context } : {}),
      });
      return {
        segments: results.map((r) => r.text),
        billedCharacters: results.reduce((sum, r) => sum + (r.billedCharacters ?? 0), 0),
      };
    },
  };
}
