/**
 * An official answer to a false claim on the social networks, through the real clients (masto,
 * @atproto/api, twitter-api-v2) against the local fakes: a reply to the post that carried the
 * false claim where the network allows it (Mastodon in_reply_to_id found from the post's address;
 * Bluesky a reply record with strong refs to the post and its thread's root), and elsewhere a post
 * of its own naming the false claim's address.
 */
import { expect } from 'chai';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { postsOf, seedPublished, socialConfig, startSocial, TestClock, type Harness } from './support/social/harness.ts';
import { startBlueskyFake, type BlueskyFake } from './support/social/bluesky.ts';
import { startMastodonFake, type MastodonFake } from './support/social/mastodon.ts';
import { startXFake, type XFake } from './support/social/x.ts';
import { trustTestCertificate } from './support/social/fake.ts';

describe('answers to false claims posted as replies', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let mastodon: MastodonFake;
  let bluesky: BlueskyFake;
  let x: XFake;
  let harness: Harness;
  const clock = new TestClock(new Date('2026-12-01T10:00:00Z'));
  let untrust: () => void;

  before(async () => {
    untrust = trustTestCertificate();
    database = await freshDatabase();
    [mastodon, bluesky, x] = await Promise.all([startMastodonFake(), startBlueskyFake(), startXFake()]);
    const config = socialConfig([
      { id: 'mastodon-en', network: 'mastodon', audience: 'en', server: mastodon.url, credentials: { accessToken: 'T_MASTODON' } },
      { id: 'bluesky-en', network: 'bluesky', audience: 'en', server: bluesky.url, credentials: { identifier: 'T_BSKY_ID', password: 'T_BSKY_PW' } },
      { id: 'x-en', network: 'x', audience: 'en', server: x.url, credentials: { accessToken: 'T_X' } },
    ], { T_MASTODON: mastodon.token, T_BSKY_ID: 'desk-en.bsky.social', T_BSKY_PW: 'app-password', T_X: 'x-test-token' });
    harness = await startSocial(database.db, config, clock);
  });
  after(async () => {
    await harness?.social.stop();
    await Promise.all([mastodon, bluesky, x].map((f) => f?.close()));
    await database?.close();
    untrust?.();
  });

  /** A published answer whose false claim appeared at these places. */
  async function answer(title: string, appearances: { url: string; network?: string; postRef?: string; at: string }[]): Promise<number> {
    const translationId = await seedPublished(database.db, { audience: 'en', title, priority: true, at: clock.now });
    const { story_id } = await database.db.selectFrom('translations').select('story_id').where('id', '=', translationId).executeTakeFirstOrThrow();
    const claim = await database.db.insertInto('false_claims').values({
      text: 'Một con đập bị vỡ.', rating: 'false', status: 'answered', deadline_at: clock.now, created_by: 'lan', answer_story_id: story_id,
    }).returning('id').executeTakeFirstOrThrow();
    await database.db.insertInto('false_claim_appearances').values(appearances.map((a) => ({
      false_claim_id: claim.id, url: a.url, outlet: 'someone', language: 'en', first_seen_at: new Date(a.at), network: a.network ?? null, post_ref: a.postRef ?? null, added_by: 'lan',
    }))).execute();
    return translationId;
  }

  it('replies on Mastodon and Bluesky to the posts that carried the false claim, and names its address on X', async () => {
    const rumour = mastodon.seedStatus('rumours', 'A dam collapsed in Quang Nam!');
    const root = bluesky.seedPost('rumours.example', 'Breaking: dam collapse in Vietnam?');
    const parent = bluesky.seedPost('rumours.example', 'Yes, twelve villages flooded.', { root: { uri: root.uri, cid: root.cid }, parent: { uri: root.uri, cid: root.cid } });
    const parentByHandle = parent.uri.replace(/^at:\/\/[^/]+/, 'at://rumours.example');
    const id = await answer('No dam collapsed in Quang Nam', [
      { url: 'https://harbour-times.example/asia/dam', at: '2026-12-01T07:00:00Z' },
      { url: rumour.url, network: 'mastodon', postRef: rumour.url, at: '2026-12-01T07:30:00Z' },
      { url: `https://bsky.app/profile/rumours.example/post/${parent.rkey}`, network: 'bluesky', postRef: parentByHandle, at: '2026-12-01T07:45:00Z' },
    ]);
    await harness.social.onPublished(id);
    await harness.social.dispatchNow();
    const posts = await postsOf(database.db, id);
    expect(posts.map((p) => `${p.channel_id}:${p.status}:${p.error ?? ''}`).sort()).to.deep.equal(['bluesky-en:sent:', 'mastodon-en:sent:', 'x-en:sent:']);
    const link = `https://news.example.org/read/en/${id}`;

    const reply = mastodon.statuses.find((s) => !s.account)!;
    expect(reply.inReplyToId, 'found from the status address').to.equal(rumour.id);
    expect(reply.text).to.contain(link).and.not.contain('harbour-times');
    expect(mastodon.requests.some((r) => r.path === '/api/v2/search' && r.query.get('q') === rumour.url && r.query.get('resolve') === 'true')).to.equal(true);

    const record = bluesky.records.find((r) => r.uri.includes('did:plc:ewvi7nxzyoun6zhxrhs64oiz'))!;
    expect(record.value.reply).to.deep.equal({ root: { uri: root.uri, cid: root.cid }, parent: { uri: parent.uri, cid: parent.cid } });
    expect(record.value.embed.external.uri).to.equal(link);

    expect(x.tweets).to.have.length(1);
    expect(x.tweets[0]!.text, 'no reply on X: the false claim\'s first address instead').to.contain(link).and.contain('This answers what was said here: https://harbour-times.example/asia/dam');
  });

  it('posts an answer of its own, naming the false claim\'s address, where it was not said on that network', async () => {
    const id = await answer('The photos of the flood are from 2019', [{ url: 'https://lianhe.example/news/flood', at: '2026-12-01T08:00:00Z' }]);
    await harness.social.onPublished(id);
    await harness.social.dispatchNow();
    expect((await postsOf(database.db, id)).map((p) => p.status)).to.deep.equal(['sent', 'sent', 'sent']);
    const status = mastodon.statuses.at(-1)!;
    expect(status.inReplyToId).to.equal(null);
    expect(status.text).to.contain('This answers what was said here: https://lianhe.example/news/flood');
    const record = bluesky.records.at(-1)!;
    expect(record.value.reply).to.equal(undefined);
    expect(record.value.text).to.contain('https://lianhe.example/news/flood');
  });

  it('posts an ordinary story as before', async () => {
    const id = await seedPublished(database.db, { audience: 'en', title: 'Trade fair opens in Hanoi', priority: true, at: clock.now });
    await harness.social.onPublished(id);
    await harness.social.dispatchNow();
    const status = mastodon.statuses.at(-1)!;
    expect(status.inReplyToId).to.equal(null);
    expect(status.text).to.contain(`Read the full story: https://news.example.org/read/en/${id}`).and.not.contain('This answers');
  });
});
