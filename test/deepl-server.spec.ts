// Drives the local DeepL test server through the real deepl-node client, so that the server is
// known to satisfy what the client sends and parses.
import { expect } from 'chai';
import * as deepl from 'deepl-node';
import {
  fakeTranslate,
  startDeepLTestServer,
  type DeepLTestServer,
  type DeepLTestServerOptions,
} from './support/deepl-server.ts';

const KEY = 'test-key';

const clientFor = (server: DeepLTestServer, key = KEY) =>
  new deepl.DeepLClient(key, { serverUrl: server.url, maxRetries: 1 });

/** Resolves to the error a promise rejects with (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

function expectError(error: Error | undefined, type: typeof deepl.DeepLError, message: RegExp): void {
  expect(error).to.be.instanceOf(type);
  expect(error?.message).to.match(message);
}

/** Runs `body` against a server of its own, closed afterwards. */
async function withServer(opts: DeepLTestServerOptions, body: (s: DeepLTestServer) => Promise<void>) {
  const own = await startDeepLTestServer(opts);
  try {
    await body(own);
  } finally {
    await own.close();
  }
}

describe('DeepL test server', () => {
  let server: DeepLTestServer;
  let client: deepl.DeepLClient;

  before(async () => {
    server = await startDeepLTestServer();
    client = clientFor(server);
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  describe('translateText', () => {
    it('translates several texts in one request and records it', async () => {
      const texts = ['Hà Nội, ngày 01 tháng 02 năm 2023', 'Thủ tướng Phạm Minh Chính và đoàn 25 người'];
      const results = await client.translateText(texts, 'vi', 'en-GB');

      expect(results.map((r) => r.text)).to.deep.equal([
        '[EN-GB] Hà Nội, day 01 month 02 year 2023',
        '[EN-GB] Thủ tướng Phạm Minh Chính and đoàn 25 người',
      ]);
      expect(results.map((r) => r.detectedSourceLang)).to.deep.equal(['vi', 'vi']);
      expect(server.requests).to.have.length(1);
      const [request] = server.requests;
      expect(request).to.include({ method: 'POST', path: '/v2/translate', status: 200 });
      expect(request?.texts).to.deep.equal(texts);
      expect(request?.params).to.include({ source_lang: 'vi', target_lang: 'en-GB', show_billed_characters: '1' });
      expect(request?.headers.authorization).to.equal(`DeepL-Auth-Key ${KEY}`);
      expect(request?.headers['content-type']).to.match(/application\/x-www-form-urlencoded/);
      expect(request?.bodyBytes).to.be.greaterThan(Buffer.byteLength(texts.join('')));
    });

    it('keeps non-English targets as the source with the prefix, and matches fakeTranslate()', async () => {
      const text = 'Bộ Ngoại giao và Thông tấn xã Việt Nam';
      const result = await client.translateText(text, 'vi', 'zh-HANS');
      expect(result.text).to.equal('[ZH-HANS] Bộ Ngoại giao và Thông tấn xã Việt Nam');
      expect(fakeTranslate(text, { targetLang: 'zh-HANS' })).to.equal(result.text);
    });

    it('bills Unicode code points as sent: NFD costs more than NFC, output is NFC', async () => {
      const nfc = 'Thành phố Hồ Chí Minh'.normalize('NFC');
      const nfd = nfc.normalize('NFD');
      const [a, b] = await client.translateText([nfc, nfd], 'vi', 'en-US');

      expect(a?.billedCharacters).to.equal([...nfc].length);
      expect(b?.billedCharacters).to.equal([...nfd].length);
      expect(b!.billedCharacters).to.be.greaterThan(a!.billedCharacters);
      expect(b?.text).to.equal(a?.text);
      expect(server.billedCharacters).to.equal([...nfc].length + [...nfd].length);
      expect(server.requests[0]?.billedCharacters).to.equal(server.billedCharacters);
    });

    it('records context without billing it', async () => {
      const result = await client.translateText('Tin mới', 'vi', 'fr', { context: 'Bản tin thời sự dài' });
      expect(result.billedCharacters).to.equal(7);
      expect(server.requests[0]?.params.context).to.equal('Bản tin thời sự dài');
    });

    it('applies formality where the target has it and refuses strict formality elsewhere', async () => {
      const formal = await client.translateText('Xin chào', 'vi', 'de', { formality: 'more' });
      const informal = await client.translateText('Xin chào', 'vi', 'pt-BR', { formality: 'prefer_less' });
      const ignored = await client.translateText('Xin chào', 'vi', 'en-GB', { formality: 'prefer_more' });
      const refused = await rejection(client.translateText('Xin chào', 'vi', 'en-GB', { formality: 'more' }));

      expect(formal.text).to.equal('[DE formal] Xin chào');
      expect(informal.text).to.equal('[PT-BR informal] Xin chào');
      expect(ignored.text).to.equal('[EN-GB] Xin chào');
      expectError(refused, deepl.DeepLError, /Bad request.*formality/);
      expect(server.requests.map((r) => r.params.formality)).to.deep.equal(['more', 'prefer_less', 'prefer_more', 'more']);
    });

    it('refuses target languages DeepL lacks (LO, KM) with 400', async () => {
      for (const target of ['lo', 'km'] as const) {
        const error = await rejection(client.translateText('Xin chào', 'vi', target as deepl.TargetLanguageCode));
        expectError(error, deepl.DeepLError, /Bad request.*target_lang/);
      }
      expect(server.requests.map((r) => r.status)).to.deep.equal([400, 400]);
      expect(server.billedCharacters).to.equal(0);
    });

    it('refuses more than 50 texts with 400 and bills nothing', async () => {
      const texts = Array.from({ length: 51 }, (_, i) => `Câu ${i}`);
      const error = await rejection(client.translateText(texts, 'vi', 'en-GB'));
      expectError(error, deepl.DeepLError, /Too many texts/);
      expect(server.requests[0]?.texts).to.have.length(51);
      expect(server.billedCharacters).to.equal(0);
      const fifty = await client.translateText(texts.slice(0, 50), 'vi', 'en-GB');
      expect(fifty).to.have.length(50);
    });

    it('refuses a body over 128 KiB with 413', async () => {
      const error = await rejection(client.translateText('a'.repeat(130 * 1024), 'vi', 'en-GB'));
      expectError(error, deepl.DeepLError, /413/);
      expect(server.requests[0]).to.include({ status: 413 });
      expect(server.requests[0]?.bodyBytes).to.be.greaterThan(128 * 1024);
    });

    it('reports VI as the detected language when source_lang is absent, and model_type_used', async () => {
      const result = await client.translateText('Xin chào', null, 'ja', { modelType: 'latency_optimized' });
      expect(result.detectedSourceLang).to.equal('vi');
      expect(result.modelTypeUsed).to.equal('latency_optimized');
      expect(server.requests[0]?.params).to.not.have.property('source_lang');
    });

    it('accepts JSON bodies with a text array', async () => {
      const response = await fetch(`${server.url}/v2/translate`, {
        method: 'POST',
        headers: { Authorization: `DeepL-Auth-Key ${KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ text: ['Một', 'Hai'], source_lang: 'VI', target_lang: 'EN-US' }),
      });
      expect(response.status).to.equal(200);
      const body = (await response.json()) as { translations: Array<{ text: string; billed_characters?: number }> };
      expect(body.translations.map((t) => t.text)).to.deep.equal(['[EN-US] Một', '[EN-US] Hai']);
      expect(body.translations[0]).to.not.have.property('billed_characters'); // not asked for
    });
  });

  describe('tag handling', () => {
    const html = '<p title="và">Hà Nội và <a href="https://vnexpress.net/và-1.html">TP.HCM</a></p>';

    it('is refused for VI by default, as the language list says', async () => {
      const error = await rejection(client.translateText(html, 'vi', 'en-GB', { tagHandling: 'html' }));
      expectError(error, deepl.DeepLError, /Tag handling.*VI/);
      expect(server.requests[0]?.params.tag_handling).to.equal('html');
      const v3 = (await (await fetch(`${server.url}/v3/languages?resource=translate_text`, {
        headers: { Authorization: `DeepL-Auth-Key ${KEY}` },
      })).json()) as Array<{ lang: string; features: Record<string, unknown> }>;
      expect(v3.find((l) => l.lang === 'vi')?.features).to.not.have.property('tag_handling');
    });

    it('when configured on, translates text nodes only and bills no markup', async () => {
      await withServer({ languages: [{ code: 'vi', tagHandling: true }] }, async (own) => {
        const result = await clientFor(own).translateText(html, 'vi', 'en-GB', { tagHandling: 'html' });
        expect(result.text).to.equal(
          '<p title="và">[EN-GB] Hà Nội and <a href="https://vnexpress.net/và-1.html">TP.HCM</a></p>',
        );
        expect(result.billedCharacters).to.equal([...'Hà Nội và TP.HCM'].length);
      });
    });
  });

  describe('glossaries', () => {
    const entries = new deepl.GlossaryEntries({
      entries: { 'Bộ Ngoại giao': 'Ministry of Foreign Affairs', 'Việt Nam': 'Viet Nam' },
    });

    it('creates, lists, reads, returns entries and deletes a glossary', async () => {
      const created = await client.createGlossary('vi-en news', 'vi', 'en-GB', entries);
      expect(created).to.include({ name: 'vi-en news', ready: true, sourceLang: 'vi', targetLang: 'en', entryCount: 2 });
      expect(created.creationTime.getTime()).to.not.be.NaN;

      expect((await client.listGlossaries()).map((g) => g.glossaryId)).to.deep.equal([created.glossaryId]);
      expect((await client.getGlossary(created.glossaryId)).name).to.equal('vi-en news');
      expect((await client.getGlossaryEntries(created)).entries()).to.deep.equal(entries.entries());

      await client.deleteGlossary(created);
      expect(await client.listGlossaries()).to.deep.equal([]);
      const gone = await rejection(client.getGlossary(created.glossaryId));
      expect(gone).to.be.instanceOf(deepl.GlossaryNotFoundError);
      expect(server.requests.find((r) => r.method === 'DELETE')).to.include({ path: `/v2/glossaries/${created.glossaryId}`, status: 204 });
    });

    it('creates a glossary from CSV', async () => {
      const csv = Buffer.from('"Quốc hội","National Assembly"\nThủ tướng,Prime Minister,vi,en\n');
      const created = await client.createGlossaryWithCsv('csv', 'vi', 'en', csv);
      expect(created.entryCount).to.equal(2);
      expect((await client.getGlossaryEntries(created)).entries()).to.deep.equal({
        'Quốc hội': 'National Assembly',
        'Thủ tướng': 'Prime Minister',
      });
    });

    it('replaces glossary terms after NFC, case-sensitively, in the right language pair only', async () => {
      const glossary = await client.createGlossary('g', 'vi', 'en', entries);
      const text = 'Bộ Ngoại giao Việt Nam và bộ ngoại giao'.normalize('NFD');
      const result = await client.translateText(text, 'vi', 'en-US', { glossary });
      expect(result.text).to.equal('[EN-US] Ministry of Foreign Affairs Viet Nam and bộ ngoại giao');
      expect(server.requests.at(-1)?.params.glossary_id).to.equal(glossary.glossaryId);

      const wrongPair = await rejection(client.translateText(text, 'vi', 'fr', { glossary }));
      expectError(wrongPair, deepl.DeepLError, /language pair/);
      const unknown = await rejection(client.translateText(text, 'vi', 'en-US', { glossary: 'no-such-glossary' }));
      expectError(unknown, deepl.DeepLError, /Glossary not found/); // 400, as a DeepL-compatible server answers for a deleted glossary
    });

    it('lists glossary language pairs including vi→en and not Lao', async () => {
      const pairs = await client.getGlossaryLanguagePairs();
      expect(pairs).to.deep.include({ sourceLang: 'vi', targetLang: 'en' });
      expect(pairs).to.deep.include({ sourceLang: 'en', targetLang: 'vi' });
      expect(pairs.flatMap((p): string[] => [p.sourceLang, p.targetLang])).to.not.include('lo');
    });
  });

  describe('usage and languages', () => {
    it('reports usage as billed so far', async () => {
      await client.translateText('Xin chào', 'vi', 'ko');
      const usage = await client.getUsage();
      expect(usage.character).to.deep.include({ count: 8, limit: 500_000 });
      expect(usage.anyLimitReached()).to.equal(false);
    });

    it('answers 456 past the character limit and bills nothing for that request', async () => {
      await withServer({ characterLimit: 10 }, async (own) => {
        const ownClient = clientFor(own);
        await ownClient.translateText('Xin chào', 'vi', 'ko');
        const error = await rejection(ownClient.translateText('Xin chào', 'vi', 'ko'));
        expect(error).to.be.instanceOf(deepl.QuotaExceededError);
        expect((await ownClient.getUsage()).character).to.deep.include({ count: 8, limit: 10 });
      });
    });

    it('lists source and target languages with formality', async () => {
      const sources = await client.getSourceLanguages();
      const targets = await client.getTargetLanguages();
      expect(sources.map((l) => l.code)).to.include('vi').and.not.include('en-GB');
      expect(targets).to.deep.include({ code: 'en-GB', name: 'English (British)', supportsFormality: false });
      expect(targets).to.deep.include({ code: 'de', name: 'German', supportsFormality: true });
      expect(targets.map((l) => l.code)).to.include.members(['vi', 'zh-HANS', 'zh-HANT', 'pt-PT', 'pt-BR']);
      expect(targets.map((l) => l.code)).to.not.include.members(['lo', 'km']);
    });

    it('serves /v3/languages in the DeepL shape, with or without resource', async () => {
      const get = async (query: string) =>
        (await (await fetch(`${server.url}/v3/languages${query}`, {
          headers: { Authorization: `DeepL-Auth-Key ${KEY}` },
        })).json()) as Array<Record<string, unknown>>;
      const withResource = await get('?resource=translate_text');
      expect(await get('')).to.deep.equal(withResource);
      expect(withResource.find((l) => l.lang === 'vi')).to.deep.equal({
        lang: 'vi',
        name: 'Vietnamese',
        status: 'stable',
        usable_as_source: true,
        usable_as_target: true,
        features: { auto_detection: { status: 'stable' }, glossary: { status: 'stable' } },
      });
      expect(withResource.find((l) => l.lang === 'fr')?.features).to.have.all.keys(
        'auto_detection', 'formality', 'glossary', 'tag_handling',
      );
      expect(withResource.find((l) => l.lang === 'zh-Hans')).to.include({ usable_as_source: false, usable_as_target: true });
    });
  });

  describe('failures', () => {
    it('refuses a wrong key or no key with 403 (AuthorizationError)', async () => {
      const error = await rejection(clientFor(server, 'other-key').translateText('Xin chào', 'vi', 'fr'));
      expect(error).to.be.instanceOf(deepl.AuthorizationError);
      const bare = await fetch(`${server.url}/v2/usage`);
      expect(bare.status).to.equal(403);
    });

    it('maps injected 403, 456 and 429 to the right deepl-node errors', async () => {
      server.failNext(403);
      server.failNext(456);
      server.failNext(429, 1, { retryAfterSeconds: 3 });
      const errors = [
        await rejection(client.translateText('Một', 'vi', 'fr')),
        await rejection(client.translateText('Hai', 'vi', 'fr')),
        await rejection(client.translateText('Ba', 'vi', 'fr')),
      ];
      expectError(errors[0], deepl.AuthorizationError, /Wrong endpoint/);
      expectError(errors[1], deepl.QuotaExceededError, /Quota Exceeded/);
      expect(errors[2]).to.be.instanceOf(deepl.TooManyRequestsError);
      expect(server.requests.map((r) => r.status)).to.deep.equal([403, 456, 429]);
      expect(server.billedCharacters).to.equal(0);
    });

    it('sends Retry-After with an injected 429 when asked', async () => {
      server.failNext(429, 1, { retryAfterSeconds: 3 });
      const response = await fetch(`${server.url}/v2/translate`, {
        method: 'POST',
        headers: { Authorization: `DeepL-Auth-Key ${KEY}` },
        body: new URLSearchParams({ text: 'Một', target_lang: 'fr' }),
      });
      expect(response.status).to.equal(429);
      expect(response.headers.get('retry-after')).to.equal('3');
    });

    it('maps 5xx to a plain DeepLError once retries are exhausted', async () => {
      // deepl-node words 503 as "Service unavailable" and the others as "Unexpected status code: N".
      const expected = { 500: /500 Internal Server Error/, 503: /Service unavailable/, 504: /504 Gateway Timeout/ };
      for (const status of [500, 503, 504] as const) {
        server.reset();
        server.failNext(status);
        const error = await rejection(client.translateText('Một', 'vi', 'fr'));
        expect(error).to.be.instanceOf(deepl.DeepLError);
        expect(error).to.not.be.instanceOf(deepl.QuotaExceededError);
        expect(error).to.not.be.instanceOf(deepl.TooManyRequestsError);
        expect(error.message).to.match(expected[status]);
        expect(server.requests).to.have.length(1); // maxRetries: 1 means a single attempt
      }
    });

    it('consumes queued failures in order, then answers normally', async () => {
      server.failNext(500, 2);
      await rejection(client.translateText('Một', 'vi', 'fr'));
      await rejection(client.translateText('Một', 'vi', 'fr'));
      expect((await client.translateText('Một', 'vi', 'fr')).text).to.equal('[FR] Một');
      expect(server.requests.map((r) => r.status)).to.deep.equal([500, 500, 200]);
    });

    it('gives a DeepLError for a malformed 200 body', async () => {
      server.malformedNext();
      const error = await rejection(client.translateText('Một', 'vi', 'fr'));
      expectError(error, deepl.DeepLError, /parsing response JSON/);
    });

    it('leaves a hung request unanswered until the client gives up', async () => {
      server.hangNext();
      const error = await rejection(
        fetch(`${server.url}/v2/translate`, {
          method: 'POST',
          headers: { Authorization: `DeepL-Auth-Key ${KEY}` },
          body: new URLSearchParams({ text: 'Một', target_lang: 'fr' }),
          signal: AbortSignal.timeout(100),
        }),
      );
      expect(error.name).to.equal('TimeoutError');
      expect(server.requests[0]?.status).to.equal(undefined);
      expect((await client.translateText('Hai', 'vi', 'fr')).text).to.equal('[FR] Hai');
    });

    it('adds the configured latency before answering', async () => {
      server.setLatency(80);
      const started = Date.now();
      await client.getUsage();
      expect(Date.now() - started).to.be.at.least(75);
      server.reset();
      const again = Date.now();
      await client.getUsage();
      expect(Date.now() - again).to.be.below(75);
    });
  });
});
