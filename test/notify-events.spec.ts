/**
 * Notifications end to end: each event, caused the way the desk causes it (a pushed priority
 * story, an editor's rejection and approval through the API, a deadline, a broken channel, a
 * failing source), reaches a real SMTP server on loopback exactly once, in the person's language,
 * with the link to act on; a non-urgent one waits out the person's quiet hours; and a send that
 * failed survives a restart of the service.
 */
import { expect } from 'chai';
import type { Service } from '../src/service.ts';
import { notificationEvents } from '../src/core/notification-events.ts';
import { savePreferences, type Preferences } from '../src/store/notifications.ts';
import { createToken } from '../src/store/tokens.ts';
import { createUser } from '../src/store/users.ts';
import { WebSession } from './support/web-session.ts';
import { createSource } from '../src/store/sources.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { draft, password } from './support/review-fixtures.ts';
import { apiClient, startTestService, writeTestConfig } from './support/service.ts';
import { startLocalSmtp, type LocalSmtp, type ReceivedMail } from './support/smtp-server.ts';
import { eventually } from './support/wait.ts';

const publicUrl = 'https://desk.example.org';
const all: Preferences['events'] = [...notificationEvents];
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('notifications: each event reaches the SMTP server once', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let smtp: LocalSmtp;
  let service: Service;
  let editor: ReturnType<typeof apiClient>;
  // the service's clock runs with the wall clock, shifted where a test needs a time of day
  let offsetMs = 0;
  const clock = () => new Date(Date.now() + offsetMs);
  const start = () => startTestService(writeTestConfig({
    audiences: [{ id: 'en', language: 'en', provider: 'manual' }, { id: 'lo', language: 'lo', provider: 'manual' }],
    publishing: { publicUrl },
    review: { slaMinutes: 60 },
    translation: { monthlyCharacterBudget: 500 },
    notifications: { email: { host: smtp.host, port: smtp.port, from: 'Desk <desk@example.org>' }, retry: { baseDelayMs: 300, maxDelayMs: 1000, maxAttempts: 5 }, sweepSeconds: 1, deadlineWarningMinutes: 15, sourceFailingPolls: 3 },
  }), database, clock);
  const mailsTo = (address: string) => smtp.mails.filter((m) => m.to.includes(address));
  const person = async (username: string, o: { role: 'translator' | 'editor' | 'admin'; languages?: string[]; locale: string; timeZone?: string; prefs?: Partial<Preferences> }) => {
    const u = await createUser(database.db, { username, displayName: username, role: o.role, password, languages: o.languages ?? [], locale: o.locale });
    if (o.timeZone) await database.db.updateTable('users').set({ time_zone: o.timeZone }).where('id', '=', u.id).execute();
    await savePreferences(database.db, u.id, { channel: 'email', email: `${username}@example.org`, telegramChatId: null, events: all, quiet: null, digest: false, digestHour: 8, ...o.prefs }, new Date());
    return u;
  };
  /** Waits for exactly `count` mails to `address`, then a moment more to see that no other follows. */
  const exactly = async (address: string, count: number): Promise<ReceivedMail[]> => {
    await eventually(`${count} mail(s) to ${address}`, async () => mailsTo(address).length >= count, { timeoutMs: 8000 });
    await pause(1200);
    expect(mailsTo(address)).to.have.length(count);
    return mailsTo(address);
  };

  before(async () => {
    smtp = await startLocalSmtp();
    database = await freshDatabase();
    service = await start();
    await person('thu', { role: 'translator', languages: ['en'], locale: 'en' });
    await person('van', { role: 'translator', languages: ['en-GB'], locale: 'vi' });
    await person('minh', { role: 'translator', languages: ['fr'], locale: 'en' });
    await person('an', { role: 'admin', locale: 'vi' });
    await person('lan', { role: 'editor', languages: ['lo'], locale: 'en', prefs: { events: ['approved'] } });
    editor = apiClient(service.url, await createToken(database.db, 'lan', 'editor'));
  });
  after(async () => {
    await service?.close();
    await database?.close();
    await smtp?.stop();
  });
  beforeEach(() => { smtp.mails.length = 0; offsetMs = 0; });

  it('a pushed priority story: everyone working in its languages, once each, in their own language, with the link to its translation', async () => {
    const res = await editor('POST', '/api/v1/stories', { id: 'p-1', title: 'Lũ lớn ở miền Trung', bodyHtml: '<p>Mưa lớn.</p>', url: 'https://baoquocte.vn/lu-1', priority: true });
    expect(res.status).to.equal(201);
    const translations = await database.db.selectFrom('translations').select(['id', 'audience_id']).where('story_id', '=', res.body.data.id).execute();
    const en = translations.find((t) => t.audience_id === 'en')!;
    const [toThu] = await exactly('thu@example.org', 1);
    expect(toThu!.subject).to.equal('Priority story for en: Lũ lớn ở miền Trung');
    expect(toThu!.text).to.contain(`${publicUrl}/ui/translations/${en.id}`);
    const [toVan] = await exactly('van@example.org', 1);
    expect(toVan!.subject).to.equal('Tin ưu tiên cho en: Lũ lớn ở miền Trung');
    expect(toVan!.text).to.contain('Một tin ưu tiên đã đến ngôn ngữ của bạn');
    // the admin works in every language: told of both translations; the French translator and the editor who asked only for approvals are not
    expect(mailsTo('an@example.org').map((m) => m.subject).sort()).to.deep.equal(['Tin ưu tiên cho en: Lũ lớn ở miền Trung', 'Tin ưu tiên cho lo: Lũ lớn ở miền Trung']);
    expect(mailsTo('minh@example.org')).to.have.length(0);
    expect(mailsTo('lan@example.org')).to.have.length(0);

    // the same story pushed again, and an ordinary story, tell nobody
    smtp.mails.length = 0;
    await editor('POST', '/api/v1/stories', { id: 'p-1', title: 'Lũ lớn ở miền Trung', bodyHtml: '<p>Mưa lớn, đã sửa.</p>', url: 'https://baoquocte.vn/lu-1', priority: true });
    await editor('POST', '/api/v1/stories', { id: 'p-2', title: 'Mùa lúa', bodyHtml: '<p>Lúa.</p>', url: 'https://baoquocte.vn/lua' });
    await service.notifications.sweep();
    await pause(1500);
    expect(smtp.mails).to.have.length(0);
  });

  it('a translation sent back, then approved: its translator is told each once, with the reason', async () => {
    const id = await draft(database.db, { guid: 'review-1', title: 'Citizen protection' });
    await database.db.updateTable('translations').set({ state: 'in_review', last_editor: 'thu' }).where('id', '=', id).execute();
    const version = async () => (await database.db.selectFrom('translations').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version;
    const rejected = await editor('POST', `/api/v1/translations/${id}/reject`, { reason: 'Tên bộ trưởng viết sai', version: await version() });
    expect(rejected.status).to.equal(200);
    const [sentBack] = await exactly('thu@example.org', 1);
    expect(sentBack!.subject).to.equal('Sent back: Citizen protection');
    expect(sentBack!.text).to.contain('Reason: Tên bộ trưởng viết sai').and.contain(`${publicUrl}/ui/translations/${id}`);

    await database.db.updateTable('translations').set({ state: 'in_review' }).where('id', '=', id).execute();
    const approved = await editor('POST', `/api/v1/translations/${id}/approve`, { version: await version() });
    expect(approved.status).to.equal(200);
    const mails = await exactly('thu@example.org', 2);
    expect(mails[1]!.subject).to.equal('Approved: Citizen protection');
    // the approving editor asked for approvals but did not write the text: not told
    expect(mailsTo('lan@example.org')).to.have.length(0);
  });

  it('a priority story\'s deadline: once when it is near, once when it has passed', async () => {
    const now = clock();
    const soon = await draft(database.db, { guid: 'deadline-soon', priority: true, title: 'Near its deadline', ingestedAt: new Date(now.getTime() - 50 * 60_000) });
    const late = await draft(database.db, { guid: 'deadline-late', priority: true, title: 'Past its deadline', ingestedAt: new Date(now.getTime() - 70 * 60_000) });
    await service.notifications.sweep();
    await service.notifications.sweep();
    const subjects = (await exactly('thu@example.org', 2)).map((m) => m.subject).sort();
    expect(subjects).to.deep.equal(['Deadline in 10 minutes: Near its deadline', 'Deadline passed: Past its deadline']);
    expect(mailsTo('van@example.org').map((m) => m.subject).sort()).to.deep.equal(['Còn 10 phút đến hạn: Near its deadline', 'Đã quá hạn: Past its deadline']);
    expect(mailsTo('thu@example.org').find((m) => m.subject.startsWith('Deadline passed'))!.text).to.contain(`/ui/translations/${late}`);
    expect(soon).to.be.a('number');
  });

  it('a broken channel and a source failing three polls in a row: the admins, once per breakage', async () => {
    await database.db.insertInto('social_channels').values({ id: 'tg-en', network: 'telegram', audience_id: 'en', status: 'broken', status_reason: 'the bot token was refused', status_reason_key: 'credentialsRefused', status_changed_at: new Date() } as never).execute();
    await createSource(database.db, { id: 'bqt', name: 'Báo Quốc tế', url: 'https://baoquocte.vn/rss', kind: 'rss' } as never, new Date());
    await database.db.updateTable('sources').set({ consecutive_failures: 3, last_error: 'https://baoquocte.vn/rss answered HTTP 503', last_error_key: 'sources:problem.httpStatus', last_error_values: JSON.stringify({ url: 'https://baoquocte.vn/rss', status: 503 }) }).where('id', '=', 'bqt').execute();
    await service.notifications.sweep();
    await service.notifications.sweep();
    const mails = await exactly('an@example.org', 2);
    const subjects = mails.map((m) => m.subject).sort();
    expect(subjects).to.deep.equal(['Kênh mạng xã hội bị hỏng: tg-en', 'Nguồn tin bị lỗi: Báo Quốc tế']);
    // the source's failure in the admin's language, not the poller's English
    const failing = mails.find((m) => m.subject === 'Nguồn tin bị lỗi: Báo Quốc tế')!;
    expect(failing.text).to.contain('Lỗi gần nhất: https://baoquocte.vn/rss trả lời mã HTTP 503 thay vì nguồn tin.').and.not.contain('answered HTTP');
    const broken = mails.find((m) => m.subject === 'Kênh mạng xã hội bị hỏng: tg-en')!;
    expect(broken.text).to.contain('đã ngừng đăng bài: mạng xã hội từ chối thông tin đăng nhập của kênh.').and.not.contain('the bot token was refused');
    expect(mailsTo('thu@example.org')).to.have.length(0);
  });

  it('a provider\'s quota used up, the monthly budget and an audience\'s budget reached: the admins, once each', async () => {
    const today = clock().toISOString().slice(0, 10);
    await database.db.insertInto('translation_usage').values({ day: today, audience_id: 'en', billed_characters: 1000, requests: 3 } as never).execute();
    await database.db.insertInto('audience_budgets').values({ audience_id: 'en', monthly_characters: 800, updated_by: 'an', updated_at: new Date() }).execute();
    await database.db.insertInto('translation_provider_state').values({ provider: 'deepl', quota_exhausted_since: new Date(), last_error: '456 Quota exceeded' } as never).execute();
    await service.notifications.sweep();
    await service.notifications.sweep();
    const month = today.slice(0, 7);
    const mails = await exactly('an@example.org', 3);
    expect(mails.map((m) => m.subject).sort()).to.deep.equal([`Dịch máy đã dừng: hết hạn mức deepl`, `Đã hết ngân sách của en (${month})`, `Đã hết ngân sách tháng (${month})`]);
    expect(mails.find((m) => m.subject.startsWith('Đã hết ngân sách tháng'))!.text).to.contain(`Dịch máy đã dùng 1000 trên 500 ký tự của ngân sách tháng ${month}`);
    expect(mailsTo('thu@example.org')).to.have.length(0);
  });

  it('a foreign item naming a priority watch term: the editors and admins, once; an ordinary term tells nobody', async () => {
    await database.db.insertInto('sources').values({ id: 'guardian', name: 'The Guardian', url: 'https://theguardian.com/rss', kind: 'rss', language: 'en' } as never).execute();
    const item = await database.db.insertInto('foreign_items').values({ source_id: 'guardian', guid: 'g-1', language: 'en', title: 'Floods in Quang Nam', vi_title: 'Lũ ở Quảng Nam', content_hash: 'x' } as never).returning('id').executeTakeFirstOrThrow();
    const terms = await database.db.insertInto('watch_terms').values([{ label: 'Quảng Nam', kind: 'place', priority: true }, { label: 'Lũ', kind: 'topic', priority: false }] as never).returning('id').execute();
    await database.db.insertInto('watch_matches').values(terms.map((t) => ({ foreign_item_id: item.id, watch_term_id: t.id, form: 'Quang Nam', language: 'en' }))).execute();
    await service.notifications.sweep();
    await service.notifications.sweep();
    const [mail] = await exactly('an@example.org', 1);
    expect(mail!.subject).to.equal('Nước ngoài nói về Quảng Nam: Lũ ở Quảng Nam');
    expect(mail!.text).to.contain(`${publicUrl}/ui/monitoring?term=${terms[0]!.id}`);
    expect(mailsTo('thu@example.org')).to.have.length(0);
  });

  it('a non-urgent event in quiet hours waits until they end in the person\'s time zone', async () => {
    await person('quiet', { role: 'translator', languages: ['en'], locale: 'vi', timeZone: 'Asia/Ho_Chi_Minh', prefs: { events: ['approved'], quiet: { start: 22 * 60, end: 7 * 60 } } });
    const id = await draft(database.db, { guid: 'quiet-1', title: 'Quiet text' });
    await database.db.updateTable('translations').set({ state: 'in_review', last_editor: 'quiet' }).where('id', '=', id).execute();
    const { version } = await database.db.selectFrom('translations').select('version').where('id', '=', id).executeTakeFirstOrThrow();
    // 06:59:57 in Hà Nội; quiet hours 22:00–07:00 (set just before the approval: the set-up above
    // took more than those three seconds on a loaded machine)
    offsetMs = new Date('2026-12-02T23:59:57Z').getTime() - Date.now();
    expect((await editor('POST', `/api/v1/translations/${id}/approve`, { version })).status).to.equal(200);
    await pause(1000);
    expect(mailsTo('quiet@example.org')).to.have.length(0);
    const row = await database.db.selectFrom('notifications').innerJoin('users', 'users.id', 'notifications.user_id').select(['due_at', 'state'])
      .where('users.username', '=', 'quiet').executeTakeFirstOrThrow();
    expect([row.state, row.due_at.toISOString()]).to.deep.equal(['pending', '2026-12-03T00:00:00.000Z']);
    const [mail] = await exactly('quiet@example.org', 1);
    expect(mail!.subject).to.equal('Đã duyệt: Quiet text');
    expect(clock().getTime()).to.be.at.least(new Date('2026-12-03T00:00:00Z').getTime());
  });

  it('a person who takes digests gets their non-urgent events together, in one message at their digest hour', async () => {
    // 07:59:56 UTC, digest at 08:00 UTC
    offsetMs = new Date('2026-12-04T07:59:56Z').getTime() - Date.now();
    await person('dig', { role: 'translator', languages: ['en'], locale: 'en', timeZone: 'UTC', prefs: { events: ['sent_back', 'approved'], digest: true, digestHour: 8 } });
    const ids = [await draft(database.db, { guid: 'digest-1', title: 'First digested' }), await draft(database.db, { guid: 'digest-2', title: 'Second digested' })];
    await database.db.updateTable('translations').set({ state: 'in_review', last_editor: 'dig' }).where('id', 'in', ids).execute();
    for (const id of ids) {
      const { version } = await database.db.selectFrom('translations').select('version').where('id', '=', id).executeTakeFirstOrThrow();
      expect((await editor('POST', `/api/v1/translations/${id}/reject`, { reason: 'Xem lại', version })).status).to.equal(200);
    }
    await pause(1000);
    expect(mailsTo('dig@example.org')).to.have.length(0);
    const [mail] = await exactly('dig@example.org', 1);
    expect(mail!.subject).to.equal('2 updates from the desk');
    expect(mail!.text).to.contain('your translation “First digested”').and.contain('your translation “Second digested”')
      .and.contain(`${publicUrl}/ui/translations/${ids[0]}`).and.contain(`${publicUrl}/ui/translations/${ids[1]}`);
    const states = await database.db.selectFrom('notifications').innerJoin('users', 'users.id', 'notifications.user_id').select('state').where('users.username', '=', 'dig').execute();
    expect(states.map((r) => r.state)).to.deep.equal(['sent', 'sent']);
  });

  it('a send that failed while the SMTP server was down is made after a restart of the service, once', async () => {
    await smtp.stop();
    const id = await draft(database.db, { guid: 'restart-1', title: 'Sent back across a restart' });
    await database.db.updateTable('translations').set({ state: 'in_review', last_editor: 'thu' }).where('id', '=', id).execute();
    const { version } = await database.db.selectFrom('translations').select('version').where('id', '=', id).executeTakeFirstOrThrow();
    expect((await editor('POST', `/api/v1/translations/${id}/reject`, { reason: 'Thiếu đoạn cuối', version })).status).to.equal(200);
    const failedOnce = await eventually('a failed attempt', async () => {
      const n = await database.db.selectFrom('notifications').select(['attempts', 'state', 'last_error']).where('event', '=', 'sent_back').where('link', '=', `/ui/translations/${id}`).executeTakeFirst();
      return n && n.attempts >= 1 && n.state === 'pending' ? n : undefined;
    }, { timeoutMs: 8000 });
    expect(failedOnce.last_error).to.contain('could not be reached');
    // the person reads why in their language; the SMTP client's words are the detail
    const why = await database.db.selectFrom('notifications').select(['last_error_code', 'last_error_values']).where('event', '=', 'sent_back').where('link', '=', `/ui/translations/${id}`).executeTakeFirstOrThrow();
    expect(why).to.deep.equal({ last_error_code: 'unreachable', last_error_values: { channel: 'email' } });
    const page = async (locale: string) => {
      await database.db.updateTable('users').set({ locale }).where('username', '=', 'thu').execute();
      const s = new WebSession(service.url, { 'accept-language': locale });
      await s.login('thu', password);
      return (await s.get('/ui/notifications')).text;
    };
    expect(await page('vi')).to.contain('Không kết nối được tới máy chủ thư.').and.match(/<summary>Thông báo của kênh<\/summary><span lang="en">[^<]*could not be reached/);
    expect(await page('en')).to.contain('Could not reach the mail server.');
    await service.close();
    await smtp.start();
    service = await start();
    const [mail] = await exactly('thu@example.org', 1);
    expect(mail!.subject).to.equal('Sent back: Sent back across a restart');
    const row = await database.db.selectFrom('notifications').select(['state', 'channel']).where('link', '=', `/ui/translations/${id}`).where('event', '=', 'sent_back').executeTakeFirstOrThrow();
    expect(row).to.deep.equal({ state: 'sent', channel: 'email' });
  });
});
