/**
 * Each network end to end through its real client (masto, @atproto/api, twitter-api-v2, fetch)
 * against a local fake of its API: a published translation becomes one well-formed post, its id
 * and URL are recorded, and a takedown deletes it.
 */
import { expect } from 'chai';
import sharp from 'sharp';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { leadImage, postsOf, seedPublished, socialConfig, startSocial, TestClock, withdraw, type Harness } from './support/social/harness.ts';
import { startBlueskyFake, type BlueskyFake } from './support/social/bluesky.ts';
import { startFacebookFake, type FacebookFake } from './support/social/facebook.ts';
import { startMastodonFake, type MastodonFake } from './support/social/mastodon.ts';
import { startTelegramFake, type TelegramFake } from './support/social/telegram.ts';
import { startWebhookFake, type WebhookFake } from './support/social/webhook.ts';
import { startXFake, type XFake } from './support/social/x.ts';
import { trustTestCertificate } from './support/social/fake.ts';
import { mastodonLength } from '../src/social/format/mastodon.ts';

const vietnameseSummary = 'Thủ tướng chủ trì hội nghị về phát triển kinh tế số và chuyển đổi xanh tại Hà Nội, với sự tham dự của nhiều bộ ngành và địa phương trên cả nước. '.repeat(6);

describe('social networks through their clients', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let mastodon: MastodonFake;
  let bluesky: BlueskyFake;
  let x: XFake;
  let telegram: TelegramFake;
  let facebook: FacebookFake;
  let webhook: WebhookFake;
  let harness: Harness;
  const clock = new TestClock(new Date('2026-11-27T10:00:00Z'));
  let image: Buffer;
  let untrust: () => void;

  before(async () => {
    untrust = trustTestCertificate();
    database = await freshDatabase();
    [mastodon, bluesky, x, telegram, facebook, webhook, image] = await Promise.all([
      startMastodonFake(), startBlueskyFake(), startXFake(), startTelegramFake(), startFacebookFake(), startWebhookFake(), leadImage(),
    ]);
    const config = socialConfig([
      { id: 'mastodon-vi', network: 'mastodon', audience: 'vi', server: mastodon.url, credentials: { accessToken: 'T_MASTODON' }, hashtags: ['ViệtNam'] },
      { id: 'bluesky-vi', network: 'bluesky', audience: 'vi', server: bluesky.url, credentials: { identifier: 'T_BSKY_ID', password: 'T_BSKY_PW' }, hashtags: ['ViệtNam'] },
      { id: 'x-vi', network: 'x', audience: 'vi', server: x.url, credentials: { accessToken: 'T_X' } },
      { id: 'telegram-vi', network: 'telegram', audience: 'vi', server: telegram.url, target: '@desk_vi', credentials: { botToken: 'T_TG' } },
      { id: 'facebook-vi', network: 'facebook_page', audience: 'vi', server: `${facebook.url}/v21.0`, target: '1029384756', credentials: { pageAccessToken: 'T_FB' } },
      { id: 'webhook-vi', network: 'webhook', audience: 'vi', server: `${webhook.url}/hook`, credentials: { secret: 'T_HOOK' } },
    ], {
      T_MASTODON: mastodon.token, T_BSKY_ID: 'desk-en.bsky.social', T_BSKY_PW: 'app-password', T_X: 'x-test-token',
      T_TG: '123456:telegram-test-token', T_FB: 'fb-page-token', T_HOOK: 'hook-secret',
    });
    harness = await startSocial(database.db, config, clock, { image });
  });
  after(async () => {
    await harness?.social.stop();
    await Promise.all([mastodon, bluesky, x, telegram, facebook, webhook].map((f) => f?.close()));
    await database?.close();
    untrust?.();
  });

  it('posts one priority story to all six channels at once, each in its own shape', async () => {
    const id = await seedPublished(database.db, { audience: 'vi', title: 'Hội nghị về kinh tế số & chuyển đổi <xanh>', summary: vietnameseSummary, priority: true, at: clock.now });
    await harness.social.onPublished(id);
    await harness.social.dispatchNow();
    const posts = await postsOf(database.db, id);
    expect(posts.filter((p) => p.error).map((p) => p.error)).to.deep.equal([]);
    expect(posts.map((p) => [p.channel_id, p.status]).sort()).to.deep.equal(
      ['bluesky-vi', 'facebook-vi', 'mastodon-vi', 'telegram-vi', 'webhook-vi', 'x-vi'].map((c) => [c, 'sent']),
    );
    const link = `https://news.example.org/read/vi/${id}`;

    expect(mastodon.statuses).to.have.length(1);
    const status = mastodon.statuses[0]!;
    expect(status.idempotencyKey).to.equal(posts.find((p) => p.channel_id === 'mastodon-vi')!.idempotency_key);
    expect(status.content).to.contain(link).and.to.contain('#ViệtNam').and.to.contain('Đọc toàn bài');
    expect(status.mediaIds).to.have.length(1);
    expect(mastodon.media[0]!.description).to.equal('Ảnh minh họa cho bài: Hội nghị về kinh tế số & chuyển đổi <xanh>');

    const record = bluesky.records[0]!;
    expect([...new Intl.Segmenter().segment(record.value.text)].length).to.be.at.most(300);
    expect(record.value.langs).to.deep.equal(['vi']);
    expect(record.value.embed.external.uri).to.equal(link);
    expect(record.value.embed.external.thumb.ref.$link).to.equal(bluesky.blobs[0]!.cid);
    expect(bluesky.blobs[0]!.size).to.be.at.most(1_000_000);
    const bsky = posts.find((p) => p.channel_id === 'bluesky-vi')!;
    expect(bsky.network_post_id).to.equal(record.uri);
    expect(bsky.network_url).to.equal(`https://bsky.app/profile/desk-en.bsky.social/post/${record.rkey}`);

    expect(x.tweets).to.have.length(1);
    expect(x.tweets[0]!.mediaIds).to.deep.equal([x.media[0]!.id]);
    expect(x.media[0]!.altText).to.match(/^Ảnh minh họa cho bài/);
    expect(posts.find((p) => p.channel_id === 'x-vi')!.network_url).to.equal(`https://x.com/i/web/status/${x.tweets[0]!.id}`);

    const message = telegram.messages[0]!;
    expect(message.chatId).to.equal('@desk_vi');
    expect(message.photoBytes, 'sent as a photo with a caption').to.be.above(0);
    expect(message.visible.length).to.be.at.most(1024);
    expect(message.html).to.contain('<b>Hội nghị về kinh tế số &amp; chuyển đổi &lt;xanh&gt;</b>');
    expect(posts.find((p) => p.channel_id === 'telegram-vi')!.network_url).to.equal(`https://t.me/desk_en/${message.messageId}`);

    expect(facebook.posts[0]).to.include({ link });
    expect(facebook.posts[0]!.message).to.contain('Hội nghị');

    const delivery = webhook.deliveries[0]!;
    expect(delivery.body).to.include({ event: 'post.published', url: link, language: 'vi', channel: 'webhook-vi' });
    expect(delivery.key).to.equal(posts.find((p) => p.channel_id === 'webhook-vi')!.idempotency_key);
    expect(delivery.signature).to.match(/^sha256=[0-9a-f]{64}$/);
  });

  it('keeps one Bluesky session across posts and refreshes an expired one instead of logging in again', async () => {
    const before = bluesky.sessionsCreated;
    bluesky.expireAccess();
    const id = await seedPublished(database.db, { audience: 'vi', title: 'Tin thứ hai', priority: true, at: clock.now });
    await harness.social.onPublished(id);
    await harness.social.dispatchNow();
    expect(bluesky.records.filter((r) => r.value.text.startsWith('Tin thứ hai'))).to.have.length(1);
    expect(bluesky.sessionsCreated).to.equal(before);
    expect(bluesky.requests.some((r) => r.path.endsWith('com.atproto.server.refreshSession'))).to.equal(true);
  });

  it('takes a withdrawn translation down everywhere the network allows, and records it', async () => {
    const id = await seedPublished(database.db, { audience: 'vi', title: 'Tin sẽ bị gỡ', priority: true, at: clock.now });
    await harness.social.onPublished(id);
    await harness.social.dispatchNow();
    expect((await postsOf(database.db, id)).every((p) => p.status === 'sent')).to.equal(true);
    clock.advance(60_000);
    await withdraw(database.db, id, clock.now);
    await harness.social.onWithdrawn(id);
    await harness.social.dispatchNow();
    const posts = await postsOf(database.db, id);
    expect(posts.map((p) => p.removal)).to.deep.equal(posts.map(() => 'removed'));
    expect(posts.every((p) => p.removed_at?.getTime() === clock.now.getTime())).to.equal(true);
    expect(mastodon.statuses.find((s) => s.content.includes('Tin sẽ bị gỡ'))!.deleted).to.equal(true);
    expect(bluesky.records.find((r) => r.value.text.startsWith('Tin sẽ bị gỡ'))!.deleted).to.equal(true);
    expect(x.tweets.find((t) => t.text.startsWith('Tin sẽ bị gỡ'))!.deleted).to.equal(true);
    expect(telegram.messages.find((m) => m.visible.startsWith('Tin sẽ bị gỡ'))!.deleted).to.equal(true);
    expect(facebook.posts.find((p) => p.message.startsWith('Tin sẽ bị gỡ'))!.deleted).to.equal(true);
    expect(webhook.deliveries.at(-1)!.body).to.include({ event: 'post.removed' });
  });

  it('cuts image cards to each network\'s size and under its byte limit', async () => {
    const { makeCard } = await import('../src/social/image.ts');
    const bsky = await makeCard(image, { width: 1200, height: 630, maxBytes: 1_000_000 }, 'alt');
    expect(bsky.bytes.length).to.be.at.most(1_000_000);
    const meta = await sharp(bsky.bytes).metadata();
    expect([meta.width, meta.height, meta.format]).to.deep.equal([1200, 630, 'jpeg']);
    const tight = await makeCard(image, { width: 1200, height: 630, maxBytes: 60_000 }, 'alt');
    expect(tight.bytes.length, 'quality, then size, steps down until it fits').to.be.at.most(60_000);
  });
});

describe('a Mastodon instance with its own post limit', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let harness: Harness;
  const fakes: MastodonFake[] = [];
  const clock = new TestClock(new Date('2026-11-27T10:00:00Z'));
  const summary = vietnameseSummary.repeat(2); // about 1,800 characters
  before(async () => {
    database = await freshDatabase();
    fakes.push(await startMastodonFake('wide-token', { maxCharacters: 1000 }), await startMastodonFake('narrow-token'));
    const [wide, narrow] = fakes;
    const config = socialConfig([
      { id: 'wide-vi', network: 'mastodon', audience: 'vi', server: wide!.url, credentials: { accessToken: 'T_WIDE' }, maxCharacters: 1000 },
      { id: 'narrow-vi', network: 'mastodon', audience: 'vi', server: narrow!.url, credentials: { accessToken: 'T_NARROW' } },
    ], { T_WIDE: 'wide-token', T_NARROW: 'narrow-token' });
    harness = await startSocial(database.db, config, clock, { image: null });
  });
  after(async () => {
    await harness?.social.stop();
    await Promise.all(fakes.map((f) => f.close()));
    await database?.close();
  });

  it('fills the instance\'s limit where the channel names it, and 500 elsewhere', async () => {
    const id = await seedPublished(database.db, { audience: 'vi', title: 'Hội nghị kinh tế số', summary, priority: true, at: clock.now });
    await harness.social.onPublished(id);
    await harness.social.dispatchNow();
    expect((await postsOf(database.db, id)).map((p) => [p.channel_id, p.status, p.error]).sort()).to.deep.equal([['narrow-vi', 'sent', null], ['wide-vi', 'sent', null]]);
    const length = (f: MastodonFake) => mastodonLength(f.statuses[0]!.text);
    expect(length(fakes[0]!)).to.be.above(900).and.at.most(1000);
    expect(length(fakes[1]!)).to.be.above(450).and.at.most(500);
  });
});
