/**
 * Two service processes on one PostgreSQL share the work: each story is translated once, each
 * post is sent once, and both serve the same feeds after an approval taken by either of them.
 */
import { expect } from 'chai';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import Parser from 'rss-parser';
import { stringify } from 'yaml';
import type { Database } from '../src/store/schema.ts';
import { createToken } from '../src/store/tokens.ts';
import { startDeepLTestServer, type DeepLTestServer } from './support/deepl-server.ts';
import { startExternalPostgres, type ExternalPostgres } from './support/external-postgres.ts';
import { eventually } from './support/wait.ts';
import { startServiceProcess, type ServiceProcess } from './support/process.ts';
import { apiClient, sampleFeed, serveOnLoopback, type Loopback } from './support/service.ts';
import { startWebhookFake, type WebhookFake } from './support/social/webhook.ts';
import { scratchDir } from './support/scratch.ts';


describe('several instances on one PostgreSQL', function () {
  this.timeout(300_000);
  let external: ExternalPostgres;
  let deepl: DeepLTestServer;
  let origin: Loopback;
  let hook: WebhookFake;
  let db: Kysely<Database>;
  const running: ServiceProcess[] = [];
  const urls: string[] = [];

  before(async () => {
    [external, deepl, origin, hook] = await Promise.all([startExternalPostgres(), startDeepLTestServer(), serveOnLoopback({ '/feed.xml': { body: sampleFeed() } }), startWebhookFake()]);
    const dir = scratchDir('instances');
    chmodSync(dir, 0o755);
    writeFileSync(path.join(dir, 'config.yaml'), stringify({
      audiences: [
        { id: 'en', language: 'en', provider: 'deepl', targetCode: 'EN-GB' },
        { id: 'fr', language: 'fr', provider: 'deepl', targetCode: 'FR' },
      ],
      sources: [{ id: 'sample', name: 'Sample', url: `${origin.url}/feed.xml`, schedule: '* * * * *' }],
      channels: [{ id: 'en-hook', network: 'webhook', audience: 'en', server: `${hook.url}/hook`, windows: ['0 8 * * *'], maxPostsPerWindow: 10 }],
      ingest: { allowPrivateHosts: ['127.0.0.1'] },
    }));
    // the first start migrates; the second then starts on the same schema
    for (const name of ['a', 'b']) {
      const service = await startServiceProcess({
        CONFIG_FILE: path.join(dir, 'config.yaml'), DATABASE_URL: external.url,
        FEEDS_DIR: path.join(dir, `feeds-${name}`), DATA_DIR: path.join(dir, `data-${name}`), LOG_LEVEL: 'warn',
        DEEPL_AUTH_KEY: 'test-key', DEEPL_SERVER_URL: deepl.url, PUBLIC_URL: 'http://news.example.org',
      });
      running.push(service);
      urls.push(service.url);
    }
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: external.url, max: 2 }) }) });
  });

  after(async () => {
    await Promise.all(running.map((service) => service.stop('SIGTERM')));
    await db?.destroy();
    await Promise.all([external?.stop(), deepl?.close(), origin?.close(), hook?.close()]);
  });

  it('translates once, posts once and serves the same feeds from both', async () => {
    const editorToken = await createToken(db, 'lan', 'editor');
    const [a, b] = urls.map((u) => apiClient(u, editorToken)) as [ReturnType<typeof apiClient>, ReturnType<typeof apiClient>];
    // the second pair of eyes: drafts submitted with one token are approved with another, which
    // skips the QA gate (and says so): the test provider's drafts are not translations of their stories
    const approverToken = await createToken(db, 'hoa', 'editor', undefined, { qaBypass: true });
    const [approveA, approveB] = urls.map((u) => apiClient(u, approverToken)) as [ReturnType<typeof apiClient>, ReturnType<typeof apiClient>];

    // both ask for the same poll at once; scheduled polls may run too: still one story per item
    await Promise.all([a('POST', '/api/v1/sources/sample/poll'), b('POST', '/api/v1/sources/sample/poll')]);
    // a priority statement pushed to each instance posts at once
    for (const [client, n] of [[a, 1], [b, 2]] as const) {
      const pushed = await client('POST', '/api/v1/stories', {
        title: `Người phát ngôn Bộ Ngoại giao trả lời câu hỏi số ${n}`, summary: `Tuyên bố số ${n} của Bộ Ngoại giao về biển Đông.`,
        bodyHtml: `<p>Chiều ${n}/12, Người phát ngôn Bộ Ngoại giao trả lời câu hỏi số ${n} của phóng viên về tình hình khu vực và lập trường nhất quán của Việt Nam.</p>`,
        url: `https://mofa.example.vn/phat-ngon/${n}`, priority: true,
      });
      expect(pushed.status, JSON.stringify(pushed.body)).to.be.oneOf([200, 201]);
    }
    const drafts = await eventually('every draft', async () => {
      const rows = (await a('GET', '/api/v1/translations?state=machine_translated&limit=100')).body.data as Array<{ id: number; audience: string; storyId: number }>;
      return rows.length === 14 ? rows : undefined;
    }, { timeoutMs: 30_000 });
    expect((await db.selectFrom('stories').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n).to.equal('7');

    // approvals alternate between the instances
    for (const [i, t] of drafts.entries()) {
      const [client, approver] = i % 2 ? [b, approveA] : [a, approveB];
      const submitted = await client('POST', `/api/v1/translations/${t.id}/submit`);
      expect(submitted.status).to.equal(200);
      const approved = await approver('POST', `/api/v1/translations/${t.id}/approve`, { version: submitted.body.data.version });
      expect(approved.status, JSON.stringify(approved.body)).to.equal(200);
    }

    // each story and audience went to the provider once, and has one machine draft
    const machineDrafts = await sql<{ translation_id: number; n: number }>`SELECT translation_id, count(*)::int AS n FROM revisions WHERE kind = 'machine' GROUP BY translation_id`.execute(db);
    expect(machineDrafts.rows).to.have.length(14);
    expect(machineDrafts.rows.every((r) => r.n === 1)).to.equal(true);
    const asked = deepl.requests.filter((r) => r.path === '/v2/translate').map((r) => `${r.params.target_lang}|${r.params.context}`);
    expect(new Set(asked).size, 'no story was sent twice for one audience').to.equal(asked.length);

    // the two priority posts went out once each; the others wait for the morning window
    await eventually('the priority posts', async () => (hook.deliveries.length >= 2 ? true : undefined));
    // every publication's social effect carried out (each approval's posts are made after its
    // commit), both priority posts recorded as sent and none being sent: no claim is left that could
    // deliver one again, and no post is still to be made
    await eventually('the posts made, and recorded as sent', async () => {
      const { rows } = await sql<{ sent: number; sending: number; effects: number }>`
        SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*) FILTER (WHERE status = 'sending')::int AS sending,
          (SELECT count(*)::int FROM publication_effects WHERE effect = 'social' AND done_at IS NULL) AS effects
        FROM social_posts`.execute(db);
      return rows[0]!.sent === 2 && rows[0]!.sending === 0 && rows[0]!.effects === 0;
    });
    expect(hook.deliveries).to.have.length(2);
    expect(new Set(hook.deliveries.map((d) => d.key)).size).to.equal(2);
    const posts = await sql<{ status: string; n: number }>`SELECT status, count(*)::int AS n FROM social_posts GROUP BY status ORDER BY status`.execute(db);
    expect(posts.rows.reduce((sum, r) => sum + r.n, 0), 'one post per translation and channel').to.equal(7);

    // both instances serve the same feed items, each once
    const parser = new Parser();
    const feedIds = async (base: string) => (await parser.parseString(await (await fetch(`${base}/feeds/en/rss.xml`)).text())).items.map((i) => i.guid ?? i.link);
    const [idsA, idsB] = await eventually('the same feed on both instances', async () => {
      const [x, y] = await Promise.all(urls.map(feedIds));
      return x!.length === 7 && JSON.stringify(x) === JSON.stringify(y) ? [x!, y!] : undefined;
    }, { timeoutMs: 15_000 });
    expect(new Set(idsA).size).to.equal(7);
    expect(idsB).to.deep.equal(idsA);
  });
});
