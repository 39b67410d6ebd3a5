/**
 * SIGTERM while a story is being translated: the service stops taking work, lets the running job
 * finish, closes the database and exits 0; a restart has nothing left to redo.
 */
import { expect } from 'chai';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { stringify } from 'yaml';
import type { Database } from '../src/store/schema.ts';
import { createToken } from '../src/store/tokens.ts';
import { TRANSLATE_STORY } from '../src/translate/translate-story.job.ts';
import { startDeepLTestServer, type DeepLTestServer } from './support/deepl-server.ts';
import { freePort } from './support/net.ts';
import { startServiceProcess, type ServiceProcess } from './support/process.ts';
import { apiClient } from './support/service.ts';
import { scratchDir } from './support/scratch.ts';
import { eventually } from './support/wait.ts';

describe('graceful shutdown', function () {
  this.timeout(240_000);
  let deepl: DeepLTestServer;
  let dir: string;
  const running: ServiceProcess[] = [];
  const start = async (port: number) => {
    const service = await startServiceProcess({ CONFIG_FILE: path.join(dir, 'config.yaml'), DATA_DIR: path.join(dir, 'data'), FEEDS_DIR: path.join(dir, 'feeds'), DEEPL_AUTH_KEY: 'test-key', DEEPL_SERVER_URL: deepl.url }, { port });
    running.push(service);
    return service;
  };
  const database = () => new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: `postgresql://doingoai@/doingoai?host=${encodeURIComponent(path.join(dir, 'data', 'pg'))}&port=5432`, max: 1 }) }) });

  before(async () => {
    deepl = await startDeepLTestServer({ latencyMs: 1500 });
    dir = scratchDir('shutdown');
    chmodSync(dir, 0o755);
    writeFileSync(path.join(dir, 'config.yaml'), stringify({ audiences: [{ id: 'en', language: 'en', provider: 'deepl', targetCode: 'EN-GB' }, { id: 'fr', language: 'fr', provider: 'deepl', targetCode: 'FR' }] }));
  });
  after(async () => {
    for (const service of running) await service.stop('SIGKILL');
    await deepl?.close();
  });

  it('finishes the running translation, exits 0, and a restart redoes nothing', async () => {
    const port = await freePort();
    const first = await start(port);
    let db = database();
    const token = await createToken(db, 'lan', 'editor');
    await db.destroy();
    const pushed = await apiClient(first.url, token)('POST', '/api/v1/stories', {
      title: 'Hội nghị thông tin đối ngoại năm 2026', summary: 'Sáng 27/11, hội nghị tổng kết công tác thông tin đối ngoại.',
      bodyHtml: '<p>Sáng 27/11, tại Hà Nội, hội nghị tổng kết công tác thông tin đối ngoại năm 2026 đã diễn ra với 300 đại biểu.</p>',
    });
    expect(pushed.status, JSON.stringify(pushed.body)).to.be.oneOf([200, 201]);
    await eventually('the translation under way', async () => deepl.requests.some((r) => r.path === '/v2/translate'), { timeoutMs: 5_000 });

    expect(await first.stop('SIGTERM')).to.equal(0);
    expect(first.output()).to.contain('SIGTERM received');
    const asked = deepl.requests.filter((r) => r.path === '/v2/translate').length;
    expect(asked).to.equal(2); // one request per audience, both answered before the exit

    const second = await start(port);
    db = database();
    try {
      const rows = await db.selectFrom('translations').select(['audience_id', 'state']).orderBy('audience_id').execute();
      expect(rows).to.deep.equal([{ audience_id: 'en', state: 'machine_translated' }, { audience_id: 'fr', state: 'machine_translated' }]);
      // the restart's dispatch of unfinished work is over once no translation job waits or runs
      await eventually('no translation job left', async () => {
        const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pgboss.job WHERE name = ${TRANSLATE_STORY} AND state IN ('created', 'retry', 'active')`.execute(db);
        return rows[0]!.n === 0;
      });
      expect(deepl.requests.filter((r) => r.path === '/v2/translate').length, 'nothing was sent again after the restart').to.equal(asked);
    } finally {
      await db.destroy();
    }
    expect(await second.stop('SIGTERM')).to.equal(0);
  });
});
