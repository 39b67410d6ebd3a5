/**
 * Databases for tests: one throwaway embedded PostgreSQL server per test run (a fresh temporary
 * data directory), or the server at TEST_DATABASE_URL; each call of freshDatabase() gets its own
 * new schema on it, with the migrations applied, so suites never see each other's rows.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../src/store/db.ts';
import { startEmbeddedServer, type EmbeddedServer } from '../../src/store/embedded-server.ts';
import { migrate } from '../../src/store/migrate.ts';

let server: Promise<{ url: string; embedded?: EmbeddedServer; dir?: string }> | undefined;

function sharedServer() {
  server ??= (async () => {
    if (process.env.TEST_DATABASE_URL) return { url: process.env.TEST_DATABASE_URL };
    const dir = mkdtempSync(path.join(os.tmpdir(), 'doingoai-test-'));
    chmodSync(dir, 0o755); // as root the server runs as the postgres user, who must enter it
    const embedded = await startEmbeddedServer({ dataDir: dir });
    return { url: embedded.connectionString, embedded, dir };
  })();
  return server;
}

/** The connection string of the shared test server (for child processes and raw clients). */
export async function testServerUrl(): Promise<string> {
  return (await sharedServer()).url;
}

export interface TestDatabase extends DatabaseHandle {
  schema: string;
}

export async function freshDatabase(opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const { url } = await sharedServer();
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const handle = await openDatabase({ databaseUrl: url, dataDir: '', schema, poolSize: 5 });
  if (opts.migrate !== false) await migrate(handle.db);
  return {
    ...handle,
    schema,
    async close() {
      await handle.db.destroy();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => {});
      await c.query(`DROP SCHEMA IF EXISTS ${schema}_jobs CASCADE`).catch(() => {});
      await c.end();
    },
  };
}

/** Called once after the whole run (test/support/hooks.ts). */
export async function stopTestServer() {
  if (!server) return;
  const { embedded, dir } = await server;
  await embedded?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  server = undefined;
}
