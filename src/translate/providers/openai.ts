/**
 * A self-hosted model behind the OpenAI-compatible chat-completions API (vLLM, llama.cpp's
 * server, Ollama, LocalAI, TGI…), for offices that must not send text abroad. Spoken with fetch:
 * one POST /chat/completions, a JSON body, nothing a client library would add.
 *
 * The segments go as a JSON list `[{id, text}]` with the audience's formality and the pair's
 * required terms (those that occur in these segments) in the instructions, and the answer must be
 * a JSON object `{"translations":[{"id","text"}]}`. Each answer is checked before it is used: the
 * same ids, every marker of the source (⟦…⟧: links and whatever segments.ts marks) exactly once,
 * and every required term's rendering. A segment that fails is answered as rejected: the chain's
 * next provider, or a person, translates it. An answer that is not that JSON at all rejects every
 * segment of the request.
 *
 * Nothing is billed (the model runs on the office's own machines); requests are counted. HTTP
 * failures: 429 and 5xx retry (Retry-After honoured), 401/403 ask a person, other 4xx give up,
 * no answer within the timeout retries.
 */
import type { Logger } from '../../log.ts';
import { codePoints, type RequestLimits } from '../batching.ts';
import { ProviderError } from '../failures.ts';
import type { Provider, TranslationRequest, TranslationResult } from '../translator.ts';

export interface OpenAiOptions {
  /** e.g. http://10.0.0.5:8000/v1 — the path up to /chat/completions. */
  baseUrl: string;
  apiKey?: string | undefined;
  model: string;
  /** Segments per request. */
  maxSegments: number;
  temperature: number;
  timeoutMs: number;
  log: Logger;
}

/** Any ⟦…⟧ token is a marker the translation must keep, whatever segments.ts marks with it. */
const MARKER = /⟦[^⟦⟧]*⟧/g;

const FORMALITY: Record<string, string> = {
  more: 'Use a formal, polite register throughout.',
  prefer_more: 'Prefer a formal, polite register.',
  less: 'Use an informal register throughout.',
  prefer_less: 'Prefer an informal register.',
};

const LANGUAGE_NAMES = new Intl.DisplayNames(['en'], { type: 'language' });
const languageName = (code: string) => {
  try {
    return `${LANGUAGE_NAMES.of(code) ?? code} (${code})`;
  } catch {
    return code;
  }
};

export function instructions(request: TranslationRequest): string {
  const lines = [
    `You translate news from ${languageName(request.sourceLanguage)} into ${languageName(request.targetCode)} for a news agency's foreign-language service.`,
    'The user message is a JSON object whose "segments" is a list of {"id", "text"}. Translate each text on its own, completely and faithfully: keep every number, date and name exactly.',
    'Markers written as ⟦…⟧ (for example ⟦0⟧ and ⟦/0⟧ around a link\'s words) must appear in the translation exactly as in the source, once each, around the words that translate the marked words.',
    'Answer with one JSON object and nothing else: {"translations": [{"id": <the same id>, "text": "<the translation>"}]}, one entry per segment, in the same order.',
  ];
  if (request.formality && FORMALITY[request.formality]) lines.push(FORMALITY[request.formality]!);
  if (request.terms?.length) lines.push('These terms are required: wherever the source term occurs, use exactly the given translation.');
  return lines.join('\n');
}

interface Answer { translations?: Array<{ id?: unknown; text?: unknown }> }

/** The model's answer as JSON: the object itself, or inside a ```json fence some servers add. */
function parseAnswer(content: string): Answer | undefined {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(content);
  for (const candidate of [content, fenced?.[1]]) {
    if (!candidate) continue;
    try {
      const value = JSON.parse(candidate.trim()) as unknown;
      if (value && typeof value === 'object' && Array.isArray((value as Answer).translations)) return value as Answer;
    } catch {
      // not JSON: try the next reading
    }
  }
  return undefined;
}

const markers = (text: string) => (text.match(MARKER) ?? []).sort().join('');

/** Why a translated segment cannot be used, or undefined. */
export function checkSegment(source: string, target: unknown, terms: readonly { source: string; target: string }[]): string | undefined {
  if (typeof target !== 'string' || !target.trim()) return 'no translation';
  if (markers(source) !== markers(target)) return `markers changed (${markers(source) || 'none'} → ${markers(target) || 'none'})`;
  for (const t of terms) if (source.includes(t.source) && !target.includes(t.target)) return `required term "${t.source}" → "${t.target}" is missing`;
  return undefined;
}

function statusError(status: number, message: string, retryAfter: string | null): ProviderError {
  const seconds = retryAfter === null ? Number.NaN : Number(retryAfter);
  const retryAfterMs = Number.isFinite(seconds) ? seconds * 1000 : undefined;
  if (status === 429 || status >= 500) return new ProviderError('retry', status === 429 ? 'rate_limited' : 'provider_unavailable', `the translation model answered ${status}: ${message}`, status, retryAfterMs);
  if (status === 401 || status === 403) return new ProviderError('human', 'auth_failed', `the translation model refused the key (${status}): ${message}`, status);
  return new ProviderError('give_up', status === 413 ? 'text_too_long' : 'request_refused', `the translation model refused the request (${status}): ${message}`, status);
}

export function createOpenAiTranslator(opts: OpenAiOptions): Provider {
  const url = `${opts.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const limits: RequestLimits = { maxTexts: opts.maxSegments, maxSize: 12_000, size: codePoints, sendsContext: false };
  const log = opts.log.child({ provider: 'openai' });

  return {
    name: 'openai',
    unmetered: true,
    limits,
    async capabilities() {
      // a general model: any pair, formality in words, terms in the instructions, markers as text
      return { translatable: true, tagHandling: false, glossary: false, formality: true, termsInRequest: true };
    },

    async translate(request): Promise<TranslationResult> {
      const terms = (request.terms ?? []).filter((t) => request.segments.some((s) => s.includes(t.source)));
      const user = {
        source_language: request.sourceLanguage, target_language: request.targetCode,
        ...(terms.length ? { required_terms: terms.map((t) => ({ source: t.source, translation: t.target })) } : {}),
        ...(request.context ? { context: request.context } : {}),
        segments: request.segments.map((text, id) => ({ id, text })),
      };
      let res: Response;
      let body: string;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {}) },
          body: JSON.stringify({
            model: opts.model, temperature: opts.temperature, response_format: { type: 'json_object' },
            messages: [{ role: 'system', content: instructions({ ...request, terms }) }, { role: 'user', content: JSON.stringify(user) }],
          }),
          signal: AbortSignal.timeout(opts.timeoutMs),
        });
        body = await res.text();
      } catch (err) {
        throw new ProviderError('retry', (err as Error)?.name === 'TimeoutError' ? 'timeout' : 'unreachable', `the translation model did not answer: ${(err as Error).message}`, undefined, undefined, err);
      }
      if (!res.ok) throw statusError(res.status, body.slice(0, 300), res.headers.get('retry-after'));
      let content: unknown;
      try {
        content = (JSON.parse(body) as { choices?: Array<{ message?: { content?: unknown } }> }).choices?.[0]?.message?.content;
      } catch {
        throw new ProviderError('retry', 'malformed_answer', 'the translation server sent an answer that is not JSON', res.status);
      }
      const answer = typeof content === 'string' ? parseAnswer(content) : undefined;
      const byId = new Map<number, unknown>();
      for (const t of answer?.translations ?? []) if (typeof t.id === 'number' && !byId.has(t.id)) byId.set(t.id, t.text);
      const wholeAnswer = !answer ? 'the answer is not the JSON asked for'
        : answer.translations!.length !== request.segments.length ? `the answer has ${answer.translations!.length} translations for ${request.segments.length} segments`
        : undefined;
      const segments: string[] = [];
      const rejected: Array<{ index: number; reason: string }> = [];
      request.segments.forEach((source, index) => {
        const reason = wholeAnswer ?? checkSegment(source, byId.get(index), terms);
        if (reason) rejected.push({ index, reason });
        segments.push(reason ? '' : (byId.get(index) as string).normalize('NFC'));
      });
      if (rejected.length) log.warn({ rejected: rejected.length, segments: request.segments.length, reason: rejected[0]!.reason }, 'the translation model\'s answer failed its checks for some segments; they go to the next provider or a translator');
      return { segments, billedCharacters: 0, rejected };
    },
  };
}
