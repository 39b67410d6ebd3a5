/**
 * VK end to end through vk-io against a local fake of VK's API (HTTPS, the fixture certificate):
 * a Russian translation is posted once to the community's wall, with its text within VK's length,
 * the card uploaded the way VK wants it and the link attached; an interrupted post is found on
 * the wall, not sent again; a takedown deletes it; VK's errors pause, break or fail as they should.
 */
import { expect } from 'chai';
import { vkLimit } from '../src/social/format/vk.ts';
import { communityId } from '../src/social/networks/vk.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { trustTestCertificate } from './support/social/fake.ts';
import { leadImage, postsOf, publicUrl, seedPublished, startSocial, testAudiences, TestClock, withdraw, type Harness } from './support/social/harness.ts';
import { startVkFake, type VkFake } from './support/social/vk.ts';
import { writeTestConfig } from './support/service.ts';

const summary = 'Премьер-министр Вьетнама провёл переговоры с делегацией Лаоса о торговле и инвестициях. ';

describe('VK', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let vk: VkFake;
  let harness: Harness;
  let untrust: () => void;
  const clock = new TestClock(new Date('2026-11-27T10:00:00Z'));

  before(async () => {
    untrust = trustTestCertificate();
    [database, vk] = await Promise.all([freshDatabase(), startVkFake()]);
    const config = writeTestConfig({
      audiences: [...testAudiences, { id: 'ru', language: 'ru', provider: 'manual', timeZone: 'Europe/Moscow' }],
      channels: [{ id: 'ru-vk', network: 'vk', audience: 'ru', server: vk.url, target: `club${vk.groupId}`, credentials: { accessToken: 'T_VK' }, hashtags: ['Вьетнам'] }],
      publishing: { publicUrl },
      social: { timeoutMs: 2000, sendingLeaseSeconds: 60, maxAttempts: 3, backoffSeconds: 30 },
    }, { T_VK: vk.token });
    harness = await startSocial(database.db, config, clock, { image: await leadImage() });
  });
  after(async () => {
    await harness?.social.stop();
    await vk?.close();
    await database?.close();
    untrust?.();
  });

  const publish = async (title: string, text = summary) => {
    const id = await seedPublished(database.db, { audience: 'ru', title, summary: text, priority: true, at: clock.now });
    await harness.social.onPublished(id);
    await harness.social.dispatchNow();
    return id;
  };

  it('posts a Russian translation once, as the community, with the card uploaded and the link attached', async () => {
    const id = await publish('Вьетнам и Лаос подписали соглашение');
    const [post] = await postsOf(database.db, id);
    expect(post).to.include({ status: 'sent', error: null });
    const link = `${publicUrl}/read/ru/${id}`;
    expect(vk.posts).to.have.length(1);
    const wall = vk.posts[0]!;
    expect(wall).to.include({ ownerId: -vk.groupId, fromGroup: true, guid: post!.idempotency_key });
    expect(wall.text).to.equal(`Вьетнам и Лаос подписали соглашение\n\n${summary.trim()}\n\nЧитайте полностью: ${link}\n\n#Вьетнам`);
    expect(wall.attachments).to.deep.equal([`photo-${vk.groupId}_${vk.photos[0]!.id}`, link]);
    expect(vk.photos[0]!.bytes).to.be.above(10_000).and.at.most(5 * 1024 * 1024);
    expect(vk.photos[0]!.caption).to.match(/Вьетнам и Лаос подписали соглашение/);
    expect(vk.requests.map((r) => r.path)).to.deep.equal(['/method/photos.getWallUploadServer', '/upload/wall', '/method/photos.saveWallPhoto', '/method/wall.post']);
    expect(post).to.include({ network_post_id: String(wall.id), network_url: `https://vk.com/wall-${vk.groupId}_${wall.id}` });

    await harness.social.onPublished(id); // published again (a correction): still one post
    await harness.social.dispatchNow();
    expect(vk.posts).to.have.length(1);
  });

  it('trims a long summary to VK\'s length, keeping the link whole', async () => {
    await publish('Длинная статья', summary.repeat(250));
    const wall = vk.posts.at(-1)!;
    expect(wall.text.length).to.be.at.most(vkLimit).and.above(vkLimit - 200);
    expect(wall.text).to.contain('…');
    expect(wall.text).to.match(/Читайте полностью: https:\/\/news\.example\.org\/read\/ru\/\d+/);
  });

  it('finds an interrupted post on the wall instead of posting it again', async () => {
    vk.afterHandling(/^POST \/method\/wall\.post$/, 'destroy'); // VK made the post; the answer never came
    const id = await publish('Прерванная публикация');
    let [post] = await postsOf(database.db, id);
    expect(post).to.include({ status: 'unknown', outcome_unknown: true });
    const made = vk.posts.filter((p) => p.text.startsWith('Прерванная публикация'));
    expect(made).to.have.length(1);
    clock.advance(10 * 60_000);
    await harness.social.dispatchNow();
    [post] = await postsOf(database.db, id);
    expect(post).to.include({ status: 'sent', network_post_id: String(made[0]!.id) });
    expect(vk.posts.filter((p) => p.text.startsWith('Прерванная публикация')), 'not sent twice').to.have.length(1);
  });

  it('deletes the post on takedown', async () => {
    const id = await publish('Статья будет снята');
    clock.advance(60_000);
    await withdraw(database.db, id, clock.now);
    await harness.social.onWithdrawn(id);
    await harness.social.dispatchNow();
    const [post] = await postsOf(database.db, id);
    expect(post!.removal).to.equal('removed');
    expect(vk.posts.find((p) => p.text.startsWith('Статья будет снята'))!.deleted).to.equal(true);
    expect(vk.requests.at(-1)!.path).to.equal('/method/wall.delete');
  });

  it('pauses on flood control, and marks the channel broken when the token is refused', async () => {
    vk.failMethod('wall.post', 9, 'Flood control');
    const id = await publish('Флуд-контроль');
    const [post] = await postsOf(database.db, id);
    expect(post).to.include({ status: 'scheduled', error_code: 'rate_limited' });
    const channel = await database.db.selectFrom('social_channels').selectAll().where('id', '=', 'ru-vk').executeTakeFirstOrThrow();
    expect(channel.paused_until!.getTime()).to.equal(clock.now.getTime() + 60_000);

    clock.advance(2 * 60_000);
    vk.failMethod('wall.post', 5, 'User authorization failed: invalid access_token (4).');
    await harness.social.dispatchNow();
    const after = await database.db.selectFrom('social_channels').selectAll().where('id', '=', 'ru-vk').executeTakeFirstOrThrow();
    expect(after.status).to.equal('broken');
    expect(harness.alerts.at(-1)).to.include({ code: 'channel_broken', channelId: 'ru-vk' });
  });

  it('reads the community from any of VK\'s spellings', () => {
    expect(['123', '-123', 'club123', 'public123'].map(communityId)).to.deep.equal([123, 123, 123, 123]);
    expect(() => communityId('@desk')).to.throw(/not a community id/);
  });
});
