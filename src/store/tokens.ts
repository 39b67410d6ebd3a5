/** API bearer tokens: created by the CLI and shown once; only their SHA-256 is stored. */
import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '../core/person.ts';
import type { Db } from './db.ts';

export interface TokenIdentity { name: string; role: Role }

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createToken(db: Db, name: string, role: Role): Promise<string> {
  const token = `dn_${randomBytes(24).toString('base64url')}`;
  await db.insertInto('api_tokens').values({ name, role, token_hash: hash(token) }).execute();
  return token;
}

export async function verifyToken(db: Db, token: string): Promise<TokenIdentity | undefined> {
  const row = await db.updateTable('api_tokens').set({ last_used_at: new Date() })
    .where('token_hash', '=', hash(token)).where('revoked_at', 'is', null)
    .returning(['name', 'role']).executeTakeFirst();
  return row ? { name: row.name, role: row.role } : undefined;
}
