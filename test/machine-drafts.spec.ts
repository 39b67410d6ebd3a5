/**
 * Storing machine drafts in one statement: a draft that lost the race to another worker or to a
 * person writes nothing at all (no text, revision, segments, billed characters or memory pairs),
 * and a story that lost blocks since its last draft keeps no segments past its new end.
 */
import { expect } from 'chai';
import type { Config } from '../src/config.ts';
import { storeMachineDrafts, type MachineDraft, type SourceSegment } from '../src/store/machine-drafts.ts';
import { changeState, getTranslation } from '../src/store/translations.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { insertStory } from './support/translate.ts';

const audience = (id: string): Config['audiences'][number] => ({ id, language: id, provider: 'deepl', timeZone: 'UTC', feedTitleKey: 'feed.title', feedDescriptionKey: 'feed.description' });
const audiences = [audience('en'), audience('fr')];

/** A story of a title, a lead and these blocks, as the translation machine sends it. */
const source = (blocks: string[]): SourceSegment[] => ['Tiêu đề', 'Sa pô', ...blocks].map((t, i) => ({
  kind: i === 0 ? 'title' : i === 1 ? 'summary' : 'block', tag: i < 2 ? ['title', 'summary'][i]! : 'p', sourceKey: `key-${t}`, sourceText: t, links: [],
}));

function draft(translationId: number, audienceId: string, blocks: string[], billed = 10): MachineDraft {
  const texts = ['Title', 'Lead', ...blocks];
  return {
    translationId, audienceId, provider: 'deepl', claimedUntil: null,
    text: { title: 'Title', summary: 'Lead', bodyHtml: blocks.map((b) => `<p>${b}</p>`).join('\n') },
    changed: texts.map((_, i) => i), notes: [],
    usage: { billedCharacters: billed, requests: 1, memoryHits: 0, memoryCharactersSaved: 0 },
    targets: texts.map((text) => ({ text, origin: 'machine' as const })),
    memoryKeys: [`lang:${audienceId}`, `mt:${audienceId}`], machineKey: `mt:${audienceId}`,
  };
}

describe('storing machine drafts', function () {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await freshDatabase();
  });
  afterEach(async () => {
    await database.close();
  });

  const translationsOf = (storyId: number) => database.db.selectFrom('translations').selectAll().where('story_id', '=', storyId).orderBy('audience_id').execute();
  const count = async (table: 'revisions' | 'translation_segments' | 'translation_memory' | 'translation_events') =>
    Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

  it('moves each waiting translation once, with its revision, event, segments, usage and memory pairs', async () => {
    const story = await insertStory(database.db, audiences, { title: 'Tin' });
    const [en, fr] = await translationsOf(story.id);
    const input = { sourceLanguage: 'vi', storyVersion: 1, at: new Date(), segments: source(['Một', 'Hai']) };
    const stored = await storeMachineDrafts(database.db, { ...input, drafts: [draft(en!.id, 'en', ['One', 'Two']), draft(fr!.id, 'fr', ['Un', 'Deux'])] });
    expect([...stored].sort()).to.deep.equal([en!.id, fr!.id].sort());
    const after = await getTranslation(database.db, en!.id);
    expect(after.state).to.equal('machine_translated');
    expect(after.version).to.equal(en!.version + 1);
    expect(after.body_html).to.equal('<p>One</p>\n<p>Two</p>');
    expect(await count('revisions')).to.equal(2);
    expect(await count('translation_segments')).to.equal(8);
    expect(await count('translation_memory')).to.equal(8);
    const events = await database.db.selectFrom('translation_events').selectAll().where('translation_id', '=', en!.id).execute();
    expect(events.map((e) => [e.from_state, e.to_state])).to.deep.equal([['queued', 'machine_translated']]);

    // the same drafts again (a second worker, a redelivered job): nothing waits, nothing is written
    const again = await storeMachineDrafts(database.db, { ...input, drafts: [draft(en!.id, 'en', ['One', 'Two'], 99)] });
    expect(again.size).to.equal(0);
    expect(await count('revisions')).to.equal(2);
    const usage = await database.db.selectFrom('translation_usage').select(['audience_id', 'billed_characters']).orderBy('audience_id').execute();
    expect(usage.map((u) => [u.audience_id, Number(u.billed_characters)])).to.deep.equal([['en', 10], ['fr', 10]]);
  });

  it('writes nothing for a translation a person took over, and still stores the others', async () => {
    const story = await insertStory(database.db, audiences, { title: 'Tin' });
    const [en, fr] = await translationsOf(story.id);
    await changeState(database.db, en!.id, 'in_review', 'thu', new Date());
    const stored = await storeMachineDrafts(database.db, {
      sourceLanguage: 'vi', storyVersion: 1, at: new Date(), segments: source(['Một']), drafts: [draft(en!.id, 'en', ['One']), draft(fr!.id, 'fr', ['Un'])],
    });
    expect([...stored]).to.deep.equal([fr!.id]);
    expect((await getTranslation(database.db, en!.id)).state).to.equal('in_review');
    const segments = await database.db.selectFrom('translation_segments').select('translation_id').distinct().execute();
    expect(segments.map((s) => s.translation_id)).to.deep.equal([fr!.id]);
    const pairs = await database.db.selectFrom('translation_memory').select('target_key').distinct().execute();
    expect(pairs.map((p) => p.target_key)).to.deep.equal(['mt:fr']);
    const usage = await database.db.selectFrom('translation_usage').select('audience_id').execute();
    expect(usage.map((u) => u.audience_id)).to.deep.equal(['fr']);
  });

  it('drops the segments past the end of a story that lost blocks, and keeps what changed', async () => {
    const story = await insertStory(database.db, audiences.slice(0, 1), { title: 'Tin' });
    const [en] = await translationsOf(story.id);
    const at = new Date();
    await storeMachineDrafts(database.db, { sourceLanguage: 'vi', storyVersion: 1, at, segments: source(['Một', 'Hai', 'Ba']), drafts: [draft(en!.id, 'en', ['One', 'Two', 'Three'])] });
    await changeState(database.db, en!.id, 'outdated', 'source', new Date());
    const shorter = { ...draft(en!.id, 'en', ['One, again']), changed: [2] };
    expect((await storeMachineDrafts(database.db, { sourceLanguage: 'vi', storyVersion: 2, at, segments: source(['Một, lại']), drafts: [shorter] })).size).to.equal(1);
    const segments = await database.db.selectFrom('translation_segments').select(['position', 'target_text']).where('translation_id', '=', en!.id).orderBy('position').execute();
    expect(segments).to.deep.equal([{ position: 0, target_text: 'Title' }, { position: 1, target_text: 'Lead' }, { position: 2, target_text: 'One, again' }]);
    const after = await getTranslation(database.db, en!.id);
    expect(after.changed_segments, 'an outdated translation shows what changed').to.deep.equal([2]);
    expect(after.story_version).to.equal(2);
  });

  it('counts the memory rows a draft reused and remembers a sentence repeated in the story once', async () => {
    const story = await insertStory(database.db, audiences.slice(0, 1), { title: 'Tin' });
    const [en] = await translationsOf(story.id);
    await database.db.insertInto('translation_memory').values({ source_language: 'vi', target_key: 'lang:en', source_key: 'key-Một', origin: 'approved', source_text: 'Một', target_text: 'One' }).execute();
    const d = draft(en!.id, 'en', ['One', 'Again', 'Again']);
    d.targets[2]!.origin = 'memory';
    await storeMachineDrafts(database.db, { sourceLanguage: 'vi', storyVersion: 1, at: new Date(), segments: source(['Một', 'Lại', 'Lại']), drafts: [d] });
    const memory = await database.db.selectFrom('translation_memory').select(['target_key', 'source_key', 'hits']).orderBy('target_key').orderBy('source_key').execute();
    expect(memory).to.deep.equal([
      { target_key: 'lang:en', source_key: 'key-Một', hits: 1 },
      { target_key: 'mt:en', source_key: 'key-Lại', hits: 0 },
      { target_key: 'mt:en', source_key: 'key-Sa pô', hits: 0 },
      { target_key: 'mt:en', source_key: 'key-Tiêu đề', hits: 0 },
    ]);
  });
});
