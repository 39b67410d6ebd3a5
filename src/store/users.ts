/**
 * The people who use the desk: sign-in (argon2id hashes, made by `npm run cli -- user add`, the
 * desk's people page or the password-change page), their role, the languages a translator works
 * in, their UI language; disabling (their sessions end at once) and the last sign-in.
 */
import { hash, verify } from '@node-rs/argon2';
import { sql } from 'kysely';
import { NotFoundError, PersonError } from '../errors.ts';
import type { Db } from './db.ts';
import type { UsersTable } from './schema.ts';
import './schema-review.ts';
import './schema-people.ts';
import './schema-units.ts';
import type { Selectable } from 'kysely';

export type UserRow = Selectable<UsersTable>;

// a real hash to verify against when the username does not exist, so both answers take as long
let dummyHash: Promise<string> | undefined;

/** The user when the password is right and they are not disabled; undefined otherwise (every refusal alike). */
export async function checkPassword(db: Db, username: string, password: string): Promise<UserRow | undefined> {
  const user = await db.selectFrom('users').selectAll().where('username', '=', username.trim()).executeTakeFirst();
  if (!user || user.disabled_at) {
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

const endSessions = (db: Db, userId: number, keepSessionId?: string) => db.deleteFrom('user_sessions')
  .where(sql<string>`sess::jsonb ->> 'userId'`, '=', String(userId))
  .where('sid', '!=', keepSessionId ?? '')
  .execute();

/** Sets a new password and ends every other session of the person (they signed in with the old one). */
export async function changePassword(db: Db, userId: number, password: string, keepSessionId: string | undefined, now: Date): Promise<void> {
  if (password.length < minPasswordLength) throw new PersonError('invalid_input', 'ui:account.tooShort', { min: minPasswordLength }, `the password must have at least ${minPasswordLength} characters`);
  const passwordHash = await hash(password);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: passwordHash, password_changed_at: now }).where('id', '=', userId).execute();
    await endSessions(trx, userId, keepSessionId);
  });
}

export async function recordSignIn(db: Db, userId: number, now: Date): Promise<void> {
  await db.updateTable('users').set({ last_login_at: now }).where('id', '=', userId).execute();
}

export async function setTimeZone(db: Db, userId: number, timeZone: string): Promise<void> {
  await db.updateTable('users').set({ time_zone: timeZone }).where('id', '=', userId).execute();
}

export async function setLocale(db: Db, userId: number, locale: string): Promise<void> {
  await db.updateTable('users').set({ locale }).where('id', '=', userId).execute();
}

export interface NewPerson { username: string; displayName: string; role: UserRow['role']; password: string; languages?: string[]; locale?: string; unit?: string | null }

const usernamePattern = /^[\p{L}\p{N}._-]{2,64}$/u;

/**
 * Adds a person. A username already taken, a malformed one or a password too short is a
 * PersonError (the desk and the CLI say it plainly); languages are checked by the caller against
 * the configured audiences (`checkLanguages`).
 */
export async function createUser(db: Db, u: NewPerson): Promise<UserRow> {
  const username = u.username.normalize('NFC').trim();
  if (!usernamePattern.test(username)) throw new PersonError('invalid_input', 'people:error.username', { username }, `the username "${username}" must be 2 to 64 letters, digits, dots, dashes or underscores`);
  if (u.password.length < minPasswordLength) throw new PersonError('invalid_input', 'ui:account.tooShort', { min: minPasswordLength }, `the password must have at least ${minPasswordLength} characters`);
  const taken = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
  if (taken) throw duplicate(username);
  try {
    return await db.insertInto('users').values({
      username, display_name: u.displayName.normalize('NFC').trim() || username, role: u.role, password_hash: await hash(u.password),
      languages: u.languages ?? [], ...(u.locale ? { locale: u.locale } : {}), unit_id: u.unit ?? null,
    }).returningAll().executeTakeFirstOrThrow();
  } catch (err) {
    // two people adding the same name at once: the unique index decides, the message stays plain
    if ((err as { code?: string }).code === '23505') throw duplicate(username);
    throw err;
  }
}

const duplicate = (username: string) => new PersonError('conflict', 'people:error.duplicate', { username }, `the username "${username}" is already taken`);

/** Base language codes of the configured audiences a translator may be given. */
export function checkLanguages(requested: readonly string[], known: readonly string[]): string[] {
  const base = (tag: string) => tag.trim().split('-')[0]!.toLowerCase();
  const knownBases = new Set(known.map(base));
  const wanted = [...new Set(requested.map(base).filter(Boolean))];
  const unknown = wanted.filter((l) => !knownBases.has(l));
  if (unknown.length) throw new PersonError('invalid_input', 'people:error.language', { languages: unknown.join(', '), known: [...knownBases].join(', ') }, `unknown language ${unknown.join(', ')}: the audiences' languages are ${[...knownBases].join(', ')}`);
  return wanted;
}

export type PersonSummary = Pick<UserRow, 'id' | 'username' | 'display_name' | 'role' | 'languages' | 'locale' | 'unit_id' | 'created_at' | 'disabled_at' | 'last_login_at'>;

const summaryColumns = ['id', 'username', 'display_name', 'role', 'languages', 'locale', 'unit_id', 'created_at', 'disabled_at', 'last_login_at'] as const;

export function listUsers(db: Db): Promise<PersonSummary[]> {
  return db.selectFrom('users').select(summaryColumns).orderBy('disabled_at', (ob) => ob.nullsFirst()).orderBy('username').execute();
}

export async function findUser(db: Db, ref: { id: number } | { username: string }): Promise<UserRow> {
  const row = 'id' in ref
    ? await db.selectFrom('users').selectAll().where('id', '=', ref.id).executeTakeFirst()
    : await db.selectFrom('users').selectAll().where('username', '=', ref.username.trim()).executeTakeFirst();
  if (!row) throw new NotFoundError('person', 'id' in ref ? ref.id : ref.username);
  return row;
}

export async function updateUser(db: Db, id: number, change: { displayName?: string; role?: UserRow['role']; languages?: string[]; unit?: string | null }): Promise<UserRow> {
  const row = await db.updateTable('users').set({
    ...(change.displayName !== undefined ? { display_name: change.displayName.normalize('NFC').trim() } : {}),
    ...(change.role ? { role: change.role } : {}),
    ...(change.languages ? { languages: change.languages } : {}),
    ...(change.unit !== undefined ? { unit_id: change.unit } : {}),
  }).where('id', '=', id).returningAll().executeTakeFirst();
  if (!row) throw new NotFoundError('person', id);
  return row;
}

/** Disabled: cannot sign in, every session ends now, drafts they held are free for others. */
export async function disableUser(db: Db, id: number, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx.updateTable('users').set({ disabled_at: now }).where('id', '=', id).where('disabled_at', 'is', null).returning('id').executeTakeFirst();
    if (!row && !(await trx.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst())) throw new NotFoundError('person', id);
    await endSessions(trx, id);
    await trx.deleteFrom('translation_claims').where('user_id', '=', id).execute();
  });
}

export async function enableUser(db: Db, id: number): Promise<void> {
  const row = await db.updateTable('users').set({ disabled_at: null }).where('id', '=', id).returning('id').executeTakeFirst();
  if (!row) throw new NotFoundError('person', id);
}

export async function countActiveAdmins(db: Db): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<string>().as('n')).where('role', '=', 'admin').where('disabled_at', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function hasAnyUser(db: Db): Promise<boolean> {
  return Boolean(await db.selectFrom('users').select('id').limit(1).executeTakeFirst());
}

/** Why a sign-in through the identity provider found nobody to sign in. */
export type OidcRefusal = 'unknown' | 'disabled' | 'other_account';

/**
 * The person an identity provider's account signs in: the one already linked to it, or, the first
 * time, the person whose username the provider gives, who is then linked to it. Nobody is created
 * here: an admin adds people first, so the desk decides who works in it.
 */
export async function personForOidc(db: Db, subject: string, username: string | undefined): Promise<{ user: UserRow } | { refused: OidcRefusal }> {
  const linked = await db.selectFrom('users').selectAll().where('oidc_subject', '=', subject).executeTakeFirst();
  const user = linked ?? (username ? await db.selectFrom('users').selectAll().where('username', '=', username.trim()).executeTakeFirst() : undefined);
  if (!user) return { refused: 'unknown' };
  if (user.disabled_at) return { refused: 'disabled' };
  if (linked) return { user };
  if (user.oidc_subject) return { refused: 'other_account' };
  try {
    const row = await db.updateTable('users').set({ oidc_subject: subject }).where('id', '=', user.id).where('oidc_subject', 'is', null).returningAll().executeTakeFirst();
    return row ? { user: row } : { refused: 'other_account' };
  } catch (err) {
    if ((err as { code?: string }).code === '23505') return { refused: 'other_account' }; // linked to someone else meanwhile
    throw err;
  }
}
