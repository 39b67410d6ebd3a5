/**
 * The other machine providers and the chain per audience: Google Cloud Translation through its
 * real client (@google-cloud/translate, REST mode) against a local fake of its API, a self-hosted
 * model behind an OpenAI-compatible API against a local fake, and DeepL through deepl-node against
 * its test server, one falling back to the next.
 */
import { expect } from 'chai';
import type { Config } from '../src/config.ts';
import { addTerm } from '../src/store/glossary.ts';
import { translateStory, type StoryOutcome } from '../src/translate/service.ts';
import { fakeTranslate, startDeepLTestServer, type DeepLTestServer } from './support/deepl-server.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { googleTranslation, startGoogleTranslateFake, type GoogleTranslateFake } from './support/google-translate-server.ts';
import { startOpenAiFake, type OpenAiFake } from './support/openai-server.ts';
import { writeTestConfig } from './support/service.ts';
import { insertStory, translateDeps, translateRequests } from './support/translate.ts';

describe('machine providers and their chain', function () {
  this.timeout(30_000);
  let deepl: DeepLTestServer;
  let google: GoogleTranslateFake;
  let model: OpenAiFake;
  let database: TestDatabase;
  before(async () => {
    [deepl, google, model] = await Promise.all([startDeepLTestServer(), startGoogleTranslateFake(), startOpenAiFake('local-key')]);
  });
  after(async () => {
    await Promise.all([deepl?.close(), google?.close(), model?.close()]);
  });
  beforeEach(async () => {
    deepl.reset();
    google.reset();
    model.behave('good');
    model.requests.length = 0;
    model.asked.length = 0;
    database = await freshDatabase();
  });
  afterEach(async () => {
    await database?.close();
  });

  const config = (audiences: Record<string, unknown>[], translation: Record<string, unknown> = {}): Config => writeTestConfig({
    audiences, translation: { timeoutMs: 2000, ...translation },
  }, {
    DEEPL_AUTH_KEY: 'test-key', DEEPL_SERVER_URL: deepl.url,
    GOOGLE_TRANSLATE_API_KEY: google.apiKey, GOOGLE_CLOUD_PROJECT: 'doingoai-test', GOOGLE_TRANSLATE_SERVER_URL: google.url,
    MT_OPENAI_BASE_URL: `${model.url}/v1`, MT_OPENAI_API_KEY: 'local-key',
  });
  const translationOf = (storyId: number, audience?: string) => {
    let q = database.db.selectFrom('translations').selectAll().where('story_id', '=', storyId);
    if (audience) q = q.where('audience_id', '=', audience);
    return q.executeTakeFirstOrThrow();
  };
  const segmentsOf = (translationId: number) => database.db.selectFrom('translation_segments').selectAll().where('translation_id', '=', translationId).orderBy('position').execute();
  const billed = async () => (await database.db.selectFrom('translation_usage').selectAll().execute()).map((u) => [u.audience_id, Number(u.billed_characters), u.requests]);

  describe('Google Cloud Translation', () => {
    const lao = { id: 'lo', language: 'lo', provider: 'google' };
    const khmer = { id: 'km', language: 'km', provider: 'google' };

    it('gives Lao and Khmer machine drafts, billed per audience in the ledger', async () => {
      const cfg = config([lao, khmer]);
      const story = await insertStory(database.db, cfg.audiences, { title: 'Việt Nam và Lào ký hiệp định', summary: 'Tóm tắt', body_html: '<p>Xem <a href="https://mofa.gov.vn/tin">thông cáo</a> của Bộ.</p>' });
      expect(await translateStory(translateDeps(database.db, cfg), story.id)).to.include({ stored: 2, failed: 0 });
      const lo = await translationOf(story.id, 'lo');
      expect(lo).to.include({ state: 'machine_translated', provider: 'google', title: googleTranslation('Việt Nam và Lào ký hiệp định', 'lo') });
      expect(lo.body_html, 'the link travels as a marker and comes back as a link').to.equal('<p>[G:lo] Xem <a href="https://mofa.gov.vn/tin">thông cáo</a> của Bộ.</p>');
      const requests = google.translations();
      expect(requests.map((r) => r.targetLanguageCode).sort()).to.deep.equal(['km', 'lo']);
      for (const r of requests) {
        expect(r).to.include({ sourceLanguageCode: 'vi', mimeType: 'text/plain' });
        expect(r.contents.join(' ')).not.to.contain('mofa.gov.vn');
      }
      expect(google.requests.filter((r) => r.path.endsWith('/supportedLanguages')), 'the languages are read once').to.have.length(1);
      const sent = [...'Việt Nam và Lào ký hiệp định'].length + [...'Tóm tắt'].length + [...'Xem ⟦0⟧thông cáo⟦/0⟧ của Bộ.'].length;
      expect((await billed()).sort()).to.deep.equal([['km', sent, 1], ['lo', sent, 1]]);
      expect(google.billedCharacters).to.equal(2 * sent);
    });

    it('protects required terms in the text (Google glossaries live in Cloud Storage) and checks them', async () => {
      const cfg = config([lao]);
      await addTerm(database.db, { sourceLanguage: 'vi', targetLanguage: 'lo' }, { source: 'Bộ Chính trị', target: 'ກົມການເມືອງ', variants: [], note: undefined }, 'test');
      const story = await insertStory(database.db, cfg.audiences, { title: 'Bộ Chính trị họp' });
      await translateStory(translateDeps(database.db, cfg), story.id);
      expect(google.translations()[0]!.contents[0]).to.equal('ກົມການເມືອງ họp');
      const t = await translationOf(story.id);
      expect(t.title).to.equal('[G:lo] ກົມການເມືອງ họp');
      expect(t.mt_notes).to.deep.equal([]);
    });

    it('splits at 30,000 code points a request', async () => {
      const cfg = config([lao]);
      const big = 'Việt Nam và các đối tác. '.repeat(500); // 12,500 code points
      const story = await insertStory(database.db, cfg.audiences, { title: 'Bài lớn', body_html: `<p>${big}</p><p>Hai. ${big}</p><p>Ba. ${big}</p>` });
      expect(await translateStory(translateDeps(database.db, cfg), story.id)).to.include({ stored: 1 });
      const sizes = google.translations().map((r) => r.contents.reduce((n, c) => n + [...c].length, 0));
      expect(sizes.length).to.equal(2);
      for (const n of sizes) expect(n).to.be.at.most(30_000);
    });

    it('maps its failures onto the same classes as DeepL\'s: rate limit, spent quota, refused key, outage', async () => {
      const cfg = config([lao]);
      const deps = translateDeps(database.db, cfg, { retry: { baseDelayMs: 5, maxAttempts: 5, quotaCheckMs: 50 } });
      const story = await insertStory(database.db, cfg.audiences, { title: 'Tin' });
      google.failNext('rate_limited');
      let outcome: StoryOutcome = await translateStory(deps, story.id);
      expect(outcome.retryAfterMs, 'RetryInfo: 1 s').to.be.at.least(1000);
      google.failNext('unavailable');
      outcome = await translateStory(deps, story.id);
      expect(outcome.retryAfterMs).to.be.a('number');
      let t = await translationOf(story.id);
      expect(t.error).to.match(/Google answered UNAVAILABLE: The service is currently unavailable/);
      expect(t.mt_attempts).to.equal(2);
      expect(t).to.deep.include({ error_code: 'provider_unavailable', error_values: { provider: 'google', status: 503 } });

      google.failNext('quota');
      outcome = await translateStory(deps, story.id);
      expect(outcome.parked).to.equal('quota');
      t = await translationOf(story.id);
      expect(t).to.include({ mt_waiting: 'quota', state: 'queued', error_code: 'quota_exceeded' });
      const state = await database.db.selectFrom('translation_provider_state').selectAll().where('provider', '=', 'google').executeTakeFirstOrThrow();
      expect(state.quota_exhausted_since).to.be.instanceOf(Date);

      const other = await insertStory(database.db, cfg.audiences, { title: 'Tin khác' });
      await database.db.deleteFrom('translation_provider_state').execute();
      google.failNext('denied');
      outcome = await translateStory(deps, other.id);
      expect(outcome.failed).to.equal(1);
      expect((await translationOf(other.id)).error).to.match(/Google refused the credentials/);
      expect((await translationOf(other.id)).error_code).to.equal('auth_failed');
    });
  });

  describe('a self-hosted model (OpenAI-compatible)', () => {
    const ru = { id: 'ru', language: 'ru', provider: 'openai', formality: 'more' };

    it('sends the segments as a JSON list with the required terms and the formality, and keeps markers and terms', async () => {
      const cfg = config([ru], { openai: { model: 'qwen2.5-7b-instruct' } });
      await addTerm(database.db, { sourceLanguage: 'vi', targetLanguage: 'ru' }, { source: 'Bộ Ngoại giao', target: 'МИД', variants: [], note: undefined }, 'test');
      const story = await insertStory(database.db, cfg.audiences, { title: 'Bộ Ngoại giao họp báo', body_html: '<p>Xem <a href="https://mofa.gov.vn/a">toàn văn</a> tại đây.</p>' });
      expect(await translateStory(translateDeps(database.db, cfg), story.id)).to.include({ stored: 1 });
      const [asked] = model.asked;
      expect(asked!.model).to.equal('qwen2.5-7b-instruct');
      expect(asked!.user.segments).to.deep.equal([{ id: 0, text: 'Bộ Ngoại giao họp báo' }, { id: 1, text: 'Xem ⟦0⟧toàn văn⟦/0⟧ tại đây.' }]);
      expect(asked!.user.required_terms).to.deep.equal([{ source: 'Bộ Ngoại giao', translation: 'МИД' }]);
      expect(asked!.system).to.match(/formal, polite register/).and.to.match(/⟦…⟧/).and.to.match(/into Russian \(ru\)/);
      expect(model.requests[0]!.headers.authorization).to.equal('Bearer local-key');
      const t = await translationOf(story.id);
      expect(t).to.include({ provider: 'openai', title: '[AI:ru] МИД họp báo' });
      expect(t.body_html).to.equal('<p>[AI:ru] Xem <a href="https://mofa.gov.vn/a">toàn văn</a> tại đây.</p>');
      expect(t.mt_notes).to.deep.equal([]);
      expect(await billed(), 'nothing billed; the request counted').to.deep.equal([['ru', 0, 1]]);
    });

    it('takes an answer wrapped in a ```json fence', async () => {
      const cfg = config([ru]);
      model.behave('fenced');
      const story = await insertStory(database.db, cfg.audiences, { title: 'Tin' });
      await translateStory(translateDeps(database.db, cfg), story.id);
      expect((await translationOf(story.id)).title).to.equal('[AI:ru] Tin');
    });

    for (const [mode, why] of [['prose', /not the JSON asked for/], ['short', /1 translations for 2 segments/]] as const) {
      it(`falls back to the next provider on a malformed answer (${mode})`, async () => {
        const cfg = config([{ id: 'lo', language: 'lo', providers: ['openai', 'google'] }]);
        model.behave(mode);
        const story = await insertStory(database.db, cfg.audiences, { title: 'Tin', summary: 'Tóm tắt' });
        expect(await translateStory(translateDeps(database.db, cfg), story.id)).to.include({ stored: 1 });
        const t = await translationOf(story.id);
        expect(t).to.include({ provider: 'google', title: googleTranslation('Tin', 'lo'), summary: googleTranslation('Tóm tắt', 'lo') });
        expect(model.asked).to.have.length(1);
        void why;
      });
    }

    it('sends only the segments that failed the checks to the next provider', async () => {
      const cfg = config([{ id: 'lo', language: 'lo', providers: ['openai', 'google'] }]);
      model.behave('drop_marker');
      const story = await insertStory(database.db, cfg.audiences, { title: 'Tin', body_html: '<p>Xem <a href="https://a.vn/x">bài</a>.</p><p>Đoạn hai.</p>' });
      await translateStory(translateDeps(database.db, cfg), story.id);
      expect(google.translations().map((r) => r.contents)).to.deep.equal([['Xem ⟦0⟧bài⟦/0⟧.']]);
      const t = await translationOf(story.id);
      expect(t.provider).to.equal('openai');
      expect(t.body_html).to.equal(`<p>${googleTranslation('Xem ', 'lo').trimEnd()} <a href="https://a.vn/x">bài</a>.</p><p>[AI:lo] Đoạn hai.</p>`);
      expect((await segmentsOf(t.id)).map((s) => s.origin)).to.deep.equal(['machine', 'kept', 'fallback', 'machine']);
    });

    it('leaves a segment no provider could translate to a person, saying why; and hands the draft over when nothing was usable', async () => {
      const cfg = config([{ id: 'lo', language: 'lo', provider: 'openai' }]);
      await addTerm(database.db, { sourceLanguage: 'vi', targetLanguage: 'lo' }, { source: 'Quốc hội', target: 'ສະພາແຫ່ງຊາດ', variants: [], note: undefined }, 'test');
      model.behave('drop_term');
      const story = await insertStory(database.db, cfg.audiences, { title: 'Quốc hội họp', body_html: '<p>Đoạn khác.</p>' });
      expect(await translateStory(translateDeps(database.db, cfg), story.id)).to.include({ stored: 1 });
      let t = await translationOf(story.id);
      expect(t.title, 'the source, for the translator').to.equal('Quốc hội họp');
      expect(t.body_html).to.equal('<p>[AI:lo] Đoạn khác.</p>');
      expect(t.mt_notes).to.deep.equal(['segment 0: not machine-translated (openai: required term "Quốc hội" → "ສະພາແຫ່ງຊາດ" is missing); a translator writes it']);

      model.behave('prose');
      const other = await insertStory(database.db, cfg.audiences, { title: 'Tin mới' });
      expect(await translateStory(translateDeps(database.db, cfg), other.id)).to.include({ waitingForPeople: 1 });
      t = await translationOf(other.id);
      expect(t).to.include({ provider: 'manual', state: 'queued' });
      expect(t.error).to.match(/no provider of openai made a usable draft/);
      expect(t).to.deep.include({ error_code: 'no_usable_draft', error_values: { providers: 'openai' } });
    });
  });

  describe('the chain per audience', () => {
    it('falls back on a pair the first provider cannot translate, and records who made the draft', async () => {
      const cfg = config([{ id: 'km', language: 'km', providers: ['deepl', 'google'], targetCode: 'KM' }]);
      const story = await insertStory(database.db, cfg.audiences, { title: 'Tin' });
      expect(await translateStory(translateDeps(database.db, cfg), story.id)).to.include({ stored: 1 });
      expect(translateRequests(deepl), 'DeepL is not asked for a pair it lacks').to.have.length(0);
      expect(await translationOf(story.id)).to.include({ provider: 'google', title: googleTranslation('Tin', 'km') });
    });

    it('falls back when the quota is spent, and skips the exhausted provider until it returns', async () => {
      const cfg = config([{ id: 'en', language: 'en', providers: ['deepl', 'google'], targetCode: 'EN-GB' }]);
      deepl.setCharacterLimit(2);
      const deps = translateDeps(database.db, cfg);
      const story = await insertStory(database.db, cfg.audiences, { title: 'Tin nhanh' });
      expect(await translateStory(deps, story.id)).to.include({ stored: 1 });
      expect(await translationOf(story.id)).to.include({ provider: 'google', title: googleTranslation('Tin nhanh', 'en'), mt_waiting: null });
      expect(translateRequests(deepl).map((r) => r.status)).to.deep.equal([456]);
      const next = await insertStory(database.db, cfg.audiences, { title: 'Tin sau' });
      await translateStory(deps, next.id);
      expect(translateRequests(deepl), 'no request into a spent quota').to.have.length(1);
      expect((await translationOf(next.id)).provider).to.equal('google');
      expect(await billed()).to.deep.equal([['en', [...'Tin nhanh'].length + [...'Tin sau'].length, 2]]);
    });

    it('falls back when the provider keeps failing (its last attempt), with fresh attempts for the next', async () => {
      const cfg = config([{ id: 'en', language: 'en', providers: ['deepl', 'google'], targetCode: 'EN-GB' }]);
      const deps = translateDeps(database.db, cfg, { retry: { baseDelayMs: 5, maxAttempts: 3, quotaCheckMs: 50 } });
      deepl.failNext(503, 3);
      const story = await insertStory(database.db, cfg.audiences, { title: 'Tin' });
      const outcomes: StoryOutcome[] = [];
      for (let i = 0; i < 3; i++) outcomes.push(await translateStory(deps, story.id));
      expect(outcomes.map((o) => o.stored)).to.deep.equal([0, 0, 1]);
      expect(translateRequests(deepl).map((r) => r.status)).to.deep.equal([503, 503, 503]);
      expect(await translationOf(story.id)).to.include({ provider: 'google', state: 'machine_translated', mt_attempts: 0 });
    });

    it('keeps DeepL first where it works, and each audience its own chain', async () => {
      const cfg = config([
        { id: 'en', language: 'en', providers: ['deepl', 'google'], targetCode: 'EN-GB' },
        { id: 'lo', language: 'lo', providers: ['deepl', 'google'], targetCode: 'LO' },
      ]);
      const story = await insertStory(database.db, cfg.audiences, { title: 'Tin' });
      await translateStory(translateDeps(database.db, cfg), story.id);
      expect(await translationOf(story.id, 'en')).to.include({ provider: 'deepl', title: fakeTranslate('Tin', { targetLang: 'EN-GB' }) });
      expect(await translationOf(story.id, 'lo')).to.include({ provider: 'google' });
    });

    it('past the monthly budget, sends normal stories only to the provider the budget does not stop', async () => {
      const cfg = config([{ id: 'ru', language: 'ru', providers: ['deepl', 'openai'], targetCode: 'RU' }], { monthlyCharacterBudget: 10 });
      const deps = translateDeps(database.db, cfg, { monthlyCharacterBudget: 10 });
      const first = await insertStory(database.db, cfg.audiences, { title: 'Câu chuyện đầu tiên dài hơn mười ký tự' });
      await translateStory(deps, first.id);
      expect((await translationOf(first.id)).provider, 'within the budget: DeepL').to.equal('deepl');
      const normal = await insertStory(database.db, cfg.audiences, { title: 'Tin thường' });
      const urgent = await insertStory(database.db, cfg.audiences, { title: 'Tin khẩn', priority: true });
      expect(await translateStory(deps, normal.id)).to.include({ stored: 1 });
      await translateStory(deps, urgent.id);
      expect(await translationOf(normal.id)).to.include({ provider: 'openai', title: '[AI:ru] Tin thường', mt_waiting: null });
      expect((await translationOf(urgent.id)).provider, 'a priority story still goes to DeepL').to.equal('deepl');
      expect(translateRequests(deepl)).to.have.length(2);

      const manualOnly = config([{ id: 'ru', language: 'ru', providers: ['openai', 'deepl'], targetCode: 'RU' }], { monthlyCharacterBudget: 10 });
      model.behave('prose'); // the model fails; DeepL is past the budget: the story waits for the budget
      const waiting = await insertStory(database.db, manualOnly.audiences, { title: 'Tin chờ' });
      expect(await translateStory(translateDeps(database.db, manualOnly, { monthlyCharacterBudget: 10 }), waiting.id)).to.include({ parked: 'budget' });
      expect(await translationOf(waiting.id)).to.include({ mt_waiting: 'budget', provider: 'deepl', state: 'queued' });
      expect(translateRequests(deepl)).to.have.length(2);
    });

    it('hands the draft to a person when no provider of the chain can translate the pair', async () => {
      const cfg = config([{ id: 'xh', language: 'xh', providers: ['deepl', 'google'], targetCode: 'XH' }]);
      const story = await insertStory(database.db, cfg.audiences, { title: 'Tin' });
      expect(await translateStory(translateDeps(database.db, cfg), story.id)).to.include({ waitingForPeople: 1 });
      const t = await translationOf(story.id);
      expect(t).to.include({ provider: 'manual', state: 'queued' });
      expect(t.error).to.match(/deepl, google cannot translate vi into xh/);
      expect(t).to.deep.include({ error_code: 'unsupported_language', error_values: { providers: 'deepl, google', source: 'vi', target: 'xh' } });
    });
  });
});
