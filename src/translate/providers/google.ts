/**
 * Google Cloud Translation (Advanced, v3) through the official client, @google-cloud/translate 9
 * (10.x needs Node 22), in its REST mode (`fallback: 'rest'`): JSON over HTTPS to
 * translate.googleapis.com, or to `serverUrl` (the tests' local fake). Chosen because it
 * translates Vietnamese into Lao and Khmer, which DeepL does not.
 *
 * Credentials: an API key (`x-goog-api-key`) or a service-account key file; the project id names
 * the parent (`projects/<id>/locations/<location>`).
 *
 * Capabilities: `getSupportedLanguages` says which codes are sources and targets, read once,
 * retried with backoff when it fails, and read again every `capabilityRefreshMs`. Google has no
 * formality. Its glossaries must be uploaded to Cloud Storage first, which this service does not
 * do, so required terms are protected in the text and checked (terms.ts), as for a DeepL pair
 * without glossary. Tag handling is not used: inline links travel as plain ⟦n⟧ markers.
 *
 * Limits: 1,024 texts and 30,000 code points per request (Google's recommendation). Billing:
 * Google bills every character sent and says nothing in the answer, so the code points sent are
 * recorded. Failures (gRPC status codes, which the REST client maps from the HTTP answer):
 * RESOURCE_EXHAUSTED is a rate limit (retry later) when its ErrorInfo says RATE_LIMIT_EXCEEDED and
 * a spent quota otherwise; UNAVAILABLE, INTERNAL, DEADLINE_EXCEEDED, ABORTED, UNKNOWN and transport
 * failures retry; UNAUTHENTICATED, PERMISSION_DENIED ask a person; the rest give up. The client's
 * own retries are off (translateText has none; discovery's are ours).
 */
import type { v3 } from '@google-cloud/translate';
import type { Logger } from '../../log.ts';
import { codePoints, type RequestLimits } from '../batching.ts';
import { cachedDiscovery, withRetries } from '../discovery.ts';
import { ProviderError } from '../failures.ts';
import type { PairCapabilities, Provider, TranslationRequest } from '../translator.ts';

export interface GoogleOptions {
  projectId: string;
  /** `global`, or a region such as `us-central1`. */
  location: string;
  apiKey?: string | undefined;
  /** A service-account key file (JSON). */
  keyFilename?: string | undefined;
  /** Another endpoint (a local fake), e.g. http://127.0.0.1:8080. */
  serverUrl?: string | undefined;
  timeoutMs: number;
  log: Logger;
  capabilityRefreshMs?: number;
  discovery?: { attempts: number; baseDelayMs: number };
}

export const GOOGLE_LIMITS: RequestLimits = { maxTexts: 1024, maxSize: 30_000, size: codePoints, sendsContext: false };

/** google.rpc.Code: the numbers a decoded GoogleError carries, by the names Google's JSON errors use. */
const RPC_NAMES: Record<number, string> = {
  1: 'CANCELLED', 2: 'UNKNOWN', 3: 'INVALID_ARGUMENT', 4: 'DEADLINE_EXCEEDED', 5: 'NOT_FOUND', 7: 'PERMISSION_DENIED', 8: 'RESOURCE_EXHAUSTED',
  9: 'FAILED_PRECONDITION', 10: 'ABORTED', 11: 'OUT_OF_RANGE', 12: 'UNIMPLEMENTED', 13: 'INTERNAL', 14: 'UNAVAILABLE', 16: 'UNAUTHENTICATED',
};
const RETRY = new Set(['CANCELLED', 'UNKNOWN', 'DEADLINE_EXCEEDED', 'ABORTED', 'INTERNAL', 'UNAVAILABLE']);
const HUMAN = new Set(['UNAUTHENTICATED', 'PERMISSION_DENIED']);

interface Failure { status?: string; http?: number; reason?: string; message: string; retryAfterMs?: number; timedOut?: boolean }

/** Google's JSON error body ({"error":{code, message, status, details}}) as a Failure. */
function fromJson(body: unknown, http: number | undefined): Failure | undefined {
  const e = (body as { error?: { message?: string; status?: string; details?: Array<Record<string, unknown>> } })?.error;
  if (!e) return undefined;
  const info = e.details?.find((d) => String(d['@type']).endsWith('google.rpc.ErrorInfo'));
  const retry = e.details?.find((d) => String(d['@type']).endsWith('google.rpc.RetryInfo'))?.retryDelay;
  const seconds = typeof retry === 'string' ? Number.parseFloat(retry) : Number.NaN; // proto3 JSON Duration: "1.5s"
  return { status: e.status, http, reason: info?.reason as string | undefined, message: e.message ?? '', ...(Number.isFinite(seconds) ? { retryAfterMs: seconds * 1000 } : {}) };
}

/**
 * What went wrong, from either shape the client throws: a decoded GoogleError (a gRPC code, its
 * ErrorInfo reason) or, when the HTTP answer was refused before decoding, a GaxiosError (the HTTP
 * status, the JSON body as its message). A transport failure has neither.
 */
function failureOf(err: unknown): Failure {
  const e = err as { code?: unknown; status?: unknown; reason?: string; message?: string; response?: { data?: unknown } };
  const message = e?.message ?? String(err);
  if (typeof e?.status === 'number') {
    let body: unknown = e.response?.data;
    try {
      body ??= JSON.parse(message);
    } catch {
      // not Google's JSON (a proxy's page): the HTTP status decides
    }
    return fromJson(body, e.status) ?? { http: e.status, message };
  }
  if (typeof e?.code === 'number' && RPC_NAMES[e.code]) return { status: RPC_NAMES[e.code], reason: e.reason, message };
  // a transport failure: a timeout (ours or the socket's) or anything else that kept the answer away
  const timedOut = e?.code === 'ETIMEDOUT' || e?.code === 'ECONNABORTED' || (err as Error)?.name === 'TimeoutError' || (err as Error)?.name === 'AbortError';
  return { message, timedOut };
}

/** The one Google error mapping. */
function toProviderError(err: unknown): ProviderError {
  const f = failureOf(err);
  const http = f.http ?? (f.status === 'RESOURCE_EXHAUSTED' ? 429 : undefined);
  const status = f.status ?? (http === undefined ? undefined : http === 429 ? 'RESOURCE_EXHAUSTED' : http >= 500 ? 'UNAVAILABLE' : http === 401 ? 'UNAUTHENTICATED' : http === 403 ? 'PERMISSION_DENIED' : 'INVALID_ARGUMENT');
  if (!status) return new ProviderError('retry', f.timedOut ? 'timeout' : 'unreachable', `Google unreachable or timed out: ${f.message}`, undefined, undefined, err);
  if (status === 'RESOURCE_EXHAUSTED') {
    return f.reason === 'RATE_LIMIT_EXCEEDED' || (!f.reason && f.retryAfterMs !== undefined)
      ? new ProviderError('retry', 'rate_limited', `Google rate limit: ${f.message}`, http, f.retryAfterMs, err)
      : new ProviderError('quota', 'quota_exceeded', `Google quota exceeded: ${f.message}`, http, undefined, err);
  }
  if (RETRY.has(status)) return new ProviderError('retry', status === 'DEADLINE_EXCEEDED' ? 'timeout' : 'provider_unavailable', `Google answered ${status}: ${f.message}`, http, f.retryAfterMs, err);
  if (HUMAN.has(status)) return new ProviderError('human', 'auth_failed', `Google refused the credentials (${status}): ${f.message}`, http, undefined, err);
  return new ProviderError('give_up', 'request_refused', `Google refused the request (${status}): ${f.message}`, http, undefined, err);
}

async function mapped<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toProviderError(err);
  }
}

export function createGoogleTranslator(opts: GoogleOptions): Provider {
  const endpoint = opts.serverUrl ? new URL(opts.serverUrl) : undefined;
  // the client library takes seconds to load (google-gax and its protos): only when first used
  let client: Promise<v3.TranslationServiceClient> | undefined;
  const connect = () => client ??= import('@google-cloud/translate').then(({ v3: api }) => new api.TranslationServiceClient({
    fallback: 'rest',
    projectId: opts.projectId,
    ...(opts.apiKey ? { apiKey: opts.apiKey } : {}),
    ...(opts.keyFilename ? { keyFilename: opts.keyFilename } : {}),
    ...(endpoint ? {
      apiEndpoint: endpoint.hostname,
      port: Number(endpoint.port || (endpoint.protocol === 'https:' ? 443 : 80)),
      protocol: endpoint.protocol.replace(':', ''),
    } : {}),
  } as ConstructorParameters<typeof api.TranslationServiceClient>[0]));
  const parent = `projects/${opts.projectId}/locations/${opts.location}`;
  const log = opts.log.child({ provider: 'google' });
  const call = { timeout: opts.timeoutMs, retry: null } as const;

  const languages = cachedDiscovery(async () => {
    const [answer] = await withRetries(opts.discovery ?? { attempts: 4, baseDelayMs: 500 }, () => mapped(async () => (await connect()).getSupportedLanguages({ parent }, { timeout: opts.timeoutMs })));
    const table = new Map<string, { source: boolean; target: boolean }>();
    for (const l of answer.languages ?? []) if (l.languageCode) table.set(l.languageCode.toLowerCase(), { source: !!l.supportSource, target: !!l.supportTarget });
    return { value: table, validMs: opts.capabilityRefreshMs ?? 6 * 3600_000 };
  }, (err) => log.warn({ err: (err as Error).message }, 'refreshing the Google capabilities failed; the previous ones stay in use'));

  /** Google's code for ours: exact (zh-CN, pt-PT), else the base language (en-GB → en). */
  const lookup = (table: Map<string, { source: boolean; target: boolean }>, code: string) => table.get(code.toLowerCase()) ?? table.get(code.toLowerCase().split('-')[0]!);

  return {
    name: 'google',
    limits: GOOGLE_LIMITS,
    async capabilities(sourceLanguage: string, targetCode: string): Promise<PairCapabilities> {
      const table = await languages();
      const translatable = !!lookup(table, sourceLanguage)?.source && !!lookup(table, targetCode)?.target;
      return { translatable, tagHandling: false, glossary: false, formality: false };
    },

    async translate(request: TranslationRequest) {
      const [answer] = await mapped(async () => (await connect()).translateText({
        parent, contents: request.segments, mimeType: 'text/plain', sourceLanguageCode: request.sourceLanguage, targetLanguageCode: request.targetCode,
      }, call));
      const texts = (answer.translations ?? []).map((t) => t.translatedText ?? '');
      if (texts.length !== request.segments.length) {
        throw new ProviderError('retry', 'malformed_answer', `Google answered ${texts.length} texts for ${request.segments.length}`, 200);
      }
      return { segments: texts, billedCharacters: request.segments.reduce((sum, s) => sum + codePoints(s), 0) };
    },
  };
}
