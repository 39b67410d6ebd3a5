/**
 * A worker process killed (SIGKILL) in the middle of translation jobs, then the service started
 * again: every translation is finished exactly once (one machine revision, one state change) and
 * billed once in our ledger. Requests the dead process had in flight were answered by the provider
 * to nobody: they are the only provider-side waste.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Service } from '../src/service.ts';
import { startDeepLTestServer, type DeepLTestServer } from './support/deepl-server.ts';
import { freshDatabase, testServerUrl, type TestDatabase } from './support/database.ts';
import { startTestService } from './support/service.ts';
import { insertStory, translateRequests, translationConfig } from './support/translate.ts';

describe('machine translation survives a killed worker', function () {
  this.timeout(60_000);
  let deepl: DeepLTestServer;
  let database: TestDatabase;
  let child: ChildProcess | undefined;
  let service: Service | undefined;
  before(async () => {
    deepl = await startDeepLTestServer();
    database = await freshDatabase();
  });
  after(async () => {
    child?.kill('SIGKILL');
    await service?.close();
    await database?.close();
    await deepl?.close();
  });

  it('finishes every job exactly once and bills it once after a restart', async () => {
    const config = translationConfig(deepl, {
      audiences: [
        { id: 'en', language: 'en', provider: 'deepl', targetCode: 'EN-GB' },
        { id: 'fr', language: 'fr', provider: 'deepl', targetCode: 'FR' },
        { id: 'ja', language: 'ja', provider: 'deepl', targetCode: 'JA' },
      ],
      translation: { concurrency: 2, timeoutMs: 1000, retry: { baseDelayMs: 5, maxAttempts: 5 } },
    });
    const stories = [];
    for (let i = 0; i < 4; i++) stories.push(await insertStory(database.db, config.audiences, { title: `Tin số ${i}`, body_html: `<p>Đoạn ${i}.</p>` }));
    // each answer takes 400 ms: with 2 requests in flight, the kill lands in the middle of the work
    deepl.setLatency(400);

    child = spawn(process.execPath, ['--import', 'tsx', 'test/support/translate-worker.ts'], {
      env: { ...process.env, CONFIG_FILE: config.configFile, TEST_DB_URL: await testServerUrl(), TEST_DB_SCHEMA: database.schema, DEEPL_AUTH_KEY: 'test-key', DEEPL_SERVER_URL: deepl.url, PORT: '0', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child!.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('ready')) resolve(); });
      child!.on('exit', (code) => reject(new Error(`worker exited with ${code}`)));
    });
    // the start-up sweep sent the four stories; wait until some drafts are stored and more are in flight
    const stored = () => database.db.selectFrom('translations').select('id').where('state', '=', 'machine_translated').execute();
    while ((await stored()).length < 2) await new Promise((r) => setTimeout(r, 20));
    const killedAt = Date.now();
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    child = undefined;
    const storedBefore = (await stored()).length;
    expect(storedBefore, 'the kill came before the work was done').to.be.below(12);
    const inFlight = translateRequests(deepl).filter((r) => r.time < killedAt && r.time > killedAt - 400).length;
    expect(inFlight, 'requests were in flight when the worker died').to.be.greaterThan(0);

    deepl.setLatency(0);
    service = await startTestService(config, database);
    await service.settled();

    const translations = await database.db.selectFrom('translations').selectAll().execute();
    expect(translations).to.have.length(12);
    for (const t of translations) expect(t.state, `translation ${t.id}`).to.equal('machine_translated');
    const revisions = await database.db.selectFrom('revisions').select(['translation_id']).where('kind', '=', 'machine').execute();
    expect(revisions.map((r) => r.translation_id).sort()).to.deep.equal(translations.map((t) => t.id).sort());
    const events = await database.db.selectFrom('translation_events').select(['translation_id']).where('to_state', '=', 'machine_translated').execute();
    expect(events).to.have.length(12);

    // our ledger counts each stored draft once: what was billed for the answers that were stored
    const ledger = await database.db.selectFrom('translation_usage').selectAll().execute();
    const billedInLedger = ledger.reduce((s, u) => s + Number(u.billed_characters), 0);
    const perDraft = (i: number) => [...`Tin số ${i}`].length + [...`Đoạn ${i}.`].length;
    expect(billedInLedger).to.equal(3 * stories.reduce((s, _, i) => s + perDraft(i), 0));
    expect(deepl.billedCharacters - billedInLedger, 'only requests the dead process had in flight were billed without a draft')
      .to.be.at.most(inFlight * Math.max(...stories.map((_, i) => perDraft(i))));
  });
});
