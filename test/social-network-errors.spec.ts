/**
 * Each network's own way of saying "slow down", "try later" and "not allowed" — Mastodon's
 * Retry-After, Bluesky's ratelimit-reset, X's x-rate-limit-reset, Telegram's retry_after, the
 * Graph API's error codes — read through the real client and sorted into the same outcomes.
 */
import { expect } from 'chai';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { startBlueskyFake } from './support/social/bluesky.ts';
import { trustTestCertificate, type Answer, type FakeServer } from './support/social/fake.ts';
import { startFacebookFake } from './support/social/facebook.ts';
import { postsOf, seedPublished, socialConfig, startSocial, TestClock } from './support/social/harness.ts';
import { startMastodonFake } from './support/social/mastodon.ts';
import { startTelegramFake } from './support/social/telegram.ts';
import { startWebhookFake } from './support/social/webhook.ts';
import { startXFake } from './support/social/x.ts';

interface Case {
  network: string;
  start(): Promise<FakeServer>;
  channel(url: string): Record<string, unknown>;
  env: Record<string, string>;
  post: RegExp;
  /** Built when the test runs: absolute reset times are counted from then. */
  rateLimited(): Answer;
  /** The pause the answer asks for, in seconds (approximately for absolute reset times). */
  pause: number;
  unavailable: Answer;
  refused: Answer;
  /** Further answers for the refusal to stick (a client that first tries to refresh its session). */
  refusedToo?: [RegExp, Answer][];
}

const epoch = (secondsFromNow: number) => String(Math.floor(Date.now() / 1000) + secondsFromNow);

const cases: Case[] = [
  {
    network: 'mastodon', start: () => startMastodonFake(), env: { T: 'mastodon-test-token' }, post: /^POST \/api\/v1\/statuses$/,
    channel: (url) => ({ server: url, credentials: { accessToken: 'T' } }),
    rateLimited: () => ({ status: 429, body: { error: 'Too many requests' }, headers: { 'retry-after': '90' } }), pause: 90,
    unavailable: { status: 503, body: { error: 'unavailable' } }, refused: { status: 403, body: { error: 'This action is not allowed' } },
  },
  {
    network: 'bluesky', start: () => startBlueskyFake(), env: { I: 'desk-en.bsky.social', P: 'app-password' }, post: /createRecord$/,
    channel: (url) => ({ server: url, credentials: { identifier: 'I', password: 'P' } }),
    rateLimited: () => ({ status: 429, body: { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' }, headers: { 'ratelimit-limit': '5000', 'ratelimit-remaining': '0', 'ratelimit-reset': epoch(300) } }), pause: 300,
    unavailable: { status: 502, body: { error: 'UpstreamFailure', message: 'bad gateway' } }, refused: { status: 401, body: { error: 'AuthMissing', message: 'Authentication Required' } },
    // the agent answers a 401 by refreshing the session; a revoked app password fails that too
    refusedToo: [[/refreshSession$/, { status: 400, body: { error: 'ExpiredToken', message: 'Token has been revoked' } }]],
  },
  {
    network: 'x', start: () => startXFake(), env: { T: 'x-test-token' }, post: /^POST \/2\/tweets$/,
    channel: (url) => ({ server: url, credentials: { accessToken: 'T' } }),
    rateLimited: () => ({ status: 429, body: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 }, headers: { 'x-rate-limit-limit': '100', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': epoch(600) } }), pause: 600,
    unavailable: { status: 503, body: { title: 'Service Unavailable', detail: 'Service Unavailable', type: 'about:blank', status: 503 } },
    refused: { status: 401, body: { title: 'Unauthorized', detail: 'Unauthorized', type: 'about:blank', status: 401 } },
  },
  {
    network: 'telegram', start: () => startTelegramFake(), env: { T: '123456:telegram-test-token' }, post: /sendMessage$/,
    channel: (url) => ({ server: url, target: '@desk_en', credentials: { botToken: 'T' } }),
    rateLimited: () => ({ status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 42', parameters: { retry_after: 42 } } }), pause: 42,
    unavailable: { status: 502, body: 'Bad Gateway' }, refused: { status: 403, body: { ok: false, error_code: 403, description: 'Forbidden: bot was kicked from the channel chat' } },
  },
  {
    network: 'facebook_page', start: () => startFacebookFake(), env: { T: 'fb-page-token' }, post: /\/feed$/,
    channel: (url) => ({ server: `${url}/v21.0`, target: '1029384756', credentials: { pageAccessToken: 'T' } }),
    rateLimited: () => ({ status: 400, body: { error: { message: '(#32) Page request limit reached', type: 'OAuthException', code: 32 } } }), pause: 900,
    unavailable: { status: 500, body: { error: { message: 'An unknown error has occurred.', type: 'OAuthException', code: 1 } } },
    refused: { status: 400, body: { error: { message: 'Error validating access token: Session has expired', type: 'OAuthException', code: 190 } } },
  },
  {
    network: 'webhook', start: () => startWebhookFake(), env: {}, post: /^POST \/hook$/,
    channel: (url) => ({ server: `${url}/hook` }),
    rateLimited: () => ({ status: 429, body: 'slow down', headers: { 'retry-after': '30' } }), pause: 30,
    unavailable: { status: 503, body: 'maintenance' }, refused: { status: 401, body: 'who are you' },
  },
];

describe('each network\'s errors, through its client', function () {
  this.timeout(60_000);
  let untrust: () => void;
  before(() => { untrust = trustTestCertificate(); });
  after(() => untrust());

  for (const c of cases) {
    it(`${c.network}: 429 pauses the channel as told, 5xx backs off, 401/403 breaks the channel`, async () => {
      const database: TestDatabase = await freshDatabase();
      const fake = await c.start();
      const clock = new TestClock(new Date('2026-11-27T09:00:00Z'));
      const { social, alerts } = await startSocial(database.db, socialConfig([{ id: 'ch', network: c.network, audience: 'en', ...c.channel(fake.url) }], c.env, { backoffSeconds: 10, maxAttempts: 5 }), clock);
      try {
        const id = await seedPublished(database.db, { audience: 'en', title: `Errors on ${c.network}`, priority: true, at: clock.now });
        const post = async () => (await postsOf(database.db, id))[0]!;
        const channel = () => database.db.selectFrom('social_channels').selectAll().where('id', '=', 'ch').executeTakeFirstOrThrow();

        fake.fail(c.post, c.rateLimited());
        await social.onPublished(id);
        await social.dispatchNow();
        const paused = (await channel()).paused_until!.getTime() - clock.now.getTime();
        expect(paused / 1000, 'the pause the network asked for').to.be.within(c.pause - 5, c.pause + 1);
        expect([(await post()).status, (await post()).error_code]).to.deep.equal(['scheduled', 'rate_limited']);

        clock.advance(paused);
        fake.fail(c.post, c.unavailable);
        await social.dispatchNow();
        const retry = await post();
        expect([retry.status, retry.error_code, retry.attempts]).to.deep.equal(['scheduled', 'transient', 1]);
        expect(retry.next_attempt_at!.getTime() - clock.now.getTime()).to.equal(10_000);

        clock.advance(10_000);
        fake.fail(c.post, c.refused);
        for (const [match, answer] of c.refusedToo ?? []) fake.fail(match, answer);
        await social.dispatchNow();
        expect((await channel()).status).to.equal('broken');
        expect(alerts.map((a) => a.code)).to.deep.equal(['channel_broken']);
        expect((await post()).status, 'the post waits for the channel').to.equal('scheduled');
      } finally {
        await social.stop();
        await fake.close();
        await database.close();
      }
    });
  }
});
