/**
 * A local fake of Google Cloud Translation v3's REST API, for the real @google-cloud/translate
 * client in REST mode (`fallback: 'rest'`, `apiEndpoint` 127.0.0.1, `protocol: 'http'`).
 *
 * Contract
 * - Auth: `x-goog-api-key: <apiKey>` (default `google-test-key`), else 403 PERMISSION_DENIED.
 * - POST /v3/projects/:project/locations/:location:translateText {contents[], mimeType,
 *   sourceLanguageCode, targetLanguageCode}: every text becomes `[G:<target>] <text>` (NFC),
 *   in order. Refused with 400 INVALID_ARGUMENT: no contents, more than 1,024 texts, more than
 *   30,000 code points in all, an unsupported source or target.
 * - GET /v3/projects/:project/locations/:location/supportedLanguages: the table below.
 * - Errors are Google's JSON: {"error":{"code":<http>,"message","status":"<RPC CODE>","details":[…]}}.
 *   `failNext(kind)` answers the next translateText with: `rate_limited` (429 RESOURCE_EXHAUSTED,
 *   ErrorInfo RATE_LIMIT_EXCEEDED, RetryInfo 1 s), `quota` (429 RESOURCE_EXHAUSTED, a spent daily
 *   quota), `unavailable` (503 UNAVAILABLE), `denied` (403 PERMISSION_DENIED).
 *   `failLanguagesNext(n)` answers the next supportedLanguages with 503.
 * - Billing: `billedCharacters` counts the code points of the texts of answered requests.
 */
import { startFake, jsonOf, type Answer, type FakeServer, type Recorded } from './social/fake.ts';

export const GOOGLE_LANGUAGES = ['vi', 'en', 'fr', 'es', 'ru', 'ja', 'ko', 'zh-CN', 'zh-TW', 'lo', 'km', 'th'];

export type GoogleFault = 'rate_limited' | 'quota' | 'unavailable' | 'denied';

export interface GoogleTranslateFake extends FakeServer {
  apiKey: string;
  billedCharacters: number;
  /** translateText requests, parsed. */
  translations(): Array<{ contents: string[]; sourceLanguageCode: string; targetLanguageCode: string; mimeType: string; status: number }>;
  failNext(kind: GoogleFault, count?: number): void;
  failLanguagesNext(count?: number): void;
  reset(): void;
}

export const googleTranslation = (text: string, target: string) => `[G:${target}] ${text.normalize('NFC')}`;

const error = (code: number, status: string, message: string, details: unknown[] = []): Answer => ({ status: code, body: { error: { code, message, status, details } } });

const FAULTS: Record<GoogleFault, Answer> = {
  rate_limited: error(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded for quota metric \'Number of characters\' and limit \'per minute per user\'', [
    { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'RATE_LIMIT_EXCEEDED', domain: 'googleapis.com', metadata: { quota_limit: 'DefaultRequestsPerMinutePerProject' } },
    { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1s' },
  ]),
  quota: error(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded for quota metric \'v3 Characters\' and limit \'per day\'', [
    { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'QUOTA_EXCEEDED', domain: 'googleapis.com', metadata: { quota_limit: 'CharactersPerDay' } },
  ]),
  unavailable: error(503, 'UNAVAILABLE', 'The service is currently unavailable.'),
  denied: error(403, 'PERMISSION_DENIED', 'Cloud Translation API has not been used in project or it is disabled.'),
};

export async function startGoogleTranslateFake(apiKey = 'google-test-key'): Promise<GoogleTranslateFake> {
  let queued: GoogleFault[] = [];
  let languageFaults = 0;
  const parsed: ReturnType<GoogleTranslateFake['translations']> = [];
  const state = { billedCharacters: 0 };
  const known = new Set(GOOGLE_LANGUAGES.map((l) => l.toLowerCase()));

  const translate = (req: Recorded): Answer => {
    const body = jsonOf<{ contents?: string[]; sourceLanguageCode?: string; targetLanguageCode?: string; mimeType?: string }>(req);
    const entry = { contents: body.contents ?? [], sourceLanguageCode: body.sourceLanguageCode ?? '', targetLanguageCode: body.targetLanguageCode ?? '', mimeType: body.mimeType ?? '', status: 200 };
    parsed.push(entry);
    const answer = ((): Answer => {
      const fault = queued.shift();
      if (fault) return FAULTS[fault];
      if (!entry.contents.length) return error(400, 'INVALID_ARGUMENT', 'Empty contents.');
      if (entry.contents.length > 1024) return error(400, 'INVALID_ARGUMENT', 'Number of texts exceeds the limit of 1024.');
      const size = entry.contents.reduce((n, t) => n + [...t].length, 0);
      if (size > 30_000) return error(400, 'INVALID_ARGUMENT', 'Text is too long.');
      if (!known.has(entry.sourceLanguageCode.toLowerCase()) || !known.has(entry.targetLanguageCode.toLowerCase())) return error(400, 'INVALID_ARGUMENT', 'Target language is invalid.');
      state.billedCharacters += size;
      return { status: 200, body: { translations: entry.contents.map((t) => ({ translatedText: googleTranslation(t, entry.targetLanguageCode) })) } };
    })();
    entry.status = answer.status;
    return answer;
  };

  const fake = await startFake((req) => {
    if (req.headers['x-goog-api-key'] !== apiKey) return error(403, 'PERMISSION_DENIED', 'The request is missing a valid API key.');
    if (req.method === 'POST' && /^\/v3\/projects\/[^/]+\/locations\/[^/:]+:translateText$/.test(req.path)) return translate(req);
    if (req.method === 'GET' && /^\/v3\/projects\/[^/]+\/locations\/[^/]+\/supportedLanguages$/.test(req.path)) {
      if (languageFaults > 0) {
        languageFaults--;
        return FAULTS.unavailable;
      }
      return { status: 200, body: { languages: GOOGLE_LANGUAGES.map((code) => ({ languageCode: code, supportSource: true, supportTarget: true })) } };
    }
    return error(404, 'NOT_FOUND', 'Not found.');
  });
  Object.defineProperty(fake, 'billedCharacters', { get: () => state.billedCharacters });
  return Object.assign(fake, {
    apiKey,
    translations: () => parsed,
    failNext(kind: GoogleFault, count = 1) { for (let i = 0; i < count; i++) queued.push(kind); },
    failLanguagesNext(count = 1) { languageFaults += count; },
    reset() {
      queued = [];
      languageFaults = 0;
      parsed.length = 0;
      fake.requests.length = 0;
      state.billedCharacters = 0;
    },
  }) as GoogleTranslateFake;
}
