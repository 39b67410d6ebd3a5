/**
 * Partner tokens read the audiences their partner was granted, and no other: granted when the
 * partner is added (API, desk, CLI), narrowed later; partners from before grants keep every audience.
 */
import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { clickAndLoad, openBrowser, skipWithoutChromium } from './support/browser.ts';
import { sql } from 'kysely';
import type { Service } from '../src/service.ts';
import { listMigrations, migrate } from '../src/store/migrate.ts';
import { createToken } from '../src/store/tokens.ts';
import { createUser } from '../src/store/users.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { auditPage } from './support/page-audit.ts';
import { apiClient, startTestService, writeTestConfig } from './support/service.ts';
import { WebSession } from './support/web-session.ts';

const audiences = [
  { id: 'en', language: 'en', provider: 'manual' as const },
  { id: 'fr', language: 'fr', provider: 'manual' as const },
  { id: 'ru', language: 'ru', provider: 'manual' as const },
];

describe('partner feeds: audiences granted to a partner', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let service: Service;
  let admin: ReturnType<typeof apiClient>;
  let earlierToken: string;
  let earlierId: number;

  const read = (audience: string, token: string, headers: Record<string, string> = {}) =>
    fetch(`${service.url}/partner/feeds/${audience}/rss.xml`, { headers: { authorization: `Bearer ${token}`, ...headers } });

  before(async () => {
    // a database from before grants, with a partner and its token, that once read the fr feed
    database = await freshDatabase({ migrate: false });
    await migrate(database.db, listMigrations().filter((m) => m.version < '026'));
    const partner = await database.db.insertInto('partners').values({ name: 'Agence Ancienne' }).returning('id').executeTakeFirstOrThrow();
    earlierId = partner.id;
    earlierToken = 'dnp_earlier-partner-token-0123456789';
    const { createHash } = await import('node:crypto');
    await database.db.insertInto('partner_tokens').values({ partner_id: partner.id, token_hash: createHash('sha256').update(earlierToken).digest('hex') }).execute();
    await database.db.insertInto('partner_access').values({ partner_id: partner.id, feed: 'fr/rss.xml', count: 3 }).execute();
    service = await startTestService(writeTestConfig({ audiences }), database);
    await service.settled();
    admin = apiClient(service.url, await createToken(database.db, 'root', 'admin'));
  });
  after(async () => {
    await service?.close();
    await database?.close();
  });

  it('grants a partner from before grants every audience, as rows an admin can narrow', async () => {
    const rows = await database.db.selectFrom('partner_audiences').select(['audience_id', 'granted_by']).where('partner_id', '=', earlierId).orderBy('audience_id').execute();
    expect(rows).to.deep.equal([{ audience_id: 'en', granted_by: 'migration' }, { audience_id: 'fr', granted_by: 'migration' }, { audience_id: 'ru', granted_by: 'migration' }]);
    for (const a of ['en', 'fr', 'ru']) expect((await read(a, earlierToken)).status, a).to.equal(200);
    const { rows: left } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM partner_audience_backfill`.execute(database.db);
    expect(left[0]!.n, 'granted once').to.equal(0);

    const narrowed = await admin('PUT', `/api/v1/partners/${earlierId}/audiences`, { audiences: ['fr'] });
    expect(narrowed.status).to.equal(200);
    expect(narrowed.body.data.audiences).to.deep.equal(['fr']);
    expect((await read('fr', earlierToken)).status).to.equal(200);
    expect((await read('en', earlierToken)).status).to.equal(403);
  });

  it('makes a new partner name its audiences, and refuses its token the others with 403 in the reader\'s language', async () => {
    expect((await admin('POST', '/api/v1/partners', { name: 'Sans audience' })).status).to.equal(400);
    const unknown = await admin('POST', '/api/v1/partners', { name: 'Audience inconnue', audiences: ['de'] });
    expect(unknown.status).to.equal(400);
    expect(unknown.body.error.message).to.contain('"de" is not an audience');
    const made = await admin('POST', '/api/v1/partners', { name: 'Agence Exemple', audiences: ['en'] });
    expect(made.status).to.equal(201);
    expect(made.body.data.audiences).to.deep.equal(['en']);
    const token = (await admin('POST', `/api/v1/partners/${made.body.data.id}/tokens`)).body.data.token as string;
    expect((await read('en', token)).status).to.equal(200);
    for (const a of ['fr', 'ru']) {
      const refused = await read(a, token);
      expect(refused.status, a).to.equal(403);
      expect(await refused.text()).to.equal(`This partner may not read the feeds of the audience “${a}”. Ask the desk to grant it.`);
    }
    const vi = await read('fr', token, { 'accept-language': 'vi-VN,vi;q=0.9,en;q=0.5' });
    expect(await vi.text()).to.equal('Đối tác này không được đọc nguồn tin của đối tượng “fr”. Hãy đề nghị ban biên tập cấp quyền.');
    const listed = (await admin('GET', `/api/v1/partners/${made.body.data.id}`)).body.data;
    expect(listed.audiences).to.deep.equal(['en']);
    expect(listed.grants[0]).to.include({ audience: 'en', grantedBy: 'token:root' });
    // an unknown audience is never a grant, and a refused feed is not counted
    expect((await admin('PUT', `/api/v1/partners/${made.body.data.id}/audiences`, { audiences: ['en', 'xx'] })).status).to.equal(400);
    expect(listed.access.map((a: { feed: string }) => a.feed)).to.not.include('fr/rss.xml');
  });

  it('adds a partner with its audiences and changes them on the desk\'s partner page', async () => {
    await createUser(database.db, { username: 'quan', displayName: 'Quản trị', role: 'admin', password: 'correct horse battery staple', locale: 'en' });
    const desk = new WebSession(service.url);
    expect((await desk.login('quan', 'correct horse battery staple')).status).to.equal(303);
    await desk.get('/ui/partners');
    const none = await desk.post('/ui/partners', { name: 'Báo Không Chọn' });
    expect(none.status).to.equal(400);
    expect(none.text).to.contain('A partner needs at least one audience it may read.');
    expect((await desk.post('/ui/partners', { name: 'Báo Đối Tác', audiences: ['en', 'ru'] })).status).to.equal(303);
    const partner = await database.db.selectFrom('partners').select('id').where('name', '=', 'Báo Đối Tác').executeTakeFirstOrThrow();
    const page = await desk.get('/ui/partners');
    expect(page.text).to.match(new RegExp(`action="/ui/partners/${partner.id}/audiences"[\\s\\S]*?value="en" checked[\\s\\S]*?value="fr" >[\\s\\S]*?value="ru" checked`));
    expect(page.text).to.contain('granted by quan on');
    expect((await desk.post(`/ui/partners/${partner.id}/audiences`, { audiences: 'fr' })).status).to.equal(303);
    const rows = await database.db.selectFrom('partner_audiences').select('audience_id').where('partner_id', '=', partner.id).execute();
    expect(rows.map((r) => r.audience_id)).to.deep.equal(['fr']);
    expect((await desk.get('/ui/partners')).text).to.contain('The audiences of Báo Đối Tác are saved.');
  });

  it('shows the partners page with its audience boxes at 1366 and 390 px, passing the audit, and saves a box ticked in the browser', async function () {
    this.timeout(180_000);
    skipWithoutChromium(this);
    const artifacts = path.resolve('test-artifacts', 'partner-audiences');
    mkdirSync(artifacts, { recursive: true });
    const browser = await openBrowser({ viewport: { width: 1366, height: 900 }, locale: 'en-GB' });
    try {
      const { page } = browser;
      await page.goto(`${service.url}/ui/login`);
      await page.getByLabel('Username').fill('quan');
      await page.getByLabel('Password').fill('correct horse battery staple');
      await Promise.all([page.waitForURL(/\/ui\/(?!login)/), page.getByRole('button', { name: 'Sign in' }).click()]);
      const problems: string[] = [];
      for (const width of [1366, 390]) {
        await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
        await page.goto(`${service.url}/ui/partners`);
        problems.push(...await auditPage(page, `partners-${width}`, artifacts));
      }
      expect(problems, problems.join('\n')).to.deep.equal([]);
      const panel = page.getByRole('region', { name: 'Agence Exemple' });
      await panel.getByRole('group', { name: 'Audiences whose partner feeds Agence Exemple may read' }).getByLabel('ru').check();
      await clickAndLoad(page, panel.getByRole('button', { name: 'Save the audiences' }));
      const made = await database.db.selectFrom('partners').select('id').where('name', '=', 'Agence Exemple').executeTakeFirstOrThrow();
      const rows = await database.db.selectFrom('partner_audiences').select('audience_id').where('partner_id', '=', made.id).orderBy('audience_id').execute();
      expect(rows.map((r) => r.audience_id)).to.deep.equal(['en', 'ru']);
    } finally {
      await browser.close();
    }
  });
});
