/**
 * Backup and restore of the whole service state: every table of the application's schema and the
 * feed files, in one gzipped JSON-lines file. Works the same on the embedded and an external
 * PostgreSQL (no pg_dump needed, none ships with the embedded binaries).
 *
 * Rows are exported with row_to_json and restored with json_populate_recordset, so PostgreSQL
 * itself converts every value back to its column type (timestamps, arrays, bytea) exactly.
 * The job queue's own schema is not included: work that was queued is re-derived from the rows
 * (translations still queued are queued again at start).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import { sql } from 'kysely';
import type pg from 'pg';
import type { Db } from '../store/db.ts';
import { counterTables, deriveAgain, observedTables } from './rollups.ts';

const FORMAT = 'doingoai-backup';
const VERSION = 1;
const BATCH = 1000;

type Line =
  | { format: string; version: number; createdAt: string; migrations: string[] }
  | { table: string; rows: unknown[] }
  | { file: string; base64: string };

/** Tables of the current schema, parents before children (foreign keys), migrations excluded. */
/** The columns a restore writes: all but the generated ones, in table order. */
async function insertableColumns(db: Db, table: string): Promise<string[]> {
  const rows = await sql<{ column_name: string }>`
    SELECT column_name FROM information_schema.columns
    WHERE table_schema = current_schema() AND table_name = ${table} AND is_generated = 'NEVER'
    ORDER BY ordinal_position`.execute(db);
  return rows.rows.map((r) => r.column_name);
}

/**
 * Rollups derived from the other tables (migrations 032, 036 and 041): not written, and derived
 * again after a restore; the histogram's observations are written and restored as they are.
 */
const observed = new Set<string>(observedTables);
const derivedTables = new Set<string>(['stage_reached', 'person_drafts', ...counterTables.filter((t) => !observed.has(t))]);

async function tablesInOrder(db: Db): Promise<string[]> {
  const tables = (await sql<{ name: string }>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'
    ORDER BY table_name`.execute(db)).rows.map((r) => r.name);
  const edges = (await sql<{ child: string; parent: string }>`
    SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
    FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
    WHERE c.contype = 'f' AND n.nspname = current_schema()`.execute(db)).rows;
  const bare = (name: string) => name.split('.').pop()!.replace(/"/g, '');
  const ordered: string[] = [];
  const visit = (table: string, seen: Set<string>) => {
    if (ordered.includes(table) || seen.has(table)) return;
    seen.add(table);
    for (const e of edges) if (bare(e.child) === table && bare(e.parent) !== table) visit(bare(e.parent), seen);
    ordered.push(table);
  };
  for (const t of tables) visit(t, new Set());
  return ordered;
}

async function* walk(dir: string, base = dir): AsyncGenerator<string> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(full, base);
    else if (e.isFile() && !e.name.endsWith('.tmp')) yield path.relative(base, full);
  }
}

export interface BackupCounts { tables: number; rows: number; files: number }

export async function exportBackup(database: { db: Db; pool: pg.Pool }, feedsDir: string, file: string): Promise<BackupCounts> {
  const counts: BackupCounts = { tables: 0, rows: 0, files: 0 };
  const tables = await tablesInOrder(database.db);
  async function* lines(): AsyncGenerator<string> {
    // one read-only snapshot for every table: the backup is consistent while the service writes
    const client = await database.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const migrations = (await client.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version);
      yield JSON.stringify({ format: FORMAT, version: VERSION, createdAt: new Date().toISOString(), migrations } satisfies Line) + '\n';
      for (const table of tables.filter((t) => !derivedTables.has(t))) {
        counts.tables++;
        await client.query(`DECLARE backup_rows NO SCROLL CURSOR FOR SELECT row_to_json(t) AS r FROM ${quoteIdent(table)} t`);
        for (;;) {
          const rows = (await client.query<{ r: unknown }>(`FETCH ${BATCH} FROM backup_rows`)).rows.map((r) => r.r);
          if (!rows.length) break;
          counts.rows += rows.length;
          yield JSON.stringify({ table, rows } satisfies Line) + '\n';
        }
        await client.query('CLOSE backup_rows');
      }
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    for await (const rel of walk(feedsDir)) {
      if (rel === 'README.md') continue;
      counts.files++;
      yield JSON.stringify({ file: rel, base64: (await readFile(path.join(feedsDir, rel))).toString('base64') } satisfies Line) + '\n';
    }
  }
  await pipeline(Readable.from(lines()), createGzip(), createWriteStream(file));
  return counts;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Restores into a database whose application tables are empty (a fresh one, migrated): refuses
 * otherwise, so a restore never mixes two states. All rows land in one transaction.
 */
export async function importBackup(db: Db, feedsDir: string, file: string): Promise<BackupCounts> {
  const counts: BackupCounts = { tables: 0, rows: 0, files: 0 };
  const files: Array<{ file: string; base64: string }> = [];
  await db.transaction().execute(async (trx) => {
    // the restored rows' own triggers observe nothing: the observations come with the backup (a
    // backup made before 044 has none, and the rebuild below derives them from the stages reached)
    await sql`SELECT set_config('doingoai.rebuilding', 'on', true)`.execute(trx);
    let header: Extract<Line, { format: string }> | undefined;
    const seenTables = new Set<string>();
    const insertable = new Map<string, string[]>();
    // made and iterated in the same tick: lines read before the loop starts would be lost
    const gunzip = createGunzip();
    createReadStream(file).on('error', (err) => gunzip.destroy(err)).pipe(gunzip);
    const input = createInterface({ input: gunzip, crlfDelay: Infinity });
    for await (const raw of input) {
      if (!raw.trim()) continue;
      const line = JSON.parse(raw) as Line;
      if (!header) {
        if (!('format' in line) || line.format !== FORMAT) throw new Error(`${file} is not a backup of this service`);
        if (line.version !== VERSION) throw new Error(`${file} is backup format ${line.version}; this version reads format ${VERSION}`);
        header = line;
        const here = (await sql<{ version: string }>`SELECT version FROM schema_migrations ORDER BY version`.execute(trx)).rows.map((r) => r.version);
        const missing = line.migrations.filter((m) => !here.includes(m));
        if (missing.length) throw new Error(`the backup was made with migrations this database lacks (${missing.join(', ')}): update the service first`);
        for (const table of await tablesInOrder(trx)) {
          const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(trx);
          if (rows[0]!.n > 0) throw new Error(`the database is not empty (table ${table} has rows): restore into a fresh database`);
        }
        continue;
      }
      if ('table' in line) {
        if (derivedTables.has(line.table)) continue;
        if (!seenTables.has(line.table)) {
          seenTables.add(line.table);
          counts.tables++;
        }
        // generated columns (the search documents) are computed again, never inserted
        const columns = insertable.get(line.table) ?? await insertableColumns(trx, line.table);
        insertable.set(line.table, columns);
        const list = sql.join(columns.map((c) => sql.ref(c)));
        await sql`INSERT INTO ${sql.table(line.table)} (${list}) OVERRIDING SYSTEM VALUE SELECT ${list} FROM json_populate_recordset(NULL::${sql.table(line.table)}, ${JSON.stringify(line.rows)}::json)`.execute(trx);
        counts.rows += line.rows.length;
      } else if ('file' in line) {
        files.push(line);
      }
    }
    if (!header) throw new Error(`${file} is empty`);
    await sql`SELECT set_config('doingoai.rebuilding', 'off', true)`.execute(trx);
    await deriveAgain(trx);
    // identity columns continue after the restored ids
    const identities = (await sql<{ table_name: string; column_name: string }>`
      SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND is_identity = 'YES'`.execute(trx)).rows;
    for (const { table_name, column_name } of identities) {
      await sql`SELECT setval(pg_get_serial_sequence(${table_name}, ${column_name}), coalesce((SELECT max(${sql.ref(column_name)}) FROM ${sql.table(table_name)}), 0) + 1, false)`.execute(trx);
    }
  });
  for (const f of files) {
    const target = path.resolve(feedsDir, f.file);
    if (!target.startsWith(path.resolve(feedsDir) + path.sep)) throw new Error(`refusing a backup file path outside the feeds folder: ${f.file}`);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, Buffer.from(f.base64, 'base64'));
    counts.files++;
  }
  return counts;
}
