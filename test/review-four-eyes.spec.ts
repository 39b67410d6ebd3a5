/**
 * Who may put a text before the public, through the whole service: the four-eyes rule counts
 * everyone who wrote or submitted the text in this round of review (a machine draft submitted
 * untouched is its submitter's), for people and tokens alike; the QA gate covers tokens unless a
 * token is made to bypass it; approval and rejection name the version read, and a text changed
 * since is refused with 409, in the API and on the desk.
 */
import { expect } from 'chai';
import { sql } from 'kysely';
import type { Service } from '../src/service.ts';
import { createToken } from '../src/store/tokens.ts';
import { saveText } from '../src/store/translations.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { draft, password, people } from './support/review-fixtures.ts';
import { apiClient, startTestService, writeTestConfig } from './support/service.ts';
import { WebSession } from './support/web-session.ts';

const now = new Date('2026-11-27T08:00:00Z');

/** The fixture's machine draft as the editor form sends it back unchanged. */
const untouched = {
  title: 'Foreign Ministry spokesperson on citizen protection',
  summary: 'In the first 10 months of 2026, overseas missions handled 1,245 cases.',
  tag: ['p', 'p'],
  block: [
    'On the afternoon of 12 November 2026, Ministry of Foreign Affairs spokesperson Do Thanh Van said the missions had assisted more than 3,600 citizens, up 12.5%.',
    'The missions helped 186 citizens with repatriation procedures.',
  ],
};

describe('four eyes, the QA gate and approval by version', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let service: Service;
  type Api = ReturnType<typeof apiClient>;
  let botA: Api;
  let botB: Api;
  let translator: Api;

  before(async () => {
    database = await freshDatabase();
    const config = writeTestConfig({ audiences: [{ id: 'en', language: 'en', provider: 'manual' }] });
    service = await startTestService(config, database, () => now);
    await people(database.db);
    botA = apiClient(service.url, await createToken(database.db, 'cms-a', 'editor'));
    botB = apiClient(service.url, await createToken(database.db, 'cms-b', 'editor'));
    translator = apiClient(service.url, await createToken(database.db, 'thu-script', 'translator'));
  });
  after(async () => {
    await service?.close();
    await database?.close();
  });

  const signedIn = async (username: string) => {
    const s = new WebSession(service.url);
    expect((await s.login(username, password)).status).to.equal(303);
    return s;
  };
  const stateOf = async (id: number) => (await database.db.selectFrom('translations').select(['state', 'version']).where('id', '=', id).executeTakeFirstOrThrow());

  describe('four eyes', () => {
    it('refuses a token that submitted an untouched machine draft its own approval; another token may approve', async () => {
      const id = await draft(database.db, { guid: 'machine-alone' });
      expect((await botA('POST', `/api/v1/translations/${id}/submit`)).status).to.equal(200);
      const alone = await botA('POST', `/api/v1/translations/${id}/approve`, { version: 1 });
      expect(alone.status, JSON.stringify(alone.body)).to.equal(403);
      expect(alone.body.error.message).to.equal('token:cms-a wrote or submitted this text; another editor must approve it (four-eyes rule)');
      expect((await stateOf(id)).state).to.equal('in_review');
      const second = await botB('POST', `/api/v1/translations/${id}/approve`, { version: 1 });
      expect(second.status, JSON.stringify(second.body)).to.equal(200);
      expect(second.body.data.state).to.equal('published');
    });

    it('refuses anyone who edited the text in this round, not only its last editor; a correction is a new round', async () => {
      const id = await draft(database.db, { guid: 'many-hands' });
      expect((await botA('PATCH', `/api/v1/translations/${id}`, { title: 'Spokesperson on protecting citizens', version: 1 })).status).to.equal(200);
      expect((await translator('PATCH', `/api/v1/translations/${id}`, { title: 'Spokesperson on the protection of citizens', version: 2 })).status).to.equal(200);
      expect((await translator('POST', `/api/v1/translations/${id}/submit`)).status).to.equal(200);
      const wrote = await botA('POST', `/api/v1/translations/${id}/approve`, { version: 3 });
      expect(wrote.status, 'cms-a wrote version 2, though thu-script saved last').to.equal(403);
      expect((await botB('POST', `/api/v1/translations/${id}/approve`, { version: 3 })).status).to.equal(200);

      // the published text is corrected by the translator: cms-a's edit belongs to the round already approved
      expect((await translator('PATCH', `/api/v1/translations/${id}`, { title: 'Spokesperson on the protection of citizens abroad', version: 3 })).status).to.equal(200);
      expect((await translator('POST', `/api/v1/translations/${id}/submit`)).status).to.equal(200);
      expect((await botB('POST', `/api/v1/translations/${id}/approve`, { version: 4 })).status, 'cms-b approved, did not write, the correction').to.equal(200);
    });

    it('on the desk: an editor who submits a machine draft untouched cannot approve it; another editor can', async () => {
      const id = await draft(database.db, { guid: 'desk-machine' });
      const lan = await signedIn('lan');
      await lan.get(`/ui/translations/${id}`);
      expect((await lan.post(`/ui/translations/${id}`, { version: '1', ...untouched, action: 'submit' })).status).to.equal(303);
      const page = await lan.get(`/ui/translations/${id}`);
      expect(page.text).to.contain('You wrote or submitted this text, so another editor must approve it.').and.not.contain('id="approve"');
      const refused = await lan.post(`/ui/translations/${id}`, { version: '1', ...untouched, action: 'approve' });
      expect(refused.status).to.equal(403);
      expect(refused.text).to.contain('lan wrote or submitted this text; another editor must approve it (four-eyes rule).');
      expect((await stateOf(id)).state).to.equal('in_review');

      const hoa = await signedIn('hoa');
      expect((await hoa.get(`/ui/translations/${id}`)).text).to.contain('id="approve"');
      expect((await hoa.post(`/ui/translations/${id}`, { version: '1', ...untouched, action: 'approve' })).status).to.equal(303);
      expect((await stateOf(id)).state).to.equal('published');
    });
  });

  describe('the QA gate', () => {
    it('holds an editor token by default; a token made with the QA bypass says so and passes', async () => {
      const id = await draft(database.db, { guid: 'qa-token' });
      expect((await translator('PATCH', `/api/v1/translations/${id}`, { summary: 'In the first 10 months of 2026, overseas missions handled 1,254 cases.', version: 1 })).status).to.equal(200);
      expect((await translator('POST', `/api/v1/translations/${id}/submit`)).status).to.equal(200);
      const held = await botA('POST', `/api/v1/translations/${id}/approve`, { version: 2 });
      expect(held.status, JSON.stringify(held.body)).to.equal(422);
      expect(held.body.error.code).to.equal('qa_failed');
      expect(held.body.error.details.issues.map((i: { check: string }) => i.check)).to.deep.equal(['numbers']);
      const overridden = await botA('POST', `/api/v1/translations/${id}/approve`, { version: 2, qaOverride: 'The ministry gave 1,254 at the briefing.' });
      expect(overridden.status, 'a written reason lets a token through, as it does a person').to.equal(200);

      const other = await draft(database.db, { guid: 'qa-bypass' });
      expect((await translator('PATCH', `/api/v1/translations/${other}`, { summary: 'In the first 10 months of 2026, overseas missions handled 1,254 cases.', version: 1 })).status).to.equal(200);
      expect((await translator('POST', `/api/v1/translations/${other}/submit`)).status).to.equal(200);
      const wire = apiClient(service.url, await createToken(database.db, 'wire', 'editor', 'an', { qaBypass: true }));
      expect((await wire('POST', `/api/v1/translations/${other}/approve`, { version: 2 })).status).to.equal(200);
      const tokens = await database.db.selectFrom('api_tokens').select(['name', 'qa_bypass']).where('name', 'in', ['cms-a', 'wire']).orderBy('name').execute();
      expect(tokens).to.deep.equal([{ name: 'cms-a', qa_bypass: false }, { name: 'wire', qa_bypass: true }]);
    });

    it('refuses the bypass to a token that cannot approve', async () => {
      let refused: unknown;
      await createToken(database.db, 'thu-bypass', 'translator', 'an', { qaBypass: true }).catch((err: unknown) => { refused = err; });
      expect((refused as Error).message).to.equal('only an editor or admin token may bypass the QA gate');
    });
  });

  describe('approval and rejection by version', () => {
    it('answers 400 to an approval or rejection that does not say which version was read', async () => {
      const id = await draft(database.db, { guid: 'no-version' });
      expect((await translator('POST', `/api/v1/translations/${id}/submit`)).status).to.equal(200);
      const approve = await botA('POST', `/api/v1/translations/${id}/approve`, {});
      expect(approve.status).to.equal(400);
      expect(approve.body.error.message).to.equal('version: the version of the text you read is required (the "version" of GET /api/v1/translations/:id); a text changed since is refused with 409');
      const reject = await botA('POST', `/api/v1/translations/${id}/reject`, { reason: 'Check the figures.' });
      expect(reject.status).to.equal(400);
      expect(reject.body.error.message).to.match(/^version: the version of the text you read is required/);
      expect((await stateOf(id)).state).to.equal('in_review');
    });

    it('answers 409 with the current version when the text changed since it was read, and publishes nothing', async () => {
      const id = await draft(database.db, { guid: 'changed-since' });
      expect((await translator('POST', `/api/v1/translations/${id}/submit`)).status).to.equal(200);
      const read = (await botA('GET', `/api/v1/translations/${id}`)).body.data.version;
      expect((await translator('PATCH', `/api/v1/translations/${id}`, { title: 'A late change nobody read', version: read })).status).to.equal(200);

      const approve = await botA('POST', `/api/v1/translations/${id}/approve`, { version: read });
      expect(approve.status).to.equal(409);
      expect(approve.body.error.code).to.equal('stale_version');
      expect(approve.body.error.message).to.equal('the text changed after you read it: you reviewed version 1, the current version is 2; read version 2 before you approve or reject it');
      expect(approve.body.error.details.currentVersion).to.equal(2);
      const reject = await botA('POST', `/api/v1/translations/${id}/reject`, { reason: 'Check the figures.', version: read });
      expect(reject.status).to.equal(409);
      expect(reject.body.error.details.currentVersion).to.equal(2);
      expect(await stateOf(id)).to.deep.equal({ state: 'in_review', version: 2 });
      expect(await database.db.selectFrom('publications').select('title').where('translation_id', '=', id).execute()).to.deep.equal([]);

      const approved = await botA('POST', `/api/v1/translations/${id}/approve`, { version: 2 });
      expect(approved.status, JSON.stringify(approved.body)).to.equal(200);
      expect((await database.db.selectFrom('publications').select('title').where('translation_id', '=', id).executeTakeFirstOrThrow()).title).to.equal('A late change nobody read');
    });

    it('publishes nothing when a save lands between the approval and its publication, and sends the newer text back to review', async () => {
      const id = await draft(database.db, { guid: 'slipped-in' });
      expect((await translator('POST', `/api/v1/translations/${id}/submit`)).status).to.equal(200);
      // a save that commits the moment the approval has: the row's text and version move under it
      await sql`CREATE FUNCTION slip_in() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN NEW.version := NEW.version + 1; NEW.title := 'Slipped in after the approval'; RETURN NEW; END $$`.execute(database.db);
      await sql`CREATE TRIGGER slip_in BEFORE UPDATE ON translations FOR EACH ROW WHEN (NEW.state = 'approved' AND OLD.state = 'in_review' AND NEW.id = ${sql.lit(id)}) EXECUTE FUNCTION slip_in()`.execute(database.db);
      try {
        const approve = await botA('POST', `/api/v1/translations/${id}/approve`, { version: 1 });
        expect(approve.status, JSON.stringify(approve.body)).to.equal(409);
        expect(approve.body.error.details.currentVersion).to.equal(2);
      } finally {
        await sql`DROP TRIGGER slip_in ON translations`.execute(database.db);
        await sql`DROP FUNCTION slip_in()`.execute(database.db);
      }
      expect(await stateOf(id)).to.deep.equal({ state: 'in_review', version: 2 });
      expect(await database.db.selectFrom('publications').select('title').where('translation_id', '=', id).execute()).to.deep.equal([]);
      const events = await database.db.selectFrom('translation_events').select(['to_state', 'reason_code', 'reason_values']).where('translation_id', '=', id).orderBy('id').execute();
      expect(events.map((e) => [e.to_state, e.reason_code, e.reason_values])).to.deep.equal([
        ['in_review', null, null], ['approved', null, null], ['in_review', 'changed_before_publication', { version: 2 }],
      ]);
    });

    it('on the desk: an approval of a text changed since shows the newer text with the reason, in the editor\'s language', async () => {
      const id = await draft(database.db, { guid: 'desk-changed' });
      expect((await translator('POST', `/api/v1/translations/${id}/submit`)).status).to.equal(200);
      const hoa = await signedIn('hoa'); // her desk speaks Vietnamese
      const opened = await hoa.get(`/ui/translations/${id}`);
      expect(opened.text).to.contain('<input type="hidden" name="version" value="1">');
      await saveText(database.db, id, { title: 'Spokesperson: citizens protected abroad', summary: untouched.summary, bodyHtml: untouched.block.map((b) => `<p>${b}</p>`).join('\n') }, 1, 'thu', 'edit', new Date());

      const refused = await hoa.post(`/ui/translations/${id}`, { version: '1', ...untouched, action: 'approve' });
      expect(refused.status).to.equal(409);
      expect(refused.text).to.contain('Văn bản đã thay đổi sau khi bạn mở trang');
      expect(refused.text, 'the newer text is in the form, with its version').to.contain('value="Spokesperson: citizens protected abroad"').and.contain('<input type="hidden" name="version" value="2">');
      expect(await stateOf(id)).to.deep.equal({ state: 'in_review', version: 2 });

      const lan = await signedIn('lan');
      await lan.get(`/ui/translations/${id}`);
      const rejected = await lan.post(`/ui/translations/${id}/reject`, { reason: 'Check the figures.', version: '1' });
      expect(rejected.status).to.equal(409);
      expect(rejected.text).to.contain('The text changed after you opened it').and.contain('Nothing was approved or sent back');
      expect((await stateOf(id)).state).to.equal('in_review');
      expect((await lan.post(`/ui/translations/${id}/reject`, { reason: 'Check the figures.', version: '2' })).status).to.equal(303);
      expect((await stateOf(id)).state).to.equal('rejected');

      expect((await translator('POST', `/api/v1/translations/${id}/submit`)).status).to.equal(200);
      await hoa.get(`/ui/translations/${id}`);
      expect((await hoa.post(`/ui/translations/${id}`, { version: '2', ...untouched, title: 'Spokesperson: citizens protected abroad', action: 'approve' })).status).to.equal(303);
      expect((await stateOf(id)).state).to.equal('published');
    });
  });
});
