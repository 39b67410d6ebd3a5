/**
 * Exactly once across a crash: a child process sends a post and is killed (SIGKILL) after the
 * network made it but before the outcome was recorded. After a restart the post is checked
 * against the channel (Mastodon: the account's statuses; Bluesky: the deterministic record key)
 * and recorded, never sent again; a network that cannot be asked (Telegram) leaves it to a person.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { freshDatabase, testServerUrl, type TestDatabase } from './support/database.ts';
import type { FakeServer } from './support/social/fake.ts';
import { postsOf, socialConfig, startSocial, TestClock } from './support/social/harness.ts';
import { startBlueskyFake } from './support/social/bluesky.ts';
import { startMastodonFake } from './support/social/mastodon.ts';
import { startTelegramFake } from './support/social/telegram.ts';
import { scratchDir } from './support/scratch.ts';

const now = new Date('2026-11-27T09:00:00Z');

async function crashWhileSending(database: TestDatabase, fake: FakeServer, postPath: RegExp, channels: unknown[], env: Record<string, string>, title: string): Promise<{ code: number | null; signal: string | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/social/crash-child.ts'], {
    env: {
      // the child is killed before it can clean up: its scratch folders go in one of ours
      ...process.env, TMPDIR: scratchDir('crash-child'), LOG_LEVEL: 'silent', CRASH_DATABASE_URL: await testServerUrl(), CRASH_SCHEMA: database.schema, CRASH_NOW: now.toISOString(),
      CRASH_CHANNELS: JSON.stringify(channels), CRASH_ENV: JSON.stringify(env), CRASH_TITLE: title,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  // the network has made the post; the client dies before it hears so
  fake.afterHandling(postPath, () => child.kill('SIGKILL'));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, output })));
}

describe('social posting across a crash', function () {
  this.timeout(90_000);
  let database: TestDatabase;
  beforeEach(async () => { database = await freshDatabase(); });
  afterEach(async () => { await database.close(); });

  it('Mastodon: the post found in the account is recorded, not posted twice', async () => {
    const mastodon = await startMastodonFake();
    const channels = [{ id: 'en-mastodon', network: 'mastodon', audience: 'en', server: mastodon.url, credentials: { accessToken: 'T_M' } }];
    const env = { T_M: mastodon.token };
    try {
      const exit = await crashWhileSending(database, mastodon, /^POST \/api\/v1\/statuses$/, channels, env, 'Killed mid-post');
      expect(exit.signal, exit.output).to.equal('SIGKILL');
      expect(mastodon.statuses).to.have.length(1);
      const [left] = await postsOf(database.db);
      expect([left!.status, left!.attempts]).to.deep.equal(['sending', 1]);

      const clock = new TestClock(new Date(now.getTime() + 30_000));
      const { social } = await startSocial(database.db, socialConfig(channels, env, { sendingLeaseSeconds: 60 }), clock);
      await social.dispatchNow();
      expect((await postsOf(database.db))[0]!.status, 'within the lease another instance may still be sending it').to.equal('sending');
      clock.advance(60_000);
      await social.dispatchNow();
      await social.dispatchNow();
      const [post] = await postsOf(database.db);
      expect([post!.status, post!.network_post_id, post!.outcome_unknown]).to.deep.equal(['sent', mastodon.statuses[0]!.id, false]);
      expect(mastodon.statuses).to.have.length(1);
      expect(mastodon.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/statuses')).to.have.length(1);
      await social.stop();
    } finally {
      await mastodon.close();
    }
  });

  it('Bluesky: the record at the post\'s own key is found, not created twice', async () => {
    const bluesky = await startBlueskyFake();
    const channels = [{ id: 'en-bluesky', network: 'bluesky', audience: 'en', server: bluesky.url, credentials: { identifier: 'T_ID', password: 'T_PW' } }];
    const env = { T_ID: 'desk-en.bsky.social', T_PW: 'app-password' };
    try {
      const exit = await crashWhileSending(database, bluesky, /createRecord$/, channels, env, 'Killed mid-post');
      expect(exit.signal, exit.output).to.equal('SIGKILL');
      expect(bluesky.records).to.have.length(1);
      const clock = new TestClock(new Date(now.getTime() + 120_000));
      const { social } = await startSocial(database.db, socialConfig(channels, env, { sendingLeaseSeconds: 60 }), clock);
      await social.dispatchNow();
      const [post] = await postsOf(database.db);
      expect([post!.status, post!.network_post_id]).to.deep.equal(['sent', bluesky.records[0]!.uri]);
      expect(bluesky.records).to.have.length(1);
      expect(bluesky.requests.filter((r) => r.path.endsWith('createRecord'))).to.have.length(1);
      await social.stop();
    } finally {
      await bluesky.close();
    }
  });

  it('Telegram (no way to ask): the post is left failed as outcome_unknown, not sent again', async () => {
    const telegram = await startTelegramFake();
    const channels = [{ id: 'en-telegram', network: 'telegram', audience: 'en', server: telegram.url, target: '@desk_en', credentials: { botToken: 'T_TG' } }];
    const env = { T_TG: '123456:telegram-test-token' };
    try {
      const exit = await crashWhileSending(database, telegram, /sendMessage$/, channels, env, 'Killed mid-post');
      expect(exit.signal, exit.output).to.equal('SIGKILL');
      const clock = new TestClock(new Date(now.getTime() + 120_000));
      const { social } = await startSocial(database.db, socialConfig(channels, env, { sendingLeaseSeconds: 60 }), clock);
      await social.dispatchNow();
      await social.dispatchNow();
      const [post] = await postsOf(database.db);
      expect([post!.status, post!.error_code]).to.deep.equal(['failed', 'outcome_unknown']);
      expect(telegram.messages).to.have.length(1);
      await social.stop();
    } finally {
      await telegram.close();
    }
  });
});
