/**
 * Who is acting on the desk: a person signed in (with their languages) or an API token. Roles
 * include the ones below them; a translator works only in the languages assigned to them, editors
 * and admins in all; tokens are not limited by language.
 */
import { AppError } from '../errors.ts';

export const roles = ['admin', 'editor', 'translator'] as const;
export type Role = (typeof roles)[number];

export interface Person {
  /** As recorded in revisions and events: the username, or "token:<name>". */
  actor: string;
  role: Role;
  /** Base language codes ("en", "fr"); 'all' for editors, admins and tokens. */
  languages: readonly string[] | 'all';
  via: 'session' | 'token';
  userId?: number | undefined;
  /** A token made to approve despite QA errors (never a person signed in). */
  qaBypass?: boolean | undefined;
}

const rank: Record<Role, number> = { translator: 1, editor: 2, admin: 3 };

/** Whether a role includes another (an admin may do what an editor may, an editor what a translator may). */
export const includesRole = (held: Role, needed: Role): boolean => rank[held] >= rank[needed];

export const hasRole = (p: Person, role: Role) => includesRole(p.role, role);

export const isRole = (value: string): value is Role => roles.some((r) => r === value);

const base = (tag: string) => tag.split('-')[0]!.toLowerCase();

export function mayWorkIn(p: Person, language: string): boolean {
  return p.languages === 'all' || p.languages.some((l) => base(l) === base(language));
}

export function assertMayWorkIn(p: Person, language: string): void {
  if (!mayWorkIn(p, language)) throw new AppError('forbidden', `${p.actor} is not assigned to ${language} translations`);
}

export function personFromUser(u: { id: number; username: string; role: Role; languages: string[] }): Person {
  return { actor: u.username, role: u.role, languages: u.role === 'translator' ? u.languages.map(base) : 'all', via: 'session', userId: u.id };
}

export function personFromToken(t: { name: string; role: Role; qaBypass?: boolean | undefined }): Person {
  return { actor: `token:${t.name}`, role: t.role, languages: 'all', via: 'token', qaBypass: t.qaBypass ?? false };
}
