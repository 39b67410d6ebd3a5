/**
 * The service is killed with SIGKILL while it writes, then started again on the same data folder:
 * it must adopt the embedded PostgreSQL server left running, start, and have lost nothing committed.
 */
import { expect } from 'chai';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { stringify } from 'yaml';
import type { Database } from '../src/store/schema.ts';
import { createToken } from '../src/store/tokens.ts';
import { freePort } from './support/net.ts';
import { startServiceProcess, type ServiceProcess } from './support/process.ts';
import { apiClient, sampleFeed, serveOnLoopback, type Loopback } from './support/service.ts';
import { scratchDir } from './support/scratch.ts';

describe('crash recovery', function () {
  this.timeout(240_000);
  let dir: string;
  let origin: Loopback;
  const running: ServiceProcess[] = [];
  const start = async (port: number) => {
    const service = await startServiceProcess({ CONFIG_FILE: path.join(dir, 'config.yaml'), DATA_DIR: path.join(dir, 'data'), FEEDS_DIR: path.join(dir, 'feeds'), DEEPL_AUTH_KEY: '' }, { port });
    running.push(service);
    return service;
  };
  const socketUrl = () => `postgresql://doingoai@/doingoai?host=${encodeURIComponent(path.join(dir, 'data', 'pg'))}&port=5432`;

  before(async () => {
    dir = scratchDir('crash');
    chmodSync(dir, 0o755); // the embedded server runs as the postgres user when we are root
    origin = await serveOnLoopback({ '/feed.xml': { body: sampleFeed() } });
    writeFileSync(path.join(dir, 'config.yaml'), stringify({
      audiences: [{ id: 'en', language: 'en', provider: 'manual' }, { id: 'lo', language: 'lo', provider: 'manual' }],
      sources: [{ id: 'sample', name: 'Sample', url: `${origin.url}/feed.xml`, schedule: '0 0 1 1 *' }],
      ingest: { allowPrivateHosts: ['127.0.0.1'] },
    }));
  });
  after(async () => {
    for (const s of running) await s.stop('SIGKILL');
    await origin.close();
  });

  it('starts again after SIGKILL while it writes, adopting the orphaned server, with every acknowledged story kept', async () => {
    const port = await freePort();
    const first = await start(port);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: socketUrl(), max: 1 }) }) });
    const api = apiClient(first.url, await createToken(db, 'desk', 'editor'));
    await db.destroy();

    // the service stores pushed stories (and their translations) until it is killed mid-stream
    const acknowledged: string[] = [];
    const pushing = (async () => {
      for (let i = 0; ; i++) {
        const url = `https://tin.example.vn/bai-${i}.html`;
        const res = await api('POST', '/api/v1/stories', { title: `Tin số ${i}: hội nghị ${i} về công tác đối ngoại`, summary: `Tóm tắt tin số ${i}.`, bodyHtml: `<p>Nội dung tin số ${i}, với ${i * 7} đại biểu tham dự.</p>`, url })
          .catch(() => undefined);
        if (!res) return; // the connection died with the process
        if (res.status === 200 || res.status === 201) acknowledged.push(url);
      }
    })();
    while (acknowledged.length < 5) await new Promise((r) => setTimeout(r, 10));
    await first.stop('SIGKILL');
    await pushing;
    const pidFile = path.join(dir, 'data', 'pg', 'postmaster.pid');
    expect(existsSync(pidFile), 'the PostgreSQL server outlives the killed service').to.equal(true);
    const orphanPid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);

    const second = await start(port);
    expect(second.output()).to.contain(`adopting the PostgreSQL server (pid ${orphanPid})`);
    const again = new pg.Client({ connectionString: socketUrl() });
    await again.connect();
    const stored = (await again.query<{ url: string; translations: number }>(
      'SELECT s.url, (SELECT count(*)::int FROM translations t WHERE t.story_id = s.id) AS translations FROM stories s WHERE s.url = ANY($1)', [acknowledged])).rows;
    await again.end();
    expect(stored.map((r) => r.url).sort(), 'every story the service acknowledged is there').to.deep.equal([...acknowledged].sort());
    expect(stored.every((r) => r.translations === 2), 'and never half-stored: each has its translations').to.equal(true);

    expect(await second.stop('SIGTERM')).to.equal(0);
    expect(existsSync(pidFile), 'a clean stop stops the adopted server too').to.equal(false);
  });

  it('removes a stale postmaster.pid that names a dead process', async () => {
    const pidFile = path.join(dir, 'data', 'pg', 'postmaster.pid');
    writeFileSync(pidFile, `999999\n${path.join(dir, 'data', 'pg')}\n`);
    const service = await start(await freePort());
    expect(service.output()).to.contain('removing a stale postmaster.pid');
    expect(await service.stop('SIGTERM')).to.equal(0);
  });
});
