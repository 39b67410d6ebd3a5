/**
 * The review desk over HTTP, through the whole service: sign-in and sessions, roles and languages,
 * CSRF, the queue, the editor (save with optimistic concurrency, submit, approve with four eyes
 * and the QA gate, reject, comments, restore, claims), the glossary and new-story pages.
 */
import { expect } from 'chai';
import { qaFound } from '../src/ops/figures.ts';
import type { Service } from '../src/service.ts';
import { createToken } from '../src/store/tokens.ts';
import { lookupMemory, rememberPairs } from '../src/store/translation-memory.ts';
import { createUser } from '../src/store/users.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { draft, password, people } from './support/review-fixtures.ts';
import { apiClient, startTestService, writeTestConfig } from './support/service.ts';
import { WebSession } from './support/web-session.ts';

const now = new Date('2026-11-27T08:00:00Z');

describe('review desk', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let service: Service;
  let enId: number;
  let priorityId: number;
  let frId: number;

  before(async () => {
    database = await freshDatabase();
    const config = writeTestConfig({
      audiences: [{ id: 'en', language: 'en', provider: 'manual' }, { id: 'fr', language: 'fr', provider: 'manual' }],
      review: { slaMinutes: 60, claimMinutes: 30, loginAttempts: 3, loginAddressAttempts: 6, loginWindowMinutes: 15 },
    });
    service = await startTestService(config, database, () => now);
    await people(database.db);
    enId = await draft(database.db, { guid: 'a', ingestedAt: new Date('2026-11-27T06:00:00Z') });
    priorityId = await draft(database.db, { guid: 'b', priority: true, ingestedAt: new Date('2026-11-27T07:40:00Z'), title: 'Priority statement' });
    frId = await draft(database.db, { guid: 'c', audience: 'fr', title: 'Le porte-parole' });
  });
  after(async () => {
    await service?.close();
    await database?.close();
  });

  const signedIn = async (username: string) => {
    const s = new WebSession(service.url);
    const res = await s.login(username, password);
    expect(res.status, res.text.slice(0, 500)).to.equal(303);
    return s;
  };

  describe('sign-in and access', () => {
    it('sends anonymous visitors to the sign-in page and answers the API with 401', async () => {
      const s = new WebSession(service.url);
      const page = await s.get('/ui/queue?audience=en');
      expect(page.status).to.equal(303);
      expect(page.location).to.equal('/ui/login?next=%2Fui%2Fqueue%3Faudience%3Den');
      const api = await s.get('/api/v1/translations');
      expect(api.status).to.equal(401);
      const post = await s.request('POST', `/ui/translations/${enId}`, { form: { title: 'x', version: '1' } });
      expect(post.status).to.equal(401);
    });

    it('refuses a wrong password, and sets an HttpOnly, SameSite=Lax session cookie on success', async () => {
      const s = new WebSession(service.url, { 'x-forwarded-for': '198.51.100.1' });
      await s.get('/ui/login');
      const wrong = await s.post('/ui/login', { username: 'thu', password: 'wrong password!' });
      expect(wrong.status).to.equal(401);
      expect(wrong.text).to.contain('The username or password is wrong.');
      const ok = await s.post('/ui/login', { username: 'thu', password, next: '/ui/queue?audience=en' });
      expect(ok.status).to.equal(303);
      expect(ok.location).to.equal('/ui/queue?audience=en');
      const cookie = ok.headers.getSetCookie().find((c) => c.startsWith('doingoai.sid='))!;
      expect(cookie).to.match(/HttpOnly/i).and.match(/SameSite=Lax/i).and.not.match(/Secure/i);
    });

    it('marks the session cookie Secure behind a TLS proxy, and never redirects off-site after sign-in', async () => {
      const s = new WebSession(service.url);
      await s.request('GET', '/ui/login', { headers: { 'x-forwarded-proto': 'https' } });
      const ok = await s.request('POST', '/ui/login', { form: { _csrf: s.csrf, username: 'thu', password, next: '//evil.example/' }, headers: { 'x-forwarded-proto': 'https' } });
      expect(ok.status).to.equal(303);
      expect(ok.location).to.equal('/ui/queue');
      expect(ok.headers.getSetCookie().find((c) => c.startsWith('doingoai.sid='))).to.match(/;\s*Secure/i);
    });

    it('refuses a sign-in without the form’s CSRF token', async () => {
      const s = new WebSession(service.url, { 'x-forwarded-for': '198.51.100.2' });
      await s.get('/ui/login');
      const res = await s.post('/ui/login', { _csrf: 'forged', username: 'thu', password });
      expect(res.status).to.equal(403);
      expect(res.text).to.contain('The form has expired or did not come from this site');
    });

    it('locks a guessed account from every address, while others behind the same address still sign in', async () => {
      await createUser(database.db, { username: 'kim', displayName: 'Kim', role: 'translator', password, languages: ['en'], locale: 'en' });
      // a proxy on loopback names the address, so other tests' sign-ins are not affected
      const office = { 'x-forwarded-for': '203.0.113.7' };
      const guesser = new WebSession(service.url, office);
      await guesser.get('/ui/login');
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await guesser.post('/ui/login', { username: 'kim', password: 'guess guess guess' }));
      expect(answers.map((a) => a.status)).to.deep.equal([401, 401, 401, 429]);
      expect(answers[3]!.text).to.contain('This account is locked for 15 minutes after too many failed sign-ins.');
      expect(answers[3]!.headers.get('retry-after')).to.equal('900');
      const owner = new WebSession(service.url, { 'x-forwarded-for': '198.51.100.3' });
      const elsewhere = await owner.login('kim', password);
      expect(elsewhere.status, 'the right password from another address, while the account is locked').to.equal(429);
      const colleague = new WebSession(service.url, office);
      const shared = await colleague.login('lan', password);
      expect(shared.status, 'a colleague behind the same address signs in').to.equal(303);
      for (let i = 0; i < 5; i++) expect((await guesser.post('/ui/login', { username: 'kim', password: 'guess guess guess' })).status).to.equal(429);
      const another = new WebSession(service.url, office);
      expect((await another.login('hoa', password)).status, 'refused guesses on a locked account do not count against the address').to.equal(303);
    });

    it('refuses an address that tries passwords on many accounts', async () => {
      const sprayer = new WebSession(service.url, { 'x-forwarded-for': '203.0.113.99' });
      await sprayer.get('/ui/login');
      const statuses: number[] = [];
      for (const username of ['an', 'binh', 'chi', 'dung', 'giang', 'hai']) statuses.push((await sprayer.post('/ui/login', { username, password: 'guess guess guess' })).status);
      expect(statuses).to.deep.equal([401, 401, 401, 401, 401, 401]);
      const refused = await sprayer.post('/ui/login', { username: 'thu', password });
      expect(refused.status).to.equal(429);
      expect(refused.text).to.contain('Too many failed sign-ins from this address.');
      const other = new WebSession(service.url, { 'x-forwarded-for': '198.51.100.4' });
      expect((await other.login('thu', password)).status, 'another address is not limited').to.equal(303);
    });
  });

  describe('queue and languages', () => {
    it('lists a translator’s language with the priority story first and its time left', async () => {
      const thu = await signedIn('thu');
      const page = await thu.get('/ui/queue');
      expect(page.status).to.equal(200);
      expect(page.text).to.contain('Translation queue');
      expect(page.text).not.to.contain('/ui/queue?audience=fr');
      const first = page.text.indexOf(`/ui/translations/${priorityId}`);
      expect(first).to.be.greaterThan(0);
      expect(first).to.be.lessThan(page.text.indexOf(`/ui/translations/${enId}`));
      // ingested 07:40, SLA 60 minutes, now 08:00
      expect(page.text).to.contain('40 minutes left');
    });

    it('keeps a translator out of other languages, on pages and in the API', async () => {
      const minh = await signedIn('minh');
      expect((await minh.get(`/ui/translations/${enId}`)).status).to.equal(403);
      const api = await minh.request('PATCH', `/api/v1/translations/${enId}`, { json: { title: 'x', version: 1 }, headers: { 'x-csrf-token': minh.csrf } });
      expect(api.status).to.equal(403);
      expect((await minh.get(`/ui/translations/${frId}`)).status).to.equal(200);
    });

    it('keeps translators off the editors’ pages', async () => {
      const thu = await signedIn('thu');
      expect((await thu.get('/ui/glossary')).status).to.equal(403);
      expect((await thu.get('/ui/stories/new')).status).to.equal(403);
    });
  });

  describe('editing', () => {
    it('saves with the version, shows who holds the draft, and answers a stale save with 409 and the other version', async () => {
      const thu = await signedIn('thu');
      const lan = await signedIn('lan');
      const a = await thu.get(`/ui/translations/${enId}`);
      expect(a.text).to.contain('name="version" value="1"');
      const b = await lan.get(`/ui/translations/${enId}`);
      expect(b.text).to.contain('Thu is working on this text until 15:30.');
      const blocks = ['On the afternoon of 12 November 2026, Ministry of Foreign Affairs spokesperson Do Thanh Van said the missions had assisted more than 3,600 citizens, up 12.5%.', 'The missions helped 186 citizens with repatriation procedures.'];
      const form = (title: string) => ({ version: '1', title, summary: 'In the first 10 months of 2026, overseas missions handled 1,245 cases.', tag: ['p', 'p'], block: blocks, action: 'save' });
      const saved = await thu.post(`/ui/translations/${enId}`, form('Spokesperson: 1,245 cases handled'));
      expect(saved.status).to.equal(303);
      expect((await thu.get(`/ui/translations/${enId}`)).text).to.contain('Saved as version 2.');
      const stale = await lan.post(`/ui/translations/${enId}`, form('Lan’s title from version 1'));
      expect(stale.status).to.equal(409);
      expect(stale.text).to.contain('Someone else saved this text while you were editing');
      expect(stale.text).to.contain('Spokesperson: 1,245 cases handled');
      expect(stale.text, 'the editor keeps the unsaved text').to.contain('value="Lan’s title from version 1"');
      expect(stale.text, 'a second save is based on the version now shown').to.contain('name="version" value="2"');
      const row = await database.db.selectFrom('translations').select(['title', 'version']).where('id', '=', enId).executeTakeFirstOrThrow();
      expect(row).to.deep.equal({ title: 'Spokesperson: 1,245 cases handled', version: 2 });
    });

    it('refuses a save with a forged CSRF token and changes nothing', async () => {
      const thu = await signedIn('thu');
      await thu.get(`/ui/translations/${enId}`);
      const res = await thu.post(`/ui/translations/${enId}`, { _csrf: 'x'.repeat(40), version: '2', title: 'Forged', action: 'save' });
      expect(res.status).to.equal(403);
      const api = await thu.request('POST', '/api/v1/qa', { json: { source: 'a', target: 'b', targetLang: 'en' } });
      expect(api.status, 'a session request to the API needs the token too').to.equal(403);
      expect(JSON.parse(api.text).error.code).to.equal('csrf_failed');
      const withToken = await thu.request('POST', '/api/v1/qa', { json: { source: 'Có 500 người.', target: 'There were 50 people.', targetLang: 'en' }, headers: { 'x-csrf-token': thu.csrf } });
      expect(withToken.status).to.equal(200);
      expect(JSON.parse(withToken.text).issues[0].check).to.equal('numbers');
      expect((await database.db.selectFrom('translations').select('title').where('id', '=', enId).executeTakeFirstOrThrow()).title).to.not.equal('Forged');
    });

    it('runs the QA panel on unsaved text', async () => {
      const thu = await signedIn('thu');
      await thu.get(`/ui/translations/${enId}`);
      const res = await thu.request('POST', `/ui/translations/${enId}/qa`, {
        json: { title: 'Spokesperson', summary: 'In the first 10 months of 2026, overseas missions handled 1,254 cases.', tag: ['p', 'p'], block: ['On 12 November 2026, Do Thanh Van said missions assisted over 3,600 citizens, up 12.5%.', 'The missions helped 186 citizens.'] },
        headers: { 'x-csrf-token': thu.csrf },
      });
      expect(res.status).to.equal(200);
      const errors = JSON.parse(res.text).issues.filter((i: { severity: string }) => i.severity === 'error');
      expect(errors.map((i: { message: string }) => i.message)).to.deep.equal(["the source's 1.245 (1,245) is not in the translation"]);
    });

    it('names an empty field by its label and links to it; an empty draft is one finding', async () => {
      const thu = await signedIn('thu');
      await thu.get(`/ui/translations/${enId}`);
      const qa = async (json: Record<string, unknown>) => JSON.parse((await thu.request('POST', `/ui/translations/${enId}/qa`, { json, headers: { 'x-csrf-token': thu.csrf } })).text).issues as { check: string; severity: string; message: string; field?: string }[];
      const oneEmpty = await qa({ title: 'Spokesperson', summary: 'In the first 10 months of 2026, overseas missions handled 1,245 cases.', tag: ['p', 'p'], block: ['On 12 November 2026, Do Thanh Van said missions assisted over 3,600 citizens, up 12.5%.', ''] });
      const completeness = oneEmpty.filter((i) => i.check === 'completeness');
      expect(completeness.map((i) => [i.message, i.field])).to.deep.equal([['Paragraph 2 is empty in the translation', 'block-1']]);
      const empty = await qa({ title: '', summary: '', tag: ['p', 'p'], block: ['', ''] });
      expect(empty.map((i) => [i.check, i.message, i.field])).to.deep.equal([['completeness', 'the translation is empty', 'title']]);
    });

    it('submits; a translator cannot approve; an editor who edits cannot approve (four eyes)', async () => {
      const thu = await signedIn('thu');
      await thu.get(`/ui/translations/${enId}`);
      expect((await thu.post(`/ui/translations/${enId}`, { version: '2', title: 'Spokesperson: 1,245 cases handled', summary: 'In the first 10 months of 2026, overseas missions handled 1,245 cases.', tag: ['p', 'p'], block: ['On the afternoon of 12 November 2026, Ministry of Foreign Affairs spokesperson Do Thanh Van said the missions had assisted more than 3,600 citizens, up 12.5%.', 'The missions helped 186 citizens with repatriation procedures.'], action: 'submit' })).status).to.equal(303);
      expect((await database.db.selectFrom('translations').select('state').where('id', '=', enId).executeTakeFirstOrThrow()).state).to.equal('in_review');
      const refused = await thu.post(`/ui/translations/${enId}`, { version: '2', title: 'Spokesperson: 1,245 cases handled', action: 'approve' });
      expect(refused.status).to.equal(403);
      expect(refused.text).to.contain('Only an editor may approve a translation.');

      // an editor who edits the text becomes its last editor and may not approve it
      const lan = await signedIn('lan');
      const page = await lan.get(`/ui/translations/${enId}`);
      expect(page.text).to.contain('id="approve"');
      const edited = await lan.post(`/ui/translations/${enId}`, { version: '2', title: 'Spokesperson: 1,245 consular cases handled', summary: 'In the first 10 months of 2026, overseas missions handled 1,245 cases.', tag: ['p', 'p'], block: ['On the afternoon of 12 November 2026, Ministry of Foreign Affairs spokesperson Do Thanh Van said the missions had assisted more than 3,600 citizens, up 12.5%.', 'The missions helped 186 citizens with repatriation procedures.'], action: 'approve' });
      expect(edited.status).to.equal(403);
      expect(edited.text).to.contain('four-eyes rule');
      expect((await lan.get(`/ui/translations/${enId}`)).text).to.contain('You wrote or submitted this text, so another editor must approve it.');
    });

    it('blocks approval on QA errors until an editor gives a reason, kept in the history', async () => {
      const thu = await signedIn('thu');
      const page = await thu.get(`/ui/translations/${enId}`);
      const version = /name="version" value="(\d+)"/.exec(page.text)![1]!;
      await thu.post(`/ui/translations/${enId}`, { version, title: 'Spokesperson: 1,254 cases handled', summary: 'In the first 10 months of 2026, overseas missions handled 1,254 cases.', tag: ['p', 'p'], block: ['On the afternoon of 12 November 2026, Ministry of Foreign Affairs spokesperson Do Thanh Van said the missions had assisted more than 3,600 citizens, up 12.5%.', 'The missions helped 186 citizens with repatriation procedures.'], action: 'save' });
      const hoa = await signedIn('hoa');
      const editor = await hoa.get(`/ui/translations/${enId}`);
      expect(editor.text, 'the page speaks Hoa’s language').to.contain('Kiểm tra độ chính xác');
      expect(editor.text, 'QA messages in Vietnamese too').to.contain('1.245 (1,245) trong bản gốc không có trong bản dịch');
      const v = /name="version" value="(\d+)"/.exec(editor.text)![1]!;
      const blocked = await hoa.post(`/ui/translations/${enId}`, { version: v, action: 'approve', title: 'Spokesperson: 1,254 cases handled', summary: 'In the first 10 months of 2026, overseas missions handled 1,254 cases.', tag: ['p', 'p'], block: ['On the afternoon of 12 November 2026, Ministry of Foreign Affairs spokesperson Do Thanh Van said the missions had assisted more than 3,600 citizens, up 12.5%.', 'The missions helped 186 citizens with repatriation procedures.'] });
      expect(blocked.status).to.equal(422);
      expect(blocked.text, 'the refusal in Hoa’s language').to.contain('Kiểm tra độ chính xác phát hiện 1 lỗi. Hãy sửa, hoặc duyệt kèm lý do bằng văn bản.');
      const approved = await hoa.post(`/ui/translations/${enId}`, { version: v, action: 'approve', qaOverride: 'The ministry corrected the figure to 1,254 at the briefing.', title: 'Spokesperson: 1,254 cases handled', summary: 'In the first 10 months of 2026, overseas missions handled 1,254 cases.', tag: ['p', 'p'], block: ['On the afternoon of 12 November 2026, Ministry of Foreign Affairs spokesperson Do Thanh Van said the missions had assisted more than 3,600 citizens, up 12.5%.', 'The missions helped 186 citizens with repatriation procedures.'] });
      expect(approved.status).to.equal(303);
      const row = await database.db.selectFrom('translations').select(['state', 'approved_by']).where('id', '=', enId).executeTakeFirstOrThrow();
      expect(row).to.deep.equal({ state: 'published', approved_by: 'hoa' });
      const history = await hoa.get(`/ui/translations/${enId}`);
      expect(history.text, 'in Hoa’s language, with her reason as she wrote it').to.contain('duyệt dù kiểm tra độ chính xác báo lỗi: The ministry corrected the figure to 1,254 at the briefing.');
      const overrides = await database.db.selectFrom('qa_overrides').selectAll().where('translation_id', '=', enId).execute();
      expect(overrides).to.have.length(1);
      expect((overrides[0]!.issues as { check: string }[])[0]!.check).to.equal('numbers');
      // the refusal and the override of the same text are one finding of one error
      const findings = await database.db.selectFrom('qa_findings').select(['overridden', 'actor']).where('translation_id', '=', enId).orderBy('id').execute();
      expect(findings).to.deep.equal([{ overridden: false, actor: 'hoa' }, { overridden: true, actor: 'hoa' }]);
      // the figures as of the last finding, by its own stamp (the database's clock), not the test's wall clock
      const { created_at: lastFound } = await database.db.selectFrom('qa_findings').select('created_at').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
      const found = (await qaFound(database.db, lastFound)).filter((r) => r.audience === 'en');
      expect(found).to.deep.equal([{ audience: 'en', translations: 1, errors: 1, refused: 1, window: 'day' }, { audience: 'en', translations: 1, errors: 1, refused: 1, window: 'week' }]);
      expect(await (await fetch(`${service.url}/feeds/en/rss.xml`)).text()).to.contain('Spokesperson: 1,254 cases handled');
    });

    it('sends an edited publication back to review as a correction; the feed keeps the published text', async () => {
      const thu = await signedIn('thu');
      const page = await thu.get(`/ui/translations/${enId}`);
      expect(page.text).to.contain('id="submit"');
      const version = /name="version" value="(\d+)"/.exec(page.text)![1]!;
      const res = await thu.post(`/ui/translations/${enId}`, { version, title: 'Spokesperson: 1,254 consular cases handled', action: 'submit' });
      expect(res.status).to.equal(303);
      const row = await database.db.selectFrom('translations').select(['state', 'title']).where('id', '=', enId).executeTakeFirstOrThrow();
      expect(row).to.deep.equal({ state: 'in_review', title: 'Spokesperson: 1,254 consular cases handled' });
      const feed = await (await fetch(`${service.url}/feeds/en/rss.xml`)).text();
      expect(feed).to.contain('Spokesperson: 1,254 cases handled');
      expect(feed).not.to.contain('consular');
    });

    it('rejects with a reason, takes comments, and restores an earlier revision', async () => {
      const thu = await signedIn('thu');
      let page = await thu.get(`/ui/translations/${priorityId}`);
      await thu.post(`/ui/translations/${priorityId}`, { version: '1', title: 'Priority statement, edited', summary: 'In the first 10 months of 2026, overseas missions handled 1,245 cases.', tag: ['p', 'p'], block: ['On the afternoon of 12 November 2026, Ministry of Foreign Affairs spokesperson Do Thanh Van said the missions had assisted more than 3,600 citizens, up 12.5%.', 'The missions helped 186 citizens with repatriation procedures.'], action: 'submit' });
      const lan = await signedIn('lan');
      await lan.get(`/ui/translations/${priorityId}`);
      expect((await lan.post(`/ui/translations/${priorityId}/reject`, { reason: '', version: '2' })).status).to.equal(400);
      expect((await lan.post(`/ui/translations/${priorityId}/reject`, { reason: 'Use the ministry’s own wording for the title.', version: '2' })).status).to.equal(303);
      expect((await lan.post(`/ui/translations/${priorityId}/comments`, { body: 'See the statement on mofa.gov.vn.' })).status).to.equal(303);
      page = await thu.get(`/ui/translations/${priorityId}`);
      expect(page.text).to.contain('Sent back: Use the ministry’s own wording for the title.');
      expect(page.text).to.contain('See the statement on mofa.gov.vn.');
      expect(page.text, 'the difference from the machine draft').to.match(/Priority statement<ins>, edited\s*<\/ins>/);
      const restored = await thu.post(`/ui/translations/${priorityId}/restore`, { revision: '1', version: '2' });
      expect(restored.status).to.equal(303);
      const row = await database.db.selectFrom('translations').select(['title', 'version']).where('id', '=', priorityId).executeTakeFirstOrThrow();
      expect(row).to.deep.equal({ title: 'Priority statement', version: 3 });
      const kinds = await database.db.selectFrom('revisions').select('kind').where('translation_id', '=', priorityId).orderBy('version').execute();
      expect(kinds.map((k) => k.kind)).to.deep.equal(['machine', 'edit', 'restore']);
    });
  });

  describe('account', () => {
    it('changes the password and signs out the person’s other sessions; remembers the language', async () => {
      const one = await signedIn('minh');
      const two = await signedIn('minh');
      await one.get('/ui/account');
      const short = await one.post('/ui/account/password', { current: password, password: 'short', confirm: 'short' });
      expect(short.status).to.equal(400);
      const ok = await one.post('/ui/account/password', { current: password, password: 'a much longer new password', confirm: 'a much longer new password' });
      expect(ok.status).to.equal(303);
      expect((await one.get('/ui/queue')).status).to.equal(200);
      expect((await two.get('/ui/queue')).status, 'the other session is over').to.equal(303);
      expect((await new WebSession(service.url, { 'x-forwarded-for': '198.51.100.4' }).login('minh', password)).status).to.equal(401);
      await one.get('/ui/account');
      await one.post('/ui/account/locale', { locale: 'vi' });
      expect((await one.get('/ui/queue')).text).to.contain('Hàng chờ biên dịch');
    });

    it('signs out', async () => {
      const s = await signedIn('thu');
      await s.get('/ui/queue');
      expect((await s.post('/ui/logout')).status).to.equal(303);
      expect((await s.get('/ui/queue')).status).to.equal(303);
    });
  });

  describe('glossary and new stories', () => {
    it('lets editors add, find, edit and retire terms', async () => {
      const lan = await signedIn('lan');
      await lan.get('/ui/glossary?lang=en');
      expect((await lan.post('/ui/glossary', { lang: 'en', source: 'Bộ Ngoại giao', target: 'Ministry of Foreign Affairs', variants: 'Foreign Ministry; MOFA' })).status).to.equal(303);
      const dup = await lan.post('/ui/glossary', { lang: 'en', source: 'Bộ Ngoại giao', target: 'Foreign Office' });
      expect(dup.status).to.equal(409);
      const found = await lan.get('/ui/glossary?lang=en&q=ngo%E1%BA%A1i');
      expect(found.text).to.contain('value="Ministry of Foreign Affairs"');
      const id = /action="\/ui\/glossary\/(\d+)"/.exec(found.text)![1]!;
      expect((await lan.post(`/ui/glossary/${id}`, { lang: 'en', source: 'Bộ Ngoại giao', target: 'Ministry of Foreign Affairs', variants: 'Foreign Ministry', note: 'MOFA only in headlines' })).status).to.equal(303);
      const editor = await lan.get(`/ui/translations/${frId}`);
      expect(editor.status).to.equal(200);
      const enPage = await lan.get(`/ui/translations/${priorityId}`);
      expect(enPage.text).to.contain('<mark class="term" title="Ministry of Foreign Affairs / Foreign Ministry">Bộ Ngoại giao<span class="req"> → Ministry of Foreign Affairs</span></mark>');
      await lan.get('/ui/glossary?lang=en');
      expect((await lan.post(`/ui/glossary/${id}/retire`, { lang: 'en' })).status).to.equal(303);
      expect((await lan.get('/ui/glossary?lang=en')).text).not.to.contain('value="Ministry of Foreign Affairs"');
    });

    it('lets editors find a remembered pair, correct it and take it out of use', async () => {
      const source = 'Người phát ngôn trả lời câu hỏi của phóng viên.';
      await rememberPairs(database.db, 'vi', 'approved', [{ sourceKey: 'k-desk-1', sourceText: source, targetText: 'The spokesman answered.', targetKey: 'lang:en' }]);
      const thu = await signedIn('thu');
      expect((await thu.get('/ui/memory')).status, 'editors only').to.equal(403);
      const lan = await signedIn('lan');
      const found = await lan.get(`/ui/memory?lang=en&q=${encodeURIComponent('phát ngôn trả lời')}`);
      expect(found.status).to.equal(200);
      expect(found.text).to.contain('The spokesman answered.');
      const id = /action="\/ui\/memory\/(\d+)"/.exec(found.text)![1]!;
      const empty = await lan.post(`/ui/memory/${id}`, { lang: 'en', q: 'phát ngôn', targetText: ' ' });
      expect(empty.status).to.equal(400);
      expect((await lan.post(`/ui/memory/${id}`, { lang: 'en', q: 'phát ngôn', targetText: 'The spokesperson answered reporters\' questions.' })).status).to.equal(303);
      expect((await lookupMemory(database.db, 'vi', ['lang:en'], ['k-desk-1'])).map((r) => r.target_text)).to.deep.equal(["The spokesperson answered reporters' questions."]);
      await lan.get('/ui/memory?lang=en&q=x');
      expect((await lan.post(`/ui/memory/${id}/unusable`, { lang: 'en', q: 'phát ngôn', reason: 'style guide' })).status).to.equal(303);
      expect(await lookupMemory(database.db, 'vi', ['lang:en'], ['k-desk-1'])).to.deep.equal([]);
      const retired = await lan.get(`/ui/memory?lang=en&retired=1&q=${encodeURIComponent('phát ngôn')}`);
      expect(retired.text).to.contain('style guide');
    });

    it('keeps names (people, places) in their own section, required by the checks like terms', async () => {
      const lan = await signedIn('lan');
      await lan.get('/ui/glossary?lang=en&kind=name');
      const added = await lan.post('/ui/glossary', { lang: 'en', kind: 'name', source: 'Bùi Thanh Sơn', target: 'Bui Thanh Son', note: 'Deputy Prime Minister' });
      expect(added.status).to.equal(303);
      expect(added.location).to.equal('/ui/glossary?lang=en&kind=name');
      const names = await lan.get('/ui/glossary?lang=en&kind=name');
      expect(names.text).to.contain('value="Bui Thanh Son"');
      expect(names.text).to.contain('aria-current="page">Names (people, places)');
      expect((await lan.get('/ui/glossary?lang=en')).text, 'not among the terms').not.to.contain('value="Bui Thanh Son"');
      const row = await database.db.selectFrom('glossary_terms').select(['kind']).where('source', '=', 'Bùi Thanh Sơn').executeTakeFirstOrThrow();
      expect(row.kind).to.equal('name');
    });

    it('takes a hand-written story and queues its translations like an ingested one', async () => {
      const lan = await signedIn('lan');
      await lan.get('/ui/stories/new');
      const bad = await lan.post('/ui/stories', { title: '', summary: '', body: '' });
      expect(bad.status).to.equal(400);
      const ok = await lan.post('/ui/stories', { title: 'Tuyên bố của Người phát ngôn Bộ Ngoại giao', summary: 'Việt Nam hoan nghênh thỏa thuận ngừng bắn.', body: 'Đoạn một.\n\nĐoạn hai.', priority: 'on' });
      expect(ok.status, ok.text.slice(0, 400)).to.equal(303);
      const story = await database.db.selectFrom('stories').selectAll().where('title', '=', 'Tuyên bố của Người phát ngôn Bộ Ngoại giao').executeTakeFirstOrThrow();
      expect(story.priority).to.equal(true);
      expect(story.body_html).to.equal('<p>Đoạn một.</p>\n<p>Đoạn hai.</p>');
      await service.settled();
      const translations = await database.db.selectFrom('translations').select('audience_id').where('story_id', '=', story.id).orderBy('audience_id').execute();
      expect(translations.map((t) => t.audience_id)).to.deep.equal(['en', 'fr']);
    });
  });

  it('applies the four-eyes rule to API approvals, and keeps session translators to their languages in the API', async () => {
    const editor = apiClient(service.url, await createToken(database.db, 'desk-bot', 'editor'));
    const id = await draft(database.db, { guid: 'api-four-eyes' });
    expect((await editor('PATCH', `/api/v1/translations/${id}`, { title: 'Edited by the bot', version: 1 })).status).to.equal(200);
    expect((await editor('POST', `/api/v1/translations/${id}/submit`)).status).to.equal(200);
    const refused = await editor('POST', `/api/v1/translations/${id}/approve`, { version: 2 });
    expect(refused.status).to.equal(403);
    expect(refused.body.error.message).to.contain('four-eyes rule');
    const other = apiClient(service.url, await createToken(database.db, 'second-editor', 'editor'));
    expect((await other('POST', `/api/v1/translations/${id}/approve`, { version: 2 })).status, 'a second token, on a text the checks pass').to.equal(200);
    const thu = await signedIn('thu');
    expect((await thu.get(`/api/v1/translations/${frId}`)).status).to.equal(403);
    expect((await thu.get(`/api/v1/translations/${id}`)).status).to.equal(200);
    const listed = JSON.parse((await thu.get('/api/v1/translations?limit=200')).text).data as { id: number; language: string }[];
    expect(listed.map((t) => t.id)).to.include(id).and.not.include(frId);
    expect(listed.every((t) => t.language.startsWith('en')), 'a translator lists only their languages').to.equal(true);
  });

  it('gives a translation\'s body sanitized in bodyHtml and as written only in bodyHtmlRaw', async () => {
    const api = apiClient(service.url, await createToken(database.db, 'cms-reader', 'translator'));
    const id = await draft(database.db, { guid: 'api-raw-body' });
    const written = '<p onclick="steal()">Safe <a href="javascript:alert(document.cookie)">link</a></p><img src="x" onerror="alert(1)"><script>alert(2)</script><iframe src="https://evil.example/"></iframe>';
    expect((await api('PATCH', `/api/v1/translations/${id}`, { bodyHtml: written, version: 1 })).status).to.equal(200);
    const sanitized = '<p>Safe <a>link</a></p>';
    const one = (await api('GET', `/api/v1/translations/${id}`)).body.data;
    expect(one.bodyHtml).to.equal(sanitized);
    expect(one.bodyHtmlRaw).to.equal(written);
    const listed = (await api('GET', '/api/v1/translations?limit=200')).body.data.find((t: { id: number }) => t.id === id);
    expect(listed.bodyHtml).to.equal(sanitized);
    const ofStory = (await api('GET', `/api/v1/stories/${one.storyId}/translations`)).body.data.find((t: { id: number }) => t.id === id);
    expect(ofStory.bodyHtml).to.equal(sanitized);
    const history = (await api('GET', `/api/v1/translations/${id}/history`)).body.data.revisions;
    const latest = history.find((r: { version: number }) => r.version === 2);
    expect(latest.bodyHtml).to.equal(sanitized);
    expect(latest.bodyHtmlRaw).to.equal(written);
  });

  it('keeps the API bearer tokens working beside sessions', async () => {
    const api = apiClient(service.url, await createToken(database.db, 'cms', 'translator'));
    const res = await api('GET', `/api/v1/translations/${frId}`);
    expect(res.status).to.equal(200);
    expect(res.body.data.id).to.equal(frId);
  });
});
