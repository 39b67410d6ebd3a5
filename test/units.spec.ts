/**
 * Units: a story takes its source's unit (or the pushing token's) when it arrives, a person's work
 * counts for their unit; a scripted week of events gives the expected report per unit (CSV and
 * printable) and the same figures on the dashboard for the same range and unit. Admins manage units
 * in the desk; editors cannot.
 */
import { expect } from 'chai';
import { allFigures, timeToPublish } from '../src/ops/figures.ts';
import { periodReport } from '../src/ops/report.ts';
import { renderReportCsv } from '../src/ops/report-csv.ts';
import type { Service } from '../src/service.ts';
import type { Db } from '../src/store/db.ts';
import { createSource } from '../src/store/sources.ts';
import { createToken } from '../src/store/tokens.ts';
import { createUnit, deleteUnit, setUnitOf, unitSummaries } from '../src/store/units.ts';
import { createUser, findUser } from '../src/store/users.ts';
import { dayRange } from '../src/web/ui/format.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { password, people } from './support/review-fixtures.ts';
import { apiClient, startTestService, writeTestConfig } from './support/service.ts';
import { WebSession } from './support/web-session.ts';

const now = new Date('2026-10-05T08:00:00Z');
const at = (from: Date, minutes: number) => new Date(from.getTime() + minutes * 60_000);
const week = { from: new Date(now.getTime() - 7 * 86_400_000), to: now };
const zone = 'Asia/Ho_Chi_Minh';

interface Step { audience: string; state: 'machine_translated' | 'approved' | 'published' | 'withdrawn'; machine: number; approved?: { minutes: number; by: string }; published?: number; withdrawn?: number }

/** A story as a poll stores it (no unit given: the database gives it its source's), with its translations' events. */
async function story(db: Db, guid: string, source: string, ingestedAt: Date, priority: boolean, steps: Step[]) {
  const s = await db.insertInto('stories').values({ guid, source_id: source, title: `Tin ${guid}`, summary: '', body_html: '', content_hash: guid, priority, ingested_at: ingestedAt }).returning('id').executeTakeFirstOrThrow();
  const ids: number[] = [];
  for (const t of steps) {
    const row = await db.insertInto('translations').values({
      story_id: s.id, audience_id: t.audience, language: t.audience, state: t.state, provider: 'deepl', title: `Story ${guid}`, created_at: ingestedAt, machine_translated_at: at(ingestedAt, t.machine),
    }).returning('id').executeTakeFirstOrThrow();
    ids.push(row.id);
    if (t.approved) await db.insertInto('translation_events').values({ translation_id: row.id, from_state: 'in_review', to_state: 'approved', actor: t.approved.by, created_at: at(ingestedAt, t.approved.minutes) }).execute();
    if (t.published !== undefined) await db.insertInto('publications').values({ translation_id: row.id, audience_id: t.audience, title: 'x', summary: '', body_html: '', first_published_at: at(ingestedAt, t.published) }).execute();
    if (t.withdrawn !== undefined) await db.insertInto('translation_events').values({ translation_id: row.id, from_state: 'published', to_state: 'withdrawn', actor: 'hoa', reason: 'Rút theo yêu cầu của nguồn.', created_at: at(ingestedAt, t.withdrawn) }).execute();
  }
  return ids;
}

async function seedWeek(db: Db) {
  await createUnit(db, { id: 'so-ngoai-vu', nameVi: 'Sở Ngoại vụ', nameEn: 'Department of Foreign Affairs' });
  await createUnit(db, { id: 'bao-tinh', nameVi: 'Báo tỉnh' });
  const source = (id: string, unit: string | null) => createSource(db, { id, name: id, url: `https://example.org/${id}`, kind: 'rss', schedule: '*/5 * * * *', fullText: false, enabled: true, unit }, new Date());
  await source('snv', 'so-ngoai-vu');
  await source('bt', 'bao-tinh');
  await source('khac', null);
  await setUnitOf(db, 'users', (await findUser(db, { username: 'lan' })).id, 'so-ngoai-vu');
  await setUnitOf(db, 'users', (await findUser(db, { username: 'hoa' })).id, 'bao-tinh');
  await db.insertInto('social_channels').values({ id: 'ch1', network: 'mastodon', audience_id: 'en' }).execute();

  const [aEn] = await story(db, 'a', 'snv', new Date('2026-10-02T02:00:00Z'), false, [
    { audience: 'en', state: 'published', machine: 5, approved: { minutes: 50, by: 'lan' }, published: 60 },
    { audience: 'fr', state: 'approved', machine: 10, approved: { minutes: 100, by: 'hoa' } },
  ]);
  const [bEn] = await story(db, 'b', 'bt', new Date('2026-10-03T02:00:00Z'), true, [
    { audience: 'en', state: 'withdrawn', machine: 5, approved: { minutes: 120, by: 'hoa' }, published: 130, withdrawn: 600 },
  ]);
  await story(db, 'c', 'khac', new Date('2026-10-04T02:00:00Z'), false, [{ audience: 'en', state: 'machine_translated', machine: 5 }]);
  // before the week: in no figure
  await story(db, 'old', 'snv', new Date('2026-09-20T02:00:00Z'), false, [{ audience: 'en', state: 'published', machine: 5, approved: { minutes: 10, by: 'lan' }, published: 11 }]);
  await db.insertInto('social_posts').values({ channel_id: 'ch1', translation_id: aEn!, idempotency_key: 'p1', status: 'sent', scheduled_at: at(new Date('2026-10-02T02:00:00Z'), 70), sent_at: at(new Date('2026-10-02T02:00:00Z'), 70) }).execute();
  await db.insertInto('qa_findings').values({ translation_id: bEn!, version: 1, actor: 'hoa', errors: JSON.stringify([{ check: 'numbers' }]), overridden: true, created_at: at(new Date('2026-10-03T02:00:00Z'), 119) }).execute();
  await db.insertInto('qa_overrides').values({ translation_id: bEn!, version: 1, actor: 'hoa', reason: 'Số liệu đã kiểm tra với nguồn.', issues: JSON.stringify([{ check: 'numbers' }]), created_at: at(new Date('2026-10-03T02:00:00Z'), 120) }).execute();
}

describe('units', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let service: Service;
  const signedIn = async (username: string, lang?: string) => {
    const s = new WebSession(service.url, lang ? { 'accept-language': lang } : {});
    expect((await s.login(username, password)).status).to.equal(303);
    return s;
  };
  const deps = () => ({ db: database.db, slaMinutes: 60 });

  before(async () => {
    database = await freshDatabase();
    service = await startTestService(writeTestConfig({
      audiences: [{ id: 'en', language: 'en', provider: 'manual' }, { id: 'fr', language: 'fr', provider: 'manual' }],
      review: { slaMinutes: 60 },
    }), database, () => now);
    await people(database.db);
    await createUser(database.db, { username: 'quan', displayName: 'Quân', role: 'admin', password, locale: 'en' });
    await seedWeek(database.db);
  });
  after(async () => {
    await service?.close();
    await database?.close();
  });

  it('gives a story its source\'s unit, or the pushing token\'s, when it arrives', async () => {
    const units = Object.fromEntries((await database.db.selectFrom('stories').select(['guid', 'unit_id']).execute()).map((r) => [r.guid, r.unit_id]));
    expect(units).to.deep.equal({ a: 'so-ngoai-vu', b: 'bao-tinh', c: null, old: 'so-ngoai-vu' });
    const portal = apiClient(service.url, await createToken(database.db, 'cong-thong-tin', 'editor', 'quan', { unit: 'bao-tinh' }));
    const res = await portal('POST', '/api/v1/stories', { id: 'portal-1', title: 'Tỉnh đón đoàn khách quốc tế', bodyHtml: '<p>Đoàn khách đến thăm tỉnh.</p>' });
    expect(res.status).to.equal(201);
    const pushed = await database.db.selectFrom('stories').select(['unit_id', 'pushed_by']).where('guid', '=', 'push:portal-1').executeTakeFirstOrThrow();
    expect(pushed).to.deep.equal({ unit_id: 'bao-tinh', pushed_by: 'token:cong-thong-tin' });
    // moving the source later leaves the stories it already gave where they were counted
    await setUnitOf(database.db, 'sources', 'snv', 'bao-tinh');
    expect((await database.db.selectFrom('stories').select('unit_id').where('guid', '=', 'a').executeTakeFirstOrThrow()).unit_id).to.equal('so-ngoai-vu');
    await setUnitOf(database.db, 'sources', 'snv', 'so-ngoai-vu');
    await database.db.deleteFrom('stories').where('guid', '=', 'push:portal-1').execute();
  });

  it('reports each unit\'s week: its stories and what became of them', async () => {
    const snv = await periodReport(deps(), week, 'so-ngoai-vu');
    expect(snv.unit).to.equal('so-ngoai-vu');
    expect(snv.stories).to.deep.equal({ received: 1, priority: 0, bySource: [{ source: 'snv', count: 1 }] });
    expect(snv.audiences).to.deep.equal([
      { audience: 'en', machineDrafts: 1, approved: 1, published: 1, corrections: 0, withdrawals: 0, publishP50: 3600, publishP95: 3600, priorityReviewed: 0, priorityLate: 0 },
      { audience: 'fr', machineDrafts: 1, approved: 1, published: 0, corrections: 0, withdrawals: 0, publishP50: null, publishP95: null, priorityReviewed: 0, priorityLate: 0 },
    ]);
    expect(snv.takedowns).to.deep.equal([]);
    expect(snv.social).to.deep.equal([{ channel: 'ch1', network: 'mastodon', audience: 'en', sent: 1, failed: 0 }]);
    expect(snv.qa).to.deep.equal([]);

    const bt = await periodReport(deps(), week, 'bao-tinh');
    expect(bt.stories).to.deep.equal({ received: 1, priority: 1, bySource: [{ source: 'bt', count: 1 }] });
    expect(bt.audiences).to.deep.equal([
      { audience: 'en', machineDrafts: 1, approved: 1, published: 1, corrections: 0, withdrawals: 1, publishP50: 7800, publishP95: 7800, priorityReviewed: 1, priorityLate: 1 },
    ]);
    expect(bt.takedowns.map((t) => [t.kind, t.audience, t.reason])).to.deep.equal([['withdrawal', 'en', 'Rút theo yêu cầu của nguồn.']]);
    expect(bt.social).to.deep.equal([{ channel: 'ch1', network: 'mastodon', audience: 'en', sent: 0, failed: 0 }]);
    expect(bt.qa).to.deep.equal([{ check: 'numbers', errors: 1, overridden: 1 }]);

    const all = await periodReport(deps(), week);
    expect(all.unit).to.equal(null);
    expect(all.stories.received).to.equal(3);
    expect(all.audiences.find((a) => a.audience === 'en')!.machineDrafts).to.equal(3);
  });

  it('shows the same figures on the dashboard for the same unit and range', async () => {
    for (const unit of ['so-ngoai-vu', 'bao-tinh']) {
      const [report, f] = await Promise.all([periodReport(deps(), week, unit), allFigures(deps(), now, unit)]);
      const published = (await timeToPublish(database.db, now, unit)).filter((x) => x.window === 'week' && x.stage === 'published');
      expect(f.timing.filter((x) => x.window === 'week' && x.stage === 'published')).to.deep.equal(published);
      for (const a of report.audiences) {
        const d = published.find((x) => x.audience === a.audience);
        expect({ p50: a.publishP50, p95: a.publishP95, count: a.published }, `${unit} ${a.audience}`).to.deep.equal({ p50: d?.p50 ?? null, p95: d?.p95 ?? null, count: d?.count ?? 0 });
        const approved = f.timing.find((x) => x.window === 'week' && x.stage === 'approved' && x.audience === a.audience);
        expect(approved?.count ?? 0, `${unit} ${a.audience} approvals`).to.equal(a.approved);
      }
      const weekSla = f.sla.reviews.filter((r) => r.window === 'week');
      expect(weekSla.map((r) => [r.audience, r.reviewed, r.late])).to.deep.equal(report.audiences.filter((a) => a.priorityReviewed).map((a) => [a.audience, a.priorityReviewed, a.priorityLate]));
      const weekQa = f.qa.found.filter((r) => r.window === 'week').reduce((n, r) => n + r.errors, 0);
      expect(weekQa, `${unit} QA errors`).to.equal(report.qa.reduce((n, q) => n + q.errors, 0));
    }
    const snv = await allFigures(deps(), now, 'so-ngoai-vu');
    expect(snv.backlog).to.deep.equal([{ audience: 'en', state: 'published', count: 2 }, { audience: 'fr', state: 'approved', count: 1 }]);
    expect(snv.sources.map((s) => s.id)).to.deep.equal(['snv']);
    // work counts for the person's unit: lan's approvals, not hoa's
    expect(snv.people.filter((p) => p.window === 'week')).to.deep.equal([{ person: 'lan', window: 'week', edits: 0, approvals: 1 }]);
    const bt = await allFigures(deps(), now, 'bao-tinh');
    expect(bt.people.filter((p) => p.window === 'week')).to.deep.equal([{ person: 'hoa', window: 'week', edits: 0, approvals: 2 }]);
    expect(bt.qa.byAudience.filter((r) => r.window === 'week')).to.deep.equal([{ audience: 'en', window: 'week', overrides: 1, errors: 1 }]);
    expect(snv.qa.byAudience).to.deep.equal([]);

    const page = await (await signedIn('lan')).get('/ui/dashboard?unit=so-ngoai-vu');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Unit: Department of Foreign Affairs.').and.contain('<option value="so-ngoai-vu" selected>');
    expect(page.text).to.contain('<td>lan</td>').and.not.contain('<td>hoa</td>');
    const vi = await (await signedIn('hoa', 'vi')).get('/ui/dashboard?unit=bao-tinh');
    expect(vi.text).to.contain('Đơn vị: Báo tỉnh.').and.contain('<td>hoa</td>').and.not.contain('<td>lan</td>');
  });

  it('exports a unit\'s report as CSV and as a printable page', async () => {
    const lan = await signedIn('lan');
    const range = dayRange({ from: '2026-09-28', to: '2026-10-05' }, now, zone);
    const csv = await lan.get('/ui/reports.csv?from=2026-09-28&to=2026-10-05&unit=bao-tinh');
    expect(csv.status).to.equal(200);
    expect(csv.headers.get('content-disposition')).to.equal('attachment; filename="report-2026-09-28-2026-10-05-bao-tinh.csv"');
    expect(csv.text).to.equal(renderReportCsv(await periodReport({ ...deps(), monthlyCharacterBudget: undefined }, { from: range.from, to: range.to }, 'bao-tinh')));
    const lines = csv.text.split('\r\n');
    for (const line of ['range,,unit,bao-tinh', 'stories,,received,1', 'audience,en,withdrawals,1', 'audience,en,priority_late,1', 'qa_findings,numbers,overridden,1']) expect(lines).to.include(line);
    expect(lines.filter((l) => l.startsWith('audience,fr,'))).to.deep.equal([]);
    const page = await lan.get('/ui/reports?from=2026-09-28&to=2026-10-05&unit=so-ngoai-vu');
    expect(page.text).to.contain('Unit: Department of Foreign Affairs.').and.contain('1 story received, 0 of them priority.');
    expect(page.text).to.contain('href="/ui/reports.csv?from=2026-09-28&amp;to=2026-10-05&amp;unit=so-ngoai-vu"');
    // an unknown unit is no filter: the whole office
    expect((await lan.get('/ui/reports?from=2026-09-28&to=2026-10-05&unit=khong-co')).text).to.contain('3 stories received, 1 of them priority.');
  });

  it('sets and reads a source\'s unit through /api/v1/sources, and refuses an unknown unit with a clear 400', async () => {
    const api = apiClient(service.url, await createToken(database.db, 'units-api', 'admin'));
    const made = await api('POST', '/api/v1/sources', { id: 'api-unit', name: 'Qua API', url: 'https://example.org/api-unit', unit: 'bao-tinh' });
    expect(made.status, JSON.stringify(made.body)).to.equal(201);
    expect(made.body.data.unit).to.equal('bao-tinh');
    expect((await api('GET', '/api/v1/sources/api-unit')).body.data.unit).to.equal('bao-tinh');
    expect((await api('PATCH', '/api/v1/sources/api-unit', { unit: 'so-ngoai-vu' })).body.data.unit).to.equal('so-ngoai-vu');
    expect((await api('GET', '/api/v1/sources')).body.data.find((x: { id: string }) => x.id === 'api-unit').unit).to.equal('so-ngoai-vu');
    const unknown = await api('PATCH', '/api/v1/sources/api-unit', { unit: 'khong-co' });
    expect(unknown.status).to.equal(400);
    expect(unknown.body.error).to.deep.equal({ code: 'invalid_input', message: 'there is no unit khong-co' });
    expect((await api('POST', '/api/v1/sources', { id: 'api-unit-2', name: 'X', url: 'https://example.org/x', unit: 'Không Có' })).status).to.equal(400);
    expect((await api('PATCH', '/api/v1/sources/api-unit', { unit: null })).body.data.unit).to.equal(null);
    await api('DELETE', '/api/v1/sources/api-unit');
  });

  it('lets admins manage units and put sources, tokens and people in them; not editors', async () => {
    const lan = await signedIn('lan');
    await lan.get('/ui/queue');
    expect((await lan.get('/ui/units')).status).to.equal(403);
    expect((await lan.post('/ui/units', { id: 'x', nameVi: 'X' })).status).to.equal(403);
    const quan = await signedIn('quan');
    await quan.get('/ui/units');
    const added = await quan.post('/ui/units', { id: 'ban-tuyen-giao', nameVi: 'Ban Tuyên giáo', nameEn: '' });
    expect(added.status, added.text.slice(0, 3000)).to.equal(303);
    const list = await quan.get('/ui/units');
    // in English: the English name where there is one, else the Vietnamese
    expect(list.text).to.contain('Unit Ban Tuyên giáo added.').and.contain('Department of Foreign Affairs</h2>').and.contain('Ban Tuyên giáo</h2>');
    expect((await quan.post('/ui/units', { id: 'ban-tuyen-giao', nameVi: 'Ban khác' })).text).to.contain('There is already a unit ban-tuyen-giao.');
    expect((await quan.post('/ui/units', { id: 'Có Dấu', nameVi: 'Sai' })).status).to.equal(400);
    expect((await quan.post('/ui/units/ban-tuyen-giao', { nameVi: 'Ban Tuyên giáo Tỉnh ủy', nameEn: 'Propaganda Department' })).status).to.equal(303);

    // the source, person and token forms
    const form = { name: 'khac', url: 'https://example.org/khac', kind: 'rss', schedule: '*/5 * * * *', language: 'vi', reach: '', unit: 'ban-tuyen-giao' };
    expect((await quan.post('/ui/sources/khac', form)).status).to.equal(303);
    expect((await quan.get('/ui/sources/khac')).text).to.contain('<option value="ban-tuyen-giao" selected>');
    expect((await quan.post('/ui/sources/khac', { ...form, unit: 'khong-co' })).text).to.contain('There is no unit khong-co.');
    const thu = await findUser(database.db, { username: 'thu' });
    expect((await quan.post(`/ui/people/${thu.id}`, { displayName: 'Thu', role: 'translator', languages: 'en', unit: 'ban-tuyen-giao' })).status).to.equal(303);
    expect((await quan.post('/ui/tokens', { name: 'tuyen-giao-feed', role: 'editor', unit: 'ban-tuyen-giao' })).status).to.equal(200);
    // a token's unit is changed on the tokens page
    const moving = await createToken(database.db, 'moving-feed', 'editor', 'quan', { unit: 'bao-tinh' });
    const movingId = (await database.db.selectFrom('api_tokens').select('id').where('name', '=', 'moving-feed').executeTakeFirstOrThrow()).id;
    expect(moving).to.be.a('string');
    const tokensPage = await quan.get('/ui/tokens');
    expect(tokensPage.text).to.contain(`action="/ui/tokens/${movingId}/unit"`);
    const moved = await quan.post(`/ui/tokens/${movingId}/unit`, { unit: 'so-ngoai-vu' });
    expect(moved.status).to.equal(303);
    expect((await quan.get('/ui/tokens')).text).to.contain('unit is changed: the stories it sends from now on count there.');
    expect((await database.db.selectFrom('api_tokens').select('unit_id').where('id', '=', movingId).executeTakeFirstOrThrow()).unit_id).to.equal('so-ngoai-vu');
    const wrongUnit = await quan.post(`/ui/tokens/${movingId}/unit`, { unit: 'khong-co' });
    expect(wrongUnit.status).to.equal(400);
    expect(wrongUnit.text).to.contain('There is no unit khong-co.');
    expect((await quan.post(`/ui/tokens/${movingId}/unit`, { unit: '' })).status).to.equal(303);
    expect((await database.db.selectFrom('api_tokens').select('unit_id').where('id', '=', movingId).executeTakeFirstOrThrow()).unit_id).to.equal(null);
    expect((await lan.post(`/ui/tokens/${movingId}/unit`, { unit: 'bao-tinh' })).status).to.equal(403);
    await database.db.deleteFrom('api_tokens').where('id', '=', movingId).execute();
    expect(await unitSummaries(database.db).then((u) => u.find((x) => x.id === 'ban-tuyen-giao'))).to.deep.include({ name_en: 'Propaganda Department', sources: 1, people: 1, tokens: 1 });
    // a unit in use stays
    expect((await quan.post('/ui/units/ban-tuyen-giao/delete')).text).to.contain('is still named by sources, tokens, people or stories');
    await createUnit(database.db, { id: 'tam', nameVi: 'Tạm' });
    await deleteUnit(database.db, 'tam');
    expect((await unitSummaries(database.db)).map((u) => u.id)).to.deep.equal(['ban-tuyen-giao', 'bao-tinh', 'so-ngoai-vu']);
    // the source's unit goes back, so the figures above stay those of the script
    await setUnitOf(database.db, 'sources', 'khac', null);
  });
});
