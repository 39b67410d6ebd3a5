import { expect } from 'chai';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { exportBackup, importBackup } from '../src/ops/backup.ts';
import { stageHistograms } from '../src/ops/figures.ts';
import { counterTables, counterTotals } from '../src/ops/rollups.ts';
import { cleanItem } from '../src/ingest/clean.ts';
import { upsertStory } from '../src/ingest/stories.ts';
import { changeState, createTranslations, saveText } from '../src/store/translations.ts';
import { addTerm } from '../src/store/glossary.ts';
import type { Db } from '../src/store/db.ts';
import type { TranslationRow } from '../src/store/schema.ts';
import type { GlossaryTermRow } from '../src/store/schema-glossary.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { scratchDir } from './support/scratch.ts';

/** Rows per table; the counters (folded rows and changes not folded yet) as their totals. */
async function tableCounts(db: Db): Promise<Record<string, unknown>> {
  const tables = (await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`.execute(db)).rows;
  const out: Record<string, unknown> = {};
  for (const { name } of tables) {
    if (!(counterTables as readonly string[]).includes(name)) out[name] = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(name)}`.execute(db)).rows[0]!.n;
  }
  out.counters = await counterTotals(db);
  return out;
}

describe('backup and restore', function () {
  this.timeout(30_000);
  let source: TestDatabase;
  let target: TestDatabase;
  const dir = scratchDir('backup');
  const feeds = path.join(dir, 'feeds');
  const file = path.join(dir, 'backup.jsonl.gz');

  before(async () => {
    source = await freshDatabase();
    target = await freshDatabase();
    const { story } = await upsertStory(source.db, null, await cleanItem({
      guid: 'g1', url: 'https://tin.example.vn/a', title: 'Quốc hội họp phiên bế mạc', summary: 'Ngày 28/11, Quốc hội bế mạc kỳ họp.',
      bodyHtml: '<p>Ngày 28/11, Quốc hội bế mạc kỳ họp thứ 10 với 1.234,5 tỷ đồng.</p>', author: undefined, category: 'Chính trị', imageUrl: undefined, publishedAt: new Date('2026-11-28T03:00:00Z'),
    }, 'https://tin.example.vn/'), new Date());
    const [en] = await createTranslations(source.db, story, [{ id: 'en', language: 'en', provider: 'manual', timeZone: 'UTC', feedTitleKey: 'feeds:title', feedDescriptionKey: 'feeds:description' }]);
    await saveText(source.db, en!.id, { title: 'National Assembly closes', summary: '', bodyHtml: '<p>VND 1,234.5 billion</p>' }, en!.version, 'thu', 'edit', new Date());
    await changeState(source.db, en!.id, 'in_review', 'thu', new Date());
    // drafted, then drafted again: /metrics' histogram keeps the first time, which no raw table holds any more
    for (const minutes of [5, 50]) {
      await source.db.updateTable('translations').set({ machine_translated_at: new Date(new Date('2026-11-28T03:00:00Z').getTime() + minutes * 60_000) }).where('id', '=', en!.id).execute();
    }
    await addTerm(source.db, { sourceLanguage: 'vi', targetLanguage: 'en' }, { source: 'Quốc hội', target: 'National Assembly', variants: ['NA'], note: undefined }, 'lan');
    mkdirSync(path.join(feeds, 'en'), { recursive: true });
    writeFileSync(path.join(feeds, 'en', 'rss.xml'), '<rss version="2.0"><channel><title>Tin</title></channel></rss>');
  });
  after(async () => {
    await source?.close();
    await target?.close();
  });

  it('round-trips every row and the feed files into a fresh database', async () => {
    const exported = await exportBackup(source, feeds, file);
    expect(exported.rows).to.be.greaterThan(5);
    expect(exported.files).to.equal(1);
    const restoredFeeds = path.join(dir, 'restored-feeds');
    const imported = await importBackup(target.db, restoredFeeds, file);
    expect(imported.rows).to.equal(exported.rows);
    expect(await tableCounts(target.db)).to.deep.equal(await tableCounts(source.db));
    const observed = await stageHistograms(source.db);
    expect(observed, 'the histogram holds the first draft').to.not.deep.equal(await stageHistograms(source.db, 'raw'));
    expect(await stageHistograms(target.db), 'restored as observed, not derived again').to.deep.equal(observed);
    const [a, b] = await Promise.all([source, target].map((d) => d.db.selectFrom('translations').selectAll().executeTakeFirstOrThrow())) as [TranslationRow, TranslationRow];
    expect(b).to.deep.equal(a); // timestamps to the microsecond, arrays, nulls
    const [ga, gb] = await Promise.all([source, target].map((d) => d.db.selectFrom('glossary_terms').selectAll().executeTakeFirstOrThrow())) as [GlossaryTermRow, GlossaryTermRow];
    expect(gb.variants).to.deep.equal(['NA']);
    expect(gb).to.deep.equal(ga);
    expect(readFileSync(path.join(restoredFeeds, 'en', 'rss.xml'), 'utf8')).to.contain('<title>Tin</title>');
    // identities continue after the restored ids
    const next = await target.db.insertInto('story_revisions').values({ story_id: a.story_id, version: 99, title: 't', summary: '', body_html: '' }).returning('id').executeTakeFirstOrThrow();
    const maxBefore = (await source.db.selectFrom('story_revisions').select((eb) => eb.fn.max('id').as('m')).executeTakeFirstOrThrow()).m;
    expect(next.id).to.be.greaterThan(Number(maxBefore));
  });

  it('refuses to restore over a database that has data', async () => {
    let error: Error | undefined;
    await importBackup(source.db, path.join(dir, 'x'), file).catch((e: Error) => (error = e));
    expect(error?.message).to.match(/not empty \(table \w+ has rows\)/);
    expect(existsSync(path.join(dir, 'x'))).to.equal(false);
  });

  it('refuses a file that is not a backup', async () => {
    const bogus = path.join(dir, 'bogus.gz');
    const { gzipSync } = await import('node:zlib');
    writeFileSync(bogus, gzipSync('{"hello":"world"}\n'));
    const empty = await freshDatabase();
    try {
      let error: Error | undefined;
      await importBackup(empty.db, feeds, bogus).catch((e: Error) => (error = e));
      expect(error?.message).to.match(/not a backup of this service/);
      writeFileSync(bogus, 'plain text, not gzip');
      const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: Error) => e.message);
      expect(await failure(importBackup(empty.db, feeds, bogus))).to.match(/incorrect header check/);
      expect(await failure(importBackup(empty.db, feeds, path.join(dir, 'missing.gz')))).to.match(/ENOENT/);
    } finally {
      await empty.close();
    }
  });
});
