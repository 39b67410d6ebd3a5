/**
 * The audit trail of one story is read through the index of targets (migration 037), not by
 * reading the whole trail: a story's page and its translations' are a few dozen paths, each equal
 * or below one of them.
 */
import { expect } from 'chai';
import { sql } from 'kysely';
import { listAudit } from '../src/ops/audit.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';

describe('the audit trail of a story', function () {
  this.timeout(60_000);
  let database: TestDatabase;

  before(async () => {
    database = await freshDatabase();
    await sql`INSERT INTO audit_log (at, actor, action, target, status)
      SELECT timestamptz '2026-11-27T08:00:00Z' - make_interval(mins => n), 'lan', 'POST /ui/translations/:id', '/ui/translations/' || n, 303
      FROM generate_series(1, 5000) AS n`.execute(database.db);
    await sql`INSERT INTO audit_log (at, actor, action, target, status) VALUES
      (timestamptz '2026-11-27T09:00:00Z', 'minh', 'POST /ui/translations/:id/approve', '/ui/translations/42/approve', 303)`.execute(database.db);
    await sql`ANALYZE audit_log`.execute(database.db);
  });
  after(async () => {
    await database?.close();
  });

  it('finds the entries at and below its paths', async () => {
    const rows = await listAudit(database.db, { limit: 50, targets: ['/ui/translations/42', '/ui/stories/7'] });
    expect(rows.map((r) => r.target)).to.deep.equal(['/ui/translations/42/approve', '/ui/translations/42']);
  });

  it('reads them through the index of targets', async () => {
    const plan = await sql<{ 'QUERY PLAN': unknown }>`EXPLAIN (FORMAT JSON) SELECT * FROM audit_log
      WHERE target = ${'/ui/translations/42'} OR target LIKE ${'/ui/translations/42/%'} OR target = ${'/ui/stories/7'} OR target LIKE ${'/ui/stories/7/%'}
      ORDER BY at DESC, id DESC LIMIT 50`.execute(database.db);
    expect(JSON.stringify(plan.rows[0]!['QUERY PLAN'])).to.include('audit_log_target');
  });
});
