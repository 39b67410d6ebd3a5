/**
 * DeepL failing outside translation itself, through deepl-node against the DeepL test server: a
 * glossary the provider lost, glossaries left behind at the provider, and a capability discovery
 * that fails at start or changes later.
 */
import { expect } from 'chai';
import * as deepl from 'deepl-node';
import { addTerm } from '../src/store/glossary.ts';
import { ORPHAN_GRACE_MS, sweepProviderGlossaries } from '../src/translate/glossaries.ts';
import { createDeepLTranslator } from '../src/translate/providers/deepl.ts';
import { translateStory } from '../src/translate/service.ts';
import { useDeepLService } from './support/deepl-service.ts';
import { startDeepLTestServer } from './support/deepl-server.ts';
import { capturingLogger, testLogger } from './support/logger.ts';
import { insertStory, translateDeps, translateRequests, translationConfig } from './support/translate.ts';
import { eventually } from './support/wait.ts';

const en = [{ id: 'en', language: 'en', provider: 'deepl', targetCode: 'EN-GB' }];
const politburo = { source: 'Bộ Chính trị', target: 'Politburo', variants: [], note: undefined };

describe('DeepL faults around translation', function () {
  this.timeout(30_000);
  const rig = useDeepLService();

  const stored = () => rig.database.db.selectFrom('provider_glossaries').selectAll().execute();
  const translationOf = (storyId: number) => rig.database.db.selectFrom('translations').selectAll().where('story_id', '=', storyId).executeTakeFirstOrThrow();

  describe('glossaries', () => {
    it('creates a glossary the provider lost again and sends the request once more', async () => {
      const config = translationConfig(rig.deepl, { audiences: en });
      await addTerm(rig.database.db, { sourceLanguage: 'vi', targetLanguage: 'en' }, politburo, 'test');
      const deps = translateDeps(rig.database.db, config);
      const first = await insertStory(rig.database.db, config.audiences, { title: 'Bộ Chính trị họp' });
      await translateStory(deps, first.id);
      const [before] = await stored();

      rig.deepl.forgetGlossaries(); // deleted at DeepL, or the key was rotated
      const second = await insertStory(rig.database.db, config.audiences, { title: 'Bộ Chính trị họp lần hai' });
      expect(await translateStory(deps, second.id)).to.include({ stored: 1, failed: 0 });
      const t = await translationOf(second.id);
      expect(t).to.include({ state: 'machine_translated', title: '[EN-GB] Politburo họp lần hai', error: null });
      const [after] = await stored();
      expect(after!.glossary_id).not.to.equal(before!.glossary_id);
      expect(rig.deepl.glossaryList().map((g) => g.id), 'the new copy is the one stored').to.deep.equal([after!.glossary_id]);
      const translations = translateRequests(rig.deepl).slice(1);
      expect(translations.map((r) => [r.status, r.params.glossary_id])).to.deep.equal([[400, before!.glossary_id], [200, after!.glossary_id]]);
    });

    it('two workers syncing a new pair at once leave one glossary at the provider', async () => {
      const config = translationConfig(rig.deepl, { audiences: en });
      await addTerm(rig.database.db, { sourceLanguage: 'vi', targetLanguage: 'en' }, politburo, 'test');
      rig.deepl.setLatency(100); // both read "no glossary yet" before either has stored one
      const [a, b] = [await insertStory(rig.database.db, config.audiences, { title: 'Bộ Chính trị một' }), await insertStory(rig.database.db, config.audiences, { title: 'Bộ Chính trị hai' })];
      await Promise.all([translateStory(translateDeps(rig.database.db, config), a.id), translateStory(translateDeps(rig.database.db, config), b.id)]);
      expect(rig.deepl.requests.filter((r) => r.path === '/v2/glossaries' && r.method === 'POST')).to.have.length(2);
      const [row] = await stored();
      expect(rig.deepl.glossaryList().map((g) => g.id)).to.deep.equal([row!.glossary_id]);
      for (const story of [a, b]) expect((await translationOf(story.id)).title).to.match(/^\[EN-GB\] Politburo/);
    });

    it('deletes the unused glossaries it made, once they are old enough, and nobody else\'s', async () => {
      const config = translationConfig(rig.deepl, { audiences: en });
      await addTerm(rig.database.db, { sourceLanguage: 'vi', targetLanguage: 'en' }, politburo, 'test');
      const deps = translateDeps(rig.database.db, config);
      await translateStory(deps, (await insertStory(rig.database.db, config.audiences, { title: 'Bộ Chính trị' })).id);
      const client = new deepl.DeepLClient('test-key', { serverUrl: rig.deepl.url, maxRetries: 1 });
      const entries = new deepl.GlossaryEntries({ entries: { 'Quốc hội': 'National Assembly' } });
      const orphan = await client.createGlossary('doingoai vi-en 0badc0de', 'vi', 'en', entries);
      const foreign = await client.createGlossary('another team', 'vi', 'en', entries);
      const provider = createDeepLTranslator({ authKey: 'test-key', serverUrl: rig.deepl.url, timeoutMs: 2000, log: testLogger });
      const host = { name: 'deepl', createGlossary: provider.createGlossary!, deleteGlossary: provider.deleteGlossary!, listGlossaries: provider.listGlossaries! };

      // the sweep's clock is read against the provider's own creation time, not the wall
      const created = orphan.creationTime.getTime();
      expect(await sweepProviderGlossaries(rig.database.db, host, testLogger, new Date(created + ORPHAN_GRACE_MS - 1)), 'a fresh one may be on its way to being stored').to.equal(0);
      expect(await sweepProviderGlossaries(rig.database.db, host, testLogger, new Date(created + ORPHAN_GRACE_MS))).to.equal(1);
      const left = rig.deepl.glossaryList().map((g) => g.id);
      expect(left).to.have.members([(await stored())[0]!.glossary_id, foreign.glossaryId]);
      expect(left).not.to.include(orphan.glossaryId);
    });
  });

  describe('capability discovery', () => {
    const tagged = [{ code: 'vi', tagHandling: true }];
    const linkStory = { title: 'Tin', body_html: '<p>Xem <a href="https://mofa.gov.vn/tin">thông cáo</a>.</p>' };

    it('retries a failed /v3/languages instead of turning tag handling off', async () => {
      const tags = await startDeepLTestServer({ languages: tagged });
      try {
        tags.failLanguagesNext(503, 2);
        const config = translationConfig(tags, { audiences: en });
        const provider = createDeepLTranslator({ authKey: 'test-key', serverUrl: tags.url, timeoutMs: 2000, log: testLogger, discovery: { attempts: 3, baseDelayMs: 5 } });
        const story = await insertStory(rig.database.db, config.audiences, linkStory);
        await translateStory(translateDeps(rig.database.db, config, { chainFor: () => [provider] }), story.id);
        expect(tags.requests.filter((r) => r.path === '/v3/languages').map((r) => r.status)).to.deep.equal([503, 503, 200]);
        expect(translateRequests(tags)[0]!.params.tag_handling).to.equal('xml');
      } finally {
        await tags.close();
      }
    });

    it('falls back to the v2 lists with a warning after repeated failures, and reads /v3 again soon', async () => {
      const tags = await startDeepLTestServer({ languages: tagged });
      try {
        tags.failLanguagesNext(503, 3);
        const { log, lines } = capturingLogger();
        const config = translationConfig(tags, { audiences: en });
        const provider = createDeepLTranslator({ authKey: 'test-key', serverUrl: tags.url, timeoutMs: 2000, log, discovery: { attempts: 3, baseDelayMs: 5 }, capabilityRefreshMs: 50 });
        const deps = translateDeps(rig.database.db, config, { chainFor: () => [provider] });
        await translateStory(deps, (await insertStory(rig.database.db, config.audiences, linkStory)).id);
        expect(translateRequests(tags)[0]!.params.tag_handling).to.equal(undefined);
        const warning = lines.find((l) => l.level === 40 && /v2 language lists/.test(l.msg));
        expect(warning, 'the fallback is logged').to.not.equal(undefined);
        expect(warning).to.include({ provider: 'deepl', attempts: 3 });

        await eventually('capabilities read again', async () => (await provider.capabilities!('vi', 'EN-GB')).tagHandling);
        await translateStory(deps, (await insertStory(rig.database.db, config.audiences, { title: 'Tin khác', body_html: '<p>Đọc <a href="https://a.vn">bài</a>.</p>' })).id);
        expect(translateRequests(tags)[1]!.params.tag_handling).to.equal('xml');
      } finally {
        await tags.close();
      }
    });

    it('refreshes the capabilities periodically: a feature the provider adds is used without a restart', async () => {
      const config = translationConfig(rig.deepl, { audiences: en });
      const provider = createDeepLTranslator({ authKey: 'test-key', serverUrl: rig.deepl.url, timeoutMs: 2000, log: testLogger, capabilityRefreshMs: 50 });
      expect((await provider.capabilities!('vi', 'EN-GB')).tagHandling).to.equal(false);
      rig.deepl.setLanguages(tagged);
      await eventually('the new capabilities', async () => (await provider.capabilities!('vi', 'EN-GB')).tagHandling);
      const story = await insertStory(rig.database.db, config.audiences, linkStory);
      await translateStory(translateDeps(rig.database.db, config, { chainFor: () => [provider] }), story.id);
      expect(translateRequests(rig.deepl)[0]!.params.tag_handling).to.equal('xml');
    });
  });
});
