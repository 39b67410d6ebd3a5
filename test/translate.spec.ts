/**
 * Machine translation of one story, through deepl-node against the DeepL test server: batching
 * and limits, per-pair capabilities (tag handling, glossaries, formality, untranslatable targets),
 * links, translation memory, outdated stories, exactly-once writes and billing.
 */
import { expect } from 'chai';
import { changeState, getTranslation, saveText } from '../src/store/translations.ts';
import { addTerm, updateTerm, listTerms } from '../src/store/glossary.ts';
import { ReadyStories, translateStory } from '../src/translate/service.ts';
import { useDeepLService } from './support/deepl-service.ts';
import { fakeTranslate, startDeepLTestServer } from './support/deepl-server.ts';
import { markOutdated } from '../src/ingest/intake.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { scratchDir } from './support/scratch.ts';
import { eventually } from './support/wait.ts';
import { insertStory, translateDeps, translateRequests, translationConfig } from './support/translate.ts';

const EN = (text: string) => fakeTranslate(text, { targetLang: 'EN-GB' });

describe('machine translation of a story', function () {
  this.timeout(30_000);
  const rig = useDeepLService();

  it('sends each audience one request with all segments, context, NFC, and formality only where supported', async () => {
    const config = translationConfig(rig.deepl);
    const title = 'Người phát ngôn Bộ Ngoại giao trả lời'.normalize('NFD');
    const story = await insertStory(rig.database.db, config.audiences, { title, summary: 'Tóm tắt ngày 1', body_html: '<p>Đoạn một và hai.</p><p>Đoạn ba.</p>' });
    const outcome = await translateStory(translateDeps(rig.database.db, config), story.id);
    expect(outcome).to.include({ stored: 3, failed: 0 });
    const requests = translateRequests(rig.deepl);
    expect(requests).to.have.length(3);
    for (const r of requests) {
      expect(r.texts).to.have.length(4);
      expect(r.texts[0]).to.equal(title.normalize('NFC'));
      expect(r.params.context).to.equal(`${title.normalize('NFC')} Tóm tắt ngày 1`);
    }
    const byTarget = Object.fromEntries(requests.map((r) => [r.params.target_lang!.toUpperCase(), r]));
    expect(byTarget.FR!.params.formality).to.equal('prefer_more');
    expect(byTarget['ZH-HANS']!.params.formality, '"more" on a target without formality is dropped').to.equal(undefined);
    const en = (await rig.database.db.selectFrom('translations').selectAll().where('story_id', '=', story.id).where('audience_id', '=', 'en').executeTakeFirstOrThrow());
    expect(en.state).to.equal('machine_translated');
    expect(en.title).to.equal(EN(title.normalize('NFC')));
    expect(en.body_html).to.equal(`<p>${EN('Đoạn một và hai.')}</p><p>${EN('Đoạn ba.')}</p>`);
    const lo = await rig.database.db.selectFrom('translations').selectAll().where('story_id', '=', story.id).where('audience_id', '=', 'lo').executeTakeFirstOrThrow();
    expect(lo.state, 'manual audiences wait for a person').to.equal('queued');
  });

  it('splits only where a limit demands: 50 texts and 128 KiB per request', async () => {
    const config = translationConfig(rig.deepl, { audiences: [{ id: 'en', language: 'en', provider: 'deepl', targetCode: 'EN-GB' }] });
    const blocks = Array.from({ length: 120 }, (_, i) => `<p>Đoạn số ${i} của bài.</p>`).join('');
    const story = await insertStory(rig.database.db, config.audiences, { title: 'Bài dài', summary: 'Tóm tắt', body_html: blocks });
    const big = 'Việt Nam và các đối tác. '.repeat(1200); // ~ 30 KB of text, ~ 80 KB encoded
    const story2 = await insertStory(rig.database.db, config.audiences, { title: 'Bài lớn', body_html: `<p>${big}</p><p>Khác. ${big}</p><p>ngắn</p>` });
    const deps = translateDeps(rig.database.db, config);
    expect(await translateStory(deps, story.id)).to.include({ stored: 1 });
    expect(translateRequests(rig.deepl).map((r) => r.texts.length)).to.deep.equal([50, 50, 22]);
    rig.deepl.reset();
    expect(await translateStory(deps, story2.id)).to.include({ stored: 1 });
    const sizes = translateRequests(rig.deepl).map((r) => r.bodyBytes);
    expect(sizes.length).to.be.greaterThan(1);
    for (const s of sizes) expect(s).to.be.at.most(128 * 1024);
    for (const r of translateRequests(rig.deepl)) expect(r.status).to.equal(200);
    const t = await rig.database.db.selectFrom('translations').select(['body_html']).where('story_id', '=', story2.id).executeTakeFirstOrThrow();
    expect(t.body_html.match(/<p>/g)).to.have.length(3);
    expect(t.body_html).to.contain(EN('ngắn'));
  });

  it('without tag handling (VI today): plain segments, links restored, URLs never sent', async () => {
    const config = translationConfig(rig.deepl, { audiences: [{ id: 'en', language: 'en', provider: 'deepl', targetCode: 'EN-GB' }] });
    const story = await insertStory(rig.database.db, config.audiences, { title: 'Tin', body_html: '<p>Xem <a href="https://mofa.gov.vn/tin?id=1">thông cáo</a> và <b>ảnh</b>.</p>' });
    await translateStory(translateDeps(rig.database.db, config), story.id);
    const [request] = translateRequests(rig.deepl);
    expect(request!.params.tag_handling).to.equal(undefined);
    expect(request!.texts.join(' ')).not.to.contain('mofa.gov.vn');
    const t = await rig.database.db.selectFrom('translations').selectAll().where('story_id', '=', story.id).executeTakeFirstOrThrow();
    expect(t.body_html).to.equal(`<p>${EN('Xem ').trimEnd()} <a href="https://mofa.gov.vn/tin?id=1">thông cáo</a> and <b>ảnh</b>.</p>`);
    expect(t.mt_notes).to.deep.equal([]);
  });

  // a figure (image, alt, caption), a table, a list and bold: each kept, with tag handling off (VI today) and on
  const richBody = '<p>Kim ngạch đạt <strong>3,7 tỷ USD</strong>, <em>tăng 12,5%</em>.</p>'
    + '<figure><img src="https://tgvn.vn/anh/hoi-cho.jpg" alt="Khai mạc hội chợ"><figcaption>Các đại biểu cắt băng khai mạc</figcaption></figure>'
    + '<table><tr><th>Tháng</th><th>Kim ngạch</th></tr><tr><td>Tháng 10</td><td>1,2 tỷ USD</td></tr><tr><td>Tháng 11</td><td>2,5 tỷ USD</td></tr></table>'
    + '<ul><li>Dệt may</li><li>Điện tử và <a href="https://mofa.gov.vn/tin">linh kiện</a></li></ul>';
  for (const tagHandling of [false, true]) {
    it(`keeps a figure, a table, a list and bold through deepl-node (tag handling ${tagHandling ? 'on' : 'off'})`, async () => {
      const server = tagHandling ? await startDeepLTestServer({ languages: [{ code: 'vi', tagHandling: true }] }) : rig.deepl;
      try {
        const config = translationConfig(server, { audiences: [{ id: 'en', language: 'en', provider: 'deepl', targetCode: 'EN-GB' }] });
        const story = await insertStory(rig.database.db, config.audiences, { title: 'Xuất khẩu tăng', body_html: richBody });
        await translateStory(translateDeps(rig.database.db, config), story.id);
        const [request] = translateRequests(server);
        expect(request!.params.tag_handling).to.equal(tagHandling ? 'xml' : undefined);
        expect(request!.texts.join(' ')).not.to.contain('tgvn.vn');
        const t = await rig.database.db.selectFrom('translations').selectAll().where('story_id', '=', story.id).executeTakeFirstOrThrow();
        expect(t.body_html).to.equal(`<p>${EN('Kim ngạch đạt ').trimEnd()} <strong>3,7 tỷ USD</strong>, <em>tăng 12,5%</em>.</p>`
          + `<figure><img src="https://tgvn.vn/anh/hoi-cho.jpg" alt="${EN('Khai mạc hội chợ')}"><figcaption>${EN('Các đại biểu cắt băng khai mạc')}</figcaption></figure>`
          + `<table><tr><th>${EN('Tháng')}</th><th>${EN('Kim ngạch')}</th></tr><tr><td>${EN('Tháng 10')}</td><td>${EN('1,2 tỷ USD')}</td></tr><tr><td>${EN('Tháng 11')}</td><td>${EN('2,5 tỷ USD')}</td></tr></table>`
          + `<ul><li>${EN('Dệt may')}</li><li>${EN('Điện tử và ').trimEnd()} <a href="https://mofa.gov.vn/tin">linh kiện</a></li></ul>`);
        expect(t.mt_notes).to.deep.equal([]);
      } finally {
        if (tagHandling) await server.close();
      }
    });
  }

  it('with tag handling: links travel as tags without URLs and come back as links', async () => {
    const tags = await startDeepLTestServer({ languages: [{ code: 'vi', tagHandling: true }] });
    try {
      const config = translationConfig(tags, { audiences: [{ id: 'en', language: 'en', provider: 'deepl', targetCode: 'EN-GB' }] });
      const story = await insertStory(rig.database.db, config.audiences, { title: 'Tin & ảnh', body_html: '<p>Xem <a href="https://mofa.gov.vn/tin">thông cáo</a> của Bộ.</p>' });
      await translateStory(translateDeps(rig.database.db, config), story.id);
      const [request] = translateRequests(tags);
      expect(request!.params.tag_handling).to.equal('xml');
      expect(request!.texts[0]).to.equal('Tin &amp; ảnh');
      expect(request!.texts[1], 'the empty lead is not sent').to.equal('Xem <l i="0">thông cáo</l> của Bộ.');
      const t = await rig.database.db.selectFrom('translations').selectAll().where('story_id', '=', story.id).executeTakeFirstOrThrow();
      expect(t.title).to.equal('[EN-GB] Tin & ảnh');
      expect(t.body_html).to.equal('<p>[EN-GB] Xem <a href="https://mofa.gov.vn/tin">thông cáo</a> of Bộ.</p>');
    } finally {
      await tags.close();
    }
  });

  it('with a glossary for the pair: created at the provider once, used, replaced when terms change', async () => {
    const config = translationConfig(rig.deepl, { audiences: [{ id: 'en', language: 'en', provider: 'deepl', targetCode: 'EN-GB' }] });
    const pair = { sourceLanguage: 'vi', targetLanguage: 'en' };
    await addTerm(rig.database.db, pair, { source: 'Bộ Chính trị', target: 'Politburo', variants: [], note: undefined }, 'test');
    const deps = translateDeps(rig.database.db, config);
    const s1 = await insertStory(rig.database.db, config.audiences, { title: 'Bộ Chính trị họp' });
    const s2 = await insertStory(rig.database.db, config.audiences, { title: 'Bộ Chính trị họp lần hai' });
    await translateStory(deps, s1.id);
    await translateStory(deps, s2.id);
    const created = rig.deepl.requests.filter((r) => r.path === '/v2/glossaries' && r.method === 'POST');
    expect(created).to.have.length(1);
    const [a, b] = translateRequests(rig.deepl);
    expect(a!.params.glossary_id).to.be.a('string');
    expect(b!.params.glossary_id).to.equal(a!.params.glossary_id);
    expect(a!.texts[0], 'the source goes as it is: the provider applies the glossary').to.equal('Bộ Chính trị họp');
    const t1 = await rig.database.db.selectFrom('translations').select('title').where('story_id', '=', s1.id).executeTakeFirstOrThrow();
    expect(t1.title).to.equal('[EN-GB] Politburo họp');

    const [term] = await listTerms(rig.database.db, pair);
    await updateTerm(rig.database.db, term!.id, { source: 'Bộ Chính trị', target: 'Political Bureau', variants: [], note: undefined }, 'test', new Date());
    const s3 = await insertStory(rig.database.db, config.audiences, { title: 'Bộ Chính trị họp lần ba' });
    await translateStory(deps, s3.id);
    expect(rig.deepl.requests.filter((r) => r.path === '/v2/glossaries' && r.method === 'POST')).to.have.length(2);
    expect(rig.deepl.requests.some((r) => r.method === 'DELETE' && r.path === `/v2/glossaries/${a!.params.glossary_id}`), 'the stale copy is deleted').to.equal(true);
    const t3 = await rig.database.db.selectFrom('translations').select('title').where('story_id', '=', s3.id).executeTakeFirstOrThrow();
    expect(t3.title).to.equal('[EN-GB] Political Bureau họp lần ba');
  });

  it('without glossary support for the pair: required terms are protected in the text and checked', async () => {
    const plain = await startDeepLTestServer({ languages: [{ code: 'vi', glossary: false }] });
    try {
      const config = translationConfig(plain, { audiences: [{ id: 'en', language: 'en', provider: 'deepl', targetCode: 'EN-GB' }] });
      await addTerm(rig.database.db, { sourceLanguage: 'vi', targetLanguage: 'en' }, { source: 'Bộ Chính trị', target: 'Politburo', variants: [], note: undefined }, 'test');
      const story = await insertStory(rig.database.db, config.audiences, { title: 'Bộ Chính trị và Chính phủ' });
      await translateStory(translateDeps(rig.database.db, config), story.id);
      const [request] = translateRequests(plain);
      expect(request!.params.glossary_id).to.equal(undefined);
      expect(plain.requests.filter((r) => r.path === '/v2/glossaries')).to.have.length(0);
      expect(request!.texts[0]).to.equal('Politburo và Chính phủ');
      const t = await rig.database.db.selectFrom('translations').selectAll().where('story_id', '=', story.id).executeTakeFirstOrThrow();
      expect(t.title).to.equal('[EN-GB] Politburo and Chính phủ');
      expect(t.mt_notes).to.deep.equal([]);
    } finally {
      await plain.close();
    }
  });

  it('falls back to /v2/languages and glossary pairs where /v3/languages is missing (tag handling taken as unavailable)', async () => {
    const old = await startDeepLTestServer({ v3Languages: false, languages: [{ code: 'vi', tagHandling: true }] });
    try {
      const config = translationConfig(old, { audiences: [
        { id: 'en', language: 'en', provider: 'deepl', targetCode: 'EN-GB' },
        { id: 'fr', language: 'fr', provider: 'deepl', targetCode: 'FR', formality: 'more' },
        { id: 'ko', language: 'ko', provider: 'deepl', targetCode: 'KO', formality: 'more' },
      ] });
      await addTerm(rig.database.db, { sourceLanguage: 'vi', targetLanguage: 'en' }, { source: 'Bộ Chính trị', target: 'Politburo', variants: [], note: undefined }, 'test');
      const story = await insertStory(rig.database.db, config.audiences, { title: 'Bộ Chính trị', body_html: '<p><a href="https://a.vn/x">Xem</a></p>' });
      expect(await translateStory(translateDeps(rig.database.db, config), story.id)).to.include({ stored: 3 });
      expect(old.requests.some((r) => r.path === '/v3/languages' && r.status === 404)).to.equal(true);
      const requests = translateRequests(old);
      for (const r of requests) expect(r.params.tag_handling, 'v2 says nothing of tag handling').to.equal(undefined);
      const byTarget = Object.fromEntries(requests.map((r) => [r.params.target_lang!.toUpperCase(), r]));
      expect(byTarget['EN-GB']!.params.glossary_id, 'glossary pairs come from /v2/glossary-language-pairs').to.be.a('string');
      expect(byTarget.FR!.params.formality, 'supports_formality from /v2/languages').to.equal('more');
      expect(byTarget.KO!.params.formality).to.equal(undefined);
      const en = await rig.database.db.selectFrom('translations').selectAll().where('story_id', '=', story.id).where('audience_id', '=', 'en').executeTakeFirstOrThrow();
      expect(en.body_html).to.equal('<p>[EN-GB] <a href="https://a.vn/x">Xem</a></p>');
    } finally {
      await old.close();
    }
  });

  it('hands an audience the provider cannot translate to a person (manual)', async () => {
    const config = translationConfig(rig.deepl, { audiences: [{ id: 'km', language: 'km', provider: 'deepl', targetCode: 'KM' }] });
    const story = await insertStory(rig.database.db, config.audiences, { title: 'Tin' });
    const outcome = await translateStory(translateDeps(rig.database.db, config), story.id);
    expect(outcome).to.include({ waitingForPeople: 1, stored: 0 });
    expect(translateRequests(rig.deepl)).to.have.length(0);
    const t = await rig.database.db.selectFrom('translations').selectAll().where('story_id', '=', story.id).executeTakeFirstOrThrow();
    expect(t).to.include({ provider: 'manual', state: 'queued' });
    expect(t.error).to.match(/cannot translate vi into KM/);
  });

  it('reuses approved human translations and never sends recurring boilerplate twice', async () => {
    const config = translationConfig(rig.deepl, { audiences: [{ id: 'en', language: 'en', provider: 'deepl', targetCode: 'EN-GB' }] });
    const deps = translateDeps(rig.database.db, config);
    const boiler = '(Nguồn: Bộ Ngoại giao)';
    const s1 = await insertStory(rig.database.db, config.audiences, { title: 'Họp báo thường kỳ', body_html: `<p>Câu một.</p><p>${boiler}</p>` });
    await translateStory(deps, s1.id);
    // a person fixes the draft and it is published
    let t1 = (await rig.database.db.selectFrom('translations').selectAll().where('story_id', '=', s1.id).executeTakeFirstOrThrow());
    t1 = await saveText(rig.database.db, t1.id, { title: 'Regular press briefing', summary: '', bodyHtml: '<p>Sentence one.</p><p>(Source: Ministry of Foreign Affairs)</p>' }, t1.version, 'thu', 'edit', new Date());
    for (const state of ['in_review', 'approved', 'published'] as const) await changeState(rig.database.db, t1.id, state, 'lan', new Date());

    rig.deepl.reset();
    const s2 = await insertStory(rig.database.db, config.audiences, { title: 'Họp báo thường kỳ', body_html: `<p>Câu mới.</p><p>${boiler}</p>` });
    await translateStory(deps, s2.id);
    const [request] = translateRequests(rig.deepl);
    expect(request!.texts, 'only the new sentence goes to the provider').to.deep.equal(['Câu mới.']);
    const t2 = await rig.database.db.selectFrom('translations').selectAll().where('story_id', '=', s2.id).executeTakeFirstOrThrow();
    expect(t2.title).to.equal('Regular press briefing');
    expect(t2.body_html).to.equal(`<p>${EN('Câu mới.')}</p><p>(Source: Ministry of Foreign Affairs)</p>`);
    const usage = await rig.database.db.selectFrom('translation_usage').selectAll().execute();
    expect(usage.reduce((s, u) => s + u.memory_hits, 0)).to.equal(2);
    expect(usage.reduce((s, u) => s + Number(u.memory_characters_saved), 0)).to.equal([...'Họp báo thường kỳ'].length + [...boiler].length);

    // machine boilerplate: a third story repeats a sentence only a machine has translated
    rig.deepl.reset();
    const s3 = await insertStory(rig.database.db, config.audiences, { title: 'Câu mới.' });
    await translateStory(deps, s3.id);
    expect(translateRequests(rig.deepl), 'a sentence already translated by the provider is not sent again').to.have.length(0);
  });

  it('translates only the changed segments of an outdated story and shows which changed, keeping human edits', async () => {
    const config = translationConfig(rig.deepl, { audiences: [{ id: 'en', language: 'en', provider: 'deepl', targetCode: 'EN-GB' }] });
    // a fixed clock: the first draft at 08:00, the story changed at 09:00
    let now = new Date('2026-11-30T08:00:00Z');
    const deps = translateDeps(rig.database.db, config, { clock: () => now });
    const story = await insertStory(rig.database.db, config.audiences, { title: 'Tin gốc', body_html: '<p>Đoạn một.</p><p>Đoạn hai.</p><p>Đoạn ba.</p>' });
    await translateStory(deps, story.id);
    let t = await rig.database.db.selectFrom('translations').selectAll().where('story_id', '=', story.id).executeTakeFirstOrThrow();
    t = await saveText(rig.database.db, t.id, { title: 'Original story', summary: '', bodyHtml: '<p>Paragraph one.</p><p>Paragraph two.</p><p>Paragraph three.</p>' }, t.version, 'thu', 'edit', now);
    await changeState(rig.database.db, t.id, 'in_review', 'thu', now);

    await rig.database.db.updateTable('stories').set({ body_html: '<p>Đoạn một.</p><p>Đoạn hai đã sửa.</p><p>Đoạn ba.</p>', version: 2 }).where('id', '=', story.id).execute();
    now = new Date('2026-11-30T09:00:00Z');
    await changeState(rig.database.db, t.id, 'outdated', 'source', now);
    rig.deepl.reset();
    await translateStory(deps, story.id);
    const [request] = translateRequests(rig.deepl);
    expect(request!.texts).to.deep.equal(['Đoạn hai đã sửa.']);
    const after = await getTranslation(rig.database.db, t.id);
    expect(after.state).to.equal('machine_translated');
    expect(after.story_version).to.equal(2);
    expect(after.title).to.equal('Original story');
    expect(after.body_html).to.equal(`<p>Paragraph one.</p><p>${EN('Đoạn hai đã sửa.')}</p><p>Paragraph three.</p>`);
    expect(after.changed_segments).to.deep.equal([3]);
    expect(after.mt_requested_at, 'the new request is timed from the change').to.deep.equal(now);
  });

  it('starts from the story this process handed over, only while it is the current version', async () => {
    const config = translationConfig(rig.deepl, { audiences: [{ id: 'en', language: 'en', provider: 'deepl', targetCode: 'EN-GB' }] });
    const ready = new ReadyStories();
    const deps = translateDeps(rig.database.db, config, { readyStories: ready });
    const story = await insertStory(rig.database.db, config.audiences, { title: 'Tin', body_html: '<p>Câu cũ.</p>' });
    ready.remember(story);
    // the source changes before the job runs: the handed-over row is stale
    await rig.database.db.updateTable('stories').set({ body_html: '<p>Câu mới.</p>', version: 2 }).where('id', '=', story.id).execute();
    await translateStory(deps, story.id);
    expect(translateRequests(rig.deepl).flatMap((r) => r.texts)).to.deep.equal(['Tin', 'Câu mới.']);
    expect((await rig.database.db.selectFrom('translations').select('story_version').where('story_id', '=', story.id).executeTakeFirstOrThrow()).story_version).to.equal(2);

    // a current one is used as it is, the memory included; it is taken, not kept
    rig.deepl.reset();
    const again = await insertStory(rig.database.db, config.audiences, { title: 'Tin', body_html: '<p>Câu mới.</p><p>Câu khác.</p>' });
    ready.remember(again);
    expect(await translateStory(deps, again.id)).to.include({ stored: 1 });
    expect(translateRequests(rig.deepl).flatMap((r) => r.texts), 'what the memory knows is not sent').to.deep.equal(['Câu khác.']);
    expect(ready.take(again.id)).to.equal(undefined);
  });

  it('stores no draft of a text that changed while it was with the provider; the next round translates the new text', async () => {
    const config = translationConfig(rig.deepl, { audiences: [{ id: 'en', language: 'en', provider: 'deepl', targetCode: 'EN-GB' }] });
    const deps = translateDeps(rig.database.db, config);
    const story = await insertStory(rig.database.db, config.audiences, { title: 'Tin', body_html: '<p>Bản đầu.</p>' });
    rig.deepl.setLatency(300);
    const first = translateStory(deps, story.id);
    await eventually('the request with the provider', async () => translateRequests(rig.deepl).length === 1);
    // the source changes meanwhile, as ingestion records it
    const changed = await rig.database.db.updateTable('stories').set({ body_html: '<p>Bản sửa.</p>', version: 2 }).where('id', '=', story.id).returningAll().executeTakeFirstOrThrow();
    await markOutdated(rig.database.db, changed, new Date());
    expect(await first).to.include({ stored: 0 });
    let t = await rig.database.db.selectFrom('translations').selectAll().where('story_id', '=', story.id).executeTakeFirstOrThrow();
    expect(t.state).to.equal('outdated');
    expect(t.machine_translated_at, 'the draft of the old text was not stored').to.equal(null);

    rig.deepl.setLatency(0);
    expect(await translateStory(deps, story.id)).to.include({ stored: 1 });
    t = await rig.database.db.selectFrom('translations').selectAll().where('story_id', '=', story.id).executeTakeFirstOrThrow();
    expect(t.body_html).to.equal(`<p>${EN('Bản sửa.')}</p>`);
    expect(t.story_version).to.equal(2);
  });

  it('stores a draft and bills it once when two workers translate the same story', async () => {
    const config = translationConfig(rig.deepl, { audiences: [{ id: 'en', language: 'en', provider: 'deepl', targetCode: 'EN-GB' }] });
    const story = await insertStory(rig.database.db, config.audiences, { title: 'Một lần' });
    const [a, b] = await Promise.all([translateStory(translateDeps(rig.database.db, config), story.id), translateStory(translateDeps(rig.database.db, config), story.id)]);
    expect(a.stored + b.stored).to.equal(1);
    expect(translateRequests(rig.deepl), 'the second worker found the translation claimed').to.have.length(1);
    const revisions = await rig.database.db.selectFrom('revisions').selectAll().where('kind', '=', 'machine').execute();
    expect(revisions).to.have.length(1);
    const usage = await rig.database.db.selectFrom('translation_usage').selectAll().execute();
    expect(usage.map((u) => Number(u.billed_characters))).to.deep.equal([rig.deepl.billedCharacters]);
    expect(await translateStory(translateDeps(rig.database.db, config), story.id), 'nothing left to do').to.deep.equal({ stored: 0, waitingForPeople: 0, failed: 0 });
  });
});

describe('glossary files', function () {
  this.timeout(20_000);
  let database: TestDatabase;
  beforeEach(async () => {
    database = await freshDatabase();
  });
  afterEach(async () => {
    await database?.close();
  });

  it('imports config/glossaries/*.tsv at start only for pairs with no terms, and round-trips through import and export', async () => {
    const { importGlossaryFiles } = await import('../src/translate/glossaries.ts');
    const { exportGlossary, importGlossaryFile } = await import('../src/translate/commands.ts');
    const { testLogger } = await import('./support/logger.ts');
    const added = await importGlossaryFiles(database.db, 'config/glossaries', testLogger, new Date());
    const en = await listTerms(database.db, { sourceLanguage: 'vi', targetLanguage: 'en' });
    expect(added).to.be.greaterThan(0);
    expect(en.find((t) => t.source === 'Bộ Chính trị')).to.include({ target: 'Politburo' });
    expect(await importGlossaryFiles(database.db, 'config/glossaries', testLogger, new Date()), 'a pair with terms is left alone').to.equal(0);

    const tsv = await exportGlossary(database, 'vi-en');
    expect(tsv.split('\n')[0]).to.equal('source\ttarget\tvariants\tnote');
    expect(tsv.split('\n').filter(Boolean)).to.have.length(en.length + 1);
    const { writeFileSync } = await import('node:fs');
    const dir = scratchDir('glossary');
    writeFileSync(`${dir}/vi-en.tsv`, tsv.replace('\tPolitburo\t', '\tPolitical Bureau\t'));
    expect(await importGlossaryFile(database, `${dir}/vi-en.tsv`)).to.deep.include({ added: 0, updated: 1 });
    writeFileSync(`${dir}/terms.tsv`, 'source\ttarget\nBộ Công an\tMinistry of Public Security\n');
    await importGlossaryFile(database, `${dir}/terms.tsv`, 'vi-fr').then(
      (r) => expect(r).to.deep.include({ added: 1, pair: { sourceLanguage: 'vi', targetLanguage: 'fr' } }),
    );
    await importGlossaryFile(database, `${dir}/terms.tsv`).then(() => expect.fail('a file name without a pair needs --pair'), (err: Error) => expect(err.message).to.match(/does not name a language pair/));
  });
});
