/**
 * The service's hold on its DATA_DIR while it runs the embedded PostgreSQL server there: a lock
 * file (`service.lock`: pid, port, the process's start time) created exclusively at start and
 * removed at stop. A second service on the same folder is refused, naming the first, instead of
 * borrowing its server and failing when the first one stops it. A lock left by a process that
 * ended (kill -9, a power cut) is stale: its pid is gone, a zombie, or now another process (a
 * different start time), and the next start removes it. CLI commands take no lock: they borrow
 * the running service's server on purpose (embedded-server.ts).
 */
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { StartError } from '../errors.ts';

export interface DataDirLock {
  /** Records the port actually listened on (PORT=0 picks one). */
  listening(port: number): Promise<void>;
  release(): Promise<void>;
}

interface Holder { pid: number; port: number; started: string }

const lockFile = (dataDir: string) => path.join(dataDir, 'service.lock');

/** The process's start time (clock ticks since boot, /proc/<pid>/stat field 22), '' where /proc is absent; undefined for a zombie or no process. */
function startTimeOf(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return undefined;
    try {
      process.kill(pid, 0);
      return ''; // no /proc (not Linux): alive is all we can tell
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'EPERM' ? '' : undefined;
    }
  }
  // the command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
  return fields[19] ?? '';
}

function isRunning(holder: Holder): boolean {
  const started = startTimeOf(holder.pid);
  return started !== undefined && (holder.started === '' || started === '' || started === holder.started);
}

function notWritable(dataDir: string, err: unknown): StartError {
  const code = (err as NodeJS.ErrnoException).code ?? String(err);
  return new StartError('data_dir_not_writable', `DATA_DIR ${dataDir} is not writable (${code}): make it writable by this user, or set DATA_DIR to a folder that is`, { cause: err });
}

/** Takes DATA_DIR for this process, creating the folder; throws a StartError when it is in use or not writable. */
export async function claimDataDir(dataDir: string, port: number): Promise<DataDirLock> {
  try {
    await fs.mkdir(dataDir, { recursive: true });
  } catch (err) {
    throw notWritable(dataDir, err);
  }
  const file = lockFile(dataDir);
  const mine = (p: number): Holder => ({ pid: process.pid, port: p, started: startTimeOf(process.pid) ?? '' });
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.writeFile(file, JSON.stringify(mine(port)), { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw notWritable(dataDir, err);
    }
    const text = await fs.readFile(file, 'utf8').catch(() => '');
    let holder: Holder | undefined;
    try {
      holder = JSON.parse(text) as Holder;
    } catch {
      holder = undefined; // cut short while written: its writer died at that moment
    }
    if (holder && isRunning(holder)) {
      throw new StartError('data_dir_in_use', `DATA_DIR ${dataDir} is in use by another running instance of the service (pid ${holder.pid}, port ${holder.port}): stop it first, or give this one its own DATA_DIR (several instances share one database through DATABASE_URL)`);
    }
    if (attempt > 0) throw new StartError('data_dir_in_use', `DATA_DIR ${dataDir}: another instance is starting on it at the same moment; try again`);
    // stale: removed only if it is still the file read (another start may have replaced it meanwhile)
    if (await fs.readFile(file, 'utf8').catch(() => undefined) === text) await fs.rm(file, { force: true });
  }
  return {
    async listening(actual) {
      await fs.writeFile(file, JSON.stringify(mine(actual)));
    },
    async release() {
      const text = await fs.readFile(file, 'utf8').catch(() => '');
      if (text.includes(`"pid":${process.pid},`)) await fs.rm(file, { force: true });
    },
  };
}
