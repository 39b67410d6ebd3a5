/**
 * The schedule page of a channel, signed in as an editor: each upcoming post previewed exactly as
 * the network will show it with its counted length, rescheduled in the channel's time zone,
 * posted now, and cancelled, through forms carrying the CSRF token.
 */
import { expect } from 'chai';
import type { Service } from '../src/service.ts';
import { createUser } from '../src/store/users.ts';
import { formatMastodon } from '../src/social/format/mastodon.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { startTestService } from './support/service.ts';
import { postsOf, seedPublished, socialConfig, TestClock } from './support/social/harness.ts';
import { startMastodonFake, type MastodonFake } from './support/social/mastodon.ts';

/** A browser of one: keeps the session cookie, reads CSRF tokens from forms. */
function browser(base: string) {
  const cookies = new Map<string, string>();
  const request = async (method: string, path: string, form?: Record<string, string>) => {
    const res = await fetch(`${base}${path}`, {
      method, redirect: 'manual',
      headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'accept-language': 'en', ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      cookies.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
    return { status: res.status, location: res.headers.get('location'), html: await res.text() };
  };
  return { request, csrf: (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '' };
}

const decode = (s: string) => s.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

describe('social schedule pages', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let service: Service;
  let mastodon: MastodonFake;
  const clock = new TestClock(new Date('2026-11-27T09:00:00Z')); // 10:00 in Paris

  before(async () => {
    database = await freshDatabase();
    mastodon = await startMastodonFake();
    const config = socialConfig([{ id: 'fr-mastodon', network: 'mastodon', audience: 'fr', server: mastodon.url, credentials: { accessToken: 'T_M' }, windows: ['0 19 * * *'], hashtags: ['Vietnam'] }], { T_M: mastodon.token, SESSION_SECRET: 'x'.repeat(40) });
    service = await startTestService(config, database, clock.read);
    await createUser(database.db, { username: 'lan', displayName: 'Lan', role: 'editor', password: 'a long enough password', locale: 'en' });
  });
  after(async () => {
    await service?.close();
    await mastodon?.close();
    await database?.close();
  });

  it('previews, reschedules, posts now and cancels from the page', async () => {
    const b = browser(service.url);
    const login = await b.request('GET', '/ui/login');
    const signedIn = await b.request('POST', '/ui/login', { _csrf: b.csrf(login.html), username: 'lan', password: 'a long enough password', next: '/ui/channels' });
    expect(signedIn.status).to.equal(303);

    const summary = 'Les deux gouvernements se sont entendus sur les droits de douane & les quotas. '.repeat(10);
    const first = await seedPublished(database.db, { audience: 'fr', title: 'Accord « commercial » <signé>', summary, at: clock.now });
    const second = await seedPublished(database.db, { audience: 'fr', title: 'Second article', at: clock.now });
    await service.social.onPublished(first);
    await service.social.onPublished(second);

    const list = await b.request('GET', '/ui/channels');
    expect(list.status).to.equal(200);
    expect(list.html).to.contain('href="/ui/channels/fr-mastodon"');

    const page = await b.request('GET', '/ui/channels/fr-mastodon');
    expect(page.status).to.equal(200);
    const expected = formatMastodon({
      language: 'fr', title: 'Accord « commercial » <signé>', summary: summary.trim(), url: `https://news.example.org/read/fr/${first}`, hashtags: ['Vietnam'],
      strings: { readMore: `Lire l’article complet : https://news.example.org/read/fr/${first}`, readMoreLabel: 'Lire l’article complet' },
    });
    const previews = [...page.html.matchAll(/<pre class="diff"[^>]*>([\s\S]*?)<\/pre>/g)].map((m) => decode(m[1]!));
    expect(previews[0]).to.equal(expected.text);
    expect(page.html).to.contain(`${expected.length} of 500 characters`);
    expect(page.html).to.contain('Fri 2026-11-27 19:00'); // the window in Paris time
    expect(page.html, 'the title is escaped, not markup').to.contain('&lt;signé&gt;');

    const [p1, p2] = await postsOf(database.db);
    const csrf = b.csrf(page.html);
    const moved = await b.request('POST', `/ui/channels/fr-mastodon/posts/${p2!.id}/reschedule`, { _csrf: csrf, at: '2026-11-27T21:15' });
    expect(moved.status).to.equal(303);
    expect((await postsOf(database.db, second))[0]!.scheduled_at.toISOString()).to.equal('2026-11-27T20:15:00.000Z');
    const after = await b.request('GET', moved.location!);
    expect(after.html).to.contain('The post will go out at Fri 2026-11-27 21:15 (Europe/Paris).');

    const bad = await b.request('POST', `/ui/channels/fr-mastodon/posts/${p2!.id}/reschedule`, { _csrf: csrf, at: 'soon' });
    expect(bad.status).to.equal(400);
    const forged = await b.request('POST', `/ui/channels/fr-mastodon/posts/${p2!.id}/cancel`, { _csrf: 'forged' });
    expect(forged.status, 'a form without the right CSRF token is refused').to.equal(403);

    expect((await b.request('POST', `/ui/channels/fr-mastodon/posts/${p1!.id}/post-now`, { _csrf: csrf })).status).to.equal(303);
    await service.social.dispatchNow();
    expect(mastodon.statuses).to.have.length(1);
    expect(mastodon.statuses[0]!.content).to.contain('Accord « commercial » &lt;signé&gt;');

    expect((await b.request('POST', `/ui/channels/fr-mastodon/posts/${p2!.id}/cancel`, { _csrf: csrf })).status).to.equal(303);
    expect((await postsOf(database.db, second))[0]!.status).to.equal('cancelled');
    const sent = await b.request('GET', '/ui/channels/fr-mastodon?view=sent');
    expect(sent.html).to.contain(mastodon.statuses[0]!.url);
    // why a post did not go out, in the reader's words; the network's own as a detail
    expect((await b.request('GET', '/ui/channels/fr-mastodon?view=cancelled')).html).to.contain('Cancelled by a person.').and.not.contain('cancelled by a person');
    await database.db.updateTable('social_posts').set({ status: 'failed', error_code: 'rejected', error: 'Mastodon answered 422: Validation failed: Text character limit of 500 exceeded' }).where('id', '=', p2!.id).execute();
    await database.db.updateTable('users').set({ locale: 'vi' }).where('username', '=', 'lan').execute();
    const failed = await b.request('GET', '/ui/channels/fr-mastodon?view=failed');
    await database.db.updateTable('users').set({ locale: 'en' }).where('username', '=', 'lan').execute();
    // the length's unit is a word of the reader's language too
    await service.social.onPublished(await seedPublished(database.db, { audience: 'fr', title: 'Troisième article', at: clock.now }));
    await database.db.updateTable('users').set({ locale: 'vi' }).where('username', '=', 'lan').execute();
    const upcoming = await b.request('GET', '/ui/channels/fr-mastodon');
    await database.db.updateTable('users').set({ locale: 'en' }).where('username', '=', 'lan').execute();
    expect(upcoming.html).to.match(/\d+ trên 500 ký tự/).and.not.contain('500 characters');
    expect(failed.html).to.contain('Mạng xã hội từ chối bài đăng.').and.match(/<summary>Thông báo của mạng xã hội<\/summary><span lang="en">Mastodon answered 422/);
  });

  it('sends a visitor who is not signed in to the sign-in page', async () => {
    const res = await browser(service.url).request('GET', '/ui/channels/fr-mastodon');
    expect(res.status).to.equal(303);
    expect(res.location).to.match(/^\/ui\/login\?next=/);
  });
});

describe('why a channel waits, in the reader’s language', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let service: Service;

  before(async () => {
    database = await freshDatabase();
    const config = socialConfig([
      { id: 'fr-bluesky', network: 'bluesky', audience: 'fr', credentials: { identifier: 'T_BSKY_ID', password: 'T_BSKY_PW' } },
      { id: 'fr-off', network: 'mastodon', audience: 'fr', server: 'https://mastodon.example', credentials: { accessToken: 'T_OFF' }, enabled: false },
    ], { SESSION_SECRET: 'x'.repeat(40) });
    service = await startTestService(config, database);
    await createUser(database.db, { username: 'quan', displayName: 'Quân', role: 'editor', password: 'a long enough password', locale: 'vi' });
  });
  after(async () => {
    await service?.close();
    await database?.close();
  });

  it('says it on the channels page, the channel’s page and the dashboard, with the detail as it came', async () => {
    const b = browser(service.url);
    const login = await b.request('GET', '/ui/login');
    expect((await b.request('POST', '/ui/login', { _csrf: b.csrf(login.html), username: 'quan', password: 'a long enough password' })).status).to.equal(303);
    const channels = decode((await b.request('GET', '/ui/channels')).html);
    expect(channels).to.contain('Thiếu các thiết lập trong biến môi trường: <code>');
    expect(channels).to.contain('T_BSKY_ID');
    expect(channels).to.contain('Đã tắt trong tệp cấu hình (enabled: false).');
    expect(channels).to.not.contain('disabled in the configuration');

    // a network that refuses the credentials: its own words stay as they came, marked as English
    await database.db.updateTable('social_channels').set({ status: 'broken', status_reason: 'Bluesky answered 401: AuthenticationRequired', status_reason_key: 'credentialsRefused' }).where('id', '=', 'fr-bluesky').execute();
    const page = decode((await b.request('GET', '/ui/channels/fr-bluesky')).html);
    expect(page).to.contain('Mạng xã hội từ chối thông tin xác thực của kênh; các bài đăng sẽ chờ đến khi được sửa. Mạng xã hội báo: <q lang="en">Bluesky answered 401: AuthenticationRequired</q>');
    const dashboard = decode((await b.request('GET', '/ui/dashboard')).html);
    expect(dashboard).to.contain('Mạng xã hội từ chối thông tin xác thực của kênh');
  });
});
