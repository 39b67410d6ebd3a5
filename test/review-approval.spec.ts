/**
 * An approval moves the version its checks were run on: a text saved in between (QA takes a
 * moment, a translator keeps typing) is refused, not published unchecked; and publication puts
 * out exactly the version that was approved.
 */
import { expect } from 'chai';
import type { Config } from '../src/config.ts';
import { StaleVersionError } from '../src/errors.ts';
import { createI18n } from '../src/i18n.ts';
import { FeedFiles } from '../src/publish/feed-files.ts';
import { publishTranslation, type PublishDeps } from '../src/publish/publisher.ts';
import { changeState, getTranslation, saveText } from '../src/store/translations.ts';
import { scratchDir } from './support/scratch.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { insertStory } from './support/translate.ts';

const audiences: Config['audiences'] = [{ id: 'en', language: 'en', provider: 'manual', timeZone: 'UTC', feedTitleKey: 'feed.title', feedDescriptionKey: 'feed.description' }];

describe('moving a translation on the version it was judged on', function () {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await freshDatabase();
  });
  afterEach(async () => {
    await database.close();
  });

  it('refuses the move when the text was saved since, and moves the version it was given', async () => {
    const story = await insertStory(database.db, audiences, { title: 'Tin' });
    const t = await database.db.selectFrom('translations').selectAll().where('story_id', '=', story.id).executeTakeFirstOrThrow();
    const written = await saveText(database.db, t.id, { title: 'Checked text', summary: '', bodyHtml: '<p>One.</p>' }, t.version, 'thu', 'edit', new Date());
    await changeState(database.db, t.id, 'in_review', 'thu', new Date());
    const judged = written.version;
    await saveText(database.db, t.id, { title: 'Unchecked text', summary: '', bodyHtml: '<p>Two.</p>' }, judged, 'thu', 'edit', new Date());

    let refused: unknown;
    await changeState(database.db, t.id, 'approved', 'lan', new Date(), { version: judged }).catch((err: unknown) => { refused = err; });
    expect(refused).to.be.instanceOf(StaleVersionError);
    expect((await getTranslation(database.db, t.id)).state).to.equal('in_review');

    const current = await getTranslation(database.db, t.id);
    expect((await changeState(database.db, t.id, 'approved', 'lan', new Date(), { version: current.version })).state).to.equal('approved');
  });

  it('stamps a save and a move with the clock reading its caller passes', async () => {
    const story = await insertStory(database.db, audiences, { title: 'Tin' });
    const t = await database.db.selectFrom('translations').selectAll().where('story_id', '=', story.id).executeTakeFirstOrThrow();
    const saved = await saveText(database.db, t.id, { title: 'Text', summary: '', bodyHtml: '<p>One.</p>' }, t.version, 'thu', 'edit', new Date('2026-11-27T08:00:00Z'));
    expect(saved.updated_at.toISOString()).to.equal('2026-11-27T08:00:00.000Z');
    const moved = await changeState(database.db, t.id, 'in_review', 'thu', new Date('2026-11-27T08:05:00Z'));
    expect(moved.updated_at.toISOString()).to.equal('2026-11-27T08:05:00.000Z');
  });

  it('publishes exactly the version approved: a text saved after the approval is refused, nothing goes out', async () => {
    const deps: PublishDeps = {
      db: database.db, i18n: await createI18n('locales'), files: new FeedFiles(scratchDir('feeds')), hubs: [], publicUrl: 'https://news.example', itemsPerFeed: 20,
      clock: () => new Date('2026-11-27T08:00:00Z'), audiences,
    };
    const story = await insertStory(database.db, audiences, { title: 'Tin' });
    const t = await database.db.selectFrom('translations').selectAll().where('story_id', '=', story.id).executeTakeFirstOrThrow();
    const approved = await saveText(database.db, t.id, { title: 'Approved text', summary: '', bodyHtml: '<p>One.</p>' }, t.version, 'thu', 'edit', new Date());
    await changeState(database.db, t.id, 'in_review', 'thu', new Date());
    await changeState(database.db, t.id, 'approved', 'lan', new Date(), { version: approved.version });
    // a save lands between the approval and its publication (the approved state is editable)
    const later = await saveText(database.db, t.id, { title: 'Text nobody approved', summary: '', bodyHtml: '<p>Two.</p>' }, approved.version, 'thu', 'edit', new Date());

    let refused: unknown;
    await publishTranslation(deps, t.id, 'lan', approved.version).catch((err: unknown) => { refused = err; });
    expect(refused).to.be.instanceOf(StaleVersionError);
    expect((refused as StaleVersionError).message).to.equal(`the text changed after you read it: you reviewed version ${approved.version}, the current version is ${later.version}; read version ${later.version} before you approve or reject it`);
    expect(await database.db.selectFrom('publications').select('title').execute()).to.deep.equal([]);
    expect((await getTranslation(database.db, t.id)).state).to.equal('approved');

    const published = await publishTranslation(deps, t.id, 'lan', later.version);
    expect(published.state).to.equal('published');
    expect(await database.db.selectFrom('publications').select('title').execute()).to.deep.equal([{ title: 'Text nobody approved' }]);
  });
});
