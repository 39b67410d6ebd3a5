/**
 * A local DeepL-compatible server for tests and benchmarks, built on node:http only. Point the real
 * client at it: `new deepl.DeepLClient('test-key', { serverUrl: server.url, maxRetries: 1 })`.
 *
 * Contract
 * - Auth: every request needs `Authorization: DeepL-Auth-Key <authKey>` (default `test-key`),
 *   otherwise 403. Bodies may be form-urlencoded (what deepl-node sends; `text` repeated) or JSON;
 *   query parameters are merged in first. Language codes are compared case-insensitively.
 * - Endpoints (DeepL v2 shapes): POST /v2/translate, GET /v2/usage, GET /v2/languages?type=,
 *   GET /v3/languages?resource=translate_text|glossary (no resource = translate_text),
 *   GET /v2/glossary-language-pairs, POST/GET /v2/glossaries, GET/DELETE /v2/glossaries/:id,
 *   GET /v2/glossaries/:id/entries (TSV). Anything else: 404.
 * - A translate request naming a glossary the server does not have answers 400
 *   `{"message":"Glossary not found"}`, as DeepL-compatible servers do for a deleted glossary.
 * - /v2/translate refuses, with 400 and `{"message"}`: no text, more than 50 texts, missing or
 *   unsupported target_lang, unsupported source_lang, `more`/`less` formality on a target without
 *   formality (`prefer_*` is silently ignored there), tag_handling when the source language (or
 *   VI, when source_lang is absent) or the target does not support it, a glossary without
 *   source_lang or for another language pair (unknown glossary_id: 400), bad enum values.
 *   A body over 128 KiB gets 413. Languages: see deepl-server/languages.ts (VI: no tag handling).
 * - Billing: billed_characters = Unicode code points of each text as sent (NFD costs more than
 *   NFC); context is not billed; with tag_handling only text between tags counts. A request that
 *   would take the total past `characterLimit` (default 500,000) gets 456 and bills nothing.
 * - Translation rule (deterministic, per text):
 *   1. Prefix `[TARGET] ` where TARGET is target_lang upper-cased (`[EN-GB] `, `[ZH-HANS] `);
 *      `[DE formal] ` / `[DE informal] ` when formality is more|prefer_more / less|prefer_less and
 *      the target supports formality. The prefix goes right before the first non-whitespace
 *      character of translatable text (at the very start if there is none).
 *   2. The text is NFC-normalised.
 *   3. With a glossary, each source term (NFC, case-sensitive, longest first, never cutting a word
 *      in two) is replaced by its target term; replaced text is not touched again.
 *   4. For English targets (EN-GB, EN-US) these lower-case whole words are replaced: và→and,
 *      của→of, với→with, trong→in, là→is, ngày→day, tháng→month, năm→year. Capitalised words
 *      (names) are never replaced. Everything else (numbers, names, punctuation) is kept as is.
 *   5. With tag_handling (xml|html) steps 2–4 apply to text between tags only; tags, attributes,
 *      URLs, comments and CDATA are copied byte for byte.
 *   Example: `Hà Nội, ngày 01 tháng 02 năm 2023` → EN-GB `[EN-GB] Hà Nội, day 01 month 02 year 2023`.
 *   `fakeTranslate()` (re-exported below) computes the same output for expectations.
 * - Answers: `{"translations":[{"detected_source_language","text","billed_characters"}]}`;
 *   detected_source_language is the source_lang's base code upper-cased, or `VI` when absent;
 *   billed_characters only with show_billed_characters=1 (deepl-node always sends it);
 *   model_type_used only when model_type was sent.
 * - Injected failures (failNext / hangNext / malformedNext) are queued FIFO and consumed by the
 *   next /v2/translate requests that pass auth, before any validation. `latencyMs` delays every
 *   answer, errors included. `setCharacterLimit()` moves the quota (a new period). `reset()` also
 *   forgets glossaries and restores the initial latency and character limit.
 * - Faults outside translation: `forgetGlossaries()` drops every glossary as if deleted at the
 *   provider (a rotated key, a clean-up by hand); `failLanguagesNext()` makes the next
 *   /v3/languages requests fail; `setLanguages()` changes the language table while running;
 *   `startNewPeriod()` sets the usage count back to 0 (a real reset of the quota).
 */
import http from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { billedCharacters as countBilled, fakeTranslate } from './deepl-server/fake-translate.ts';
import {
  GlossaryStore,
  entriesToTsv,
  glossaryInfo,
  parseEntries,
  type StoredGlossary,
} from './deepl-server/glossaries.ts';
import { HttpError, parseParams, readBody, sendJson, sendText, type Params } from './deepl-server/http.ts';
import {
  baseCode,
  buildLanguageTable,
  findLanguage,
  glossaryLanguages,
  glossaryPairs,
  v2Languages,
  v3Languages,
  type Language,
  type LanguageCapabilities,
} from './deepl-server/languages.ts';

export type { LanguageCapabilities } from './deepl-server/languages.ts';
export { fakeTranslate, translationPrefix, WORD_MAP, billedCharacters } from './deepl-server/fake-translate.ts';

export interface DeepLTestServerOptions {
  /** Default 'test-key'; any other key gets 403. */
  authKey?: string;
  /** Added before every answer (benchmarks use 150). Default 0. */
  latencyMs?: number;
  /** Usage limit reported by /v2/usage; past it /v2/translate answers 456. Default 500,000. */
  characterLimit?: number;
  /** Merged into the default language table by code (see deepl-server/languages.ts). */
  languages?: LanguageCapabilities[];
  /** false: /v3/languages answers 404, as an older server would (clients fall back to /v2). Default true. */
  v3Languages?: boolean;
}

export interface RecordedRequest {
  method: string;
  /** Without the query string, e.g. `/v2/translate`. */
  path: string;
  /** Every `text` value, in order ([] when there is none). */
  texts: string[];
  /** First value of every other parameter, query and body: params.target_lang, params.context… */
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  bodyBytes: number;
  /** Date.now() on arrival. */
  time: number;
  /** Status of the answer; undefined while a hung request is open. */
  status?: number;
  /** Characters billed by this request (successful translations only). */
  billedCharacters?: number;
  /** Date.now() when the answer was written out (after the injected latency). */
  answeredAt?: number;
}

export type InjectedStatus = 403 | 429 | 456 | 500 | 503 | 504;

export interface DeepLTestServer {
  /** e.g. http://127.0.0.1:PORT — use as deepl-node's serverUrl. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Total billed so far (what /v2/usage reports as character_count). */
  readonly billedCharacters: number;
  failNext(status: InjectedStatus, count?: number, opts?: { retryAfterSeconds?: number; message?: string }): void;
  /** The next N translate requests are never answered (to test client timeouts). */
  hangNext(count?: number): void;
  /** The next N translate requests get 200 with a truncated JSON body. */
  malformedNext(count?: number): void;
  setLatency(ms: number): void;
  /** Translate answers wait (after the latency) until the returned function is called: a request stays in flight as long as a test needs. */
  hold(): () => void;
  /** Changes the usage limit (a new billing period, a raised cap): /v2/usage and 456 follow it. */
  setCharacterLimit(limit: number): void;
  /** Forget requests, queued failures, usage and glossaries; restore the initial latency. */
  reset(): void;
  /** Every glossary is gone at the provider; clients still hold their ids. */
  forgetGlossaries(): void;
  /** The glossaries the server holds now. */
  glossaryList(): Array<{ id: string; name: string; creationTime: string }>;
  /** The next N GET /v3/languages answer `status` (a 503 at start, say). */
  failLanguagesNext(status: InjectedStatus, count?: number): void;
  /** Merges overrides into the language table from now on (a provider adding a feature). */
  setLanguages(overrides: LanguageCapabilities[]): void;
  /** A new billing period: the usage count goes back to 0. */
  startNewPeriod(): void;
  close(): Promise<void>;
}

const TRANSLATE_BODY_LIMIT = 128 * 1024;
const OTHER_BODY_LIMIT = 11 * 1024 * 1024; // glossaries may be up to 10 MiB
const MAX_TEXTS = 50;

const FAILURE_MESSAGES: Record<InjectedStatus, string> = {
  403: 'Wrong endpoint. Use https://api.deepl.com',
  429: 'Too many requests, please wait and resend your request.',
  456: 'Quota Exceeded',
  500: 'Internal server error',
  503: 'Service unavailable',
  504: 'Gateway timeout',
};

type Injection =
  | { kind: 'fail'; status: InjectedStatus; retryAfterSeconds?: number; message?: string }
  | { kind: 'hang' }
  | { kind: 'malformed' };

interface Answer {
  status: number;
  json?: unknown;
  /** Sent verbatim instead of `json` (TSV entries, malformed bodies). */
  raw?: { contentType: string; text: string };
  headers?: Record<string, string>;
}

const HANG = Symbol('hang');

/** Rejects values outside `allowed` the way DeepL does. */
function checkEnum(params: Params, name: string, allowed: readonly string[]): string | undefined {
  const value = params.get(name)?.[0];
  if (value !== undefined && !allowed.includes(value.toLowerCase())) {
    throw new HttpError(400, `Value for '${name}' not supported.`);
  }
  return value?.toLowerCase();
}

function injectedAnswer(injected: Injection): Answer | typeof HANG {
  if (injected.kind === 'hang') return HANG;
  if (injected.kind === 'malformed') {
    // Cut off mid-object: deepl-node's JSON.parse fails on it.
    const text = '{"translations":[{"detected_source_language":"VI","text":';
    return { status: 200, raw: { contentType: 'application/json', text } };
  }
  const seconds = injected.retryAfterSeconds;
  return {
    status: injected.status,
    json: { message: injected.message ?? FAILURE_MESSAGES[injected.status] },
    headers: seconds === undefined ? {} : { 'Retry-After': String(seconds) },
  };
}

class TestServer implements DeepLTestServer {
  url = '';
  readonly requests: RecordedRequest[] = [];
  billedCharacters = 0;
  private latencyMs: number;
  private held: Promise<void> | undefined;
  private queue: Injection[] = [];
  private readonly hanging = new Set<ServerResponse>();
  private readonly glossaries = new GlossaryStore();
  private languages: Language[];
  private languageFaults: InjectedStatus[] = [];
  private readonly authKey: string;
  private characterLimit: number;
  readonly server = http.createServer((req, res) => void this.handle(req, res));

  constructor(private readonly options: DeepLTestServerOptions) {
    this.authKey = options.authKey ?? 'test-key';
    this.latencyMs = options.latencyMs ?? 0;
    this.characterLimit = options.characterLimit ?? 500_000;
    this.languages = buildLanguageTable(options.languages);
  }

  failNext(status: InjectedStatus, count = 1, opts: { retryAfterSeconds?: number; message?: string } = {}): void {
    for (let i = 0; i < count; i++) this.queue.push({ kind: 'fail', status, ...opts });
  }

  hangNext(count = 1): void {
    for (let i = 0; i < count; i++) this.queue.push({ kind: 'hang' });
  }

  malformedNext(count = 1): void {
    for (let i = 0; i < count; i++) this.queue.push({ kind: 'malformed' });
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  hold(): () => void {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    this.held = held;
    return () => {
      if (this.held === held) this.held = undefined;
      release();
    };
  }

  setCharacterLimit(limit: number): void {
    this.characterLimit = limit;
  }

  forgetGlossaries(): void {
    this.glossaries.clear();
  }

  glossaryList(): Array<{ id: string; name: string; creationTime: string }> {
    return this.glossaries.list().map((g) => ({ id: g.glossary_id, name: g.name, creationTime: g.creation_time }));
  }

  failLanguagesNext(status: InjectedStatus, count = 1): void {
    for (let i = 0; i < count; i++) this.languageFaults.push(status);
  }

  setLanguages(overrides: LanguageCapabilities[]): void {
    this.languages = buildLanguageTable([...(this.options.languages ?? []), ...overrides]);
  }

  startNewPeriod(): void {
    this.billedCharacters = 0;
  }

  reset(): void {
    this.requests.length = 0;
    this.queue = [];
    this.languageFaults = [];
    this.languages = buildLanguageTable(this.options.languages);
    this.billedCharacters = 0;
    this.glossaries.clear();
    this.latencyMs = this.options.latencyMs ?? 0;
    this.characterLimit = this.options.characterLimit ?? 500_000;
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    await new Promise<void>((resolve, reject) => {
      this.server.close((err) => (err ? reject(err) : resolve()));
      this.server.closeAllConnections(); // deepl-node keeps connections alive
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await this.answer(req, res);
    } catch {
      res.destroy(); // the client went away mid-request; nothing left to answer
    }
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const time = Date.now(); // on arrival: reading the body is part of the provider's time
    const { bytes, body } = await readBody(req, path === '/v2/translate' ? TRANSLATE_BODY_LIMIT : OTHER_BODY_LIMIT);
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      texts: [],
      params: {},
      headers: req.headers,
      bodyBytes: bytes,
      time,
    };
    this.requests.push(record);

    let answer: Answer | typeof HANG;
    try {
      answer = this.route(req, url, path, body, record);
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      answer = { status, json: { message: error instanceof Error ? error.message : String(error) } };
    }
    if (answer === HANG) {
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      return;
    }
    record.status = answer.status;
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs).unref());
    if (this.held && path === '/v2/translate') await this.held;
    if (res.destroyed) return;
    if (answer.raw) {
      sendText(res, answer.status, answer.raw.contentType, answer.raw.text);
    } else if (answer.json === undefined) {
      res.writeHead(answer.status, answer.headers);
      res.end();
    } else {
      sendJson(res, answer.status, answer.json, answer.headers);
    }
    record.answeredAt = Date.now(); // written out: serialising the answer is the provider's time too
  }

  private route(
    req: IncomingMessage,
    url: URL,
    path: string,
    body: Buffer | undefined,
    record: RecordedRequest,
  ): Answer | typeof HANG {
    if (req.headers.authorization !== `DeepL-Auth-Key ${this.authKey}`) {
      throw new HttpError(403, 'Authorization failure, check auth_key');
    }
    if (body === undefined) throw new HttpError(413, 'Request Entity Too Large');
    const params = parseParams(url.searchParams, body, req.headers['content-type']);
    record.texts = params.get('text') ?? [];
    for (const [name, values] of params) {
      if (name !== 'text' && values[0] !== undefined) record.params[name] = values[0];
    }

    const method = req.method ?? 'GET';
    if (path === '/v2/translate' && (method === 'POST' || method === 'GET')) {
      const injected = this.queue.shift();
      return injected ? injectedAnswer(injected) : this.translate(params, record);
    }
    if (path === '/v2/usage') {
      return { status: 200, json: { character_count: this.billedCharacters, character_limit: this.characterLimit } };
    }
    if (path === '/v2/languages') {
      const type = checkEnum(params, 'type', ['source', 'target']) ?? 'source';
      return { status: 200, json: v2Languages(this.languages, type as 'source' | 'target') };
    }
    if (path === '/v3/languages' && method === 'GET' && this.options.v3Languages !== false) {
      const fault = this.languageFaults.shift();
      if (fault) return { status: fault, json: { message: FAILURE_MESSAGES[fault] } };
      const resource = checkEnum(params, 'resource', ['translate_text', 'glossary']) ?? 'translate_text';
      return { status: 200, json: v3Languages(this.languages, resource as 'translate_text' | 'glossary') };
    }
    if (path === '/v2/glossary-language-pairs' && method === 'GET') {
      return { status: 200, json: { supported_languages: glossaryPairs(this.languages) } };
    }
    if (path.startsWith('/v2/glossaries')) return this.glossaryRoute(req, method, path, params);
    throw new HttpError(404, 'Not found');
  }

  private glossaryRoute(req: IncomingMessage, method: string, path: string, params: Params): Answer {
    if (path === '/v2/glossaries' && method === 'POST') return this.createGlossary(params);
    if (path === '/v2/glossaries' && method === 'GET') {
      return { status: 200, json: { glossaries: this.glossaries.list().map(glossaryInfo) } };
    }
    const [, id = '', entries] = /^\/v2\/glossaries\/([^/]+)(\/entries)?$/.exec(path) ?? [];
    if (id && entries && method === 'GET') {
      const accept = req.headers.accept;
      if (accept && !/text\/tab-separated-values|\*\/\*/.test(accept)) {
        throw new HttpError(415, 'No supported media type specified in Accept header');
      }
      const tsv = entriesToTsv(this.glossaries.get(id).entries);
      return { status: 200, raw: { contentType: 'text/tab-separated-values; charset=UTF-8', text: tsv } };
    }
    if (id && !entries && method === 'GET') return { status: 200, json: glossaryInfo(this.glossaries.get(id)) };
    if (id && !entries && method === 'DELETE') {
      this.glossaries.delete(id);
      return { status: 204 };
    }
    throw new HttpError(404, 'Not found');
  }

  private translate(params: Params, record: RecordedRequest): Answer {
    const first = (name: string) => params.get(name)?.[0];
    const texts = record.texts;
    if (texts.length === 0) throw new HttpError(400, "Parameter 'text' not specified.");
    if (texts.length > MAX_TEXTS) {
      throw new HttpError(400, `Too many texts: ${texts.length} (at most ${MAX_TEXTS} per request).`);
    }

    const targetCode = first('target_lang');
    if (targetCode === undefined) throw new HttpError(400, "Parameter 'target_lang' not specified.");
    const target = findLanguage(this.languages, targetCode);
    if (!target?.target) throw new HttpError(400, "Value for 'target_lang' not supported.");
    const sourceCode = first('source_lang');
    const source = findLanguage(this.languages, sourceCode ?? 'vi');
    if (sourceCode !== undefined && !source?.source) {
      throw new HttpError(400, "Value for 'source_lang' not supported.");
    }

    const formality = checkEnum(params, 'formality', ['default', 'more', 'less', 'prefer_more', 'prefer_less']);
    if ((formality === 'more' || formality === 'less') && !target.formality) {
      throw new HttpError(400, "'formality' is not supported for given 'target_lang'.");
    }
    // prefer_* on a target without formality is ignored, as DeepL does.
    const tone =
      target.formality && formality && formality !== 'default'
        ? formality.endsWith('more')
          ? 'formal'
          : 'informal'
        : undefined;

    const tagHandling = checkEnum(params, 'tag_handling', ['xml', 'html']) !== undefined;
    if (tagHandling && !source?.tagHandling) {
      const code = (sourceCode ?? 'vi').toUpperCase();
      throw new HttpError(400, `Tag handling is not supported for source language '${code}'.`);
    }
    if (tagHandling && !target.tagHandling) {
      throw new HttpError(400, `Tag handling is not supported for target language '${targetCode.toUpperCase()}'.`);
    }
    checkEnum(params, 'tag_handling_version', ['v1', 'v2']);
    checkEnum(params, 'split_sentences', ['0', '1', 'nonewlines']);
    checkEnum(params, 'preserve_formatting', ['0', '1', 'true', 'false']);
    checkEnum(params, 'outline_detection', ['0', '1', 'true', 'false']);
    const modelType = checkEnum(params, 'model_type', [
      'latency_optimized',
      'quality_optimized',
      'prefer_quality_optimized',
    ]);

    const glossaryId = first('glossary_id');
    let glossary: StoredGlossary | undefined;
    if (glossaryId !== undefined) {
      if (sourceCode === undefined) {
        throw new HttpError(400, 'Use of a glossary requires the source_lang parameter to be specified.');
      }
      glossary = this.glossaries.find(glossaryId);
      if (!glossary) throw new HttpError(400, 'Glossary not found');
      if (glossary.source_lang !== baseCode(sourceCode) || glossary.target_lang !== baseCode(targetCode)) {
        throw new HttpError(400, "Glossary language pair does not match 'source_lang' and 'target_lang'.");
      }
    }

    const billed = texts.map((text) => countBilled(text, tagHandling));
    const total = billed.reduce((a, b) => a + b, 0);
    if (this.billedCharacters + total > this.characterLimit) throw new HttpError(456, 'Quota Exceeded');
    this.billedCharacters += total;
    record.billedCharacters = total;

    const showBilled = ['1', 'true'].includes(first('show_billed_characters')?.toLowerCase() ?? '');
    const detected = baseCode(sourceCode ?? 'vi').toUpperCase();
    const translations = texts.map((text, i) => ({
      detected_source_language: detected,
      text: fakeTranslate(text, { targetLang: targetCode, formality: tone, glossary: glossary?.entries, tagHandling }),
      ...(showBilled ? { billed_characters: billed[i] } : {}),
      ...(modelType ? { model_type_used: modelType === 'latency_optimized' ? modelType : 'quality_optimized' } : {}),
    }));
    return { status: 200, json: { translations } };
  }

  private createGlossary(params: Params): Answer {
    const first = (name: string) => params.get(name)?.[0];
    const name = first('name');
    if (!name) throw new HttpError(400, "Missing or invalid argument: name");
    const sourceLang = baseCode(first('source_lang') ?? '');
    const targetLang = baseCode(first('target_lang') ?? '');
    const allowed = glossaryLanguages(this.languages).map((l) => l.code.toLowerCase());
    if (!allowed.includes(sourceLang) || !allowed.includes(targetLang) || sourceLang === targetLang) {
      throw new HttpError(400, 'Unsupported glossary source and target language pair.');
    }
    const format = first('entries_format');
    if (format === undefined) throw new HttpError(400, "Parameter 'entries_format' not specified.");
    const entries = parseEntries(first('entries') ?? '', format.toLowerCase());
    return { status: 201, json: glossaryInfo(this.glossaries.create(name, sourceLang, targetLang, entries)) };
  }
}

export async function startDeepLTestServer(opts: DeepLTestServerOptions = {}): Promise<DeepLTestServer> {
  const server = new TestServer(opts);
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  server.url = `http://127.0.0.1:${port}`;
  return server;
}
