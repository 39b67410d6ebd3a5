/**
 * Sign-in through the office's identity provider: a real OpenID provider (oidc-provider) on
 * loopback, the desk as its client through openid-client. Only people an admin added sign in; the
 * first sign-in links the provider's account, which alone signs that person in afterwards; a
 * disabled person is refused; an unreachable provider leaves the password form working.
 */
import { expect } from 'chai';
import { createUser, disableUser, findUser } from '../src/store/users.ts';
import type { Service } from '../src/service.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { freePort } from './support/net.ts';
import { startIdentityProvider, type TestIdentityProvider } from './support/oidc-provider.ts';
import { startTestService, writeTestConfig } from './support/service.ts';
import { WebSession } from './support/web-session.ts';

/** Follows the provider's redirects (keeping its cookies) until they lead back to the desk. */
async function throughProvider(desk: WebSession, deskOrigin: string, start: string) {
  const jar = new Map<string, string>();
  let answer = await desk.get(start);
  let location = answer.location;
  for (let hops = 0; location && !location.startsWith(deskOrigin) && !location.startsWith('/'); hops++) {
    if (hops > 10) throw new Error('too many redirects at the identity provider');
    const res = await fetch(location, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    await res.arrayBuffer();
    location = res.headers.get('location') ? new URL(res.headers.get('location')!, location).href : null;
  }
  expect(location, 'the provider sends the person back to the desk').to.be.a('string');
  answer = await desk.get(location!.replace(deskOrigin, ''));
  return answer;
}

describe('desk: sign-in through the office identity provider', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let service: Service;
  let idp: TestIdentityProvider;
  let origin: string;

  before(async () => {
    database = await freshDatabase();
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    idp = await startIdentityProvider(`${origin}/ui/login/oidc/callback`);
    const config = writeTestConfig({
      audiences: [{ id: 'en', language: 'en', provider: 'manual' }],
      oidc: { issuer: idp.issuer, clientId: idp.clientId, label: 'Tài khoản công vụ', redirectUrl: `${origin}/ui/login/oidc/callback` },
    }, { PORT: String(port), OIDC_CLIENT_SECRET: idp.clientSecret });
    service = await startTestService(config, database);
    await createUser(database.db, { username: 'lan', displayName: 'Lan', role: 'translator', password: 'a long password', languages: ['en'] });
    await createUser(database.db, { username: 'minh', displayName: 'Minh', role: 'editor', password: 'another long password', languages: ['en'] });
  });
  after(async () => {
    await service?.close();
    await idp?.close();
    await database?.close();
  });

  it('offers the provider on the sign-in page, beside the password form', async () => {
    const page = await new WebSession(service.url).get('/ui/login');
    expect(page.text).to.match(/<a class="btn" href="\/ui\/login\/oidc\?next=%2Fui%2Fqueue" id="sign-in-oidc">Tài khoản công vụ<\/a>/);
    expect(page.text).to.contain('name="password"');
  });

  it('signs in a person an admin added, links the account, and records the sign-in', async () => {
    idp.signInAs('idp-lan-1', { preferred_username: 'lan', name: 'Nguyễn Thị Lan' });
    const desk = new WebSession(service.url);
    const back = await throughProvider(desk, origin, '/ui/login/oidc?next=/ui/account');
    expect(back.status, back.text.slice(0, 400)).to.equal(303);
    expect(back.location).to.equal('/ui/account');
    const account = await desk.get('/ui/account');
    expect(account.status).to.equal(200);
    expect(account.text).to.contain('lan');
    const lan = await findUser(database.db, { username: 'lan' });
    expect(lan.oidc_subject).to.equal(`${idp.issuer} idp-lan-1`);
    expect(lan.last_login_at).to.be.an.instanceOf(Date);
  });

  it('lets only the linked account sign that person in afterwards', async () => {
    // another account at the provider claiming the same username
    idp.signInAs('idp-someone-else', { preferred_username: 'lan' });
    const desk = new WebSession(service.url);
    const refused = await throughProvider(desk, origin, '/ui/login/oidc');
    expect(refused.status).to.equal(403);
    expect(refused.text).to.contain('linked to another office account');
    expect((await desk.get('/ui/queue')).status).to.equal(303);
  });

  it('refuses someone the desk does not know, and a disabled person, in their language', async () => {
    idp.signInAs('idp-stranger', { preferred_username: 'stranger' });
    const stranger = await throughProvider(new WebSession(service.url), origin, '/ui/login/oidc');
    expect(stranger.status).to.equal(403);
    expect(stranger.text).to.contain('There is no desk account for “stranger”');

    const minh = await findUser(database.db, { username: 'minh' });
    await disableUser(database.db, minh.id, new Date());
    idp.signInAs('idp-minh', { preferred_username: 'minh' });
    const vi = new WebSession(service.url, { 'accept-language': 'vi' });
    const disabled = await throughProvider(vi, origin, '/ui/login/oidc');
    expect(disabled.status).to.equal(403);
    expect(disabled.text).to.contain('Tài khoản “minh” trên bàn biên tập đã bị khóa');
  });

  it('refuses a callback that did not start here (no state in the session)', async () => {
    const forged = await new WebSession(service.url).get('/ui/login/oidc/callback?code=abc&state=xyz');
    expect(forged.status).to.equal(403);
    expect(forged.text).to.contain('The sign-in form has expired');
  });

  it('keeps the password form working while the provider cannot be reached', async () => {
    const dead = await freePort();
    const port = await freePort();
    const config = writeTestConfig({
      audiences: [{ id: 'en', language: 'en', provider: 'manual' }],
      oidc: { issuer: `http://127.0.0.1:${dead}`, clientId: 'desk' },
    }, { PORT: String(port), OIDC_CLIENT_SECRET: 'x' });
    const other = await startTestService(config, database);
    try {
      const page = await new WebSession(other.url).get('/ui/login/oidc');
      expect(page.status).to.equal(502);
      expect(page.text).to.contain('cannot be reached just now');
      expect((await new WebSession(other.url).login('lan', 'a long password')).status).to.equal(303);
    } finally {
      await other.close();
    }
  });
});
