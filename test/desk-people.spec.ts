/**
 * First run and people in the desk, through the whole service: `/` leads to the sign-in, an empty
 * installation prints a one-time set-up link and the sign-in page says how to make the first
 * admin; admins add, change, disable (sessions end at once) and enable people, make one-time
 * reset links, create (shown once), list and revoke API tokens; a taken username or an unknown
 * language is a plain sentence. The same from the CLI.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '../src/log.ts';
import { createSource } from '../src/store/sources.ts';
import { createToken } from '../src/store/tokens.ts';
import { startService, type Service } from '../src/service.ts';
import { freshDatabase, testServerUrl, type TestDatabase } from './support/database.ts';
import { writeTestConfig } from './support/service.ts';
import { WebSession } from './support/web-session.ts';

const adminPassword = 'first admin password';

describe('desk: first run and people', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let service: Service;
  let configFile: string;
  const lines: string[] = [];

  before(async () => {
    database = await freshDatabase();
    const config = writeTestConfig({ audiences: [{ id: 'en', language: 'en', provider: 'manual' }, { id: 'fr', language: 'fr', provider: 'manual' }] });
    configFile = path.join(config.configDir, 'config.yaml');
    const destination = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
    service = await startService(config, createLogger('warn', { destination, pretty: false }), { schedule: false, database });
  });
  after(async () => {
    await service?.close();
    await database?.close();
  });

  const signIn = async (username: string, password: string, headers: Record<string, string> = {}) => {
    const s = new WebSession(service.url, headers);
    const res = await s.login(username, password);
    expect(res.status, res.text.slice(0, 800)).to.equal(303);
    return s;
  };
  const setupLink = () => {
    const line = lines.find((l) => l.includes('/ui/setup/'));
    expect(line, lines.join('\n')).to.be.a('string');
    return /\/ui\/setup\/[\w-]+/.exec(line!)![0];
  };

  describe('first run', () => {
    it('leads from the desk to the sign-in page, which says how to create the first admin', async () => {
      const s = new WebSession(service.url);
      expect((await s.get('/ui/')).location).to.equal('/ui/login');
      const login = await s.get('/ui/login');
      expect(login.text).to.contain('Nobody has an account yet. Open the set-up link the service printed in its log');
      expect(login.text).to.contain('npm run cli -- user add --username NAME');
    });

    it('prints one plain line with a one-time set-up link that creates the first admin in the browser', async () => {
      const line = JSON.parse(lines.find((l) => l.includes('/ui/setup/'))!) as { msg: string; level: number };
      expect(line.level).to.equal(40);
      expect(line.msg).to.match(/^Nobody can sign in yet\. Create the first admin at http:\/\/localhost:3000\/ui\/setup\/[\w-]+ \(the link works once\), or run: npm run cli -- user add/);
      const s = new WebSession(service.url);
      const form = await s.get(setupLink());
      expect(form.status).to.equal(200);
      expect(form.text).to.contain('Create the first admin');
      const mismatch = await s.post(setupLink(), { username: 'an', displayName: 'An', password: adminPassword, confirm: 'something else' });
      expect(mismatch.status).to.equal(400);
      expect(mismatch.text).to.contain('The two passwords are not the same.');
      const made = await s.post(setupLink(), { username: 'an', displayName: 'Nguyễn An', password: adminPassword, confirm: adminPassword });
      expect(made.status).to.equal(303);
      expect(made.location).to.equal('/ui/login');
      expect((await s.get('/ui/login')).text).to.contain('The first admin is ready. Sign in.');
      const row = await database.db.selectFrom('users').select(['username', 'role', 'display_name']).executeTakeFirstOrThrow();
      expect(row).to.deep.equal({ username: 'an', role: 'admin', display_name: 'Nguyễn An' });
    });

    it('refuses the set-up link a second time', async () => {
      const s = new WebSession(service.url);
      expect((await s.get(setupLink())).status).to.equal(410);
      const again = await s.post(setupLink(), { username: 'eve', displayName: 'Eve', password: adminPassword, confirm: adminPassword });
      expect(again.status).to.equal(400);
      expect(await database.db.selectFrom('users').select('username').execute()).to.have.length(1);
    });
  });

  describe('people', () => {
    let admin: WebSession;
    before(async () => {
      admin = await signIn('an', adminPassword);
      await admin.post('/ui/account/locale', { locale: 'en' });
    });

    it('keeps each person’s own time zone and shows times in it', async () => {
      await admin.get('/ui/account');
      expect((await admin.post('/ui/account/time-zone', { timeZone: 'Europe/Paris' })).status).to.equal(303);
      expect((await admin.get('/ui/account')).text).to.contain('Times are now shown in Europe/Paris.');
      await admin.post('/ui/account/time-zone', { timeZone: 'Mars/Olympus' });
      expect((await admin.get('/ui/account')).text).to.contain('“Mars/Olympus” is not a time zone.');
      expect((await database.db.selectFrom('users').select('time_zone').where('username', '=', 'an').executeTakeFirstOrThrow()).time_zone).to.equal('Europe/Paris');
      await admin.post('/ui/account/time-zone', { timeZone: 'Asia/Ho_Chi_Minh' });
    });

    it('adds a translator with languages and shows them in the list', async () => {
      await admin.get('/ui/people');
      const added = await admin.post('/ui/people', { username: 'thu', displayName: 'Thu', role: 'translator', languages: ['en', 'fr'], password: 'translator password' });
      expect(added.status, added.text.slice(0, 500)).to.equal(303);
      const list = await admin.get('/ui/people');
      expect(list.text).to.contain('Thu (thu) can now sign in.');
      expect(list.text).to.match(/<td data-label="Languages">en, fr<\/td>/);
      expect(list.text, list.text.slice(0, 3000)).to.contain('<a href="/ui/people" aria-current="page">People</a>');
    });

    it('says plainly when a username is taken or a language unknown, and keeps what was typed', async () => {
      const taken = await admin.post('/ui/people', { username: 'thu', displayName: 'Another Thu', role: 'translator', languages: 'en', password: 'translator password' });
      expect(taken.status).to.equal(409);
      expect(taken.text).to.contain('The username “thu” is already taken. Choose another one.');
      expect(taken.text).to.contain('value="Another Thu"');
      expect(taken.text).not.to.match(/duplicate key|constraint|users_username_key/);
      const unknown = await admin.post('/ui/people', { username: 'lien', displayName: 'Liên', role: 'translator', languages: ['en', 'xx'], password: 'translator password' });
      expect(unknown.status).to.equal(400);
      expect(unknown.text).to.contain('Unknown language: xx. The desk&#39;s languages are en, fr.');
    });

    it('changes a role and languages, and refuses to demote the last admin', async () => {
      const thu = await database.db.selectFrom('users').select('id').where('username', '=', 'thu').executeTakeFirstOrThrow();
      await admin.get(`/ui/people/${thu.id}`);
      const saved = await admin.post(`/ui/people/${thu.id}`, { displayName: 'Thu Trần', role: 'translator', languages: 'fr' });
      expect(saved.status).to.equal(303);
      expect((await database.db.selectFrom('users').select(['display_name', 'languages']).where('id', '=', thu.id).executeTakeFirstOrThrow())).to.deep.equal({ display_name: 'Thu Trần', languages: ['fr'] });
      const me = await database.db.selectFrom('users').select('id').where('username', '=', 'an').executeTakeFirstOrThrow();
      const demote = await admin.post(`/ui/people/${me.id}`, { displayName: 'An', role: 'editor' });
      expect(demote.status).to.equal(409);
      expect(demote.text).to.contain('This is the last active admin: make someone else an admin first.');
      const self = await admin.post(`/ui/people/${me.id}/disable`);
      expect(self.status).to.equal(409);
    });

    it('disables a person: their open session ends at once and they cannot sign in; enabling lets them in again', async () => {
      const thu = await signIn('thu', 'translator password', { 'x-forwarded-for': '198.51.100.20' });
      expect((await thu.get('/ui/queue')).status).to.equal(200);
      const id = (await database.db.selectFrom('users').select('id').where('username', '=', 'thu').executeTakeFirstOrThrow()).id;
      await admin.get(`/ui/people/${id}`);
      expect((await admin.post(`/ui/people/${id}/disable`)).status).to.equal(303);
      expect((await admin.get(`/ui/people/${id}`)).text).to.contain('Disabled: every session of this person has ended');
      const after = await thu.get('/ui/queue');
      expect(after.status).to.equal(303);
      expect(after.location).to.match(/^\/ui\/login/);
      const again = new WebSession(service.url, { 'x-forwarded-for': '198.51.100.21' });
      await again.get('/ui/login');
      expect((await again.post('/ui/login', { username: 'thu', password: 'translator password' })).status).to.equal(401);
      await admin.post(`/ui/people/${id}/enable`);
      await signIn('thu', 'translator password', { 'x-forwarded-for': '198.51.100.22' });
      const list = await admin.get('/ui/people');
      expect(list.text).not.to.contain('<td data-label="Last sign-in">never</td>\n      <td data-label="Status"><span class="state s-active">');
    });

    it('makes a one-time reset link: the new password works, the old one and old sessions do not', async () => {
      const id = (await database.db.selectFrom('users').select('id').where('username', '=', 'thu').executeTakeFirstOrThrow()).id;
      const old = await signIn('thu', 'translator password', { 'x-forwarded-for': '198.51.100.23' });
      await admin.get(`/ui/people/${id}`);
      const made = await admin.post(`/ui/people/${id}/reset`);
      expect(made.status).to.equal(200);
      const link = /http:\/\/localhost:3000(\/ui\/reset\/[\w-]+)/.exec(made.text)![1]!;
      const visitor = new WebSession(service.url);
      const form = await visitor.get(link);
      expect(form.text).to.contain('Hello Thu Trần: choose a new password for the desk.');
      expect((await visitor.post(link, { password: 'a brand new password', confirm: 'a brand new password' })).location).to.equal('/ui/login');
      expect((await old.get('/ui/queue')).status, 'the old session has ended').to.equal(303);
      expect((await visitor.get(link)).status, 'the link works once').to.equal(410);
      await signIn('thu', 'a brand new password', { 'x-forwarded-for': '198.51.100.24' });
    });
  });

  describe('API tokens', () => {
    it('creates a token shown once, lists it with its last use, and revokes it', async () => {
      const admin = await signIn('an', adminPassword);
      await admin.get('/ui/tokens');
      const made = await admin.post('/ui/tokens', { name: 'newsroom-cms', role: 'editor' });
      expect(made.status).to.equal(200);
      const token = /<p class="secret" id="new-token">(dn_[\w-]+)<\/p>/.exec(made.text)![1]!;
      const api = await fetch(`${service.url}/api/v1/sources`, { headers: { authorization: `Bearer ${token}` } });
      expect(api.status).to.equal(200);
      const list = await admin.get('/ui/tokens');
      expect(list.text).to.contain('newsroom-cms').and.contain('by an').and.not.contain(token);
      expect(list.text).not.to.match(/<td data-label="Last used">never<\/td>/);
      const row = await database.db.selectFrom('api_tokens').select('id').where('name', '=', 'newsroom-cms').executeTakeFirstOrThrow();
      expect((await admin.post(`/ui/tokens/${row.id}/revoke`)).status).to.equal(303);
      expect((await fetch(`${service.url}/api/v1/sources`, { headers: { authorization: `Bearer ${token}` } })).status).to.equal(401);
    });

    it('makes a token that skips the QA gate only when asked, says so in the list, and never for a translator token', async () => {
      const admin = await signIn('an', adminPassword);
      const form = await admin.get('/ui/tokens');
      expect(form.text).to.contain('<input type="checkbox" id="token-qa-bypass" name="qaBypass" value="1"');
      expect((await admin.post('/ui/tokens', { name: 'wire-desk', role: 'editor', qaBypass: '1' })).status).to.equal(200);
      expect((await admin.post('/ui/tokens', { name: 'cms-desk', role: 'editor' })).status).to.equal(200);
      const refused = await admin.post('/ui/tokens', { name: 'thu-desk', role: 'translator', qaBypass: '1' });
      expect(refused.status).to.equal(400);
      expect(refused.text).to.contain('Only an editor or admin token can skip the QA gate: a translator token cannot approve.');
      const rows = await database.db.selectFrom('api_tokens').select(['name', 'qa_bypass']).where('name', 'in', ['wire-desk', 'cms-desk', 'thu-desk']).orderBy('name').execute();
      expect(rows).to.deep.equal([{ name: 'cms-desk', qa_bypass: false }, { name: 'wire-desk', qa_bypass: true }]);
      const list = (await admin.get('/ui/tokens')).text;
      const rowOf = (name: string) => list.slice(list.indexOf(`<td data-label="Name">${name}</td>`)).split('</tr>')[0]!;
      expect(rowOf('wire-desk')).to.contain('<td data-label="QA gate"><strong>Bypassed by this token</strong></td>');
      expect(rowOf('cms-desk')).to.contain('<td data-label="QA gate">Applies</td>');
    });

    it('keeps the people and token pages from editors', async () => {
      await database.db.insertInto('users').values({ username: 'lan', display_name: 'Lan', role: 'editor', password_hash: (await database.db.selectFrom('users').select('password_hash').where('username', '=', 'an').executeTakeFirstOrThrow()).password_hash, locale: 'en' }).execute();
      const lan = await signIn('lan', adminPassword);
      expect((await lan.get('/ui/people')).status).to.equal(403);
      expect((await lan.get('/ui/tokens')).status).to.equal(403);
      expect((await lan.get('/ui/queue')).text).not.to.contain('href="/ui/people"');
    });
  });

  describe('the command line', function () {
    this.timeout(120_000); // each command is its own process
    let url: string;
    before(async () => {
      url = `${await testServerUrl()}${(await testServerUrl()).includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${database.schema}`)}`;
    });
    const cli = (args: string[], env: Record<string, string> = {}) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      env: { ...process.env, DATABASE_URL: url, CONFIG_FILE: configFile, LOG_LEVEL: 'error', ...env }, encoding: 'utf8', timeout: 30_000,
    });

    it('lists, disables, enables and resets people, and says plainly when a name is taken', () => {
      const list = cli(['user', 'list']);
      expect(list.status, list.stderr).to.equal(0);
      expect(list.stdout).to.match(/^username\s+name\s+role\s+languages\s+unit\s+last sign-in\s+status$/m).and.match(/^thu\s+Thu Trần\s+translator\s+fr\s+-\s+\S+\s+active$/m);
      const disabled = cli(['user', 'disable', 'thu']);
      expect(disabled.stdout).to.contain('disabled thu: their sessions have ended');
      const reset = cli(['user', 'reset', 'thu']);
      expect(reset.stdout.trim()).to.match(/^http:\/\/localhost:3000\/ui\/reset\/[\w-]+$/);
      const language = cli(['user', 'add', '--username', 'mai', '--name', 'Mai', '--role', 'translator', '--languages', 'en,xx'], { PASSWORD: 'another long password' });
      expect(language.status).to.equal(1);
      expect(language.stderr.trim()).to.equal('user add failed: unknown language xx: the audiences\' languages are en, fr');
    });

    it('makes a token that skips the QA gate with --qa-bypass, and lists which tokens do', () => {
      const made = cli(['token', 'create', '--name', 'wire-cli', '--role', 'editor', '--qa-bypass']);
      expect(made.status, made.stderr).to.equal(0);
      expect(made.stdout.trim()).to.match(/^dn_[\w-]+$/);
      expect(made.stderr).to.contain('This token is shown once; store it now. Its approvals skip the QA gate.');
      const refused = cli(['token', 'create', '--name', 'thu-cli', '--role', 'translator', '--qa-bypass']);
      expect(refused.status).to.equal(1);
      expect(refused.stderr).to.contain('only an editor or admin token may bypass the QA gate');
      const list = cli(['token', 'list']).stdout;
      expect(list).to.match(/^id\s+name\s+role\s+QA gate\s+unit\s+created by\s+last used\s+status$/m).and.match(/^\d+\s+wire-cli\s+editor\s+bypasses\s+-\s+cli\s+never\s+active$/m);
    });

    it('lists and revokes tokens', async () => {
      await createToken(database.db, 'script', 'translator', 'cli');
      const list = cli(['token', 'list']);
      const line = list.stdout.split('\n').find((l) => /\sscript\s/.test(l))!;
      expect(line).to.match(/^\d+\s+script\s+translator\s+applies\s+-\s+cli\s+never\s+active$/);
      const id = line.split(/\s+/)[0]!;
      expect(cli(['token', 'revoke', id]).stdout).to.contain(`revoked token ${id}`);
      expect((await database.db.selectFrom('api_tokens').select('revoked_at').where('name', '=', 'script').executeTakeFirstOrThrow()).revoked_at).to.be.instanceOf(Date);
    });

    it('manages units and puts sources, people and tokens in them', async () => {
      await createSource(database.db, { id: 'so-tttt', name: 'Sở TT&TT', url: 'https://example.org/rss', kind: 'rss', schedule: '*/5 * * * *', fullText: false, enabled: true }, new Date());
      const added = cli(['unit', 'add', 'so-tttt', '--name-vi', 'Sở Thông tin và Truyền thông', '--name-en', 'Department of Information']);
      expect(added.status, added.stderr).to.equal(0);
      expect(added.stdout).to.contain('added unit so-tttt (Sở Thông tin và Truyền thông / Department of Information)');
      expect(cli(['unit', 'add', 'so-tttt', '--name-vi', 'Lại']).stderr).to.contain('unit so-tttt already exists');
      expect(cli(['source', 'unit', 'so-tttt', 'so-tttt']).stdout).to.contain('source so-tttt is in unit so-tttt');
      expect(cli(['user', 'unit', 'thu', 'so-tttt']).stdout).to.contain('thu is in unit so-tttt');
      expect(cli(['user', 'unit', 'thu', 'khong-co']).stderr).to.contain('there is no unit khong-co');
      expect(cli(['token', 'create', '--name', 'cong-thong-tin', '--role', 'editor', '--unit', 'so-tttt']).status).to.equal(0);
      expect(cli(['token', 'list']).stdout).to.match(/^\d+\s+cong-thong-tin\s+editor\s+applies\s+so-tttt\s+cli\s+never\s+active$/m);
      const tokenId = cli(['token', 'list']).stdout.split('\n').find((l) => /\scong-thong-tin\s/.test(l))!.split(/\s+/)[0]!;
      expect(cli(['token', 'unit', tokenId, '-']).stdout).to.contain(`token ${tokenId} is in no unit`);
      expect(cli(['token', 'list']).stdout).to.match(/^\d+\s+cong-thong-tin\s+editor\s+applies\s+-\s+cli\s+never\s+active$/m);
      expect(cli(['token', 'unit', tokenId, 'khong-co']).stderr).to.contain('there is no unit khong-co');
      expect(cli(['token', 'unit', '999999', 'so-tttt']).stderr).to.contain('token 999999 does not exist');
      expect(cli(['token', 'unit', tokenId, 'so-tttt']).stdout).to.contain(`token ${tokenId} is in unit so-tttt: the stories it sends count there`);
      expect(cli(['unit', 'list']).stdout).to.match(/^so-tttt\s+Sở Thông tin và Truyền thông\s+Department of Information\s+1\s+1\s+1\s+0$/m);
      expect(cli(['unit', 'delete', 'so-tttt']).stderr).to.contain('unit so-tttt is named by sources, tokens, people or stories; it stays');
      expect(cli(['user', 'unit', 'thu', '-']).stdout).to.contain('thu is in no unit');
      expect(cli(['unit', 'rename', 'so-tttt', '--name-vi', 'Sở TT&TT']).stdout).to.contain('unit so-tttt is now Sở TT&TT');
    });
  });
});
