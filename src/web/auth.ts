/** Bearer-token authentication for the API and role checks for every route. */
import type { RequestHandler } from 'express';
import { AppError } from '../errors.ts';
import type { Clock } from '../core/clock.ts';
import type { Db } from '../store/db.ts';
import { includesRole, personFromToken, type Person, type Role } from '../core/person.ts';
import { verifyToken, type TokenIdentity } from '../store/tokens.ts';

/** A bearer token's identity, or a signed-in person's (then `person` is set and `name` is the username). */
export type Identity = TokenIdentity & { person?: Person };

declare module 'express-serve-static-core' {
  interface Request {
    identity?: Identity;
  }
}

/** Roles include the ones below them: an admin may do what an editor may, an editor what a translator may. */

export function authenticate(db: Db, clock: Clock): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (match) req.identity = await verifyToken(db, match[1]!, clock());
    next();
  };
}

export function requireRole(role: Role): RequestHandler {
  return (req, _res, next) => {
    if (!req.identity) throw new AppError('unauthorized', 'a valid bearer token (Authorization: Bearer <token>) or a signed-in session is required');
    if (!includesRole(req.identity.role, role)) throw new AppError('forbidden', `this needs the ${role} role; ${req.identity.person ? 'you have' : 'the token has'} the ${req.identity.role} role`);
    next();
  };
}

export const actorOf = (identity: Identity | undefined) => identity?.person?.actor ?? (identity ? `token:${identity.name}` : 'anonymous');

/** Who acts, with their languages: the signed-in person, or the token. */
export function personOf(identity: Identity | undefined): Person {
  if (!identity) throw new AppError('unauthorized', 'a valid bearer token (Authorization: Bearer <token>) or a signed-in session is required');
  return identity.person ?? personFromToken(identity);
}
