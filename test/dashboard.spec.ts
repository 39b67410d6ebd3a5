/**
 * The supervision figures on a small seeded history with a fixed clock (exact numbers), the
 * dashboard page (roles, languages, charts, CSP) and the same figures in /metrics.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type { TranslationState } from '../src/core/workflow.ts';
import { backlog, channelHealth, partnerPulls, qaFound, qaOverrides, slaBreaches, throughput, timeToPublish, translationCost } from '../src/ops/figures.ts';
import type { Service } from '../src/service.ts';
import type { Db } from '../src/store/db.ts';
import { createPartner } from '../src/store/partners.ts';
import { createToken } from '../src/store/tokens.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { password, people } from './support/review-fixtures.ts';
import { startTestService, writeTestConfig } from './support/service.ts';
import { WebSession } from './support/web-session.ts';

const now = new Date('2026-11-27T08:00:00Z');
const at = (from: Date, minutes: number) => new Date(from.getTime() + minutes * 60_000);
const ago = (hours: number) => new Date(now.getTime() - hours * 3600_000);

/** One story with one translation per entry of `audiences`; times in minutes after ingestion. */
async function story(db: Db, guid: string, ingestedAt: Date, priority: boolean, translations: {
  audience: string; state: TranslationState; machine?: number; approvals?: { minutes: number; actor: string }[]; published?: number; posts?: number[];
}[]) {
  const s = await db.insertInto('stories').values({ guid, title: `Tin ${guid}`, summary: '', body_html: '', content_hash: guid, priority, ingested_at: ingestedAt }).returning('id').executeTakeFirstOrThrow();
  const ids: number[] = [];
  for (const t of translations) {
    const row = await db.insertInto('translations').values({
      story_id: s.id, audience_id: t.audience, language: t.audience, state: t.state, provider: 'deepl', title: `Story ${guid}`,
      created_at: ingestedAt, machine_translated_at: t.machine === undefined ? null : at(ingestedAt, t.machine),
      approved_at: t.approvals?.length ? at(ingestedAt, t.approvals.at(-1)!.minutes) : null,
    }).returning('id').executeTakeFirstOrThrow();
    ids.push(row.id);
    for (const a of t.approvals ?? []) {
      await db.insertInto('translation_events').values({ translation_id: row.id, from_state: 'in_review', to_state: 'approved', actor: a.actor, created_at: at(ingestedAt, a.minutes) }).execute();
    }
    if (t.published !== undefined) {
      await db.insertInto('publications').values({ translation_id: row.id, audience_id: t.audience, title: 'x', summary: '', body_html: '', first_published_at: at(ingestedAt, t.published) }).execute();
    }
    for (const [k, minutes] of (t.posts ?? []).entries()) {
      await db.insertInto('social_posts').values({
        channel_id: `ch${k + 1}`, translation_id: row.id, idempotency_key: `${guid}-${t.audience}-${k}`, status: 'sent',
        scheduled_at: at(ingestedAt, minutes), sent_at: at(ingestedAt, minutes),
      }).execute();
    }
  }
  return ids;
}

async function seed(db: Db) {
  for (const id of ['ch1', 'ch2']) await db.insertInto('social_channels').values({ id, network: 'mastodon', audience_id: 'en' }).execute();
  await db.insertInto('social_channels').values({ id: 'ch3', network: 'telegram', audience_id: 'fr', status: 'broken', status_reason: 'Telegram answered 401: <Unauthorized>' }).execute();
  // priority, 10 h ago: en approved in 50 min (in time), posted at 90 and 120 min; fr still in review (overdue)
  await story(db, 's1', ago(10), true, [
    { audience: 'en', state: 'published', machine: 5, approvals: [{ minutes: 50, actor: 'user:lan' }], published: 51, posts: [90, 120] },
    { audience: 'fr', state: 'in_review', machine: 10 },
  ]);
  // 3 h ago: approved after 2 h despite two QA errors
  const [t3] = await story(db, 's2', ago(3), false, [{ audience: 'en', state: 'published', machine: 20, approvals: [{ minutes: 120, actor: 'user:lan' }], published: 120 }]);
  // priority, 3 days ago: approved after 3 h (late); a correction approved again 12 h ago is not its first approval
  const [t4] = await story(db, 's3', ago(72), true, [{ audience: 'en', state: 'published', machine: 30, approvals: [{ minutes: 180, actor: 'user:lan' }, { minutes: 60 * 60, actor: 'user:hoa' }], published: 180 }]);
  await story(db, 's4', ago(0.5), false, [{ audience: 'en', state: 'queued' }]);
  await db.insertInto('qa_overrides').values([
    { translation_id: t3!, version: 1, actor: 'user:lan', reason: 'names checked', issues: JSON.stringify([{ check: 'numbers', severity: 'error' }, { check: 'glossary', severity: 'error' }]), created_at: ago(1) },
    { translation_id: t4!, version: 1, actor: 'user:lan', reason: 'agreed', issues: JSON.stringify([{ check: 'numbers', severity: 'error' }]), created_at: ago(69) },
  ]).execute();
  // what the gate found: t4's version refused then overridden 3 days ago; t3's refused 30 h ago and
  // overridden an hour ago, the two rows written in the other order (each window takes its own last by id)
  await db.insertInto('qa_findings').values([
    { translation_id: t4!, version: 1, actor: 'user:lan', errors: JSON.stringify([{ check: 'numbers' }, { check: 'names' }]), overridden: false, created_at: ago(70) },
    { translation_id: t4!, version: 1, actor: 'user:lan', errors: JSON.stringify([{ check: 'numbers' }]), overridden: true, created_at: ago(69) },
    { translation_id: t3!, version: 1, actor: 'user:lan', errors: JSON.stringify([{ check: 'numbers' }, { check: 'glossary' }]), overridden: true, created_at: ago(1) },
    { translation_id: t3!, version: 1, actor: 'user:lan', errors: JSON.stringify([{ check: 'numbers' }, { check: 'glossary' }, { check: 'names' }]), overridden: false, created_at: ago(30) },
  ]).execute();
  await db.insertInto('social_posts').values([
    { channel_id: 'ch1', translation_id: t3!, idempotency_key: 'failed-1', status: 'failed', scheduled_at: ago(1), error: 'Mastodon answered 422' },
    { channel_id: 'ch2', translation_id: t3!, idempotency_key: 'waiting-1', status: 'scheduled', scheduled_at: ago(-1) },
  ]).execute();
  await db.insertInto('revisions').values({ translation_id: t3!, version: 2, title: 'x', summary: '', body_html: '', author: 'user:thu', kind: 'edit', created_at: ago(2) }).execute();
  await db.insertInto('translation_usage').values([
    { day: '2026-10-31', audience_id: 'en', billed_characters: 9999 },
    { day: '2026-11-26', audience_id: 'en', billed_characters: 1000, memory_hits: 3, memory_characters_saved: 200 },
    { day: '2026-11-27', audience_id: 'en', billed_characters: 500, memory_hits: 1, memory_characters_saved: 100 },
    { day: '2026-11-27', audience_id: 'fr', billed_characters: 300 },
  ]).execute();
  await db.insertInto('translation_provider_state').values({ provider: 'deepl', character_count: 123_456, character_limit: 500_000, checked_at: ago(1) }).execute();
  const partner = await createPartner(db, 'Báo Đối Tác', ['en'], 'test');
  await db.insertInto('partner_access').values([
    { partner_id: partner.id, feed: 'en/rss.xml', count: 5, last_at: ago(2) },
    { partner_id: partner.id, feed: 'en/atom.xml', count: 2, last_at: ago(1) },
  ]).execute();
  await db.insertInto('sources').values({ id: 'vna', name: 'VNA <wire>', url: 'https://example.org/feed', kind: 'rss', schedule: '*/5 * * * *', full_text: false, enabled: true, consecutive_failures: 2, last_error: 'HTTP 503' }).execute();
}

describe('dashboard and metrics figures', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let service: Service;

  before(async () => {
    database = await freshDatabase();
    service = await startTestService(writeTestConfig({
      audiences: [{ id: 'en', language: 'en', provider: 'manual' }, { id: 'fr', language: 'fr', provider: 'manual' }],
      review: { slaMinutes: 60 },
      translation: { monthlyCharacterBudget: 10_000 },
    }), database, () => now);
    await people(database.db);
    await seed(database.db);
  });
  after(async () => {
    await service?.close();
    await database?.close();
  });

  describe('figures', () => {
    it('counts the backlog per audience and state', async () => {
      expect(await backlog(database.db)).to.deep.equal([
        { audience: 'en', state: 'published', count: 3 }, { audience: 'en', state: 'queued', count: 1 }, { audience: 'fr', state: 'in_review', count: 1 },
      ]);
    });

    it('gives p50/p95 from ingestion to machine draft, first approval, first publication and first social post', async () => {
      const timing = await timeToPublish(database.db, now);
      const get = (audience: string, stage: string, window: string) => timing.find((x) => x.audience === audience && x.stage === stage && x.window === window);
      expect(get('en', 'machine_draft', 'day')).to.deep.include({ p50: 750, count: 2 });
      expect(get('en', 'machine_draft', 'day')!.p95).to.be.closeTo(1155, 1e-6);
      expect(get('fr', 'machine_draft', 'day')).to.deep.include({ p50: 600, p95: 600, count: 1 });
      // the correction approved 12 h ago is not a first approval
      expect(get('en', 'approved', 'day')).to.deep.include({ p50: 5100, count: 2 });
      expect(get('en', 'approved', 'day')!.p95).to.be.closeTo(6990, 1e-6);
      expect(get('en', 'published', 'day')).to.deep.include({ p50: 5130, count: 2 });
      expect(get('en', 'first_post', 'day')).to.deep.include({ p50: 5400, p95: 5400, count: 1 });
      expect(get('en', 'machine_draft', 'week')).to.deep.include({ p50: 1200, count: 3 });
      expect(get('en', 'machine_draft', 'week')!.p95).to.be.closeTo(1740, 1e-6);
      expect(get('en', 'approved', 'week')).to.deep.include({ p50: 7200, count: 3 });
      expect(get('en', 'approved', 'week')!.p95).to.be.closeTo(10440, 1e-6);
      expect(get('fr', 'approved', 'week')).to.equal(undefined);
    });

    it('finds priority stories approved late and still open past their deadline', async () => {
      expect(await slaBreaches(database.db, now, 60)).to.deep.equal({
        reviews: [{ audience: 'en', reviewed: 1, late: 0, window: 'day' }, { audience: 'en', reviewed: 2, late: 1, window: 'week' }],
        overdue: [{ audience: 'fr', count: 1 }],
      });
      // a longer deadline: the 3-hour review is in time, the 10-hour-old draft not yet overdue
      expect(await slaBreaches(database.db, now, 12 * 60)).to.deep.equal({
        reviews: [{ audience: 'en', reviewed: 1, late: 0, window: 'day' }, { audience: 'en', reviewed: 2, late: 0, window: 'week' }],
        overdue: [],
      });
    });

    it('counts approvals despite QA errors, per audience and per check', async () => {
      expect(await qaOverrides(database.db, now)).to.deep.equal({
        byAudience: [{ audience: 'en', overrides: 1, errors: 2, window: 'day' }, { audience: 'en', overrides: 2, errors: 3, window: 'week' }],
        byCheck: [
          { check: 'glossary', errors: 1, window: 'day' }, { check: 'numbers', errors: 1, window: 'day' },
          { check: 'numbers', errors: 2, window: 'week' }, { check: 'glossary', errors: 1, window: 'week' },
        ],
      });
    });

    it('counts the errors the gate found at approval, each text version\'s last finding once, and the refusals', async () => {
      expect(await qaFound(database.db, now)).to.deep.equal([
        { audience: 'en', window: 'day', translations: 1, errors: 2, refused: 0 },
        { audience: 'en', window: 'week', translations: 2, errors: 4, refused: 2 },
      ]);
    });

    it('counts edits and approvals per person, feed pulls per partner, and this month\'s characters', async () => {
      expect(await throughput(database.db, now)).to.deep.equal([
        { person: 'user:hoa', edits: 0, approvals: 1, window: 'day' }, { person: 'user:lan', edits: 0, approvals: 2, window: 'day' }, { person: 'user:thu', edits: 1, approvals: 0, window: 'day' },
        { person: 'user:hoa', edits: 0, approvals: 1, window: 'week' }, { person: 'user:lan', edits: 0, approvals: 3, window: 'week' }, { person: 'user:thu', edits: 1, approvals: 0, window: 'week' },
      ]);
      expect(await partnerPulls(database.db)).to.deep.equal([{ partner: 'Báo Đối Tác', enabled: true, pulls: 7, lastAt: ago(1), feeds: 2 }]);
      const cost = await translationCost({ db: database.db, clock: () => now, monthlyCharacterBudget: 10_000, providers: ['deepl'] });
      expect(cost).to.deep.include({ month: '2026-11', billedCharacters: 1800, budget: 10_000, budgetRemaining: 8200 });
      expect(cost.memory).to.deep.equal({ hits: 4, charactersSaved: 300 });
      expect(cost.providers[0]).to.deep.include({ provider: 'deepl', characterCount: 123_456, characterLimit: 500_000 });
    });
  });

  describe('the page', () => {
    const signedIn = async (username: string) => {
      const s = new WebSession(service.url);
      expect((await s.login(username, password)).status).to.equal(303);
      return s;
    };

    it('shows each social channel\'s state, its waiting and failed posts, and its last post', async () => {
      const channels = await channelHealth(database.db);
      expect(channels.map(({ lastSentAt: _, ...c }) => c)).to.deep.equal([
        { id: 'ch1', network: 'mastodon', audience: 'en', status: 'active', statusReason: null, statusReasonKey: null, waiting: 0, failed: 1 },
        { id: 'ch2', network: 'mastodon', audience: 'en', status: 'active', statusReason: null, statusReasonKey: null, waiting: 1, failed: 0 },
        { id: 'ch3', network: 'telegram', audience: 'fr', status: 'broken', statusReason: 'Telegram answered 401: <Unauthorized>', statusReasonKey: null, waiting: 0, failed: 0 },
      ]);
      expect(channels[0]!.lastSentAt).to.be.instanceOf(Date);
      expect(channels[2]!.lastSentAt).to.equal(null);
    });

    it('shows an editor the figures with charts, in English', async () => {
      const page = await (await signedIn('lan')).get('/ui/dashboard');
      expect(page.status, page.text.slice(0, 300)).to.equal(200);
      expect(page.headers.get('content-security-policy')).to.contain("style-src 'self'");
      expect(page.text).to.contain('<h1>Dashboard</h1>').and.contain('Backlog by audience and state').and.contain('Time from ingestion to each stage');
      expect(page.text).to.contain('<a href="/ui/dashboard" aria-current="page">Dashboard</a>');
      for (const id of ['chart-backlog', 'chart-timing-day', 'chart-timing-week', 'chart-cost']) expect(page.text).to.contain(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="${id}" role="img"`);
      expect(page.text).to.contain('<title id="chart-backlog-title">Translations per audience, by state</title>');
      expect(page.text).to.contain('<title>en · First social post, Median (p50): 1 h 30 min</title>');
      expect(page.text).to.contain('<title>Monthly budget: 10,000</title>');
      expect(page.text).to.contain('fr: 1 priority translation is past its deadline and still open.');
      expect(page.text).to.contain('1,800 characters billed this month.');
      expect(page.text).to.contain('Báo Đối Tác').and.contain('VNA &lt;wire&gt;').and.not.contain('VNA <wire>');
      expect(page.text).to.contain('<h2 id="h-channels">Social channels</h2>').and.contain('Broken: credentials refused')
        .and.contain('Telegram answered 401: &lt;Unauthorized&gt;').and.contain('<a href="/ui/channels/ch3">ch3</a>');
      expect(page.text, 'no inline style or script').to.not.match(/\sstyle=|<script(?! src=)/);
    });

    it('speaks Vietnamese to a Vietnamese editor', async () => {
      const page = await (await signedIn('hoa')).get('/ui/dashboard');
      expect(page.status).to.equal(200);
      expect(page.text).to.contain('<h1>Bảng điều khiển</h1>').and.contain('Tồn đọng theo đối tượng và trạng thái');
      expect(page.text).to.contain('<title>en · Bài mạng xã hội đầu tiên, Trung vị (p50): 1 giờ 30 phút</title>');
      expect(page.text).to.contain('Tháng này đã tính phí 1.800 ký tự.');
    });

    it('refuses a translator and sends anonymous visitors to sign in', async () => {
      const page = await (await signedIn('thu')).get('/ui/dashboard');
      expect(page.status).to.equal(403);
      expect(page.text).to.not.contain('chart-backlog');
      const anonymous = await new WebSession(service.url).get('/ui/dashboard');
      expect(anonymous.status).to.equal(303);
      expect(anonymous.location).to.equal('/ui/login?next=%2Fui%2Fdashboard');
    });
  });

  it('reports the same figures in /metrics', async () => {
    const res = await fetch(`${service.url}/metrics`, { headers: { authorization: `Bearer ${await createToken(database.db, 'prometheus', 'editor')}` } });
    const text = await res.text();
    for (const line of [
      'doingoai_translations{audience="fr",state="in_review"} 1',
      // the dashboard's quantiles (one first post at 5400 s; three approvals, the middle one at 7200 s) as histogram buckets
      'doingoai_time_to_stage_seconds_bucket{audience="en",stage="first_post",le="3600"} 0',
      'doingoai_time_to_stage_seconds_bucket{audience="en",stage="first_post",le="7200"} 1',
      'doingoai_time_to_stage_seconds_sum{audience="en",stage="first_post"} 5400',
      'doingoai_time_to_stage_seconds_bucket{audience="en",stage="approved",le="3600"} 1',
      'doingoai_time_to_stage_seconds_bucket{audience="en",stage="approved",le="7200"} 2',
      'doingoai_time_to_stage_seconds_count{audience="en",stage="approved"} 3',
      'doingoai_priority_reviews{audience="en",window="week",outcome="late"} 1',
      'doingoai_priority_reviews{audience="en",window="week",outcome="in_time"} 1',
      'doingoai_priority_overdue{audience="fr"} 1',
      'doingoai_qa_overrides{audience="en",window="day"} 1',
      'doingoai_qa_errors_overridden{check="numbers",window="week"} 2',
      'doingoai_partner_feed_pulls{partner="Báo Đối Tác"} 7',
      'doingoai_mt_billed_characters{audience="en"} 1500',
      'doingoai_mt_memory_characters_saved{audience="en"} 300',
      'doingoai_mt_budget_characters 10000',
      'doingoai_source_consecutive_failures{source="vna"} 2',
      'doingoai_social_channel_active{channel="ch1"} 1',
      'doingoai_social_channel_active{channel="ch3"} 0',
      'doingoai_social_posts_failed{channel="ch1"} 1',
    ]) expect(text).to.contain(line);
  });
});

describe('dashboard strings', () => {
  type Tree = { [k: string]: string | Tree };
  const flat = (tree: Tree, prefix = ''): Map<string, string> => {
    const out = new Map<string, string>();
    for (const [k, v] of Object.entries(tree)) {
      if (typeof v === 'string') out.set(`${prefix}${k}`.replace(/_(one|other)$/, ''), v);
      else for (const [kk, vv] of flat(v, `${prefix}${k}.`)) out.set(kk, vv);
    }
    return out;
  };
  const load = (lang: string) => flat(JSON.parse(readFileSync(new URL(`../locales/${lang}/dashboard.json`, import.meta.url), 'utf8')) as Tree);
  it('has every key with the same placeholders in English and Vietnamese', () => {
    const en = load('en');
    const vi = load('vi');
    expect([...vi.keys()].sort()).to.deep.equal([...en.keys()].sort());
    const names = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const [key, text] of en) expect(names(vi.get(key)!), key).to.deep.equal(names(text));
  });
});
