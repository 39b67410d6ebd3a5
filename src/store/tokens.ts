/**
 * API bearer tokens: created in the desk or by the CLI and shown once; only their SHA-256 is
 * stored. Each has a role, who made it, when it was last used; a revoked token answers 401.
 * `qaBypass`: the token may approve despite accuracy-check errors; nothing else skips the gate.
 */
import { createHash, randomBytes } from 'node:crypto';
import { includesRole, type Role } from '../core/person.ts';
import { NotFoundError, PersonError } from '../errors.ts';
import type { Db } from './db.ts';
import './schema-people.ts';
import './schema-units.ts';

/** `locale`: the desk language of the person who made the token (or of the person signed in), for the API's messages. */
export interface TokenIdentity { name: string; role: Role; qaBypass: boolean; locale?: string | undefined }

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createToken(db: Db, name: string, role: Role, createdBy?: string, opts: { qaBypass?: boolean; unit?: string | null } = {}): Promise<string> {
  const clean = name.normalize('NFC').trim();
  if (!clean || clean.length > 100) throw new PersonError('invalid_input', 'people:tokens.badName', {}, 'a token needs a name of 1 to 100 characters');
  // only a role that approves has a gate to skip
  if (opts.qaBypass && !includesRole(role, 'editor')) throw new PersonError('invalid_input', 'people:tokens.bypassNeedsEditor', {}, 'only an editor or admin token may bypass the QA gate');
  const token = `dn_${randomBytes(24).toString('base64url')}`;
  await db.insertInto('api_tokens').values({ name: clean, role, token_hash: hash(token), created_by: createdBy ?? null, qa_bypass: opts.qaBypass ?? false, unit_id: opts.unit ?? null }).execute();
  return token;
}

export async function verifyToken(db: Db, token: string, now: Date): Promise<TokenIdentity | undefined> {
  const row = await db.updateTable('api_tokens').set({ last_used_at: now })
    .where('token_hash', '=', hash(token)).where('revoked_at', 'is', null)
    .returning((eb) => ['name', 'role', 'qa_bypass', eb.selectFrom('users').select('users.locale').whereRef('users.username', '=', 'api_tokens.created_by').as('locale')])
    .executeTakeFirst();
  return row ? { name: row.name, role: row.role, qaBypass: row.qa_bypass, locale: row.locale ?? undefined } : undefined;
}

export function listTokens(db: Db) {
  return db.selectFrom('api_tokens').select(['id', 'name', 'role', 'qa_bypass', 'unit_id', 'created_at', 'created_by', 'last_used_at', 'revoked_at'])
    .orderBy('revoked_at', (ob) => ob.nullsFirst()).orderBy('id', 'desc').execute();
}

export async function revokeToken(db: Db, id: number, now: Date): Promise<void> {
  const row = await db.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).returning('id').executeTakeFirst();
  if (!row && !(await db.selectFrom('api_tokens').select('id').where('id', '=', id).executeTakeFirst())) throw new NotFoundError('token', id);
}
