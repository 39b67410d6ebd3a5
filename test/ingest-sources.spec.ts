/** The sources admin API, the config-versus-API rule at start, and scheduled polling through jobs. */
import { expect } from 'chai';
import type { SourceConfig } from '../src/config.ts';
import { startPollScheduler } from '../src/ingest/scheduler.ts';
import type { Service } from '../src/service.ts';
import { deleteSource, getSource, syncSourcesFromConfig, updateSource, withSourceLock } from '../src/store/sources.ts';
import { createToken } from '../src/store/tokens.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { testLogger } from './support/logger.ts';
import { body, startOrigin, type Origin } from './support/origin.ts';
import { apiClient, startTestService, writeTestConfig } from './support/service.ts';

const NOW = new Date('2026-11-27T03:02:00Z');
const feed = (guid: string) => `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>http://127.0.0.1/</link><description>d</description><item><title>Tin ${guid}</title><guid>${guid}</guid><link>http://127.0.0.1/${guid}</link><description>Tóm tắt</description><content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">&lt;p&gt;Nội dung&lt;/p&gt;</content:encoded></item></channel></rss>`;

describe('ingest: sources', function () {
  this.timeout(30_000);
  let database: TestDatabase;
  let service: Service;
  let origin: Origin;
  let admin: ReturnType<typeof apiClient>;
  let editor: ReturnType<typeof apiClient>;

  before(async () => {
    origin = await startOrigin();
    origin.routes.set('/a.xml', body(feed('a-1')));
    origin.routes.set('/b.xml', body(feed('b-1')));
    database = await freshDatabase();
    const config = writeTestConfig({
      audiences: [{ id: 'en', language: 'en', provider: 'manual' }],
      sources: [{ id: 'from-config', name: 'Từ tệp cấu hình', url: `${origin.url}/a.xml`, schedule: '*/10 * * * *' }],
    });
    service = await startTestService(config, database, () => NOW);
    admin = apiClient(service.url, await createToken(database.db, 'root', 'admin'));
    editor = apiClient(service.url, await createToken(database.db, 'lan', 'editor'));
  });
  after(async () => {
    await service?.close();
    await database?.close();
    await origin?.close();
  });

  it('lists config sources and adds, reads, changes and deletes sources through the API', async () => {
    const list = await editor('GET', '/api/v1/sources');
    expect(list.body.data.map((s: { id: string; origin: string }) => `${s.id}:${s.origin}`)).to.deep.equal(['from-config:config']);

    expect((await editor('POST', '/api/v1/sources', { id: 'x', name: 'x', url: `${origin.url}/b.xml` })).status, 'adding needs admin').to.equal(403);
    const bad = await admin('POST', '/api/v1/sources', { id: 'Bad Id', name: 'x', url: 'ftp://x' });
    expect(bad.status).to.equal(400);
    expect((await admin('POST', '/api/v1/sources', { id: 'x', name: 'x', url: `${origin.url}/b.xml`, schedule: 'every minute' })).body.error.message).to.match(/schedule: must be a cron expression/);
    expect((await admin('POST', '/api/v1/sources', { id: 'x', name: 'x', url: 'file:///etc/passwd' })).status, 'file: only from the config').to.equal(400);

    const created = await admin('POST', '/api/v1/sources', { id: 'tinh-b', name: 'Tỉnh B', url: `${origin.url}/b.xml`, kind: 'auto', schedule: '*/15 * * * *', fullText: true });
    expect(created.status).to.equal(201);
    expect(created.body.data).to.include({ id: 'tinh-b', name: 'Tỉnh B', origin: 'api', fullText: true, enabled: true, schedule: '*/15 * * * *' });
    expect((await admin('POST', '/api/v1/sources', { id: 'tinh-b', name: 'again', url: `${origin.url}/b.xml` })).status).to.equal(409);

    const patched = await admin('PATCH', '/api/v1/sources/tinh-b', { name: 'Tỉnh B (sửa)', schedule: '0 7 * * *', enabled: false });
    expect(patched.status).to.equal(200);
    expect(patched.body.data).to.include({ name: 'Tỉnh B (sửa)', schedule: '0 7 * * *', enabled: false });
    expect(patched.body.data.nextPollAt, 'next 07:00 in Ha Noi').to.equal('2026-11-28T00:00:00.000Z');
    expect((await admin('PATCH', '/api/v1/sources/tinh-b', { color: 'red' })).status).to.equal(400);
    expect((await admin('PATCH', '/api/v1/sources/nope', { name: 'x' })).status).to.equal(404);

    expect((await editor('GET', '/api/v1/sources/tinh-b')).body.data.name).to.equal('Tỉnh B (sửa)');
    expect((await admin('DELETE', '/api/v1/sources/tinh-b')).status).to.equal(204);
    expect((await editor('GET', '/api/v1/sources/tinh-b')).status).to.equal(404);
    expect((await editor('GET', '/api/v1/sources')).body.data.map((s: { id: string }) => s.id)).to.deep.equal(['from-config']);
    const revived = await admin('POST', '/api/v1/sources', { id: 'tinh-b', name: 'Tỉnh B mới', url: `${origin.url}/b.xml` });
    expect(revived.status, 'a deleted id can be created again').to.equal(201);
  });

  it('polls now and shows the status', async () => {
    const poll = await editor('POST', '/api/v1/sources/from-config/poll');
    expect(poll.body.data).to.deep.equal({ new: 1, updated: 0, unchanged: 0, failed: 0 });
    const status = (await editor('GET', '/api/v1/sources/from-config/status')).body.data;
    expect(status).to.include({ lastSuccessAt: NOW.toISOString(), lastError: null, consecutiveFailures: 0, nextPollAt: '2026-11-27T03:10:00.000Z' });
    expect(status.lastPoll).to.deep.equal({ new: 1, updated: 0, unchanged: 0, failed: 0 });
    expect((await editor('POST', '/api/v1/sources/nope/poll')).status).to.equal(404);
  });

  it('lets one worker poll a source at a time (another instance holding it gets 409)', async () => {
    let inner: { status: number; body: { error: { code: string; message: string } } } | undefined;
    const held = await withSourceLock(database.db, 'from-config', async () => {
      inner = await editor('POST', '/api/v1/sources/from-config/poll');
      return true;
    });
    expect(held.locked).to.equal(true);
    expect(inner!.status).to.equal(409);
    expect(inner!.body.error.message).to.match(/being polled right now by another worker/);
    expect((await editor('POST', '/api/v1/sources/from-config/poll')).status, 'free again afterwards').to.equal(200);
  });

  it('polls due sources on schedule through one job per source', async () => {
    await database.db.updateTable('sources').set({ next_poll_at: null }).execute();
    const scheduler = startPollScheduler({ db: database.db, log: testLogger, jobs: service.jobs, clock: () => NOW, tickSeconds: 15, start: false });
    const sent = await scheduler.tick();
    expect(sent).to.equal(2); // from-config and tinh-b
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const rows = await database.db.selectFrom('sources').select(['id', 'next_poll_at']).where('deleted_at', 'is', null).execute();
      if (rows.every((r) => r.next_poll_at && r.next_poll_at > NOW)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const b = await getSource(database.db, 'tinh-b');
    expect(b.last_success_at?.toISOString()).to.equal(NOW.toISOString());
    expect(await scheduler.tick(), 'nothing is due until the next match').to.equal(0);
    await scheduler.stop();
  });

  describe('config at start versus API changes', () => {
    let db: TestDatabase;
    before(async () => {
      db = await freshDatabase();
    });
    after(async () => db?.close());

    const source = (over: Partial<SourceConfig> = {}): SourceConfig => ({ language: 'vi', id: 's', name: 'Nguồn', url: 'https://a.example/rss', kind: 'auto', schedule: '*/5 * * * *', fullText: false, enabled: true, ...over });

    it('follows the file for an untouched source, keeps an API edit, keeps an API delete', async () => {
      const said: string[] = [];
      await syncSourcesFromConfig(db.db, [source(), source({ id: 't' })], new Date(), (m) => said.push(m));
      await syncSourcesFromConfig(db.db, [source({ name: 'Nguồn (tệp mới)' }), source({ id: 't' })], new Date(), (m) => said.push(m));
      expect((await getSource(db.db, 's')).name).to.equal('Nguồn (tệp mới)');

      // the edit and the delete are stamped with the caller's clock, and the next start names those times
      const edited = new Date('2026-11-20T09:00:00Z');
      const deleted = new Date('2026-11-21T10:30:00Z');
      await updateSource(db.db, 's', { name: 'Nguồn (sửa qua API)', schedule: '0 * * * *' }, edited);
      await deleteSource(db.db, 't', deleted);
      await syncSourcesFromConfig(db.db, [source({ name: 'Nguồn (tệp lần ba)' }), source({ id: 't' })], new Date(), (m) => said.push(m));
      const s = await getSource(db.db, 's');
      expect(s.name).to.equal('Nguồn (sửa qua API)');
      expect(s.schedule).to.equal('0 * * * *');
      expect(s.updated_at.toISOString()).to.equal(edited.toISOString());
      expect(said, said.join('\n')).to.include("source s was changed through the API on 2026-11-20T09:00:00.000Z; keeping the database's name, schedule over the configuration file's");
      expect(said.some((m) => m.startsWith('source t is in the configuration but was deleted through the API on 2026-11-21T10:30:00.000Z;'))).to.equal(true);
      expect(await getSource(db.db, 't').catch((e: Error) => e.message)).to.equal('source t does not exist');
    });
  });
});
