/**
 * Units: the bodies that contribute stories and do the work, for attribution and reporting (not
 * tenants: one installation, one configuration). Admins manage them in the desk and the CLI; a
 * source, a token and a person may name one. A unit in use is not deleted: its sources, tokens,
 * people and stories would lose their attribution silently.
 */
import { sql } from 'kysely';
import { NotFoundError, PersonError } from '../errors.ts';
import type { Db } from './db.ts';
import type { UnitRow } from './schema-units.ts';
import './schema-units.ts';
import './schema-people.ts';

export type { UnitRow };

export interface UnitInput { id: string; nameVi: string; nameEn?: string | undefined }
export interface UnitSummary extends UnitRow { sources: number; tokens: number; people: number; stories: number }

const idPattern = /^[a-z0-9-]{1,64}$/;

function clean(u: UnitInput) {
  const id = u.id.trim().toLowerCase();
  const nameVi = u.nameVi.normalize('NFC').trim();
  const nameEn = (u.nameEn ?? '').normalize('NFC').trim();
  if (!idPattern.test(id)) throw new PersonError('invalid_input', 'units:error.id', {}, 'a unit id is 1 to 64 lower-case letters, digits and dashes');
  if (!nameVi || nameVi.length > 200 || nameEn.length > 200) throw new PersonError('invalid_input', 'units:error.name', {}, 'a unit needs a name of 1 to 200 characters (the English one may be left out)');
  return { id, name_vi: nameVi, name_en: nameEn || null };
}

/** The unit's name in the reader's language: the English one when asked and given, else the Vietnamese. */
export const unitName = (u: Pick<UnitRow, 'name_vi' | 'name_en'>, lang: string) => (lang === 'en' && u.name_en ? u.name_en : u.name_vi);

export function listUnits(db: Db): Promise<UnitRow[]> {
  return db.selectFrom('units').selectAll().orderBy('id').execute();
}

/** Every unit with what names it: the admins' page and `unit list`. */
export async function unitSummaries(db: Db): Promise<UnitSummary[]> {
  const { rows } = await sql<UnitSummary>`
    SELECT u.*,
      (SELECT count(*) FROM sources s WHERE s.unit_id = u.id AND s.deleted_at IS NULL)::int AS sources,
      (SELECT count(*) FROM api_tokens k WHERE k.unit_id = u.id AND k.revoked_at IS NULL)::int AS tokens,
      (SELECT count(*) FROM users p WHERE p.unit_id = u.id)::int AS people,
      (SELECT count(*) FROM stories st WHERE st.unit_id = u.id)::int AS stories
    FROM units u ORDER BY u.id`.execute(db);
  return rows;
}

export async function createUnit(db: Db, u: UnitInput): Promise<UnitRow> {
  const values = clean(u);
  const row = await db.insertInto('units').values(values).onConflict((oc) => oc.column('id').doNothing()).returningAll().executeTakeFirst();
  if (!row) throw new PersonError('conflict', 'units:error.taken', { id: values.id }, `unit ${values.id} already exists`);
  return row;
}

export async function renameUnit(db: Db, id: string, names: Omit<UnitInput, 'id'>): Promise<UnitRow> {
  const values = clean({ id, ...names });
  const row = await db.updateTable('units').set({ name_vi: values.name_vi, name_en: values.name_en }).where('id', '=', values.id).returningAll().executeTakeFirst();
  if (!row) throw new NotFoundError('unit', id);
  return row;
}

export async function deleteUnit(db: Db, id: string): Promise<void> {
  const unit = (await unitSummaries(db)).find((u) => u.id === id);
  if (!unit) throw new NotFoundError('unit', id);
  if (unit.sources || unit.tokens || unit.people || unit.stories) {
    throw new PersonError('conflict', 'units:error.inUse', { id }, `unit ${id} is named by sources, tokens, people or stories; it stays`);
  }
  await db.deleteFrom('units').where('id', '=', id).execute();
}

/** '' (or undefined) is no unit; anything else must be a unit that exists. */
export async function checkUnit(db: Db, raw: unknown): Promise<string | null> {
  const id = String(raw ?? '').trim();
  if (!id) return null;
  const row = await db.selectFrom('units').select('id').where('id', '=', id).executeTakeFirst();
  if (!row) throw new PersonError('invalid_input', 'units:error.unknown', { id }, `there is no unit ${id}`);
  return row.id;
}

type Holder = 'sources' | 'api_tokens' | 'users';

/** Puts a source (by id), a token (by id) or a person (by id) in a unit, or in none. */
export async function setUnitOf(db: Db, holder: Holder, id: string | number, unitId: string | null): Promise<void> {
  const table = sql.table(holder);
  const { numAffectedRows } = await sql`UPDATE ${table} SET unit_id = ${unitId} WHERE id = ${id}`.execute(db);
  if (!numAffectedRows) throw new NotFoundError(holder === 'sources' ? 'source' : holder === 'api_tokens' ? 'token' : 'person', id);
}
