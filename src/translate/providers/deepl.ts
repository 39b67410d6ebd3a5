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
 * take tag handling), so it is read here with fetch. A server without it (404) is an older one:
 * /v2/languages and the glossary language pairs are used and tag handling is taken as unavailable.
 * Any other failure (503, a timeout) is retried with backoff; if it still fails the v2 lists stand
 * in, a warning says so, and the discovery is tried again soon. The table is read again every
 * `capabilityRefreshMs` in the background (the old one serves meanwhile), so a feature the
 * provider adds, or one a failed start missed, is used without a restart.
 *
 * Glossaries: a translation refused while naming a glossary (400 or 404) is checked with
 * GET /v2/glossaries/:id; when DeepL no longer has it, a GlossaryMissingError tells the caller to
 * create it again (glossaries.ts). The decision rests on that lookup, never on the message text.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import dc from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import * as deepl from 'deepl-node';
import type { Logger } from '../../log.ts';
import { formBytes, type RequestLimits } from '../batching.ts';
import { cachedDiscovery, withRetries } from '../discovery.ts';
import { GlossaryMissingError, ProviderError } from '../failures.ts';
import type { PairCapabilities, Provider, TranslationRequest } from '../translator.ts';

export interface DeepLOptions {
  authKey: string;
  serverUrl?: string | undefined;
  timeoutMs: number;
  log: Logger;
  /** How often the language table is read again (default 6 h). */
  capabilityRefreshMs?: number;
  /** Discovery attempts before the v2 lists stand in, and the first wait between them (doubling). */
  discovery?: { attempts: number; baseDelayMs: number };
}

/**
 * DeepL takes at most 50 texts and a 128 KiB body per request, and deepl-node sends what it is
 * given (form-encoded; 1 KiB is kept for the other parameters; the context counts).
 */
export const DEEPL_LIMITS: RequestLimits = { maxTexts: 50, maxSize: 128 * 1024 - 1024, size: formBytes, sendsContext: true };

/** Capability discovery: read again every 6 h; after a fallback, again after 1 min. */
const DISCOVERY = { refreshMs: 6 * 3600_000, retryAfterFallbackMs: 60_000, attempts: 4, baseDelayMs: 500 } as const;

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
  if (status === undefined) { // timeouts, resets, refused connections: deepl-node's ConnectionError keeps axios's error code
    const code = err instanceof deepl.ConnectionError ? (err.error as { code?: string } | undefined)?.code : undefined;
    const timedOut = code === 'ETIMEDOUT' || code === 'ECONNABORTED';
    return new ProviderError('retry', timedOut ? 'timeout' : 'unreachable', `DeepL unreachable or timed out: ${message}`, undefined, undefined, err);
  }
  if (status === 456) return new ProviderError('quota', 'quota_exceeded', `DeepL quota exceeded: ${message}`, status, undefined, err);
  if (status === 403) return new ProviderError('human', 'auth_failed', `DeepL refused the key: ${message}`, status, undefined, err);
  if (status === 429) return new ProviderError('retry', 'rate_limited', `DeepL answered ${status}: ${message}`, status, retryAfterMs, err);
  if (status >= 500) return new ProviderError('retry', 'provider_unavailable', `DeepL answered ${status}: ${message}`, status, retryAfterMs, err);
  if (status < 300) return new ProviderError('retry', 'malformed_answer', `DeepL sent an answer that cannot be read: ${message}`, status, undefined, err); // malformed 200
  return new ProviderError('give_up', status === 413 || status === 414 ? 'text_too_long' : 'request_refused', `DeepL refused the request (${status}): ${message}`, status, undefined, err);
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
  const refreshMs = opts.capabilityRefreshMs ?? DISCOVERY.refreshMs;
  const discovery = opts.discovery ?? { attempts: DISCOVERY.attempts, baseDelayMs: DISCOVERY.baseDelayMs };
  const log = opts.log.child({ provider: 'deepl' });

  /** /v3/languages, or undefined when the server has none (an older one: 404). Throws on any other failure. */
  async function readV3(): Promise<Map<string, LanguageInfo> | undefined> {
    const res = await fetch(`${baseUrl}/v3/languages?resource=translate_text`, {
      headers: { authorization: `DeepL-Auth-Key ${opts.authKey}` }, signal: AbortSignal.timeout(opts.timeoutMs),
    });
    if (res.status === 404) return undefined;
    if (!res.ok) throw new Error(`/v3/languages answered ${res.status}`);
    const table = new Map<string, LanguageInfo>();
    for (const l of await res.json() as V3Language[]) {
      table.set(l.lang.toLowerCase(), { source: !!l.usable_as_source, target: !!l.usable_as_target, features: new Set(Object.keys(l.features ?? {})) });
    }
    return table;
  }

  /** The v2 lists: no word on tag handling (taken as unavailable). */
  async function readV2(): Promise<Map<string, LanguageInfo>> {
    const table = new Map<string, LanguageInfo>();
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

  /** The table and how long it holds: a fallback after failures is tried again soon. */
  const languages = cachedDiscovery(async () => {
    try {
      const v3 = await withRetries(discovery, async (attempt) => {
        const table = await readV3();
        if (attempt > 1) log.info({ attempts: attempt }, 'DeepL capabilities read after retrying');
        return table;
      });
      return { value: v3 ?? await readV2(), validMs: refreshMs }; // no v3 (404): an older server, v2 is all there is
    } catch (err) {
      const value = await readV2();
      log.warn({ err: (err as Error)?.message, attempts: discovery.attempts, retry_in_ms: DISCOVERY.retryAfterFallbackMs },
        'DeepL /v3/languages could not be read: using the v2 language lists, so tag handling is off (links travel as plain markers) until it is read again');
      return { value, validMs: Math.min(refreshMs, DISCOVERY.retryAfterFallbackMs) };
    }
  }, (err) => log.warn({ err: (err as Error).message }, 'refreshing the DeepL capabilities failed; the previous ones stay in use'));

  /** A request refused while naming a glossary: is the glossary gone at DeepL? */
  async function glossaryChecked<T>(glossaryId: string | undefined, call: () => Promise<T>): Promise<T> {
    try {
      return await observed(call);
    } catch (err) {
      const status = (err as ProviderError).status;
      if (!glossaryId || (status !== 400 && status !== 404)) throw err;
      const gone = await client.getGlossary(glossaryId).then(() => false, (e) => e instanceof deepl.GlossaryNotFoundError);
      if (gone) throw new GlossaryMissingError(glossaryId, `DeepL no longer has glossary ${glossaryId}: ${(err as Error).message}`, err);
      throw err;
    }
  }

  return {
    name: 'deepl',
    limits: DEEPL_LIMITS,
    async capabilities(sourceLanguage: string, targetCode: string): Promise<PairCapabilities> {
      const table = await languages();
      const source = table.get(sourceLanguage.toLowerCase());
      const target = table.get(targetCode.toLowerCase());
      const translatable = !!source?.source && !!target?.target;
      const both = (feature: string) => translatable && source!.features.has(feature) && target!.features.has(feature);
      return { translatable, tagHandling: both('tag_handling'), glossary: both('glossary'), formality: translatable && target!.features.has('formality') };
    },

    async translate(request: TranslationRequest) {
      const results = await glossaryChecked(request.glossaryId, () => client.translateText(request.segments, request.sourceLanguage as deepl.SourceLanguageCode, request.targetCode as deepl.TargetLanguageCode, {
        ...(request.formality ? { formality: request.formality as deepl.Formality } : {}),
        ...(request.context ? { context: request.context } : {}),
        ...(request.tagHandling ? { tagHandling: 'xml' as const, ignoreTags: ['x'] } : {}),
        ...(request.glossaryId ? { glossary: request.glossaryId } : {}),
      }));
      if (results.length !== request.segments.length) {
        throw new ProviderError('retry', 'malformed_answer', `DeepL answered ${results.length} texts for ${request.segments.length}`, 200);
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
      await observed(() => client.deleteGlossary(id)).catch((err) => {
        if ((err as ProviderError).status !== 404) throw err; // already gone
      });
    },

    async listGlossaries() {
      const list = await observed(() => client.listGlossaries());
      return list.map((g) => ({ id: g.glossaryId, name: g.name, createdAt: g.creationTime }));
    },

    async usage() {
      const usage = await observed(() => client.getUsage());
      return usage.character ? { count: usage.character.count, limit: usage.character.limit } : undefined;
    },
  };
}
