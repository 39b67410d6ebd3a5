/**
 * Scheduling on a fixed clock: posts land in the next free window of each channel in its
 * audience's time zone, fire once at their time (also with two instances dispatching at once and
 * across a restart), and a window missed while the service was down is caught up as configured.
 */
import { expect } from 'chai';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { postsOf, seedPublished, socialConfig, startSocial, TestClock, type Harness } from './support/social/harness.ts';
import { startWebhookFake, type WebhookFake } from './support/social/webhook.ts';

describe('social schedule', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let hook: WebhookFake;
  const running: Harness[] = [];
  const channel = (id: string, audience: string, extra: Record<string, unknown> = {}) => ({ id, network: 'webhook', audience, server: `${hook.url}/hook`, ...extra });
  const start = async (channels: Record<string, unknown>[], clock: TestClock) => {
    const h = await startSocial(database.db, socialConfig(channels), clock);
    running.push(h);
    return h;
  };

  beforeEach(async () => {
    database = await freshDatabase();
    hook = await startWebhookFake();
  });
  afterEach(async () => {
    for (const h of running.splice(0)) await h.social.stop();
    await hook.close();
    await database.close();
  });

  it('places posts in the windows of each audience\'s time zone and sends each at its time, once', async () => {
    // Friday 27 Nov 2026 09:00 UTC: 10:00 in Paris, 18:00 in Tokyo
    const clock = new TestClock(new Date('2026-11-27T09:00:00Z'));
    const { social } = await start([
      channel('fr-hook', 'fr', { windows: ['0 8 * * *', '30 12 * * *', '0 19 * * *'], maxPostsPerWindow: 2, spacingMinutes: 10 }),
      channel('ja-hook', 'ja', { windows: ['0 7 * * *', '0 21 * * *'], maxPostsPerWindow: 1 }),
    ], clock);
    const fr = [];
    for (let i = 0; i < 3; i++) fr.push(await seedPublished(database.db, { audience: 'fr', title: `Article ${i}`, at: clock.now }));
    const ja = [];
    for (let i = 0; i < 2; i++) ja.push(await seedPublished(database.db, { audience: 'ja', title: `記事 ${i}`, at: clock.now }));
    for (const id of [...fr, ...ja]) await social.onPublished(id);

    const when = async (id: number) => (await postsOf(database.db, id))[0]!.scheduled_at.toISOString();
    expect(await when(fr[0]!)).to.equal('2026-11-27T11:30:00.000Z'); // 12:30 Paris
    expect(await when(fr[1]!)).to.equal('2026-11-27T11:40:00.000Z'); // same window, 10 minutes on
    expect(await when(fr[2]!)).to.equal('2026-11-27T18:00:00.000Z'); // 19:00 Paris
    expect(await when(ja[0]!)).to.equal('2026-11-27T12:00:00.000Z'); // 21:00 Tokyo
    expect(await when(ja[1]!)).to.equal('2026-11-27T22:00:00.000Z'); // 07:00 Tokyo, Saturday

    await social.dispatchNow();
    expect(hook.deliveries, 'nothing is due at 10:00 Paris').to.have.length(0);
    clock.now = new Date('2026-11-27T11:35:00Z');
    await social.dispatchNow();
    expect(hook.deliveries.map((d) => d.body.title)).to.deep.equal(['Article 0']);
    clock.now = new Date('2026-11-27T12:00:00Z');
    await social.dispatchNow();
    await social.dispatchNow();
    // channels run side by side: only the set is fixed, not the order across channels
    expect(hook.deliveries.map((d) => d.body.title).sort()).to.deep.equal(['Article 0', 'Article 1', '記事 0']);
  });

  it('publishing the same translation again (a correction) places no second post', async () => {
    const clock = new TestClock(new Date('2026-11-27T09:00:00Z'));
    const { social } = await start([channel('en-hook', 'en')], clock);
    const id = await seedPublished(database.db, { audience: 'en', title: 'Once', at: clock.now });
    await social.onPublished(id);
    await social.onPublished(id);
    expect(await postsOf(database.db, id)).to.have.length(1);
  });

  it('posts a priority story at once, outside the windows', async () => {
    const clock = new TestClock(new Date('2026-11-27T03:00:00Z'));
    const { social } = await start([channel('en-hook', 'en')], clock);
    const id = await seedPublished(database.db, { audience: 'en', title: 'Breaking', priority: true, at: clock.now });
    await social.onPublished(id);
    await social.dispatchNow();
    expect(hook.deliveries.map((d) => d.body.title)).to.deep.equal(['Breaking']);
    expect((await postsOf(database.db, id))[0]!.window_at).to.equal(null);
  });

  it('does not place a post before an embargo lifts', async () => {
    const clock = new TestClock(new Date('2026-11-27T09:00:00Z'));
    const { social } = await start([channel('en-hook', 'en', { windows: ['0 * * * *'] })], clock);
    const id = await seedPublished(database.db, { audience: 'en', title: 'Embargoed', priority: true, at: clock.now, publicFrom: new Date('2026-11-27T15:30:00Z') });
    await social.onPublished(id);
    await social.dispatchNow();
    expect(hook.deliveries).to.have.length(0);
    expect((await postsOf(database.db, id))[0]!.scheduled_at.toISOString()).to.equal('2026-11-27T15:30:00.000Z');
  });

  it('fires once when two instances dispatch at the same moment', async () => {
    const clock = new TestClock(new Date('2026-11-27T09:00:00Z'));
    const channels = [channel('en-hook', 'en', { windows: ['0 10 * * *'], maxPostsPerWindow: 20, spacingMinutes: 0 })];
    const a = await start(channels, clock);
    const b = await start(channels, clock);
    const ids = [];
    for (let i = 0; i < 10; i++) ids.push(await seedPublished(database.db, { audience: 'en', title: `Story ${i}`, at: clock.now }));
    await Promise.all(ids.map((id, i) => (i % 2 ? a : b).social.onPublished(id)));
    expect(new Set((await postsOf(database.db)).map((p) => p.scheduled_at.toISOString()))).to.deep.equal(new Set(['2026-11-27T10:00:00.000Z']));
    clock.now = new Date('2026-11-27T10:00:00Z');
    await Promise.all([a.social.dispatchNow(), b.social.dispatchNow(), a.social.dispatchNow(), b.social.dispatchNow()]);
    expect(hook.deliveries.map((d) => d.body.title).sort()).to.deep.equal(ids.map((_, i) => `Story ${i}`).sort());
  });

  it('keeps two instances from filling a window past its maximum', async () => {
    const clock = new TestClock(new Date('2026-11-27T09:00:00Z'));
    const channels = [channel('en-hook', 'en', { windows: ['0 10 * * *'], maxPostsPerWindow: 2 })];
    const a = await start(channels, clock);
    const b = await start(channels, clock);
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push(await seedPublished(database.db, { audience: 'en', title: `Story ${i}`, at: clock.now }));
    await Promise.all(ids.map((id, i) => (i % 2 ? a : b).social.onPublished(id)));
    const perWindow = new Map<string, number>();
    for (const p of await postsOf(database.db)) perWindow.set(p.window_at!.toISOString(), (perWindow.get(p.window_at!.toISOString()) ?? 0) + 1);
    expect([...perWindow.values()]).to.deep.equal([2, 2, 2]);
  });

  it('survives a restart: a post placed before it goes out after it, at its time', async () => {
    const clock = new TestClock(new Date('2026-11-27T09:00:00Z'));
    const channels = [channel('en-hook', 'en', { windows: ['0 10 * * *'] })];
    const first = await start(channels, clock);
    const id = await seedPublished(database.db, { audience: 'en', title: 'Across a restart', at: clock.now });
    await first.social.onPublished(id);
    await first.social.stop();
    clock.now = new Date('2026-11-27T10:05:00Z');
    const second = await start(channels, clock);
    await second.social.dispatchNow();
    expect(hook.deliveries.map((d) => d.body.title)).to.deep.equal(['Across a restart']);
  });

  for (const [rule, expected] of [['post_late', 'sent'], ['skip', 'skipped'], ['next_window', 'scheduled']] as const) {
    it(`catches up a window missed while the service was down: ${rule}`, async () => {
      const clock = new TestClock(new Date('2026-11-27T09:00:00Z'));
      const channels = [channel('en-hook', 'en', { windows: ['0 10 * * *'], catchUp: rule, catchUpGraceMinutes: 30 })];
      const first = await start(channels, clock);
      const id = await seedPublished(database.db, { audience: 'en', title: 'Missed', at: clock.now });
      await first.social.onPublished(id);
      await first.social.stop();
      clock.now = new Date('2026-11-27T13:00:00Z'); // down from 09:00 to 13:00: the 10:00 window passed
      const second = await start(channels, clock);
      await second.social.dispatchNow();
      const [post] = await postsOf(database.db, id);
      expect(post!.status).to.equal(expected);
      expect(hook.deliveries).to.have.length(expected === 'sent' ? 1 : 0);
      if (rule === 'next_window') expect(post!.scheduled_at.toISOString()).to.equal('2026-11-28T10:00:00.000Z');
      if (rule === 'skip') expect(post!.error_code).to.equal('missed_window');
    });
  }
});
