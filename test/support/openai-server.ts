/**
 * A local fake of an OpenAI-compatible chat-completions server (what vLLM, llama.cpp or Ollama
 * serve), for the self-hosted provider.
 *
 * Contract
 * - POST /v1/chat/completions with `Authorization: Bearer <apiKey>` when the fake has a key (else
 *   401). The last user message must be the provider's JSON ({segments: [{id, text}],
 *   required_terms?}); the answer's content is {"translations":[{"id","text":"[AI:<target>] …"}]}
 *   with every required term's source replaced by its translation and markers kept.
 * - `behave(mode)` changes what the next answers do: `good`, `drop_marker` (markers removed from
 *   every text that has them), `drop_term` (required terms left untranslated), `prose` (an
 *   apology instead of JSON), `short` (one translation too few), `fenced` (the JSON inside a
 *   ```json fence, which is still fine). `failNext(status)` answers the next request with an error.
 */
import { jsonOf, startFake, type Answer, type FakeServer } from './social/fake.ts';

export type ModelBehaviour = 'good' | 'drop_marker' | 'drop_term' | 'prose' | 'short' | 'fenced';

export interface OpenAiFake extends FakeServer {
  /** What each request asked: the system instructions and the parsed user message. */
  asked: Array<{ model: string; system: string; user: { target_language: string; segments: Array<{ id: number; text: string }>; required_terms?: Array<{ source: string; translation: string }> } }>;
  behave(mode: ModelBehaviour): void;
  failNext(status: number): void;
}

export async function startOpenAiFake(apiKey?: string): Promise<OpenAiFake> {
  let mode: ModelBehaviour = 'good';
  const failures: number[] = [];
  const asked: OpenAiFake['asked'] = [];
  const fake = await startFake((req): Answer | undefined => {
    if (req.method !== 'POST' || req.path !== '/v1/chat/completions') return undefined;
    if (apiKey && req.headers.authorization !== `Bearer ${apiKey}`) return { status: 401, body: { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } } };
    const failure = failures.shift();
    if (failure) return { status: failure, body: { error: { message: `injected ${failure}`, type: 'server_error' } }, headers: failure === 429 ? { 'retry-after': '2' } : {} };
    const body = jsonOf<{ model: string; messages: Array<{ role: string; content: string }> }>(req);
    const system = body.messages.find((m) => m.role === 'system')?.content ?? '';
    const user = JSON.parse(body.messages.filter((m) => m.role === 'user').at(-1)!.content) as OpenAiFake['asked'][number]['user'];
    asked.push({ model: body.model, system, user });
    const translations = user.segments.map(({ id, text }) => {
      let out = text;
      if (mode !== 'drop_term') for (const t of user.required_terms ?? []) out = out.split(t.source).join(t.translation);
      if (mode === 'drop_marker') out = out.replace(/⟦[^⟦⟧]*⟧/g, '');
      return { id, text: `[AI:${user.target_language}] ${out}` };
    });
    if (mode === 'short') translations.pop();
    const json = JSON.stringify({ translations });
    const content = mode === 'prose' ? 'I am sorry, but I can only help with translation questions.' : mode === 'fenced' ? `Here you are:\n\`\`\`json\n${json}\n\`\`\`` : json;
    return {
      status: 200,
      body: { id: 'chatcmpl-test', object: 'chat.completion', model: body.model, choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } },
    };
  });
  return Object.assign(fake, {
    asked,
    behave(next: ModelBehaviour) { mode = next; },
    failNext(status: number) { failures.push(status); },
  }) as OpenAiFake;
}
