/**
 * The consequences of an approval survive a crash: the service (a real child process) is killed
 * with SIGKILL the moment the approval's 200 arrives, while the post is still being placed (the test
 * holds the channel's slot lock, so that moment is certain rather than lucky). After a restart the
 * post is placed and sent exactly once, the feed has the item and the hub heard of the change; a
 * takedown's consequences are carried out the same way.
 */
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { stringify } from 'yaml';
import type { Database } from '../src/store/schema.ts';
import { createToken } from '../src/store/tokens.ts';
import { testServerUrl } from './support/database.ts';
import { startServiceProcess, type ServiceProcess } from './support/process.ts';
import { apiClient, serveRecorder, type Recorder } from './support/service.ts';
import { startWebhookFake, type WebhookFake } from './support/social/webhook.ts';
import { scratchDir } from './support/scratch.ts';
import { eventually } from './support/wait.ts';

/** The shared test server's connection string, pointed at another database on it. */
const onDatabase = (url: string, name: string) => url.replace(/^(postgres(?:ql)?:\/\/[^/]*\/)[^?]*/, `$1${name}`);

describe('an approval\'s consequences across a crash', function () {
  this.timeout(240_000);
  let server: string;
  let name: string;
  let dir: string;
  let hook: WebhookFake;
  let hub: Recorder;
  let db: Kysely<Database>;
  const running: ServiceProcess[] = [];
  const start = async () => {
    const service = await startServiceProcess({
      CONFIG_FILE: path.join(dir, 'config.yaml'), DATABASE_URL: onDatabase(server, name), DATA_DIR: path.join(dir, 'data'),
      FEEDS_DIR: path.join(dir, 'feeds'), PUBLIC_URL: 'http://news.example.org', DEEPL_AUTH_KEY: '', LOG_LEVEL: 'warn',
    });
    running.push(service);
    return service;
  };
  const postsOf = async (id: number) => (await db.selectFrom('social_posts').select(['id', 'status']).where('translation_id', '=', id).execute());

  before(async () => {
    server = await testServerUrl();
    name = `crash_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: onDatabase(server, name), max: 2 }) }) });
    [hook, hub] = await Promise.all([startWebhookFake(), serveRecorder()]);
    dir = scratchDir('crash-approval');
    writeFileSync(path.join(dir, 'config.yaml'), stringify({
      audiences: [{ id: 'en', language: 'en', provider: 'manual' }],
      channels: [{ id: 'en-hook', network: 'webhook', audience: 'en', server: `${hook.url}/hook`, windows: ['0 8 * * *'], maxPostsPerWindow: 10 }],
      publishing: { websubHubs: [`${hub.url}/`] },
      ingest: { allowPrivateHosts: ['127.0.0.1'] },
    }));
  });

  after(async () => {
    for (const s of running) await s.stop('SIGKILL');
    await db?.destroy();
    await Promise.all([hook?.close(), hub?.close()]);
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
    await admin.end();
  });

  it('places the post once and has the item in the feed after a kill at the 200', async () => {
    const first = await start();
    const editor = apiClient(first.url, await createToken(db, 'lan', 'editor'));
    const pushed = await editor('POST', '/api/v1/stories', {
      title: 'Người phát ngôn Bộ Ngoại giao trả lời câu hỏi', summary: 'Tuyên bố của Bộ Ngoại giao.',
      bodyHtml: '<p>Chiều nay, Người phát ngôn Bộ Ngoại giao trả lời câu hỏi của phóng viên.</p>', url: 'https://mofa.example.vn/phat-ngon/1', priority: true,
    });
    expect(pushed.status, JSON.stringify(pushed.body)).to.be.oneOf([200, 201]);
    const storyId = (pushed.body.data.id ?? pushed.body.data.story?.id) as number;
    const translation = await eventually('the translation row', () => db.selectFrom('translations').select('id').where('story_id', '=', storyId).executeTakeFirst());
    // a translator's text waiting for review: another person approves it
    await db.updateTable('translations').set({
      state: 'in_review', title: 'Spokesperson answers a question', summary: 'A statement by the Ministry.',
      body_html: '<p>This afternoon the spokesperson answered a reporter.</p>', last_editor: 'thu',
    }).where('id', '=', translation.id).execute();

    // the channel's slot lock, held here: placing the post waits for it, the answer does not
    const holder = new pg.Client({ connectionString: onDatabase(server, name) });
    await holder.connect();
    await holder.query(`SELECT pg_advisory_lock(hashtext('social:en-hook'))`);
    try {
      // the version the approver read
      const { version } = await db.selectFrom('translations').select('version').where('id', '=', translation.id).executeTakeFirstOrThrow();
      const approved = await editor('POST', `/api/v1/translations/${translation.id}/approve`, { version });
      await first.stop('SIGKILL');
      expect(approved.status, JSON.stringify(approved.body)).to.equal(200);
    } finally {
      await holder.end();
    }
    expect((await db.selectFrom('publications').select('translation_id').where('translation_id', '=', translation.id).execute()), 'the publication is committed').to.have.length(1);
    expect(await postsOf(translation.id), 'killed before the post was placed').to.have.length(0);

    const second = await start();
    await eventually('the post sent after the restart', async () => (hook.deliveries.length >= 1 ? true : undefined), { timeoutMs: 30_000 });
    const rss = await (await fetch(`${second.url}/feeds/en/rss.xml`)).text();
    expect(rss).to.contain('Spokesperson answers a question');
    // the ping is a durable job: one killed while it ran is run again once it expires (60 s)
    const pings = await sql<{ data: { topics: string[] } }>`SELECT data FROM pgboss.job WHERE name = 'feeds.websub-ping'`.execute(db);
    expect(pings.rows.flatMap((r) => r.data.topics), 'the WebSub ping is queued').to.include('http://news.example.org/feeds/en/rss.xml');
    expect(await db.selectFrom('publication_effects').select('id').where('done_at', 'is', null).execute(), 'nothing left pending').to.have.length(0);
    // and what another instance leaves pending is swept every minute, by whichever instance pg-boss picks
    const sweeps = await sql<{ name: string; cron: string }>`SELECT name, cron FROM pgboss.schedule`.execute(db);
    expect(sweeps.rows).to.deep.include({ name: 'feeds.effects-sweep', cron: '* * * * *' });

    // started again: nothing is placed or sent a second time
    expect(await second.stop('SIGTERM')).to.equal(0);
    const third = await start();
    await new Promise((r) => setTimeout(r, 2000));
    expect(hook.deliveries, 'posted exactly once').to.have.length(1);
    expect((await postsOf(translation.id)).map((p) => p.status)).to.deep.equal(['sent']);

    // a takedown killed at its 200 while the post's removal is being asked for: done after the restart
    const editor3 = apiClient(third.url, await createToken(db, 'mai', 'editor'));
    const locker = new pg.Client({ connectionString: onDatabase(server, name) });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('SELECT id FROM social_posts WHERE translation_id = $1 FOR UPDATE', [translation.id]);
    try {
      const withdrawn = await editor3('POST', `/api/v1/translations/${translation.id}/withdraw`, { reason: 'wrong attribution' });
      await third.stop('SIGKILL');
      expect(withdrawn.status, JSON.stringify(withdrawn.body)).to.equal(200);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    const removalAsked = async () => (await db.selectFrom('social_posts').select('removal').where('translation_id', '=', translation.id).executeTakeFirstOrThrow()).removal;
    expect(await removalAsked(), 'killed before the removal was recorded').to.equal(null);
    const fourth = await start();
    await eventually('the removal recorded after the restart', async () => ((await removalAsked()) !== null ? true : undefined), { timeoutMs: 30_000 });
    expect(await (await fetch(`${fourth.url}/feeds/en/rss.xml`)).text()).not.to.contain('Spokesperson answers a question');
    const pending = await sql<{ n: number }>`SELECT count(*)::int AS n FROM publication_effects WHERE done_at IS NULL`.execute(db);
    expect(pending.rows[0]!.n).to.equal(0);
    expect(await fourth.stop('SIGTERM')).to.equal(0);
  });
});
