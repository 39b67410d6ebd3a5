/**
 * Claiming a story's translations: one prepared statement that claims, leaves held translations
 * to their worker, and keeps working when another instance adds a column to the table.
 */
import { expect } from 'chai';
import type { Config } from '../src/config.ts';
import { claimStory } from '../src/store/machine-claims.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { insertStory } from './support/translate.ts';

const audiences: Config['audiences'] = ['en', 'fr'].map((id) => ({ id, language: id, provider: 'deepl', timeZone: 'UTC', feedTitleKey: 'feed.title', feedDescriptionKey: 'feed.description' }));

describe('claiming a story for the translation machine', function () {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await freshDatabase();
  });
  afterEach(async () => {
    await database.close();
  });

  // a fixed clock: the lease is reckoned from the claim's own reading, never from the wall
  const start = new Date('2026-12-01T08:00:00Z');
  const claim = (storyId: number, at = start) =>
    claimStory(database.db, { storyId, at, leaseMs: 60_000, maxAttempts: 3, monthlyCharacterBudget: undefined });

  it('claims each waiting translation once; a second claim finds them held until the lease runs out', async () => {
    const story = await insertStory(database.db, audiences, { title: 'Tin' });
    const first = await claim(story.id);
    expect(first.claimed.map((t) => t.audience_id).sort()).to.deep.equal(['en', 'fr']);
    expect(first.storyVersion).to.equal(story.version);
    expect(first.claimed.map((t) => t.mt_lease_until)).to.deep.equal([new Date(start.getTime() + 60_000), new Date(start.getTime() + 60_000)]);
    const second = await claim(story.id, new Date(start.getTime() + 60_000));
    expect(second.claimed, 'at the lease\'s last instant').to.deep.equal([]);
    expect(second.heldUntil).to.deep.equal(new Date(start.getTime() + 60_000));
    expect((await claim(story.id, new Date(start.getTime() + 60_001))).claimed, 'after the lease').to.have.length(2);
  });

  it('keeps working after another instance adds a column to the translations table', async () => {
    for (let i = 0; i < 3; i++) await claim((await insertStory(database.db, audiences, { title: `Tin ${i}` })).id);
    await database.pool.query('ALTER TABLE translations ADD COLUMN added_elsewhere text');
    const later = await claim((await insertStory(database.db, audiences, { title: 'Tin mới' })).id);
    expect(later.claimed).to.have.length(2);
  });
});
