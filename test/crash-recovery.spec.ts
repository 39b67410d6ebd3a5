/**
 * The service is killed with SIGKILL while it writes, then started again on the same data folder:
 * it must adopt the embedded PostgreSQL server left running, start, and have lost nothing committed.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { stringify } from 'yaml';
import { freePort } from './support/net.ts';
import { sampleFeed, serveOnLoopback, type Loopback } from './support/service.ts';


async function waitReady(url: string, child: ChildProcess, output: () => string, timeoutMs = 30_000) {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}: ${output().slice(-2000)}`);
    const ok = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the service did not become ready');
}

describe('crash recovery', function () {
  this.timeout(90_000);
  let dir: string;
  let origin: Loopback;
  let output = '';
  const children: ChildProcess[] = [];

  const start = async (port: number) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, CONFIG_FILE: path.join(dir, 'config.yaml'), DATA_DIR: path.join(dir, 'data'), FEEDS_DIR: path.join(dir, 'feeds'), PORT: String(port), LOG_LEVEL: 'info', DEEPL_AUTH_KEY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    children.push(child);
    await waitReady(`http://127.0.0.1:${port}`, child, () => output);
    return child;
  };

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'doingoai-crash-'));
    chmodSync(dir, 0o755); // the embedded server runs as the postgres user when we are root
    origin = await serveOnLoopback({ '/feed.xml': { body: sampleFeed() } });
    writeFileSync(path.join(dir, 'config.yaml'), stringify({
      audiences: [{ id: 'en', language: 'en', provider: 'manual' }],
      sources: [{ id: 'sample', name: 'Sample', url: `${origin.url}/feed.xml`, schedule: '0 0 1 1 *' }],
      ingest: { allowPrivateHosts: ['127.0.0.1'] },
    }));
  });
  after(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await origin.close();
  });

  it('starts again after SIGKILL, adopting the orphaned server, with every committed row kept', async () => {
    const port = await freePort();
    const first = await start(port);
    const socketUrl = `postgresql://doingoai@/doingoai?host=${encodeURIComponent(path.join(dir, 'data', 'pg'))}&port=5432`;
    const client = new pg.Client({ connectionString: socketUrl });
    await client.connect();
    // the start-up poll has committed the sample stories; keep writing while the kill lands
    const until = Date.now() + 10_000;
    while (Date.now() < until && Number((await client.query('SELECT count(*) FROM stories')).rows[0].count) < 5) await new Promise((r) => setTimeout(r, 50));
    const writes = (async () => {
      for (let i = 0; i < 200; i++) {
        await client.query("INSERT INTO api_tokens (name, role, token_hash) VALUES ($1, 'editor', $2)", [`t${i}`, `h${i}`]);
      }
    })();
    await new Promise((r) => setTimeout(r, 30));
    first.kill('SIGKILL');
    await writes;
    const committed = Number((await client.query('SELECT count(*) FROM api_tokens')).rows[0].count);
    await client.end();
    const pidFile = path.join(dir, 'data', 'pg', 'postmaster.pid');
    expect(existsSync(pidFile), 'the PostgreSQL server outlives the killed service').to.equal(true);
    const orphanPid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);

    const second = await start(port);
    expect(output).to.contain(`adopting the PostgreSQL server (pid ${orphanPid})`);
    const again = new pg.Client({ connectionString: socketUrl });
    await again.connect();
    expect(Number((await again.query('SELECT count(*) FROM api_tokens')).rows[0].count)).to.equal(committed);
    expect(Number((await again.query('SELECT count(*) FROM stories')).rows[0].count)).to.equal(5);
    await again.end();

    second.kill('SIGTERM');
    await new Promise((resolve) => second.once('exit', resolve));
    expect(second.exitCode).to.equal(0);
    expect(existsSync(pidFile), 'a clean stop stops the adopted server too').to.equal(false);
  });

  it('removes a stale postmaster.pid that names a dead process', async () => {
    const pidFile = path.join(dir, 'data', 'pg', 'postmaster.pid');
    writeFileSync(pidFile, `999999\n${path.join(dir, 'data', 'pg')}\n`);
    const port = await freePort();
    const child = await start(port);
    expect(output).to.contain('removing a stale postmaster.pid');
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  });
});
