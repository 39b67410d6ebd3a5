/**
 * The people who use the desk: sign-in (argon2id hashes, made by `npm run cli -- user add` or the
 * password-change page), their role, the languages a translator works in, their UI language.
 */
import { hash, verify } from '@node-rs/argon2';
import { sql } from 'kysely';
import type { Db } from './db.ts';
import type { UsersTable } from './schema.ts';
import './schema-review.ts';
import type { Selectable } from 'kysely';

export type UserRow = Selectable<UsersTable>;

// a real hash to verify against when the username does not exist, so both answers take as long
let dummyHash: Promise<string> | undefined;

/** The user when the password is right; undefined otherwise (unknown name or wrong password alike). */
export async function checkPassword(db: Db, username: string, password: string): Promise<UserRow | undefined> {
  const user = await db.selectFrom('users').selectAll().where('username', '=', username.trim()).executeTakeFirst();
  if (!user) {
    dummyHash ??= hash('not a password of anyone');
    await verify(await dummyHash, password).catch(() => false);
    return undefined;
  }
  const ok = await verify(user.password_hash, password).catch(() => false);
  return ok ? user : undefined;
}

export function getUser(db: Db, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export const minPasswordLength = 10;

/** Sets a new password and ends every other session of the person (they signed in with the old one). */
export async function changePassword(db: Db, userId: number, password: string, keepSessionId: string | undefined, now: Date): Promise<void> {
  const passwordHash = await hash(password);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: passwordHash, password_changed_at: now }).where('id', '=', userId).execute();
    await trx.deleteFrom('user_sessions')
      .where(sql<string>`sess::jsonb ->> 'userId'`, '=', String(userId))
      .where('sid', '!=', keepSessionId ?? '')
      .execute();
  });
}

export async function setLocale(db: Db, userId: number, locale: string): Promise<void> {
  await db.updateTable('users').set({ locale }).where('id', '=', userId).execute();
}

export async function createUser(db: Db, u: { username: string; displayName: string; role: UserRow['role']; password: string; languages?: string[]; locale?: string }): Promise<UserRow> {
  return db.insertInto('users').values({
    username: u.username, display_name: u.displayName, role: u.role, password_hash: await hash(u.password),
    languages: u.languages ?? [], ...(u.locale ? { locale: u.locale } : {}),
  }).returningAll().executeTakeFirstOrThrow();
}
