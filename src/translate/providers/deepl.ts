/**
 * DeepL through the official deepl-node client.
 *
 * Retries: deepl-node's own loop is off (maxRetries: 1 means one attempt) because it ignores
 * Retry-After and would hide failures from the job layer, which retries instead (failures.ts).
 * deepl-node exposes neither the status code nor the headers of a failed answer, so both are read
 * from Node's http diagnostics channel for the requests made inside `observed()` (an
 * AsyncLocalStorage scope): that is how 503 is told from 400 and how Retry-After is honoured.
 *
 * Capabilities: deepl-node has no call for /v3/languages (the only list that says which languages
 * take tag handling), so it is read here with fetch; if the server lacks it, /v2/languages and the
 * glossary language pairs are used and tag handling is taken as unavailable.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import dc from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import * as deepl from 'deepl-node';
import { ProviderError } from '../failures.ts';
import type { PairCapabilities, Provider, TranslationRequest } from '../translator.ts';

export interface DeepLOptions {
  authKey: string;
  serverUrl?: string | undefined;
  timeoutMs: number;
}

interface Observed { status?: number; retryAfter?: string | undefined }
const scope = new AsyncLocalStorage<Observed>();
const owners = new WeakMap<ClientRequest, Observed>();
dc.subscribe('http.client.request.start', (message) => {
  const store = scope.getStore();
  if (store) owners.set((message as { request: ClientRequest }).request, store);
});
dc.subscribe('http.client.response.finish', (message) => {
  const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
  const store = owners.get(request);
  if (!store) return;
  store.status = response.statusCode;
  store.retryAfter = response.headers['retry-after'];
});

/** Runs a client call and turns any failure into a ProviderError: the one DeepL error mapping. */
async function observed<T>(call: () => Promise<T>): Promise<T> {
  const seen: Observed = {};
  try {
    return await scope.run(seen, call);
  } catch (err) {
    throw toProviderError(err, seen);
  }
}

function toProviderError(err: unknown, seen: Observed): ProviderError {
  const message = (err as Error)?.message ?? String(err);
  const status = seen.status ?? (err instanceof deepl.QuotaExceededError ? 456 : err instanceof deepl.AuthorizationError ? 403 : err instanceof deepl.TooManyRequestsError ? 429 : undefined);
  const retryAfterMs = parseRetryAfter(seen.retryAfter);
  if (status === undefined) return new ProviderError('retry', `DeepL unreachable or timed out: ${message}`, undefined, undefined, err); // timeouts, resets
  if (status === 456) return new ProviderError('quota', `DeepL quota exceeded: ${message}`, status, undefined, err);
  if (status === 403) return new ProviderError('human', `DeepL refused the key: ${message}`, status, undefined, err);
  if (status === 429 || status >= 500) return new ProviderError('retry', `DeepL answered ${status}: ${message}`, status, retryAfterMs, err);
  if (status < 300) return new ProviderError('retry', `DeepL sent an answer that cannot be read: ${message}`, status, undefined, err); // malformed 200
  return new ProviderError('give_up', `DeepL refused the request (${status}): ${message}`, status, undefined, err);
}

function parseRetryAfter(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

interface V3Language { lang: string; usable_as_source?: boolean; usable_as_target?: boolean; features?: Record<string, unknown> }
interface LanguageInfo { source: boolean; target: boolean; features: Set<string> }

export function createDeepLTranslator(opts: DeepLOptions): Provider {
  const client = new deepl.DeepLClient(opts.authKey, {
    serverUrl: opts.serverUrl,
    maxRetries: 1,
    minTimeout: opts.timeoutMs,
    appInfo: { appName: 'doingoai', appVersion: '0.1.0' },
  });
  const baseUrl = (opts.serverUrl ?? (opts.authKey.endsWith(':fx') ? 'https://api-free.deepl.com' : 'https://api.deepl.com')).replace(/\/+$/, '');
  let languages: Promise<Map<string, LanguageInfo>> | undefined;

  async function loadLanguages(): Promise<Map<string, LanguageInfo>> {
    const table = new Map<string, LanguageInfo>();
    try {
      const res = await fetch(`${baseUrl}/v3/languages?resource=translate_text`, {
        headers: { authorization: `DeepL-Auth-Key ${opts.authKey}` }, signal: AbortSignal.timeout(opts.timeoutMs),
      });
      if (!res.ok) throw new Error(`/v3/languages answered ${res.status}`);
      for (const l of await res.json() as V3Language[]) {
        table.set(l.lang.toLowerCase(), { source: !!l.usable_as_source, target: !!l.usable_as_target, features: new Set(Object.keys(l.features ?? {})) });
      }
      return table;
    } catch {
      // older servers: v2 lists, no word on tag handling (taken as unavailable)
      const [sources, targets, pairs] = await observed(() => Promise.all([client.getSourceLanguages(), client.getTargetLanguages(), client.getGlossaryLanguagePairs()]));
      const glossary = new Set(pairs.flatMap((p) => [p.sourceLang.toLowerCase(), p.targetLang.toLowerCase()]));
      const entry = (code: string) => {
        const key = code.toLowerCase();
        if (!table.has(key)) table.set(key, { source: false, target: false, features: new Set(glossary.has(key.split('-')[0]!) ? ['glossary'] : []) });
        return table.get(key)!;
      };
      for (const l of sources) entry(l.code).source = true;
      for (const l of targets) {
        const e = entry(l.code);
        e.target = true;
        if (l.supportsFormality) e.features.add('formality');
      }
      return table;
    }
  }

  return {
    name: 'deepl',
    async capabilities(sourceLanguage: string, targetCode: string): Promise<PairCapabilities> {
      languages ??= loadLanguages().catch((err) => {
        languages = undefined; // ask again next time
        throw err;
      });
      const table = await languages;
      const source = table.get(sourceLanguage.toLowerCase());
      const target = table.get(targetCode.toLowerCase());
      const translatable = !!source?.source && !!target?.target;
      const both = (feature: string) => translatable && source!.features.has(feature) && target!.features.has(feature);
      return { translatable, tagHandling: both('tag_handling'), glossary: both('glossary'), formality: translatable && target!.features.has('formality') };
    },

    async translate(request: TranslationRequest) {
      const results = await observed(() => client.translateText(request.segments, request.sourceLanguage as deepl.SourceLanguageCode, request.targetCode as deepl.TargetLanguageCode, {
        ...(request.formality ? { formality: request.formality as deepl.Formality } : {}),
        ...(request.context ? { context: request.context } : {}),
        ...(request.tagHandling ? { tagHandling: 'xml' as const, ignoreTags: ['x'] } : {}),
        ...(request.glossaryId ? { glossary: request.glossaryId } : {}),
      }));
      if (results.length !== request.segments.length) {
        throw new ProviderError('retry', `DeepL answered ${results.length} texts for ${request.segments.length}`, 200);
      }
      return {
        segments: results.map((r) => r.text),
        billedCharacters: results.reduce((sum, r) => sum + (r.billedCharacters ?? 0), 0),
      };
    },

    async createGlossary(name, sourceLanguage, targetLanguage, entries) {
      const info = await observed(() => client.createGlossary(name, sourceLanguage as deepl.LanguageCode, targetLanguage as deepl.LanguageCode, new deepl.GlossaryEntries({ entries })));
      return info.glossaryId;
    },

    async deleteGlossary(id) {
      await observed(() => client.deleteGlossary(id));
    },

    async usage() {
      const usage = await observed(() => client.getUsage());
      return usage.character ? { count: usage.character.count, limit: usage.character.limit } : undefined;
    },
  };
}
