/**
 * A channel answering 429, 503 and 401, a request that never answers, and a connection cut after
 * the post was made: each is handled as the network asked (wait, back off, stop and alert, ask
 * before retrying), and never holds up another channel.
 */
import { expect } from 'chai';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { postsOf, seedPublished, socialConfig, startSocial, TestClock, withdraw, type Harness } from './support/social/harness.ts';
import { startMastodonFake, type MastodonFake } from './support/social/mastodon.ts';
import { startTelegramFake, type TelegramFake } from './support/social/telegram.ts';
import { startWebhookFake, type WebhookFake } from './support/social/webhook.ts';
import { resume } from '../src/social/control.ts';
import { createI18n } from '../src/i18n.ts';

const statuses = /^POST \/api\/v1\/statuses$/;

describe('social failures', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let mastodon: MastodonFake;
  let telegram: TelegramFake;
  let hook: WebhookFake;
  let harness: Harness;
  let clock: TestClock;

  beforeEach(async () => {
    database = await freshDatabase();
    [mastodon, telegram, hook] = await Promise.all([startMastodonFake(), startTelegramFake(), startWebhookFake()]);
    clock = new TestClock(new Date('2026-11-27T09:00:00Z'));
    harness = await startSocial(database.db, socialConfig([
      { id: 'en-mastodon', network: 'mastodon', audience: 'en', server: mastodon.url, credentials: { accessToken: 'T_M' } },
      { id: 'en-telegram', network: 'telegram', audience: 'en', server: telegram.url, target: '@desk_en', credentials: { botToken: 'T_TG' } },
      { id: 'en-hook', network: 'webhook', audience: 'en', server: `${hook.url}/hook` },
    ], { T_M: mastodon.token, T_TG: '123456:telegram-test-token' }, { timeoutMs: 500, maxAttempts: 3, backoffSeconds: 30 }), clock);
  });
  afterEach(async () => {
    await harness.social.stop();
    await Promise.all([mastodon.close(), telegram.close(), hook.close()]);
    await database.close();
  });

  async function publishPriority(title: string) {
    const id = await seedPublished(database.db, { audience: 'en', title, priority: true, at: clock.now });
    await harness.social.onPublished(id);
    await harness.social.dispatchNow();
    return id;
  }
  const post = async (id: number, channel: string) => (await postsOf(database.db, id)).find((p) => p.channel_id === channel)!;
  const channelRow = (id: string) => database.db.selectFrom('social_channels').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('429: pauses the channel for Retry-After, then posts; the other channels are not held up', async () => {
    mastodon.fail(statuses, { status: 429, body: { error: 'Too many requests' }, headers: { 'retry-after': '120' } });
    const id = await publishPriority('Rate limited');
    expect(hook.deliveries, 'the webhook channel posted meanwhile').to.have.length(1);
    expect(telegram.messages).to.have.length(1);
    const waiting = await post(id, 'en-mastodon');
    expect(waiting.status).to.equal('scheduled');
    expect(waiting.error_code).to.equal('rate_limited');
    expect(waiting.attempts, 'a 429 does not use up an attempt').to.equal(0);
    expect((await channelRow('en-mastodon')).paused_until!.toISOString()).to.equal('2026-11-27T09:02:00.000Z');

    clock.advance(60_000);
    await harness.social.dispatchNow();
    expect(mastodon.statuses, 'still paused after 60 s').to.have.length(0);
    clock.advance(61_000);
    await harness.social.dispatchNow();
    expect(mastodon.statuses).to.have.length(1);
    expect((await post(id, 'en-mastodon')).status).to.equal('sent');
  });

  it('503: backs off exponentially, and fails the post after maxAttempts', async () => {
    mastodon.fail(statuses, ...Array.from({ length: 3 }, () => ({ status: 503, body: { error: 'Service unavailable' } })));
    const id = await publishPriority('Unavailable');
    let p = await post(id, 'en-mastodon');
    expect([p.status, p.attempts, p.next_attempt_at!.toISOString()]).to.deep.equal(['scheduled', 1, '2026-11-27T09:00:30.000Z']);
    clock.advance(30_000);
    await harness.social.dispatchNow();
    p = await post(id, 'en-mastodon');
    expect([p.status, p.attempts, p.next_attempt_at!.toISOString()]).to.deep.equal(['scheduled', 2, '2026-11-27T09:01:30.000Z']);
    clock.advance(30_000);
    await harness.social.dispatchNow();
    expect(mastodon.requests.filter((r) => statuses.test(`${r.method} ${r.path}`)), 'not before its backoff').to.have.length(2);
    clock.advance(30_000);
    await harness.social.dispatchNow();
    p = await post(id, 'en-mastodon');
    expect([p.status, p.error_code]).to.deep.equal(['failed', 'gave_up']);
    expect(p.error).to.match(/503.*after 3 attempts/);
  });

  it('401: marks the channel broken, alerts once, its posts wait; after a fix they go out', async () => {
    mastodon.fail(statuses, { status: 401, body: { error: 'The access token is invalid' } });
    const first = await publishPriority('Refused one');
    const second = await publishPriority('Refused two');
    expect(hook.deliveries.map((d) => d.body.title)).to.deep.equal(['Refused one', 'Refused two']);
    const row = await channelRow('en-mastodon');
    expect(row.status).to.equal('broken');
    expect(row.status_reason).to.match(/401/);
    expect(harness.alerts.map((a) => [a.code, a.channelId])).to.deep.equal([['channel_broken', 'en-mastodon']]);
    for (const id of [first, second]) expect((await post(id, 'en-mastodon')).status).to.equal('scheduled');
    expect(mastodon.requests.filter((r) => statuses.test(`${r.method} ${r.path}`)), 'the broken channel is left alone').to.have.length(1);

    const i18n = await createI18n('locales');
    await resume({ db: database.db, i18n, publicUrl: 'https://news.example.org', clock: clock.read, channels: harness.social.channels, wake: () => {} }, 'en-mastodon');
    await harness.social.dispatchNow();
    expect(mastodon.statuses.map((s) => s.content.match(/<p>(.*?)<\/p>/)![1])).to.deep.equal(['Refused one', 'Refused two']);
  });

  it('a request that never answers: asks Mastodon before retrying, and finds the post there', async () => {
    mastodon.afterHandling(statuses, 'hang');
    const id = await publishPriority('Slow answer');
    let p = await post(id, 'en-mastodon');
    expect([p.status, p.outcome_unknown, p.error_code]).to.deep.equal(['unknown', true, 'unknown_outcome']);
    expect(mastodon.statuses, 'the post did reach the server').to.have.length(1);
    clock.advance(30_000);
    await harness.social.dispatchNow();
    p = await post(id, 'en-mastodon');
    expect([p.status, p.network_post_id]).to.deep.equal(['sent', mastodon.statuses[0]!.id]);
    expect(mastodon.requests.filter((r) => statuses.test(`${r.method} ${r.path}`)), 'no second POST').to.have.length(1);
  });

  it('a post whose outcome was unknown when its translation was withdrawn: found, recorded, then deleted', async () => {
    mastodon.afterHandling(statuses, 'hang');
    const id = await publishPriority('Withdrawn while unknown');
    expect((await post(id, 'en-mastodon')).status).to.equal('unknown');
    await withdraw(database.db, id, clock.now);
    await harness.social.onWithdrawn(id);
    clock.advance(30_000);
    await harness.social.dispatchNow();
    await harness.social.dispatchNow();
    const p = await post(id, 'en-mastodon');
    expect([p.status, p.removal]).to.deep.equal(['sent', 'removed']);
    expect(mastodon.statuses.map((s) => s.deleted)).to.deep.equal([true]);
    expect(mastodon.requests.filter((r) => statuses.test(`${r.method} ${r.path}`)), 'never posted again').to.have.length(1);
  });

  it('a connection cut after Telegram posted: no blind retry; the post waits for a person', async () => {
    telegram.afterHandling(/sendMessage$/, 'destroy');
    const id = await publishPriority('Cut off');
    expect(telegram.messages).to.have.length(1);
    clock.advance(30_000);
    await harness.social.dispatchNow();
    const p = await post(id, 'en-telegram');
    expect([p.status, p.error_code]).to.deep.equal(['failed', 'outcome_unknown']);
    expect(telegram.messages, 'not sent twice').to.have.length(1);
  });
});
