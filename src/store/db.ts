/**
 * The database handle: a pg pool wrapped by Kysely, on the embedded server (no DATABASE_URL) or an
 * external PostgreSQL (DATABASE_URL). Kysely because queries stay plain SQL that the compiler
 * checks against src/store/schema.ts, with no ORM state between the code and PostgreSQL.
 */
import { Kysely, PostgresDialect, type RawBuilder } from 'kysely';
import pg from 'pg';
import { startEmbeddedServer, type EmbeddedServer } from './embedded-server.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  pool: pg.Pool;
  connectionString: string;
  /** The schema in use when not public (tests); other schemas of this database are named after it. */
  schema: string | undefined;
  /** Closes the pool, then stops the embedded server when this process owns it. */
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  /** A schema to use instead of public (tests run each suite in a fresh schema of a shared server). */
  schema?: string;
  poolSize?: number;
  log?: (message: string) => void;
}

export async function openDatabase(opts: OpenOptions): Promise<DatabaseHandle> {
  let server: EmbeddedServer | undefined;
  let connectionString = opts.databaseUrl;
  if (!connectionString) {
    server = await startEmbeddedServer({ dataDir: opts.dataDir, log: opts.log });
    connectionString = server.connectionString;
  }
  const pool = new pg.Pool({
    connectionString,
    max: opts.poolSize ?? 10,
    // a database that does not answer (a network cut) fails a request after this, instead of never
    connectionTimeoutMillis: 15_000,
    // search_path per connection, so every query (Kysely's and pg-boss's) sees the chosen schema
    options: opts.schema ? `-c search_path=${opts.schema}` : undefined,
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', (err) => opts.log?.(`database connection lost: ${err.message}`));
  // Nor may a client that is checked out between two queries (a transaction, a held lock): the pool
  // listens only to idle ones. Its holder's next query fails, and the pool drops it on release.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  pools.set(db, pool);
  try {
    await db.selectNoFrom((eb) => eb.val(1).as('ok')).execute();
  } catch (err) {
    await db.destroy().catch(() => {});
    await server?.stop();
    throw new Error(`cannot reach PostgreSQL${opts.databaseUrl ? ' at DATABASE_URL' : ''}: ${(err as Error).message}`);
  }
  return {
    db,
    pool,
    connectionString,
    schema: opts.schema,
    async close() {
      await db.destroy();
      await server?.stop();
    },
  };
}

const pools = new WeakMap<Db, pg.Pool>();

/**
 * Whether the database answers a trivial query within `timeoutMs`. Decides whether a failure is
 * the database's absence (503 `database_unavailable`) rather than a bug, without reading messages.
 */
export async function databaseAnswers(db: Db, timeoutMs = 3000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    return await Promise.race([db.selectNoFrom((eb) => eb.val(1).as('ok')).execute().then(() => true, () => false), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs a statement whose text never changes (values only as parameters) as a named prepared
 * statement: each connection parses it once, and PostgreSQL may keep a generic plan instead of
 * planning every run. For the few statements on a hot path; elsewhere (or in a transaction) it is
 * an ordinary query.
 */
export async function runPrepared<R>(db: Db, name: string, query: RawBuilder<R>): Promise<R[]> {
  const compiled = query.compile(db);
  const pool = pools.get(db);
  if (!pool) return (await db.executeQuery(compiled)).rows;
  return (await pool.query({ name, text: compiled.sql, values: [...compiled.parameters] })).rows as R[];
}

/** Runs fn in a transaction, joining the caller's when there is one (Kysely does not nest). */
export function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
