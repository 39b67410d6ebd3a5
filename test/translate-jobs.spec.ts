/**
 * Machine translation as the running service does it: durable jobs on pg-boss, retries of 429,
 * 5xx, timeouts and malformed answers, quota parking and recovery, the budget and the priority
 * lane, and the API (usage, translations, translate again). Through deepl-node against the DeepL
 * test server; retry waits are a few milliseconds.
 */
import { expect } from 'chai';
import type { Config } from '../src/config.ts';
import { createToken } from '../src/store/tokens.ts';
import { resumeTranslation } from '../src/translate/commands.ts';
import { jobPriority, TRANSLATE_STORY } from '../src/translate/translate-story.job.ts';
import { useDeepLService } from './support/deepl-service.ts';
import { fakeTranslate, type DeepLTestServer } from './support/deepl-server.ts';
import { testLogger } from './support/logger.ts';
import { apiClient, startTestService, writeTestConfig } from './support/service.ts';
import { insertStory, translateRequests } from './support/translate.ts';
import { eventually } from './support/wait.ts';

const EN = (text: string) => fakeTranslate(text, { targetLang: 'EN-GB' });

function jobsConfig(deepl: DeepLTestServer, translation: Record<string, unknown> = {}): Config {
  return writeTestConfig({
    audiences: [{ id: 'en', language: 'en', provider: 'deepl', targetCode: 'EN-GB' }, { id: 'fr', language: 'fr', provider: 'deepl', targetCode: 'FR' }],
    translation: { concurrency: 4, timeoutMs: 300, retry: { baseDelayMs: 5, maxAttempts: 4 }, quotaCheckSeconds: 1, ...translation },
  }, { DEEPL_AUTH_KEY: 'test-key', DEEPL_SERVER_URL: deepl.url });
}


describe('machine translation jobs', function () {
  this.timeout(30_000);
  const rig = useDeepLService();

  const start = async (config: Config) => {
    rig.service = await startTestService(config, rig.database);
    return rig.service;
  };
  // what ingestion does (src/translate/dispatch.ts storyReady)
  const send = (storyId: number, priority = false) => rig.service!.jobs.send(TRANSLATE_STORY, { storyId, priority }, { priority: jobPriority(priority) });
  const translationsOf = (storyId: number) => rig.database.db.selectFrom('translations').selectAll().where('story_id', '=', storyId).orderBy('audience_id').execute();

  it('retries 429 twice then succeeds, honouring Retry-After', async () => {
    const config = jobsConfig(rig.deepl);
    await start(config);
    const story = await insertStory(rig.database.db, config.audiences.slice(0, 1), { title: 'Tin nhanh' });
    rig.deepl.failNext(429, 1, { retryAfterSeconds: 1 });
    rig.deepl.failNext(429, 1);
    await send(story.id);
    await rig.service!.settled();
    const requests = translateRequests(rig.deepl);
    expect(requests.map((r) => r.status)).to.deep.equal([429, 429, 200]);
    expect(requests[1]!.time - requests[0]!.time, 'the wait honours Retry-After: 1').to.be.at.least(950);
    const [t] = await translationsOf(story.id);
    expect(t).to.include({ state: 'machine_translated', title: EN('Tin nhanh'), error: null, mt_attempts: 0 });
  });

  it('rides out a 503 burst, a timeout and a malformed answer', async () => {
    const config = jobsConfig(rig.deepl, { retry: { baseDelayMs: 5, maxAttempts: 8 } });
    await start(config);
    const story = await insertStory(rig.database.db, config.audiences.slice(0, 1), { title: 'Tin' });
    rig.deepl.failNext(503, 3);
    rig.deepl.hangNext(1);
    rig.deepl.malformedNext(1);
    await send(story.id);
    await rig.service!.settled();
    expect(translateRequests(rig.deepl)).to.have.length(6);
    const [t] = await translationsOf(story.id);
    expect(t!.state).to.equal('machine_translated');
    const usage = await rig.database.db.selectFrom('translation_usage').selectAll().execute();
    expect(usage.map((u) => Number(u.billed_characters)), 'only the answered request is billed').to.deep.equal([[...'Tin'].length]);
  });

  it('gives up after the last attempt with the reason on the translation; translate again restarts it', async () => {
    const config = jobsConfig(rig.deepl);
    await start(config);
    const story = await insertStory(rig.database.db, config.audiences.slice(0, 1), { title: 'Tin' });
    rig.deepl.failNext(500, 4);
    await send(story.id);
    await rig.service!.settled();
    let [t] = await translationsOf(story.id);
    expect(t!.state).to.equal('queued');
    expect(t!.error).to.match(/^gave up after 4 attempts: DeepL answered 500/);
    expect(translateRequests(rig.deepl)).to.have.length(4);

    const editor = apiClient(rig.service!.url, await createToken(rig.database.db, 'lan', 'editor'));
    const again = await editor('POST', `/api/v1/stories/${story.id}/translate`);
    expect(again.status).to.equal(202);
    expect(again.body.data).to.deep.equal({ storyId: story.id, queued: 1 });
    await rig.service!.settled();
    [t] = await translationsOf(story.id);
    expect(t).to.include({ state: 'machine_translated', error: null });
  });

  it('does not retry a refused key (403) or a bad request; the reason is kept', async () => {
    const config = jobsConfig(rig.deepl);
    await start(config);
    const story = await insertStory(rig.database.db, config.audiences.slice(0, 1), { title: 'Tin' });
    rig.deepl.failNext(403);
    await send(story.id);
    await rig.service!.settled();
    expect(translateRequests(rig.deepl)).to.have.length(1);
    const [t] = await translationsOf(story.id);
    expect(t!.error).to.match(/DeepL refused the key/);
    expect(t!.state).to.equal('queued');
  });

  it('parks on 456, alerts admins through /usage, and resumes when the quota returns', async () => {
    const config = jobsConfig(rig.deepl);
    await start(config);
    rig.deepl.setCharacterLimit(5);
    const story = await insertStory(rig.database.db, config.audiences, { title: 'Tin quá hạn mức' });
    await send(story.id);
    await rig.service!.settled();
    for (const t of await translationsOf(story.id)) expect(t).to.include({ state: 'queued', mt_waiting: 'quota' });
    const admin = apiClient(rig.service!.url, await createToken(rig.database.db, 'root', 'admin'));
    const usage = await admin('GET', '/api/v1/usage');
    expect(usage.status).to.equal(200);
    expect(usage.body.data.alert).to.equal('quota_exhausted');
    expect(usage.body.data.parked).to.deep.equal({ quota: 2 });
    expect(usage.body.data.providers[0]).to.include({ provider: 'deepl', quotaExhausted: true });

    const second = await insertStory(rig.database.db, config.audiences, { title: 'Tin sau' });
    const before = translateRequests(rig.deepl).length;
    await send(second.id);
    await rig.service!.settled();
    expect(translateRequests(rig.deepl).length, 'while parked nothing is sent').to.equal(before);

    rig.deepl.setCharacterLimit(500_000); // a new period: /v2/usage shows quota again
    await eventually('the drafts', async () => (await translationsOf(second.id)).every((t) => t.state === 'machine_translated')
      && (await translationsOf(story.id)).every((t) => t.state === 'machine_translated'));
    const after = await admin('GET', '/api/v1/usage');
    expect(after.body.data.alert).to.equal(null);
    expect(after.body.data.providers[0].quotaExhausted).to.equal(false);
  });

  it('resumes parked work by hand (translate resume)', async () => {
    const config = jobsConfig(rig.deepl, { quotaCheckSeconds: 3600 });
    await start(config);
    rig.deepl.failNext(456);
    const story = await insertStory(rig.database.db, config.audiences.slice(0, 1), { title: 'Tin' });
    await send(story.id);
    await rig.service!.settled();
    expect((await translationsOf(story.id))[0]!.mt_waiting).to.equal('quota');
    const { released } = await resumeTranslation(rig.database, testLogger);
    expect(released).to.equal(1);
    await eventually('the drafts', async () => (await translationsOf(story.id))[0]!.state === 'machine_translated');
  });

  it('past the monthly budget normal stories wait and priority stories still go', async () => {
    const config = jobsConfig(rig.deepl, { monthlyCharacterBudget: 10 });
    await start(config);
    const audiences = config.audiences.slice(0, 1);
    const first = await insertStory(rig.database.db, audiences, { title: 'Câu chuyện đầu tiên dài hơn mười ký tự' });
    await send(first.id);
    await rig.service!.settled();
    const normal = await insertStory(rig.database.db, audiences, { title: 'Tin thường' });
    const urgent = await insertStory(rig.database.db, audiences, { title: 'Tuyên bố chính thức', priority: true });
    await send(normal.id);
    await send(urgent.id, true);
    await rig.service!.settled();
    expect((await translationsOf(normal.id))[0]).to.include({ state: 'queued', mt_waiting: 'budget' });
    expect((await translationsOf(urgent.id))[0]!.state).to.equal('machine_translated');

    const editor = apiClient(rig.service!.url, await createToken(rig.database.db, 'lan', 'editor'));
    const usage = (await editor('GET', '/api/v1/usage')).body.data;
    expect(usage).to.include({ budget: 10, budgetExhausted: true, alert: 'budget_exhausted', billedCharacters: rig.deepl.billedCharacters });
    expect(usage.parked).to.deep.equal({ budget: 1 });
    expect(usage.audiences[0]).to.include({ audience: 'en', billedCharacters: rig.deepl.billedCharacters, requests: 2 });
    const translator = apiClient(rig.service!.url, await createToken(rig.database.db, 'thu', 'translator'));
    expect((await translator('GET', '/api/v1/usage')).status).to.equal(403);
  });

  it('takes priority stories first from the queue', async () => {
    const config = jobsConfig(rig.deepl, { concurrency: 1 });
    await start(config);
    const audiences = config.audiences.slice(0, 1);
    rig.deepl.setLatency(150); // the worker is busy with the first story while the others queue up
    const stories = [];
    for (let i = 0; i < 3; i++) stories.push(await insertStory(rig.database.db, audiences, { title: `Tin thường ${i}` }));
    const urgent = await insertStory(rig.database.db, audiences, { title: 'Tin ưu tiên', priority: true });
    for (const s of stories) await send(s.id);
    await send(urgent.id, true);
    await rig.service!.settled();
    const order = translateRequests(rig.deepl).map((r) => r.texts[0]);
    expect(order).to.deep.equal(['Tin thường 0', 'Tin ưu tiên', 'Tin thường 1', 'Tin thường 2']);
  });

  it('shows audience, state, provider, text and timings per translation', async () => {
    const config = jobsConfig(rig.deepl);
    await start(config);
    const story = await insertStory(rig.database.db, config.audiences, { title: 'Tin', body_html: '<p>Đoạn.</p>' });
    await send(story.id);
    await rig.service!.settled();
    const translator = apiClient(rig.service!.url, await createToken(rig.database.db, 'thu', 'translator'));
    const res = await translator('GET', `/api/v1/stories/${story.id}/translations`);
    expect(res.status).to.equal(200);
    const en = res.body.data.find((t: { audience: string }) => t.audience === 'en');
    expect(en).to.include({ state: 'machine_translated', provider: 'deepl', title: EN('Tin'), bodyHtml: `<p>${EN('Đoạn.')}</p>` });
    expect(Date.parse(en.machineTranslatedAt)).to.be.at.least(Date.parse(en.machine.requestedAt));
    expect(en.machine).to.include({ attempts: 0, waiting: null });
    expect(en.machine.changedSegments).to.deep.equal([]);
  });
});
