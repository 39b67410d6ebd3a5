/**
 * Quality per person, for training: post-editing effort (zero for a machine draft approved as it
 * came, growing with the edit), rejections and their reasons, the per-paragraph changes between a
 * submission and the approved text, a rebuild that gives the same records as the approvals wrote;
 * and the pages: a translator sees their own work and no one else's, editors see everyone's.
 */
import { expect } from 'chai';
import { editEffort, effortRatio, paragraphChanges } from '../src/review/post-edit.ts';
import { draftsOf, qualityFigures, rebuildPostEdits } from '../src/review/quality.ts';
import type { Service } from '../src/service.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { draft, password, people } from './support/review-fixtures.ts';
import { startTestService, writeTestConfig } from './support/service.ts';
import { WebSession } from './support/web-session.ts';

const machine = {
  title: 'Foreign Ministry spokesperson on citizen protection',
  summary: 'In the first 10 months of 2026, overseas missions handled 1,245 cases.',
  blocks: [
    'On the afternoon of 12 November 2026, Ministry of Foreign Affairs spokesperson Do Thanh Van said the missions had assisted more than 3,600 citizens, up 12.5%.',
    'The missions helped 186 citizens with repatriation procedures.',
  ],
};
const doc = (title: string, summary: string, blocks: string[]) => ({ title, summary, body_html: blocks.map((b) => `<p>${b}</p>`).join('\n') });

describe('post-editing effort and paragraph changes (pure)', () => {
  const draftText = doc(machine.title, machine.summary, machine.blocks);

  it('is zero for an untouched draft and grows with the edit', () => {
    expect(editEffort(draftText, draftText)).to.deep.include({ distance: 0 });
    const small = editEffort(draftText, doc('Foreign Ministry spokesperson on protecting citizens', machine.summary, machine.blocks));
    const large = editEffort(draftText, doc('Spokesperson: missions helped 3,600 citizens', 'Missions abroad handled 1,245 consular cases in ten months.', machine.blocks));
    expect(small.distance).to.be.greaterThan(0);
    expect(large.distance).to.be.greaterThan(small.distance);
    expect(effortRatio(small)).to.be.greaterThan(0).and.lessThan(effortRatio(large)!);
    expect(effortRatio({ distance: 0, fromChars: 0, toChars: 0 })).to.equal(null);
  });

  it('aligns paragraphs, so an inserted one does not make the next ones look changed', () => {
    const after = doc(machine.title, machine.summary, [machine.blocks[0]!, 'The ministry urged citizens to register with the missions.', 'The missions helped 186 citizens with repatriation.']);
    const changes = paragraphChanges(draftText, after);
    expect(changes.map((c) => [c.kind, c.position])).to.deep.equal([['added', 4], ['changed', 5]]);
    expect(changes[1]!.parts.filter((p) => p.kind !== 'same').map((p) => `${p.kind}:${p.text.trim()}`)).to.deep.equal(['removed:procedures']);
    expect(paragraphChanges(draftText, draftText)).to.deep.equal([]);
  });
});

describe('quality per person and "my work"', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let service: Service;
  const ids: Record<string, number> = {};
  const signedIn = async (username: string) => {
    const s = new WebSession(service.url);
    expect((await s.login(username, password)).status).to.equal(303);
    return s;
  };
  const form = (version: number, title: string, action: string, blocks = machine.blocks) =>
    ({ version: String(version), title, summary: machine.summary, tag: blocks.map(() => 'p'), block: blocks, action });
  const version = async (id: number) => (await database.db.selectFrom('translations').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version;

  before(async () => {
    database = await freshDatabase();
    service = await startTestService(writeTestConfig({ audiences: [{ id: 'en', language: 'en', provider: 'manual' }, { id: 'fr', language: 'fr', provider: 'manual' }] }), database);
    await people(database.db);
    ids.untouched = await draft(database.db, { guid: 'q-1' });
    ids.small = await draft(database.db, { guid: 'q-2' });
    ids.large = await draft(database.db, { guid: 'q-3' });
    ids.minh = await draft(database.db, { guid: 'q-4', audience: 'fr' });

    const thu = await signedIn('thu');
    const lan = await signedIn('lan');
    const hoa = await signedIn('hoa');
    const minh = await signedIn('minh');
    // untouched: thu submits the machine draft as it came, lan approves
    await thu.get(`/ui/translations/${ids.untouched}`);
    expect((await thu.post(`/ui/translations/${ids.untouched}`, form(1, machine.title, 'submit'))).status).to.equal(303);
    await lan.get(`/ui/translations/${ids.untouched}`);
    expect((await lan.post(`/ui/translations/${ids.untouched}`, form(1, machine.title, 'approve'))).status).to.equal(303);
    // small: thu changes the title, lan rejects with a reason, thu resubmits, hoa changes one word... and lan approves
    await thu.get(`/ui/translations/${ids.small}`);
    await thu.post(`/ui/translations/${ids.small}`, form(1, 'Foreign Ministry spokesperson on protecting citizens', 'submit'));
    await lan.get(`/ui/translations/${ids.small}`);
    expect((await lan.post(`/ui/translations/${ids.small}/reject`, { reason: 'Keep the ministry’s own wording.', version: String(await version(ids.small)) })).status).to.equal(303);
    await thu.get(`/ui/translations/${ids.small}`);
    await thu.post(`/ui/translations/${ids.small}`, form(await version(ids.small), 'Foreign Ministry spokesperson on the protection of citizens', 'submit'));
    await hoa.get(`/ui/translations/${ids.small}`);
    await hoa.post(`/ui/translations/${ids.small}`, form(await version(ids.small), 'Foreign Ministry spokesperson on the protection of citizens', 'save',
      [machine.blocks[0]!, 'The missions helped 186 citizens with repatriation.']));
    await lan.get(`/ui/translations/${ids.small}`);
    expect((await lan.post(`/ui/translations/${ids.small}`, form(await version(ids.small), 'Foreign Ministry spokesperson on the protection of citizens', 'approve',
      [machine.blocks[0]!, 'The missions helped 186 citizens with repatriation.']))).status).to.equal(303);
    // large: thu rewrites title and both paragraphs, hoa approves
    const rewritten = ['On 12 November 2026 the spokesperson, Do Thanh Van, said missions had assisted more than 3,600 citizens, 12.5% more than a year before.', 'They also helped 186 citizens to come home.'];
    await thu.get(`/ui/translations/${ids.large}`);
    await thu.post(`/ui/translations/${ids.large}`, form(1, 'Missions abroad helped more than 3,600 citizens', 'submit', rewritten));
    await hoa.get(`/ui/translations/${ids.large}`);
    expect((await hoa.post(`/ui/translations/${ids.large}`, form(await version(ids.large), 'Missions abroad helped more than 3,600 citizens', 'approve', rewritten))).status).to.equal(303);
    // minh works in French only and submits his draft
    await minh.get(`/ui/translations/${ids.minh}`);
    await minh.post(`/ui/translations/${ids.minh}`, form(1, 'Le porte-parole du ministère', 'submit'));
  });
  after(async () => {
    await service?.close();
    await database?.close();
  });

  const records = () => database.db.selectFrom('post_edits').selectAll().orderBy('event_id').execute();

  it('records each approval with its effort, in the approval itself', async () => {
    const rows = await records();
    expect(rows.map((r) => [r.translation_id, r.translator, r.approver])).to.deep.equal([[ids.untouched, 'thu', 'lan'], [ids.small, 'thu', 'lan'], [ids.large, 'thu', 'hoa']]);
    const [untouched, small, large] = rows;
    expect(untouched).to.deep.include({ edit_distance: 0, review_distance: 0, machine_version: 1, submitted_version: 1, approved_version: 1 });
    expect(small!.edit_distance).to.be.greaterThan(0);
    expect(small!.review_distance, 'hoa changed the second paragraph after the submission').to.equal(' procedures'.length);
    expect(large!.edit_distance).to.be.greaterThan(small!.edit_distance!);
    expect(large!.review_distance).to.equal(0);
  });

  it('rebuilds the same records from revisions and events', async () => {
    const incremental = (await records()).map(({ event_id: _, ...r }) => r);
    expect(await rebuildPostEdits(database.db)).to.equal(3);
    expect((await records()).map(({ event_id: _, ...r }) => r)).to.deep.equal(incremental);
  });

  it('counts submissions, approvals, untouched drafts, rejections and the rejection rate per person', async () => {
    const scope = { from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 86_400_000), timeZone: 'Asia/Ho_Chi_Minh' };
    const byPerson = await qualityFigures(database.db, 'person', scope);
    const thu = byPerson.find((r) => r.key === 'thu')!;
    expect(thu).to.deep.include({ submissions: 4, approvals: 3, fromMachine: 3, untouched: 1, rejections: 1, rejectionRate: 0.25, qaErrors: 0 });
    expect(thu.effort).to.be.greaterThan(0).and.lessThan(1);
    expect(byPerson.find((r) => r.key === 'minh')).to.deep.include({ submissions: 1, approvals: 0, rejections: 0 });
    expect((await qualityFigures(database.db, 'audience', scope)).map((r) => [r.key, r.submissions])).to.deep.equal([['en', 4], ['fr', 1]]);
    expect(await qualityFigures(database.db, 'person', { ...scope, person: 'minh' })).to.have.length(1);
  });

  it('counts the QA errors found in the text a person submitted, each text version\'s last finding once', async () => {
    const { db } = database;
    const finding = (errors: number, overridden: boolean) => db.insertInto('qa_findings').values({
      translation_id: ids.minh!, version: 1, actor: 'lan', errors: JSON.stringify(Array.from({ length: errors }, () => ({ check: 'numbers' }))), overridden,
    }).returning('submitted_by').executeTakeFirstOrThrow();
    expect((await finding(2, false)).submitted_by, 'the finding names who submitted the text').to.equal('minh');
    await finding(1, true);
    const scope = { from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 86_400_000), timeZone: 'Asia/Ho_Chi_Minh' };
    const byPerson = await qualityFigures(db, 'person', scope);
    expect(byPerson.find((r) => r.key === 'minh')).to.deep.include({ qaErrors: 1 });
    expect(byPerson.find((r) => r.key === 'thu')).to.deep.include({ qaErrors: 0 });
    expect((await qualityFigures(db, 'audience', { ...scope, person: 'minh' })).map((r) => [r.key, r.qaErrors])).to.deep.equal([['fr', 1]]);
    await db.deleteFrom('qa_findings').execute();
  });

  it('counts each translation a person wrote in or submitted once, by state, and lists the open ones', async () => {
    // thu submitted three (one twice, after a rejection) and edited two of them: three drafts, not six
    expect((await draftsOf(database.db, 'thu')).byState, 'approved and published').to.deep.equal([{ state: 'published', count: 3 }]);
    expect((await draftsOf(database.db, 'thu')).open).to.deep.equal([]);
    const minh = await draftsOf(database.db, 'minh');
    expect(minh.byState).to.deep.equal([{ state: 'in_review', count: 1 }]);
    expect(minh.open.map((d) => [d.id, d.audience, d.state, d.title])).to.deep.equal([[ids.minh, 'fr', 'in_review', 'Le porte-parole du ministère']]);
    expect(await draftsOf(database.db, 'nobody')).to.deep.equal({ byState: [], open: [] });
  });

  it('shows a translator their own work: drafts by state, what reviewers changed, rejection reasons, their months', async () => {
    const page = await (await signedIn('thu')).get('/ui/work');
    expect(page.status, page.text.slice(0, 300)).to.equal(200);
    expect(page.text).to.contain('<h1>My work</h1>').and.contain('<a href="/ui/work" aria-current="page">My work</a>');
    expect(page.text).to.contain('Keep the ministry’s own wording.');
    expect(page.text).to.contain('Paragraph 4 changed').and.contain('<del> procedures</del>');
    expect(page.text).to.contain('Approved as submitted.');
    expect(page.text).to.contain('effort 0%');
    expect(page.text, 'not the quality overview').to.not.contain('href="/ui/quality"');
    expect(page.text, 'nobody else\'s work').to.not.contain('Le porte-parole');
  });

  it('refuses a translator another person\'s work and the overview', async () => {
    const thu = await signedIn('thu');
    expect((await thu.get('/ui/work/minh')).status).to.equal(403);
    const overview = await thu.get('/ui/quality');
    expect(overview.status).to.equal(403);
    expect(overview.text).to.not.contain('minh');
  });

  it('shows editors everyone\'s figures and each person\'s work, in Vietnamese too', async () => {
    const lan = await signedIn('lan');
    const overview = await lan.get('/ui/quality');
    expect(overview.status).to.equal(200);
    expect(overview.text).to.contain('<a href="/ui/work/thu">thu</a>').and.contain('<a href="/ui/work/minh">minh</a>');
    expect(overview.text).to.contain('<td data-label="Rejection rate">25%</td>');
    const theirs = await lan.get('/ui/work/minh');
    expect(theirs.status).to.equal(200);
    expect(theirs.text).to.contain('<h1>Work of Minh</h1>').and.contain('Le porte-parole du ministère');
    expect((await lan.get('/ui/work/nobody')).status).to.equal(404);
    const vi = await (await signedIn('hoa')).get('/ui/quality');
    expect(vi.text).to.contain('<h1>Chất lượng theo từng người</h1>').and.contain('Tỷ lệ bị trả lại');
  });
});
