/**
 * search_fold (035_search_fold.sql) folds exactly as the one translate() of 012_search.sql did —
 * every letter of its list, either case, texts with and without marked letters, a sign that
 * lower-cases into a marked letter (Å, U+212B), NULL — so the stored search columns stay valid. What it
 * costs beside the old one is a benchmark's figure (`npm run bench -- search-fold`), not a test's.
 */
import { expect } from 'chai';
import { sql } from 'kysely';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { BODY, FROM, TO } from './support/search-fold-012.ts';

describe('search folding', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  before(async () => { database = await freshDatabase(); });
  after(async () => { await database.close(); });

  it('folds every text as the translate() of the list did', async () => {
    const texts = [
      ...[...FROM], FROM, FROM.toUpperCase(), BODY,
      'THỜI SỰ — Đối ngoại: Thủ tướng tiếp Đại sứ các nước ASEAN',
      'The Foreign Ministry said it had told the embassy to contact the local authorities at once.',
      'Été, déjà vu, naïve, Ærø, Straße, ẞ, œuvre, señor, São Paulo, Ångström, Å (U+212B)', 'ǎ ǒ ś ž ő ů ȳ',
      '越南总理会见东盟国家大使', 'Премьер-министр принял послов; ёлка, йогурт', 'ນາຍົກລັດຖະມົນຕີ', '대사를 접견했다', 'がっこう', '',
    ];
    const { rows } = await sql<{ text: string; now: string; before: string }>`
      SELECT x AS text, search_fold(x) AS now, translate(lower(x), ${FROM}, ${TO}) AS before FROM unnest(${texts}::text[]) AS x`.execute(database.db);
    expect(rows).to.have.length(texts.length);
    for (const r of rows) expect(r.now, r.text).to.equal(r.before);
    const nothing = await sql<{ f: string | null }>`SELECT search_fold(NULL) AS f`.execute(database.db);
    expect(nothing.rows[0]!.f).to.equal(null);
  });
});
