/**
 * An approval moves the version its checks were run on: a text saved in between (QA takes a
 * moment, a translator keeps typing) is refused, not published unchecked.
 */
import { expect } from 'chai';
import type { Config } from '../src/config.ts';
import { StaleVersionError } from '../src/errors.ts';
import { changeState, getTranslation, saveText } from '../src/store/translations.ts';
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
    const written = await saveText(database.db, t.id, { title: 'Checked text', summary: '', bodyHtml: '<p>One.</p>' }, t.version, 'thu', 'edit');
    await changeState(database.db, t.id, 'in_review', 'thu');
    const judged = written.version;
    await saveText(database.db, t.id, { title: 'Unchecked text', summary: '', bodyHtml: '<p>Two.</p>' }, judged, 'thu', 'edit');

    let refused: unknown;
    await changeState(database.db, t.id, 'approved', 'lan', { version: judged }).catch((err: unknown) => { refused = err; });
    expect(refused).to.be.instanceOf(StaleVersionError);
    expect((await getTranslation(database.db, t.id)).state).to.equal('in_review');

    const current = await getTranslation(database.db, t.id);
    expect((await changeState(database.db, t.id, 'approved', 'lan', { version: current.version })).state).to.equal('approved');
  });
});
