/**
 * The social effect of a publication, from the outbox (src/publish/effects.ts): carried out twice it
 * places one post; carried out after a takedown it places none; a failure stays pending and is
 * taken again after its backoff; an effect held by a live instance is left to it until its lease
 * ends, except at start.
 */
import { expect } from 'chai';
import { claimEffects, pendingEffects, recordEffects, sweepEffects, type EffectDeps } from '../src/publish/effects.ts';
import { carryOutEffect, type PublishDeps } from '../src/publish/publisher.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { testLogger } from './support/logger.ts';
import { postsOf, seedPublished, socialConfig, startSocial, TestClock, withdraw } from './support/social/harness.ts';
import { startWebhookFake, type WebhookFake } from './support/social/webhook.ts';

const now = new Date('2026-11-27T09:00:00Z');

describe('social effects of publications', function () {
  this.timeout(30_000);
  let database: TestDatabase;
  let hook: WebhookFake;
  let clock: TestClock;
  let harness: Awaited<ReturnType<typeof startSocial>>;
  let failNext = 0;
  let deps: EffectDeps;

  beforeEach(async () => {
    database = await freshDatabase();
    hook = await startWebhookFake();
    clock = new TestClock(now);
    harness = await startSocial(database.db, socialConfig([{ id: 'en-hook', network: 'webhook', audience: 'en', server: `${hook.url}/hook`, windows: ['0 8 * * *'] }]), clock);
    failNext = 0;
    // only the social effect is exercised here: the feeds effect has its own specs through the service
    const publish = {
      db: database.db, clock: clock.read, audiences: [], log: testLogger,
      onPublished: async (id: number) => { if (failNext-- > 0) throw new Error('the database went away'); await harness.social.onPublished(id); },
      onWithdrawn: (id: number) => harness.social.onWithdrawn(id),
    } as Pick<PublishDeps, 'db' | 'clock' | 'audiences' | 'log' | 'onPublished' | 'onWithdrawn'>;
    deps = { db: database.db, clock: clock.read, log: testLogger, carryOut: (e) => carryOutEffect(publish as PublishDeps, e) };
  });
  afterEach(async () => {
    await harness.social.stop();
    await hook.close();
    await database.close();
  });

  const record = (translationId: number) => recordEffects(database.db, { translationId, audienceId: 'en', topics: [], now: clock.now, kinds: ['social'] });

  it('places one post however often the effect is carried out', async () => {
    const id = await seedPublished(database.db, { audience: 'en', title: 'Once', at: now });
    await record(id);
    await record(id); // a correction published again records another
    expect(await sweepEffects(deps, { all: true })).to.deep.equal({ done: 2, failed: 0 });
    await database.db.updateTable('publication_effects').set({ done_at: null, not_before: null }).execute();
    expect(await sweepEffects(deps)).to.deep.equal({ done: 2, failed: 0 });
    expect(await postsOf(database.db, id)).to.have.length(1);
  });

  it('places no post when the publication was taken down before its effect was carried out', async () => {
    const id = await seedPublished(database.db, { audience: 'en', title: 'Taken down', at: now });
    await record(id);
    await withdraw(database.db, id, now);
    await record(id);
    await sweepEffects(deps, { all: true });
    expect(await postsOf(database.db, id)).to.have.length(0);
    expect(await pendingEffects(database.db, id)).to.have.length(0);
  });

  it('keeps a failed effect pending and takes it again after its backoff', async () => {
    const id = await seedPublished(database.db, { audience: 'en', title: 'Retried', at: now });
    await record(id);
    failNext = 1;
    expect(await sweepEffects(deps, { all: true })).to.deep.equal({ done: 0, failed: 1 });
    const [left] = await database.db.selectFrom('publication_effects').selectAll().execute();
    expect([left!.last_error, left!.done_at]).to.deep.equal(['the database went away', null]);
    clock.advance(10_000);
    expect(await sweepEffects(deps), 'not before its backoff').to.deep.equal({ done: 0, failed: 0 });
    clock.advance(60_000);
    expect(await sweepEffects(deps)).to.deep.equal({ done: 1, failed: 0 });
    expect(await postsOf(database.db, id)).to.have.length(1);
  });

  it('leaves an effect held by the instance that recorded it to that instance until its lease ends, but not at start', async () => {
    const id = await seedPublished(database.db, { audience: 'en', title: 'Held', at: now });
    await record(id);
    expect(await claimEffects(database.db, { now: clock.now, limit: 10 }), 'held for 60 s').to.have.length(0);
    clock.advance(61_000);
    expect(await claimEffects(database.db, { now: clock.now, limit: 10 })).to.have.length(1);
    expect(await claimEffects(database.db, { now: clock.now, limit: 10 }), 'now held by the sweep').to.have.length(0);
    expect(await claimEffects(database.db, { now: clock.now, limit: 10, all: true }), 'at start the holder may be the process that died').to.have.length(1);
  });
});
