/**
 * An OpenID provider for tests: panva's oidc-provider (the certified implementation) on loopback,
 * with one confidential client. Its login step is answered by the test: `signInAs` names the account
 * the next person signs in with, and consent is given for them, so a sign-in is a run of redirects
 * a cookie-keeping client can follow.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync } from 'node:crypto';

export interface TestIdentityProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The account (sub) and its claims used by the next sign-in. */
  signInAs(sub: string, claims: Record<string, unknown>): void;
  close(): Promise<void>;
}

export async function startIdentityProvider(redirectUri: string): Promise<TestIdentityProvider> {
  const accounts = new Map<string, Record<string, unknown>>();
  let next: string | undefined;
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'doingoai-desk';
  const clientSecret = 'a client secret of the tests';
  // it warns at every start that it runs on Node 20 with its in-memory store: true, and fine for a test
  const warn = console.warn;
  console.warn = () => {};
  const { default: Provider } = await import('oidc-provider');
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const provider = new Provider(issuer, {
    jwks: { keys: [{ ...signingKey, kid: 'test', use: 'sig', alg: 'RS256' }] },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri], grant_types: ['authorization_code'], response_types: ['code'] }],
    claims: { openid: ['sub'], profile: ['preferred_username', 'name'] },
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    findAccount: (_ctx, sub) => (accounts.has(sub) ? { accountId: sub, claims: () => ({ sub, ...accounts.get(sub) }) } : undefined),
    // consent is given: the desk asks only for openid and profile
    loadExistingGrant: async (ctx) => {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope('openid profile');
      await grant.save();
      return grant;
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  });
  console.warn = warn;
  provider.on('server_error', (_ctx, err) => console.error('identity provider error', err));
  const handle = provider.callback();
  server.on('request', (req, res) => {
    if (!req.url?.startsWith('/interaction/')) return void handle(req, res);
    void (async () => {
      const sub = next;
      if (!sub) {
        res.statusCode = 400;
        return res.end('the test did not say who signs in');
      }
      await provider.interactionFinished(req, res, { login: { accountId: sub } }, { mergeWithLastSubmission: false });
    })().catch((err) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  return {
    issuer, clientId, clientSecret,
    signInAs(sub, claims) {
      accounts.set(sub, claims);
      next = sub;
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
