/**
 * Social posting through the whole service: approval through the API places a post on each
 * channel of the audience (the publish hook), the channels API lists channels and schedules with
 * previews counted the network's way, and reschedule, cancel, post now and a takedown work.
 */
import { expect } from 'chai';
import type { Service } from '../src/service.ts';
import { createToken } from '../src/store/tokens.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { apiClient, startTestService } from './support/service.ts';
import { leadImage, socialConfig, TestClock } from './support/social/harness.ts';
import { renderVariants } from '../src/ingest/images.ts';
import { startMastodonFake, type MastodonFake } from './support/social/mastodon.ts';
import { startWebhookFake, type WebhookFake } from './support/social/webhook.ts';

describe('social posting through the service and the channels API', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let service: Service;
  let mastodon: MastodonFake;
  let hook: WebhookFake;
  let editor: ReturnType<typeof apiClient>;
  let translator: ReturnType<typeof apiClient>;
  let admin: ReturnType<typeof apiClient>;
  // Friday 27 Nov 2026 09:00 UTC = 10:00 in Paris
  const clock = new TestClock(new Date('2026-11-27T09:00:00Z'));

  before(async () => {
    database = await freshDatabase();
    [mastodon, hook] = await Promise.all([startMastodonFake(), startWebhookFake()]);
    const config = socialConfig([
      { id: 'fr-mastodon', network: 'mastodon', audience: 'fr', server: mastodon.url, credentials: { accessToken: 'T_M' }, windows: ['0 8 * * *', '0 19 * * *'], hashtags: ['Vietnam'] },
      { id: 'fr-hook', network: 'webhook', audience: 'fr', server: `${hook.url}/hook`, windows: ['0 19 * * *'] },
      { id: 'fr-bluesky', network: 'bluesky', audience: 'fr', credentials: { identifier: 'T_MISSING_ID', password: 'T_MISSING_PW' } },
      { id: 'fr-telegram', network: 'telegram', audience: 'fr', server: 'http://127.0.0.1:9', target: '@desk_fr', credentials: { botToken: 'T_TG' }, windows: ['0 19 * * *'] },
    ], { T_M: mastodon.token, T_TG: '1:token' });
    service = await startTestService(config, database, clock.read);
    editor = apiClient(service.url, await createToken(database.db, 'lan', 'editor'));
    translator = apiClient(service.url, await createToken(database.db, 'thu', 'translator'));
    admin = apiClient(service.url, await createToken(database.db, 'root', 'admin'));
  });
  after(async () => {
    await service?.close();
    await Promise.all([mastodon?.close(), hook?.close()]);
    await database?.close();
  });

  async function approved(title: string, summary: string, image?: Buffer): Promise<number> {
    const story = await database.db.insertInto('stories').values({ guid: `api-${title}`, title: 'Tin', summary: '', body_html: '', content_hash: `h-${title}`, ingested_at: clock.now, updated_at: clock.now }).returning('id').executeTakeFirstOrThrow();
    if (image) {
      // stored the way ingestion stores a lead image (src/ingest/images.ts)
      const hash = `img-${story.id}`;
      const rendered = await renderVariants(image, 40_000_000);
      await database.db.insertInto('images').values({ hash, source_url: 'https://example.vn/a.jpg', mime: rendered.mime, width: rendered.width, height: rendered.height, bytes: image.length }).execute();
      await database.db.insertInto('image_variants').values(rendered.outputs.map((o) => ({ hash, variant: o.variant, mime: o.mime, width: o.width, height: o.height, data: o.data }))).execute();
      await database.db.insertInto('story_images').values({ story_id: story.id, position: 0, hash, source_url: 'https://example.vn/a.jpg' }).execute();
    }
    const t = await database.db.insertInto('translations').values({ story_id: story.id, audience_id: 'fr', language: 'fr', state: 'in_review', provider: 'manual', title, summary, body_html: '<p>…</p>' }).returning('id').executeTakeFirstOrThrow();
    const res = await editor('POST', `/api/v1/translations/${t.id}/approve`, { version: 1 });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    await service.settled();
    return t.id;
  }

  it('lists channels with their state; one without credentials is not configured and posts nothing', async () => {
    const res = await editor('GET', '/api/v1/channels');
    expect(res.status).to.equal(200);
    const byId = Object.fromEntries(res.body.data.map((c: { id: string }) => [c.id, c]));
    expect(byId['fr-mastodon']).to.deep.include({ network: 'mastodon', audience: 'fr', status: 'active', timeZone: 'Europe/Paris', windows: ['0 8 * * *', '0 19 * * *'] });
    expect(byId['fr-bluesky'].status).to.equal('not_configured');
    expect(byId['fr-bluesky'].statusReason).to.contain('T_MISSING_ID');
    expect((await translator('GET', '/api/v1/channels')).status, 'editors and admins only').to.equal(403);
  });

  it('approval places a post on each configured channel, previewed exactly as it will appear', async () => {
    const id = await approved('Le Viet Nam et le Laos signent un accord', 'Les deux gouvernements se sont entendus sur les droits de douane. '.repeat(12), await leadImage(2000, 1500));
    const res = await editor('GET', '/api/v1/channels/fr-mastodon/posts?status=upcoming');
    expect(res.status).to.equal(200);
    expect(res.body.data).to.have.length(1);
    const post = res.body.data[0];
    expect(post).to.deep.include({ translationId: id, status: 'scheduled', scheduledAt: '2026-11-27T18:00:00.000Z' }); // 19:00 Paris
    expect(post.preview.limit).to.equal(500);
    expect(post.preview.length).to.be.at.most(500).and.above(400);
    expect(post.preview.text).to.contain(`Lire l’article complet : https://news.example.org/read/fr/${id}`).and.to.contain('#Vietnam');
    expect((await editor('GET', '/api/v1/channels/fr-bluesky/posts')).body.data).to.have.length(0);
    const telegram = (await editor('GET', '/api/v1/channels/fr-telegram/posts?status=upcoming')).body.data[0];
    expect(telegram.preview, 'a story with a lead image goes to Telegram as a photo: its caption holds 1,024').to.include({ limit: 1024, unit: 'UTF-16 code units' });
    expect(telegram.preview.text).to.match(/^<b>Le Viet Nam et le Laos signent un accord<\/b>/);

    // post now: the preview is what goes out
    const now = await editor('POST', `/api/v1/channels/fr-mastodon/posts/${post.id}/post-now`);
    expect(now.status).to.equal(202);
    await service.social.dispatchNow();
    expect(mastodon.statuses).to.have.length(1);
    expect(mastodon.media.map((m) => [m.type, m.description]), 'the stored lead image became the card, alt text in French')
      .to.deep.equal([['image/jpeg', 'Photo illustrant l’article : Le Viet Nam et le Laos signent un accord']]);
    const sent = (await editor('GET', '/api/v1/channels/fr-mastodon/posts?status=sent')).body.data[0];
    expect(sent.sentText).to.equal(post.preview.text);
    expect(sent.networkUrl).to.equal(mastodon.statuses[0]!.url);
    expect((await editor('POST', `/api/v1/channels/fr-mastodon/posts/${post.id}/cancel`)).status, 'a sent post cannot be cancelled').to.equal(409);
  });

  it('reschedules and cancels; refuses bad input with the API\'s error shape', async () => {
    const id = await approved('Deuxième article', 'Résumé.');
    const [post] = (await editor('GET', '/api/v1/channels/fr-hook/posts?status=upcoming')).body.data.filter((p: { translationId: number }) => p.translationId === id);
    const telegram = (await editor('GET', '/api/v1/channels/fr-telegram/posts?status=upcoming')).body.data.find((p: { translationId: number }) => p.translationId === id);
    expect(telegram.preview.limit, 'no image: a message, 4,096').to.equal(4096);
    const moved = await editor('POST', `/api/v1/channels/fr-hook/posts/${post.id}/reschedule`, { at: '2026-11-27T12:15:00+01:00' });
    expect(moved.status).to.equal(200);
    expect(moved.body.data).to.include({ scheduledAt: '2026-11-27T11:15:00.000Z', windowAt: null });
    const bad = await editor('POST', `/api/v1/channels/fr-hook/posts/${post.id}/reschedule`, { at: 'tomorrow' });
    expect(bad.status).to.equal(400);
    expect(bad.body.error.code).to.equal('invalid_input');
    expect((await editor('POST', '/api/v1/channels/fr-hook/posts/999999/cancel')).status).to.equal(404);
    const cancelled = await editor('POST', `/api/v1/channels/fr-hook/posts/${post.id}/cancel`);
    expect(cancelled.body.data.status).to.equal('cancelled');
    clock.now = new Date('2026-11-27T11:20:00Z');
    await service.social.dispatchNow();
    expect(hook.deliveries.map((d) => d.body.title)).not.to.include('Deuxième article');
    expect((await editor('GET', '/api/v1/channels/fr-hook/posts?status=cancelled')).body.data.map((p: { id: number }) => p.id)).to.include(post.id);
  });

  it('a takedown through the API deletes the sent post and cancels the scheduled one', async () => {
    const id = await approved('Article retiré', 'Résumé.');
    const mast = (await editor('GET', '/api/v1/channels/fr-mastodon/posts?status=upcoming')).body.data.find((p: { translationId: number }) => p.translationId === id);
    await editor('POST', `/api/v1/channels/fr-mastodon/posts/${mast.id}/post-now`);
    await service.social.dispatchNow();
    const before = mastodon.statuses.length;
    const res = await editor('POST', `/api/v1/translations/${id}/withdraw`, { reason: 'wrong figures' });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    await service.settled();
    await service.social.dispatchNow();
    const sent = (await editor('GET', '/api/v1/channels/fr-mastodon/posts?status=sent')).body.data.find((p: { translationId: number }) => p.translationId === id);
    expect(sent).to.include({ removal: 'removed' });
    expect(mastodon.statuses[before - 1]!.deleted).to.equal(true);
    const hookPost = (await editor('GET', '/api/v1/channels/fr-hook/posts?status=cancelled')).body.data.find((p: { translationId: number }) => p.translationId === id);
    expect(hookPost).to.include({ errorCode: 'withdrawn' });
  });

  it('an admin puts a broken channel back to work', async () => {
    await database.db.updateTable('social_channels').set({ status: 'broken', status_reason: 'Mastodon answered 401' }).where('id', '=', 'fr-mastodon').execute();
    expect((await editor('POST', '/api/v1/channels/fr-mastodon/resume')).status).to.equal(403);
    const res = await admin('POST', '/api/v1/channels/fr-mastodon/resume');
    expect(res.status).to.equal(200);
    expect(res.body.data.status).to.equal('active');
    expect((await admin('POST', '/api/v1/channels/fr-mastodon/resume')).status).to.equal(409);
  });
});
