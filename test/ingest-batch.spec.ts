/** A batch of stories is all or nothing, and a bad one is isolated: nothing is ever half-stored. */
import { storyRouter } from '../src/ingest/routing.ts';
import { expect } from 'chai';
import { cleanItem } from '../src/ingest/clean.ts';
import { intakeBatch } from '../src/ingest/intake.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { testLogger } from './support/logger.ts';

describe('ingest: batches', function () {
  this.timeout(20_000);
  let database: TestDatabase;
  before(async () => {
    database = await freshDatabase();
    await database.db.insertInto('sources').values({ id: 's', name: 's', url: 'https://s.example/rss', kind: 'auto', schedule: '*/5 * * * *', full_text: false, enabled: true }).execute();
  });
  after(async () => database?.close());

  it('stores the good stories of a batch in which one cannot be stored, and none of the bad one', async () => {
    const item = (guid: string, publishedAt?: Date) => cleanItem({ guid, url: `https://s.example/${guid}`, title: `Tin ${guid}`, summary: '', bodyHtml: `<p>Nội dung ${guid}</p>`, author: undefined, category: undefined, imageUrl: undefined, publishedAt }, undefined);
    const ready: number[] = [];
    const audiences = [{ id: 'en', language: 'en', provider: 'manual' as const, timeZone: 'UTC', feedTitleKey: 'feeds:title', feedDescriptionKey: 'feeds:description' }];
    const deps = { db: database.db, log: testLogger, clock: () => new Date(), audiences, route: storyRouter(audiences), onStoryReady: (s: { id: number }) => void ready.push(s.id) };
    // a date PostgreSQL cannot take makes the whole batch's insert fail
    const results = await intakeBatch(deps, 's', await Promise.all([item('a'), item('b', new Date(Number.NaN)), item('c')]));
    expect(results.map((r) => ('error' in r ? 'error' : r.outcome))).to.deep.equal(['new', 'error', 'new']);
    const stories = await database.db.selectFrom('stories').select(['id', 'guid']).orderBy('guid').execute();
    expect(stories.map((s) => s.guid)).to.deep.equal(['a', 'c']);
    const revisions = await database.db.selectFrom('story_revisions').select('story_id').execute();
    expect(revisions).to.have.length(2);
    const translations = await database.db.selectFrom('translations').select('story_id').execute();
    expect(translations.map((t) => t.story_id).sort()).to.deep.equal(stories.map((s) => s.id).sort());
    expect(ready.sort()).to.deep.equal(stories.map((s) => s.id).sort());
  });
});
