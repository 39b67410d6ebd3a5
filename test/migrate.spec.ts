import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from '../src/store/db.ts';
import { listMigrations, migrate } from '../src/store/migrate.ts';
import type { Service } from '../src/service.ts';
import { freshDatabase } from './support/database.ts';
import { startTestService, writeTestConfig } from './support/service.ts';
import { scratchDir } from './support/scratch.ts';

describe('migrations', () => {
  it('applies each migration exactly once, even when two processes start together', async () => {
    const database = await freshDatabase({ migrate: false });
    try {
      // two pools on the same schema stand for two processes
      const twin = await openDatabase({ databaseUrl: database.connectionString, dataDir: '', schema: database.schema });
      const [a, b] = await Promise.all([migrate(database.db), migrate(twin.db)]);
      expect([...a, ...b].sort()).to.deep.equal(listMigrations().map((m) => m.version).sort());
      expect(await migrate(database.db)).to.deep.equal([]);
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM schema_migrations`.execute(database.db);
      expect(rows[0]!.n).to.equal(listMigrations().length);
      await twin.db.destroy();
    } finally {
      await database.close();
    }
  });

  it('starts two services at once on an empty database: the schema work of one waits for the other', async function () {
    this.timeout(120_000);
    const config = { audiences: [{ id: 'en', language: 'en', provider: 'manual' }, { id: 'fr', language: 'fr', provider: 'manual' }] };
    for (let round = 0; round < 3; round++) {
      const database = await freshDatabase({ migrate: false });
      const twin = await openDatabase({ databaseUrl: database.connectionString, dataDir: '', schema: database.schema, poolSize: 5 });
      const started = await Promise.allSettled([startTestService(writeTestConfig(config), database), startTestService(writeTestConfig(config), twin)]);
      try {
        expect(started.map((s) => (s.status === 'rejected' ? String(s.reason) : 'started')), `round ${round + 1}`).to.deep.equal(['started', 'started']);
        // both work on the one set of queues
        const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.id(`${database.schema}_jobs`)}.queue`.execute(database.db);
        expect(rows[0]!.n).to.be.greaterThan(0);
      } finally {
        for (const s of started) if (s.status === 'fulfilled') await (s.value as Service).close();
        await twin.db.destroy();
        await database.close();
      }
    }
  });

  it('rolls back a failing migration whole, naming it', async () => {
    const database = await freshDatabase({ migrate: false });
    const dir = scratchDir('mig');
    writeFileSync(path.join(dir, '001_ok.sql'), 'CREATE TABLE kept (id int);');
    writeFileSync(path.join(dir, '002_broken.sql'), 'CREATE TABLE half (id int); SELECT no_such_function();');
    try {
      let error: Error | undefined;
      await migrate(database.db, listMigrations(dir)).catch((e: Error) => (error = e));
      expect(error?.message).to.match(/migration 002_broken failed/);
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = ${database.schema} AND table_name IN ('kept', 'half')`.execute(database.db);
      expect(rows[0]!.n, 'nothing of the failed run is left behind').to.equal(0);
    } finally {
      await database.close();
    }
  });

  it('gives foreign items written before 042 the codes of the service\'s own sentences, and leaves other text alone', async () => {
    const database = await freshDatabase({ migrate: false });
    try {
      await migrate(database.db, listMigrations().filter((m) => m.version < '042'));
      await sql`INSERT INTO sources (id, name, url, language) VALUES ('out', 'Outlet', 'http://127.0.0.1:9/x.xml', 'lo')`.execute(database.db);
      const said = ['deepl does not translate lo into vi', 'deepl does not translate lo into vi; libre does not translate lo into vi',
        'no monitoring provider makes machine translations', 'deepl refused it: Bad request', 'deepl does not translate lo into vi; libre refused it: Bad request'];
      for (const [n, text] of said.entries()) {
        await sql`INSERT INTO foreign_items (source_id, guid, language, title, content_hash, vi_error) VALUES ('out', ${'g' + n}, 'lo', 'x', 'h', ${text})`.execute(database.db);
      }
      await sql`INSERT INTO foreign_items (source_id, guid, language, title, content_hash) VALUES ('out', 'translated', 'lo', 'x', 'h')`.execute(database.db);
      await migrate(database.db);
      const { rows } = await sql<{ guid: string; vi_error_reasons: unknown }>`SELECT guid, vi_error_reasons FROM foreign_items ORDER BY guid`.execute(database.db);
      const pair = (provider: string) => ({ code: 'unsupported_pair', provider, language: 'lo' });
      expect(rows).to.deep.equal([
        { guid: 'g0', vi_error_reasons: [pair('deepl')] },
        { guid: 'g1', vi_error_reasons: [pair('deepl'), pair('libre')] },
        { guid: 'g2', vi_error_reasons: [{ code: 'no_provider' }] },
        { guid: 'g3', vi_error_reasons: null },
        { guid: 'g4', vi_error_reasons: null },
        { guid: 'translated', vi_error_reasons: null },
      ]);
    } finally {
      await database.close();
    }
  });

  it('gives QA findings written before 043 their translation\'s audience, and each new or moved one too', async () => {
    const database = await freshDatabase({ migrate: false });
    try {
      await migrate(database.db, listMigrations().filter((m) => m.version < '043'));
      await sql`INSERT INTO stories (guid, title, summary, body_html, content_hash) VALUES ('s', 'Tin', '', '', 'h')`.execute(database.db);
      const { rows: [en, fr] } = await sql<{ id: number }>`INSERT INTO translations (story_id, audience_id, language, state, provider, title, summary, body_html)
        SELECT id, a, a, 'in_review', 'deepl', 'x', '', '' FROM stories CROSS JOIN unnest(ARRAY['en', 'fr']) a ORDER BY a RETURNING id`.execute(database.db);
      await sql`INSERT INTO qa_findings (translation_id, version, actor, errors, overridden) VALUES (${en!.id}, 1, 'lan', '[]', false), (${fr!.id}, 1, 'lan', '[]', false)`.execute(database.db);
      await migrate(database.db);
      await sql`INSERT INTO qa_findings (translation_id, version, actor, errors, overridden) VALUES (${fr!.id}, 2, 'lan', '[]', true)`.execute(database.db);
      await sql`UPDATE translations SET audience_id = 'fr-africa' WHERE id = ${fr!.id}`.execute(database.db);
      const { rows } = await sql<{ version: number; audience_id: string }>`SELECT version, audience_id FROM qa_findings ORDER BY translation_id, version`.execute(database.db);
      expect(rows).to.deep.equal([{ version: 1, audience_id: 'en' }, { version: 1, audience_id: 'fr-africa' }, { version: 2, audience_id: 'fr-africa' }]);
    } finally {
      await database.close();
    }
  });
});
