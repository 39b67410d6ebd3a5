/**
 * One-time links: a password reset for one person (made by an admin in the desk or with
 * `user reset`), and the set-up link that lets the first admin of an empty installation be
 * created in the browser. Only the SHA-256 of a link's token is kept; a link works once, before it
 * expires; using it and changing the password happen in one transaction.
 */
import { createHash, randomBytes } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import { sql } from 'kysely';
import { PersonError } from '../errors.ts';
import type { Db } from './db.ts';
import './schema-people.ts';
import { createUser, minPasswordLength, type NewPerson, type UserRow } from './users.ts';

const digest = (token: string) => createHash('sha256').update(token).digest('hex');
const newToken = () => randomBytes(24).toString('base64url');

export const resetLinkHours = 24;
export const setupLinkHours = 24 * 7;

/** A new reset link for the person; earlier unused ones stop working. */
export async function createResetLink(db: Db, userId: number, createdBy: string, now: Date): Promise<string> {
  const token = newToken();
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('password_links').set({ used_at: now }).where('user_id', '=', userId).where('used_at', 'is', null).execute();
    await trx.insertInto('password_links').values({ token_hash: digest(token), user_id: userId, purpose: 'reset', created_by: createdBy, created_at: now, expires_at: new Date(now.getTime() + resetLinkHours * 3600_000) }).execute();
  });
  return token;
}

/** The person a live reset link is for, or undefined (unknown, used or expired alike). */
export async function resetLinkUser(db: Db, token: string, now: Date): Promise<Pick<UserRow, 'id' | 'username' | 'display_name'> | undefined> {
  return db.selectFrom('password_links as l').innerJoin('users as u', 'u.id', 'l.user_id').select(['u.id', 'u.username', 'u.display_name'])
    .where('l.token_hash', '=', digest(token)).where('l.purpose', '=', 'reset').where('l.used_at', 'is', null).where('l.expires_at', '>', now).where('u.disabled_at', 'is', null)
    .executeTakeFirst();
}

const expired = () => new PersonError('invalid_input', 'people:reset.expired', {}, 'this link has expired or was already used; ask an admin for a new one');

/** Uses the link: the new password is set and every session of the person ends. */
export async function useResetLink(db: Db, token: string, password: string, now: Date): Promise<UserRow> {
  if (password.length < minPasswordLength) throw new PersonError('invalid_input', 'ui:account.tooShort', { min: minPasswordLength }, `the password must have at least ${minPasswordLength} characters`);
  const passwordHash = await hash(password);
  return db.transaction().execute(async (trx) => {
    const link = await trx.updateTable('password_links').set({ used_at: now })
      .where('token_hash', '=', digest(token)).where('purpose', '=', 'reset').where('used_at', 'is', null).where('expires_at', '>', now)
      .returning('user_id').executeTakeFirst();
    if (!link?.user_id) throw expired();
    const user = await trx.updateTable('users').set({ password_hash: passwordHash, password_changed_at: now })
      .where('id', '=', link.user_id).where('disabled_at', 'is', null).returningAll().executeTakeFirst();
    if (!user) throw expired();
    await trx.deleteFrom('user_sessions').where(sql<string>`sess::jsonb ->> 'userId'`, '=', String(user.id)).execute();
    return user;
  });
}

/**
 * With nobody in the database, a set-up link for the first admin (a new one at every start, the
 * older ones stop working); undefined once anyone exists.
 */
export async function createSetupLink(db: Db, now: Date): Promise<string | undefined> {
  const token = newToken();
  const made = await db.transaction().execute(async (trx) => {
    await sql`LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE`.execute(trx);
    if (await trx.selectFrom('users').select('id').limit(1).executeTakeFirst()) return false;
    await trx.updateTable('password_links').set({ used_at: now }).where('purpose', '=', 'setup').where('used_at', 'is', null).execute();
    await trx.insertInto('password_links').values({ token_hash: digest(token), user_id: null, purpose: 'setup', created_by: 'service', created_at: now, expires_at: new Date(now.getTime() + setupLinkHours * 3600_000) }).execute();
    return true;
  });
  return made ? token : undefined;
}

export async function setupLinkValid(db: Db, token: string, now: Date): Promise<boolean> {
  const row = await db.selectFrom('password_links').select('token_hash')
    .where('token_hash', '=', digest(token)).where('purpose', '=', 'setup').where('used_at', 'is', null).where('expires_at', '>', now).executeTakeFirst();
  return Boolean(row) && !(await db.selectFrom('users').select('id').limit(1).executeTakeFirst());
}

/** Creates the first admin through the set-up link; refused once anyone exists or the link is spent. */
export async function useSetupLink(db: Db, token: string, person: Omit<NewPerson, 'role'>, now: Date): Promise<UserRow> {
  return db.transaction().execute(async (trx) => {
    await sql`LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE`.execute(trx);
    const link = await trx.updateTable('password_links').set({ used_at: now })
      .where('token_hash', '=', digest(token)).where('purpose', '=', 'setup').where('used_at', 'is', null).where('expires_at', '>', now)
      .returning('token_hash').executeTakeFirst();
    if (!link || (await trx.selectFrom('users').select('id').limit(1).executeTakeFirst())) throw new PersonError('invalid_input', 'people:setup.spent', {}, 'this set-up link has expired or was already used');
    return createUser(trx, { ...person, role: 'admin' });
  });
}
