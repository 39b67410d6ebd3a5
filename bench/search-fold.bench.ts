/**
 * The search folding every written story, translation and publication pays three times (title,
 * lead, body) in its generated search column: search_fold (035_search_fold.sql) against the one
 * translate() over the letter list it replaced (012_search.sql), on a 2.5 KB Vietnamese body and on
 * an English one, in the same run (target: at most half the cost on Vietnamese text).
 */
import { sql } from 'kysely';
import { BODY, FROM, TO } from '../test/support/search-fold-012.ts';
import { benchDatabase, report } from './support.ts';

const BENCH = 'search-fold';
const ROWS = 2_000;
const BODIES = {
  Vietnamese: BODY,
  English: '<p>The Foreign Ministry said it had told the embassy to contact the local authorities at once. </p>'.repeat(28),
};

const database = await benchDatabase();
try {
  for (const [language, body] of Object.entries(BODIES)) {
    const time = async (expression: 'fold' | 'translate') => {
      const started = performance.now();
      await (expression === 'fold'
        ? sql`SELECT sum(length(search_fold(${body} || n))) FROM generate_series(1, ${ROWS}::int) AS n`
        : sql`SELECT sum(length(translate(lower(${body} || n), ${FROM}, ${TO}))) FROM generate_series(1, ${ROWS}::int) AS n`).execute(database.db);
      return (performance.now() - started) / ROWS;
    };
    // alternated, the best of three each: the machine's other work slows both alike
    const fold: number[] = [];
    const translate: number[] = [];
    for (let i = 0; i < 3; i++) {
      translate.push(await time('translate'));
      fold.push(await time('fold'));
    }
    const now = Math.min(...fold);
    const before = Math.min(...translate);
    report(BENCH, { figure: `folding a 2.5 KB ${language} body for search`, value: +now.toFixed(3), unit: 'ms', baseline: +before.toFixed(3), ratio: +(now / before).toFixed(2), target: language === 'Vietnamese' ? 'ratio ≤ 0.5' : undefined });
  }
} finally {
  await database.close();
}
