/**
 * The quota episode, as the running service lives it (jobs on pg-boss, deepl-node against the
 * DeepL test server): a 456 parks the work and alerts once; the check resumes only when what is
 * left of the quota holds the waiting work, or after a real reset.
 */
import { expect } from 'chai';
import type { Config } from '../src/config.ts';
import { startService } from '../src/service.ts';
import { jobPriority, TRANSLATE_STORY } from '../src/translate/translate-story.job.ts';
import { useDeepLService } from './support/deepl-service.ts';
import { capturingLogger } from './support/logger.ts';
import { writeTestConfig } from './support/service.ts';
import { insertStory, translateRequests } from './support/translate.ts';
import { eventually } from './support/wait.ts';

describe('quota episodes', function () {
  this.timeout(30_000);
  let logs: ReturnType<typeof capturingLogger>;
  const rig = useDeepLService();
  beforeEach(() => {
    logs = capturingLogger('info');
  });

  const config = (): Config => writeTestConfig({
    audiences: [{ id: 'en', language: 'en', provider: 'deepl', targetCode: 'EN-GB' }],
    translation: { concurrency: 2, timeoutMs: 1000, retry: { baseDelayMs: 5, maxAttempts: 4 }, quotaCheckSeconds: 1 },
  }, { DEEPL_AUTH_KEY: 'test-key', DEEPL_SERVER_URL: rig.deepl.url });
  const send = (storyId: number) => rig.service!.jobs.send(TRANSLATE_STORY, { storyId, priority: false }, { priority: jobPriority(false) });
  const stateOf = async (storyId: number) => (await rig.database.db.selectFrom('translations').selectAll().where('story_id', '=', storyId).executeTakeFirstOrThrow());
  const usageChecks = () => rig.deepl.requests.filter((r) => r.path === '/v2/usage').length;
  const alerts = () => logs.lines.filter((l) => l.alert === 'translation_quota_exhausted');
  const refused = () => translateRequests(rig.deepl).filter((r) => r.status === 456).length;

  /** 90 of 100 characters used, then a 50-character story that does not fit. */
  async function exhaust(cfg: Config) {
    rig.deepl.setCharacterLimit(100);
    rig.service = await startService(cfg, logs.log, { schedule: false, database: rig.database });
    const first = await insertStory(rig.database.db, cfg.audiences, { title: 'Tin'.padEnd(90, '.') });
    await send(first.id);
    await eventually('the first draft', async () => (await stateOf(first.id)).state === 'machine_translated');
    const waiting = await insertStory(rig.database.db, cfg.audiences, { title: 'Tin'.padEnd(50, '!') });
    await send(waiting.id);
    await eventually('the story parked', async () => (await stateOf(waiting.id)).mt_waiting === 'quota');
    return waiting;
  }

  it('stays parked while the quota left cannot hold the waiting work, alerting once', async () => {
    const cfg = config();
    const waiting = await exhaust(cfg);
    const checks = usageChecks();
    await eventually('three quota checks', async () => usageChecks() >= checks + 3, { timeoutMs: 10_000 });
    expect(refused(), 'the parked story was not sent again into the same wall').to.equal(1);
    expect(alerts(), 'one alert for the episode').to.have.length(1);
    expect(await stateOf(waiting.id)).to.include({ state: 'queued', mt_waiting: 'quota' });
    const [state] = await rig.database.db.selectFrom('translation_provider_state').selectAll().execute();
    expect(state).to.include({ character_count: '90', character_limit: '100' });

    rig.deepl.setCharacterLimit(200); // the cap is raised: 110 left holds the 50 waiting
    await eventually('the parked draft', async () => (await stateOf(waiting.id)).state === 'machine_translated', { timeoutMs: 10_000 });
    expect(alerts()).to.have.length(1);
    const [after] = await rig.database.db.selectFrom('translation_provider_state').selectAll().execute();
    expect(after).to.include({ quota_exhausted_since: null, quota_alerted_at: null });
  });

  it('resumes after a real reset (the count went down), and a later exhaustion alerts again', async () => {
    const cfg = config();
    const waiting = await exhaust(cfg);
    const checks = usageChecks();
    await eventually('a quota check', async () => usageChecks() >= checks + 1, { timeoutMs: 10_000 });
    rig.deepl.startNewPeriod();
    await eventually('the parked draft', async () => (await stateOf(waiting.id)).state === 'machine_translated', { timeoutMs: 10_000 });

    const next = await insertStory(rig.database.db, cfg.audiences, { title: 'Tin'.padEnd(80, '?') });
    await send(next.id);
    await eventually('parked again', async () => (await stateOf(next.id)).mt_waiting === 'quota');
    expect(alerts(), 'a new episode, a new alert').to.have.length(2);
  });
});
