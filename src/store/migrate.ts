/**
 * Versioned SQL migrations: every file in migrations/ named NNN_name.sql is applied once, in name
 * order, each in its own transaction. A transaction-level advisory lock makes concurrent starts
 * (two instances, or the service and `cli migrate`) apply each file exactly once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Db } from './db.ts';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
/** Any constant: names this service's migration lock, also held while the job queues are created (jobs/queue.ts). */
export const MIGRATION_LOCK = 7_240_501;
const LOCK_KEY = MIGRATION_LOCK;

export interface Migration { version: string; sql: string }

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: f.replace(/\.sql$/, ''), sql: readFileSync(path.join(dir, f), 'utf8') }));
}

/** Applies pending migrations; returns the versions applied by this call. */
export async function migrate(db: Db, migrations = listMigrations()): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${LOCK_KEY})`.execute(trx);
    await sql`CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`.execute(trx);
    const done = new Set((await sql<{ version: string }>`SELECT version FROM schema_migrations`.execute(trx)).rows.map((r) => r.version));
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      try {
        await sql.raw(m.sql).execute(trx);
      } catch (err) {
        throw new Error(`migration ${m.version} failed: ${(err as Error).message}`);
      }
      await sql`INSERT INTO schema_migrations (version) VALUES (${m.version})`.execute(trx);
      applied.push(m.version);
    }
    return applied;
  });
}
