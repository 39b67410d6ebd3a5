/**
 * Every word of the desk in the person's language: every namespace the desk reads exists in
 * Vietnamese and English with the same keys and placeholders, and no desk page shown to a
 * Vietnamese-speaking person carries English words outside the parts marked as another language
 * (a translation's own text, lang="en") and code (routes, addresses).
 */
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseHTML } from 'linkedom';
import { machineProviders } from '../src/core/audience.ts';
import { deliveryReasons, machineReasons } from '../src/core/failure-reasons.ts';
import { errorStatus } from '../src/errors.ts';
import { createI18n } from '../src/i18n.ts';
import { notifyChannels } from '../src/ops/notify/channels.ts';
import type { Service } from '../src/service.ts';
import { runChecks } from '../src/review/qa/index.ts';
import { createSource } from '../src/store/sources.ts';
import { changeState } from '../src/store/translations.ts';
import { createUser } from '../src/store/users.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { draft, password, people } from './support/review-fixtures.ts';
import { sampleFeed, serveOnLoopback, startTestService, writeTestConfig, type Loopback } from './support/service.ts';
import { WebSession } from './support/web-session.ts';

type Tree = { [k: string]: string | Tree };
const dir = (lang: string) => new URL(`../locales/${lang}/`, import.meta.url);
const load = (lang: string, file: string) => JSON.parse(readFileSync(new URL(file, dir(lang)), 'utf8')) as Tree;
function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = `${prefix}${k}`.replace(/_(one|other|few|many|zero|two)$/, '');
    if (typeof v === 'string') out.set(key, `${out.get(key) ?? ''}${v}`);
    else for (const [kk, vv] of flatten(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}
const placeholders = (s: string) => [...new Set([...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]))].sort();

describe('desk strings in Vietnamese and English', () => {
  const files = (lang: string) => readdirSync(dir(lang)).filter((f) => f.endsWith('.json')).sort();
  it('has the same namespaces in both', () => {
    expect(files('vi')).to.deep.equal(files('en'));
  });
  for (const file of files('en')) {
    it(`${file}: the same keys and placeholders`, () => {
      const en = flatten(load('en', file));
      const vi = flatten(load('vi', file));
      expect([...vi.keys()].sort(), `keys of ${file}`).to.deep.equal([...en.keys()].sort());
      for (const [key, text] of en) expect(placeholders(vi.get(key) ?? ''), `${file} ${key}`).to.deep.equal(placeholders(text));
    });
  }
});

describe('every reason and refusal a person may read has words in both', () => {
  let i18n: Awaited<ReturnType<typeof createI18n>>;
  before(async () => { i18n = await createI18n(fileURLToPath(new URL('../locales', import.meta.url))); });
  const missing = (keys: string[]) => keys.flatMap((key) => ['vi', 'en'].filter((lng) => !i18n.exists(key, { lng, fallbackLng: [] })).map((lng) => `${lng} ${key}`));

  it('why a machine draft or a notification did not come, with the names they use', () => {
    expect(missing([
      ...machineReasons.map((r) => `ui:machine.why.${r}`), ...machineProviders.map((p) => `ui:provider.${p}`),
      ...deliveryReasons.map((r) => `notify-desk:failure.${r}`), ...notifyChannels.map((c) => `notify-desk:failure.channelName.${c}`),
    ])).to.deep.equal([]);
  });

  it('every error code of the API, and every thing an API may not find', () => {
    // the things named by `new NotFoundError('…'` anywhere in src/
    const things = new Set<string>();
    const walk = (d: URL) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(new URL(`${e.name}/`, d));
        else if (e.name.endsWith('.ts')) for (const m of readFileSync(new URL(e.name, d), 'utf8').matchAll(/NotFoundError\(\s*'([^']+)'/g)) things.add(m[1]!);
      }
    };
    walk(new URL('../src/', import.meta.url));
    expect(things.size).to.be.at.least(10);
    expect(missing([...Object.keys(errorStatus).map((c) => `errors:api.code.${c}`), ...[...things].map((w) => `errors:api.thing.${w.replaceAll(' ', '_')}`)])).to.deep.equal([]);
  });
});

// words that are English and not Vietnamese; a page in Vietnamese shows none of them outside
// other-language parts and code
const englishWords = /\b(the|and|must|cannot|only|this|that|with|from|have|been|please|your|you|is not|are|was|were|will|should|here|there|which|sign in|save|submit|approve|source|sources|queue|search|people|story|stories|translation|translations|never|none|yet)\b/gi;

/** The text a reader sees in Vietnamese: without elements in another language, code and hidden data. */
function vietnameseText(html: string): string {
  const { document } = parseHTML(html);
  for (const el of [...document.querySelectorAll('[lang]')]) if (el.getAttribute('lang') !== 'vi' && el.tagName !== 'HTML') el.remove();
  for (const el of [...document.querySelectorAll('script, style, code, kbd, .secret, [class~="sub"][data-raw]')]) el.remove();
  const attrs = [...document.querySelectorAll('[aria-label], [title], [placeholder], [alt]')].map((el) => ['aria-label', 'title', 'placeholder', 'alt'].map((a) => el.getAttribute(a) ?? '').join(' '));
  return `${document.body?.textContent ?? ''} ${attrs.join(' ')}`.replace(/https?:\/\/\S+/g, ' ');
}

describe('the Vietnamese desk shows no English', function () {
  this.timeout(120_000);
  let database: TestDatabase;
  let service: Service;
  let feed: Loopback;

  before(async () => {
    database = await freshDatabase();
    feed = await serveOnLoopback({ '/rss': { body: sampleFeed() } });
    service = await startTestService(writeTestConfig({ audiences: [{ id: 'en', language: 'en', provider: 'manual' }] }), database);
    await people(database.db);
    await createUser(database.db, { username: 'quan', displayName: 'Quân', role: 'admin', password, locale: 'vi' });
    await draft(database.db, { guid: 'vi-check', priority: true });
    await createSource(database.db, { id: 'tuyen-giao', name: 'Tuyên giáo tỉnh', url: `${feed.url}/rss`, kind: 'auto', schedule: '*/5 * * * *', fullText: false, enabled: true }, new Date());
    await service.pollNow('tuyen-giao');
    // a source that fails: its reason is read in Vietnamese too
    await createSource(database.db, { id: 'so-hong', name: 'Nguồn hỏng', url: `${feed.url}/khong-co`, kind: 'auto', schedule: '*/5 * * * *', fullText: false, enabled: true }, new Date());
    await service.pollNow('so-hong').catch(() => {});
    // a machine draft that failed (its reason as a code, the provider's English beside it), one stored
    // before codes, and a notification the mail server refused: read on the queue, editor, story and notifications pages
    const failed = await draft(database.db, { guid: 'vi-failed' });
    await database.db.updateTable('translations').set({ state: 'queued', provider: 'deepl', mt_attempts: 8, error: 'DeepL answered 503: Service Unavailable', error_code: 'provider_unavailable', error_values: JSON.stringify({ provider: 'deepl', status: 503 }) }).where('id', '=', failed).execute();
    const old = await draft(database.db, { guid: 'vi-failed-old' });
    await database.db.updateTable('translations').set({ state: 'queued', provider: 'deepl', mt_attempts: 1, error: 'DeepL unreachable or timed out: socket hang up' }).where('id', '=', old).execute();
    const quan = (await database.db.selectFrom('users').select('id').where('username', '=', 'quan').executeTakeFirstOrThrow()).id;
    await database.db.insertInto('notifications').values({ event: 'source_failing', event_key: 'vi-check', user_id: quan, urgent: false, link: '/ui/sources/so-hong', state: 'failed', attempts: 8, last_error: 'the SMTP server smtp.example.org:587 answered 550: mailbox unavailable', last_error_code: 'refused', last_error_values: JSON.stringify({ status: 550, channel: 'email' }) } as never).execute();
  });
  after(async () => {
    await service?.close();
    await feed?.close();
    await database?.close();
  });

  it('in every page an admin opens, with messages, errors and empty states', async () => {
    const s = new WebSession(service.url, { 'accept-language': 'vi' });
    expect((await s.login('quan', password)).status).to.equal(303);
    const t = (await database.db.selectFrom('translations').select(['id', 'story_id']).orderBy('id').executeTakeFirstOrThrow());
    const thu = (await database.db.selectFrom('users').select('id').where('username', '=', 'thu').executeTakeFirstOrThrow()).id;
    // a few refusals, so their messages are on the pages read below
    await s.get('/ui/people');
    await s.post('/ui/people', { username: 'thu', displayName: 'Thu', role: 'translator', password: 'a long password' });
    await s.get(`/ui/translations/${t.id}`);
    await s.post(`/ui/translations/${t.id}/withdraw`, { reason: '' });
    const pages = ['/ui/queue', `/ui/translations/${t.id}`, `/ui/stories/${t.story_id}`, '/ui/search?q=cong+dan', '/ui/search', '/ui/search?q=khong+co+gi+ca',
      '/ui/stories/new', '/ui/sources', '/ui/sources/tuyen-giao', '/ui/sources/so-hong', '/ui/sources/new', '/ui/glossary', '/ui/channels', '/ui/dashboard', '/ui/audit',
      '/ui/work', '/ui/work/thu', '/ui/quality', '/ui/reports', '/ui/style-guides/en', '/ui/people', `/ui/people/${thu}`, '/ui/tokens', '/ui/partners', '/ui/units', '/ui/account', '/ui/planning', '/ui/planning?show=all', '/ui/monitoring', '/ui/monitoring?all=1', '/ui/monitoring/terms', '/ui/false-claims', '/ui/false-claims/new', '/ui/notifications', '/ui/no-such-page'];
    const found: string[] = [];
    for (const path of pages) {
      const page = await s.get(path);
      const words = [...new Set([...vietnameseText(page.text).matchAll(englishWords)].map((m) => m[0].toLowerCase()))];
      if (words.length) found.push(`${path}: ${words.join(', ')}`);
      // the page says it is Vietnamese (screen readers pick their voice from it)
      if (!/<html lang="vi"/.test(page.text)) found.push(`${path}: not <html lang="vi">`);
    }
    // the dashboard names the checks editors overrode in the reader's words
    const overridden = runChecks({ source: 'Có 1.245 vụ việc.', target: 'There were 1,254 cases.', sourceLang: 'vi', targetLang: 'en' }).filter((i) => i.severity === 'error');
    await database.db.insertInto('qa_overrides').values({ translation_id: t.id, version: 1, actor: 'lan', reason: 'đã kiểm tra', issues: JSON.stringify(overridden) }).execute();
    const dashboard = await s.get('/ui/dashboard');
    expect(dashboard.text).to.contain('<td>số liệu</td>').and.not.contain('<td>numbers</td>');
    // the failure reasons are there, in Vietnamese
    const failed = await database.db.selectFrom('translations').select(['id', 'story_id']).where('error_code', '=', 'provider_unavailable').executeTakeFirstOrThrow();
    for (const path of ['/ui/queue', `/ui/translations/${failed.id}`, `/ui/stories/${failed.story_id}`]) expect((await s.get(path)).text, path).to.contain('DeepL tạm thời không hoạt động.');
    expect((await s.get('/ui/notifications')).text).to.contain('Tin nhắn bị máy chủ thư từ chối (mã trả lời 550).');
    const refused = await s.post('/ui/people', { username: 'thu', displayName: 'Thu', role: 'translator', password: 'a long password' });
    expect(refused.text).to.contain('Tên đăng nhập “thu” đã có người dùng.');
    const login = new WebSession(service.url, { 'accept-language': 'vi' });
    const signIn = await login.get('/ui/login');
    const words = [...new Set([...vietnameseText(signIn.text).matchAll(englishWords)].map((m) => m[0].toLowerCase()))];
    if (words.length) found.push(`/ui/login: ${words.join(', ')}`);
    expect(found, found.join('\n')).to.deep.equal([]);
  });

  it('says why a source fails in the reader’s language, on its page, the list and the dashboard', async () => {
    const s = new WebSession(service.url, { 'accept-language': 'vi' });
    expect((await s.login('quan', password)).status).to.equal(303);
    const sentence = `${feed.url}/khong-co trả lời mã HTTP 404 thay vì nguồn tin.`;
    for (const path of ['/ui/sources/so-hong', '/ui/sources', '/ui/dashboard']) expect((await s.get(path)).text, path).to.contain(sentence);
    // an item refused with a code the sources page has no words for is said as an item that failed, not by its code
    await database.db.insertInto('ingest_errors').values({ source_id: 'so-hong', guid: 'x-1', url: 'https://example.org/x-1', code: 'invalid_input', message: 'title is over 1000 characters' } as never).execute();
    const detail = await s.get('/ui/sources/so-hong');
    expect(detail.text).to.contain('Không lưu được mục').and.not.match(/>invalid_input</);
    // the API keeps its English
    const row = await database.db.selectFrom('sources').select(['last_error', 'last_error_key', 'last_error_values']).where('id', '=', 'so-hong').executeTakeFirstOrThrow();
    expect(row).to.deep.include({ last_error: `${feed.url}/khong-co answered HTTP 404`, last_error_key: 'sources:problem.httpStatus' });
    // a poll asked for by hand says it in the same words
    await s.get('/ui/sources/so-hong');
    const polled = await s.post('/ui/sources/so-hong/poll');
    expect((await s.get(polled.location!)).text).to.contain(sentence);
  });

  it('words the history’s system reasons and the overridden findings in the reader’s language', async () => {
    const t = await database.db.selectFrom('translations').select(['id', 'version']).where('state', '=', 'machine_translated').orderBy('id').executeTakeFirstOrThrow();
    await changeState(database.db, t.id, 'outdated', 'source', new Date(), { reason: { code: 'source_changed', version: 2 } });
    await changeState(database.db, t.id, 'queued', 'lan', new Date(), { reason: { code: 'translate_again' } });
    const findings = runChecks({ source: 'Có 1.245 vụ việc.', target: 'There were 1,254 cases.', sourceLang: 'vi', targetLang: 'en' }).filter((i) => i.severity === 'error');
    expect(findings).to.have.length.greaterThan(0);
    await database.db.insertInto('qa_overrides').values({ translation_id: t.id, version: t.version, actor: 'lan', reason: 'đã đối chiếu với tòa soạn', issues: JSON.stringify(findings) }).execute();

    const vi = new WebSession(service.url, { 'accept-language': 'vi' });
    await vi.login('quan', password);
    const page = vietnameseText((await vi.get(`/ui/translations/${t.id}`)).text);
    expect(page).to.contain('bài gốc đã thay đổi (phiên bản 2)').and.to.contain('gửi lại cho máy dịch');
    expect(page).not.to.contain('the source story changed').and.not.to.contain('translate again');
    for (const f of findings) expect(page).not.to.contain(f.message);
    await createUser(database.db, { username: 'anne', displayName: 'Anne', role: 'editor', password, locale: 'en' });
    const en = new WebSession(service.url, { 'accept-language': 'en' });
    await en.login('anne', password);
    expect(vietnameseText((await en.get(`/ui/translations/${t.id}`)).text)).to.contain('the source story changed (version 2)');
    // the stored event keeps the English words (the API's) and names the code
    const events = await database.db.selectFrom('translation_events').select(['reason', 'reason_code']).where('translation_id', '=', t.id).orderBy('id').execute();
    expect(events.slice(-2)).to.deep.equal([
      { reason: 'the source story changed (version 2)', reason_code: 'source_changed' },
      { reason: 'translate again', reason_code: 'translate_again' },
    ]);
  });
});
