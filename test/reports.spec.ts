/**
 * The periodic report on a scripted quarter of events (Q3 2026 in the desk's zone, with stories
 * just outside it on both sides): exact figures, the same in CSV and on the printable page, in
 * English and Vietnamese; the same stage times as the dashboard for the same range; editors only.
 */
import { expect } from 'chai';
import type { TranslationState } from '../src/core/workflow.ts';
import { timeToPublish } from '../src/ops/figures.ts';
import { periodReport } from '../src/ops/report.ts';
import { renderReportCsv } from '../src/ops/report-csv.ts';
import type { Service } from '../src/service.ts';
import type { Db } from '../src/store/db.ts';
import { createPartner } from '../src/store/partners.ts';
import { periodPresets } from '../src/web/ui/routes/reports.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { password, people } from './support/review-fixtures.ts';
import { startTestService, writeTestConfig } from './support/service.ts';
import { WebSession } from './support/web-session.ts';

const now = new Date('2026-10-05T08:00:00Z');
const at = (from: Date, minutes: number) => new Date(from.getTime() + minutes * 60_000);
// Q3 2026 in Asia/Ho_Chi_Minh (UTC+7)
const q3 = { from: new Date('2026-06-30T17:00:00Z'), to: new Date('2026-09-30T17:00:00Z') };

interface Step { audience: string; state: TranslationState; machine?: number; approved?: number; published?: number; events?: { minutes: number; from: TranslationState; to: TranslationState; reason: string }[] }

async function story(db: Db, guid: string, source: string | null, ingestedAt: Date, priority: boolean, steps: Step[]) {
  const s = await db.insertInto('stories').values({ guid, source_id: source, title: `Tin ${guid}`, summary: '', body_html: '', content_hash: guid, priority, ingested_at: ingestedAt }).returning('id').executeTakeFirstOrThrow();
  const ids: number[] = [];
  for (const t of steps) {
    const row = await db.insertInto('translations').values({
      story_id: s.id, audience_id: t.audience, language: t.audience, state: t.state, provider: 'deepl', title: `Story ${guid}`, created_at: ingestedAt,
      machine_translated_at: t.machine === undefined ? null : at(ingestedAt, t.machine),
    }).returning('id').executeTakeFirstOrThrow();
    ids.push(row.id);
    if (t.approved !== undefined) await db.insertInto('translation_events').values({ translation_id: row.id, from_state: 'in_review', to_state: 'approved', actor: 'lan', created_at: at(ingestedAt, t.approved) }).execute();
    if (t.published !== undefined) await db.insertInto('publications').values({ translation_id: row.id, audience_id: t.audience, title: 'x', summary: '', body_html: '', first_published_at: at(ingestedAt, t.published) }).execute();
    for (const e of t.events ?? []) await db.insertInto('translation_events').values({ translation_id: row.id, from_state: e.from, to_state: e.to, actor: 'hoa', reason: e.reason, created_at: at(ingestedAt, e.minutes) }).execute();
  }
  return ids;
}

async function seedQuarter(db: Db) {
  for (const [id, name] of [['vna', 'TTXVN'], ['bao-tinh', 'Báo tỉnh']]) {
    await db.insertInto('sources').values({ id: id!, name: name!, url: `https://example.org/${id}`, kind: 'rss', schedule: '*/5 * * * *', full_text: false, enabled: true }).execute();
  }
  await db.insertInto('social_channels').values({ id: 'ch1', network: 'mastodon', audience_id: 'en' }).execute();
  // priority: en approved in 50 min (in time), fr in 120 min (late)
  const [s1en, s1fr] = await story(db, 's1', 'vna', new Date('2026-07-10T02:00:00Z'), true, [
    { audience: 'en', state: 'published', machine: 5, approved: 50, published: 51 },
    { audience: 'fr', state: 'published', machine: 10, approved: 120, published: 121 },
  ]);
  // corrected a day later, withdrawn two weeks after
  const [s2en] = await story(db, 's2', 'bao-tinh', new Date('2026-08-20T03:00:00Z'), false, [{
    audience: 'en', state: 'withdrawn', machine: 20, approved: 200, published: 200, events: [
      { minutes: 24 * 60, from: 'published', to: 'in_review', reason: 'The ministry corrected the figure.' },
      { minutes: 13 * 24 * 60, from: 'published', to: 'withdrawn', reason: 'Retracted by the source.' },
    ],
  }]);
  // just outside the quarter on either side (in the desk's zone): 1 October 01:00 and 30 June 23:00
  await story(db, 's3', null, new Date('2026-09-30T18:00:00Z'), false, [{ audience: 'en', state: 'published', machine: 5, approved: 60 * 24 * 2, published: 60 * 24 * 2 + 1 }]);
  await story(db, 's4', 'vna', new Date('2026-06-30T16:00:00Z'), false, [{ audience: 'en', state: 'machine_translated', machine: 30 }]);
  await db.insertInto('social_posts').values([
    { channel_id: 'ch1', translation_id: s1en!, idempotency_key: 'p1', status: 'sent', scheduled_at: new Date('2026-07-10T03:30:00Z'), sent_at: new Date('2026-07-10T03:30:00Z') },
    { channel_id: 'ch1', translation_id: s2en!, idempotency_key: 'p2', status: 'failed', scheduled_at: new Date('2026-08-20T07:00:00Z'), error: 'Mastodon answered 422' },
    { channel_id: 'ch1', translation_id: s1fr!, idempotency_key: 'p3', status: 'sent', scheduled_at: new Date('2026-10-02T00:00:00Z'), sent_at: new Date('2026-10-02T00:00:00Z') },
  ]).execute();
  await db.insertInto('qa_findings').values([
    // refused, then approved despite the same errors: that version's last finding counts
    { translation_id: s2en!, version: 1, actor: 'lan', errors: JSON.stringify([{ check: 'numbers' }, { check: 'glossary' }]), overridden: false, created_at: new Date('2026-08-20T05:00:00Z') },
    { translation_id: s2en!, version: 1, actor: 'lan', errors: JSON.stringify([{ check: 'numbers' }, { check: 'glossary' }]), overridden: true, created_at: new Date('2026-08-20T06:00:00Z') },
    { translation_id: s1fr!, version: 1, actor: 'hoa', errors: JSON.stringify([{ check: 'dates' }]), overridden: false, created_at: new Date('2026-07-10T03:00:00Z') },
  ]).execute();
  await db.insertInto('translation_usage').values([
    { day: '2026-07-15', audience_id: 'en', billed_characters: 1000, memory_characters_saved: 100 },
    { day: '2026-08-01', audience_id: 'fr', billed_characters: 500 },
    { day: '2026-10-01', audience_id: 'en', billed_characters: 9999 },
  ]).execute();
  const partner = await createPartner(db, 'Báo Đối Tác', ['en'], 'test');
  await db.insertInto('partner_access').values({ partner_id: partner.id, feed: 'en/rss.xml', count: 7, last_at: new Date('2026-09-01T00:00:00Z') }).execute();
}

describe('periodic reports', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let service: Service;
  const signedIn = async (username: string) => {
    const s = new WebSession(service.url);
    expect((await s.login(username, password)).status).to.equal(303);
    return s;
  };

  before(async () => {
    database = await freshDatabase();
    service = await startTestService(writeTestConfig({
      audiences: [{ id: 'en', language: 'en', provider: 'manual' }, { id: 'fr', language: 'fr', provider: 'manual' }],
      review: { slaMinutes: 60 },
      translation: { monthlyCharacterBudget: 10_000 },
    }), database, () => now);
    await people(database.db);
    await seedQuarter(database.db);
  });
  after(async () => {
    await service?.close();
    await database?.close();
  });

  it('gives the quarter\'s figures, leaving out what falls outside it in the desk\'s zone', async () => {
    const r = await periodReport({ db: database.db, slaMinutes: 60, monthlyCharacterBudget: 10_000 }, q3);
    expect(r.stories).to.deep.equal({ received: 2, priority: 1, bySource: [{ source: 'bao-tinh', count: 1 }, { source: 'vna', count: 1 }] });
    expect(r.audiences).to.deep.equal([
      { audience: 'en', machineDrafts: 2, approved: 2, published: 2, corrections: 1, withdrawals: 1, publishP50: 7530, publishP95: 3060 + 0.95 * (12_000 - 3060), priorityReviewed: 1, priorityLate: 0 },
      { audience: 'fr', machineDrafts: 1, approved: 1, published: 1, corrections: 0, withdrawals: 0, publishP50: 7260, publishP95: 7260, priorityReviewed: 1, priorityLate: 1 },
    ]);
    expect(r.takedowns.map((t) => [t.kind, t.audience, t.reason])).to.deep.equal([
      ['correction', 'en', 'The ministry corrected the figure.'], ['withdrawal', 'en', 'Retracted by the source.'],
    ]);
    expect(r.social).to.deep.equal([{ channel: 'ch1', network: 'mastodon', audience: 'en', sent: 1, failed: 1 }]);
    expect(r.characters).to.deep.equal({ months: [{ month: '2026-07', billed: 1000, memorySaved: 100 }, { month: '2026-08', billed: 500, memorySaved: 0 }], billed: 1500, monthlyBudget: 10_000 });
    expect(r.qa).to.deep.equal([{ check: 'dates', errors: 1, overridden: 0 }, { check: 'glossary', errors: 1, overridden: 1 }, { check: 'numbers', errors: 1, overridden: 1 }]);
    expect(r.partners.map((p) => [p.partner, p.pulls])).to.deep.equal([['Báo Đối Tác', 7]]);
  });

  it('gives the dashboard\'s stage times for the dashboard\'s own week', async () => {
    const week = await periodReport({ db: database.db, slaMinutes: 60 }, { from: new Date(now.getTime() - 7 * 86_400_000), to: now });
    const dashboard = (await timeToPublish(database.db, now)).filter((x) => x.window === 'week' && x.stage === 'published');
    expect(dashboard.length, 'the week has a publication to compare').to.equal(1);
    for (const d of dashboard) {
      const a = week.audiences.find((x) => x.audience === d.audience)!;
      expect({ p50: a.publishP50, p95: a.publishP95, count: a.published }).to.deep.equal({ p50: d.p50, p95: d.p95, count: d.count });
    }
  });

  it('names the calendar periods around today', () => {
    expect(periodPresets('2026-10-05').map((p) => [p.key, p.from, p.to])).to.deep.equal([
      ['month', '2026-10-01', '2026-10-31'], ['lastMonth', '2026-09-01', '2026-09-30'],
      ['quarter', '2026-10-01', '2026-12-31'], ['lastQuarter', '2026-07-01', '2026-09-30'],
      ['year', '2026-01-01', '2026-12-31'], ['lastYear', '2025-01-01', '2025-12-31'],
    ]);
    expect(periodPresets('2026-02-10').find((p) => p.key === 'lastQuarter')).to.deep.include({ from: '2025-10-01', to: '2025-12-31', label: { q: 4, year: 2025 } });
  });

  it('exports the same figures as CSV and as a printable page, in English and Vietnamese', async () => {
    const lan = await signedIn('lan');
    const csv = await lan.get('/ui/reports.csv?from=2026-07-01&to=2026-09-30');
    expect(csv.status).to.equal(200);
    expect(csv.headers.get('content-type')).to.match(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).to.equal('attachment; filename="report-2026-07-01-2026-09-30.csv"');
    const expected = renderReportCsv(await periodReport({ db: database.db, slaMinutes: 60, monthlyCharacterBudget: 10_000 }, q3));
    expect(csv.text).to.equal(expected);
    for (const line of ['stories,,received,2', 'audience,en,published,2', 'audience,en,ingest_to_publication_p50_seconds,7530', 'audience,fr,priority_late,1',
      'withdrawal,en #3,2026-09-02T03:00:00.000Z hoa,Retracted by the source.', 'social,ch1,failed,1', 'characters,,billed_total,1500', 'qa_findings,numbers,refused,0']) {
      expect(csv.text.split('\r\n')).to.include(line);
    }
    const page = await lan.get('/ui/reports?from=2026-07-01&to=2026-09-30');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('<h1>Periodic report</h1>').and.contain('2 stories received, 1 of them priority.');
    expect(page.text).to.contain('<td data-label="To publication (p50)">2 h 06 min</td>');
    expect(page.text).to.contain('Retracted by the source.').and.contain('1,500 characters billed in the period, against a budget of 10,000 a month.');
    expect(page.text).to.contain('href="/ui/reports.csv?from=2026-07-01&amp;to=2026-09-30"');
    expect(page.text).to.contain('aria-current="true">Last quarter (Q3 2026)</a>');
    expect(page.text, 'no inline style or script').to.not.match(/\sstyle=|<script(?! src=)/);
    const vi = await (await signedIn('hoa')).get('/ui/reports?from=2026-07-01&to=2026-09-30');
    expect(vi.text).to.contain('<h1>Báo cáo định kỳ</h1>').and.contain('Nhận 2 tin, trong đó 1 tin ưu tiên.').and.contain('Quý trước (quý 3 năm 2026)');
  });

  it('refuses translators', async () => {
    const thu = await signedIn('thu');
    expect((await thu.get('/ui/reports')).status).to.equal(403);
    expect((await thu.get('/ui/reports.csv')).status).to.equal(403);
  });
});
