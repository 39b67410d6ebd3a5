/**
 * Sign-in through the office's identity provider (OpenID Connect with openid-client): the
 * authorization code flow with PKCE, state and nonce kept in the visitor's session. The provider
 * says who the person is; the desk says whether they may work here: only people an admin added
 * (matched by username the first time, then by the provider's account) who are not disabled.
 */
import { Router, type Request, type Response } from 'express';
import * as oidc from 'openid-client';
import type { OidcConfig } from '../../../config.ts';
import type { Clock } from '../../../core/clock.ts';
import { statusOf } from '../../../errors.ts';
import type { Logger } from '../../../log.ts';
import type { Db } from '../../../store/db.ts';
import { personForOidc, recordSignIn } from '../../../store/users.ts';
import { renderPage } from '../render.ts';

declare module 'express-session' {
  interface SessionData {
    oidc?: { state: string; nonce: string; codeVerifier: string; next: string };
  }
}

export interface OidcDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  settings: OidcConfig;
  clientSecret: string;
  redirectUrl: string;
  csrfToken(req: Request, res: Response): string;
}

const safeNext = (raw: unknown) => (typeof raw === 'string' && /^\/ui(\/|$)/.test(raw) && !raw.startsWith('//') ? raw : '/ui/queue');

/** Plain http is allowed only for a provider on this machine (a test or a local development one). */
const isLoopback = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);

export function oidcRouter(deps: OidcDeps): Router {
  const router = Router();
  const issuer = new URL(deps.settings.issuer);
  let discovered: Promise<oidc.Configuration> | undefined;
  // read once, and again after a failure (the provider may have been down at the first try)
  const configuration = () => {
    discovered ??= oidc.discovery(issuer, deps.settings.clientId, deps.clientSecret, undefined,
      issuer.protocol === 'http:' && isLoopback(issuer) ? { execute: [oidc.allowInsecureRequests] } : undefined)
      .catch((err: unknown) => { discovered = undefined; throw err; });
    return discovered;
  };
  const refuse = (req: Request, res: Response, error: string, status: number) => {
    req.session.visitor = true;
    res.locals.csrfToken = deps.csrfToken(req, res);
    renderPage(res, 'login', { title: res.locals.t('login.title'), next: '/ui/queue', username: '', error }, status);
  };

  // the sign-in page (and its refusals) offers the provider's button
  router.use('/login', (_req, res, next) => {
    res.locals.signInWith = { label: deps.settings.label };
    next();
  });

  router.get('/login/oidc', async (req, res) => {
    let config: oidc.Configuration;
    try {
      config = await configuration();
    } catch (err) {
      deps.log.warn({ err: (err as Error).message, issuer: issuer.href }, 'the identity provider could not be read');
      return refuse(req, res, res.locals.t('login.oidc.unavailable'), statusOf('fetch_failed'));
    }
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    req.session.oidc = { state, nonce, codeVerifier, next: safeNext(req.query.next) };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: deps.redirectUrl, scope: deps.settings.scope, state, nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256',
    });
    res.redirect(303, url.href);
  });

  router.get('/login/oidc/callback', async (req, res) => {
    const pending = req.session.oidc;
    if (!pending) return refuse(req, res, res.locals.t('login.expired'), statusOf('csrf_failed'));
    req.session.oidc = undefined;
    // the address the provider sent the person back to, as registered, with its answer
    const current = new URL(deps.redirectUrl);
    current.search = new URL(req.originalUrl, 'http://desk').search;
    let claims: Record<string, unknown>;
    let subject: string;
    try {
      const config = await configuration();
      const tokens = await oidc.authorizationCodeGrant(config, current, { pkceCodeVerifier: pending.codeVerifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true });
      const idClaims = tokens.claims()!;
      subject = `${idClaims.iss} ${idClaims.sub}`;
      claims = { ...idClaims };
      // providers that keep profile claims out of the ID token give them at the userinfo endpoint
      if (claims[deps.settings.usernameClaim] === undefined) claims = { ...(await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub)), ...claims };
    } catch (err) {
      deps.log.warn({ err: (err as Error).message }, 'a sign-in through the identity provider failed');
      return refuse(req, res, res.locals.t('login.oidc.failed'), statusOf('unauthorized'));
    }
    const claimed = claims[deps.settings.usernameClaim];
    const username = typeof claimed === 'string' ? claimed : undefined;
    const match = await personForOidc(deps.db, subject, username);
    if ('refused' in match) {
      deps.log.warn({ username, reason: match.refused }, 'a sign-in through the identity provider was refused');
      return refuse(req, res, res.locals.t(`login.oidc.${match.refused}`, { username: username ?? '?' }), statusOf('forbidden'));
    }
    // a new session id at sign-in, as for a password (session fixation)
    await new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
    req.session.userId = match.user.id;
    req.session.loginAt = deps.clock().getTime();
    await recordSignIn(deps.db, match.user.id, deps.clock());
    res.redirect(303, pending.next);
  });

  return router;
}
