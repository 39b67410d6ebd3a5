/**
 * What admins set per audience in the desk, on top of the configuration: its routing (mode,
 * priority, take and never rules) and its monthly character budget. A stored value replaces the
 * configuration's for that audience; none stored: the configuration's. The database is the
 * record; `AudienceSettings` is each instance's copy of it, read at start and again whenever a
 * change is announced (by this instance or, through LISTEN/NOTIFY, another), so routing a story and
 * claiming its translations cost no extra statement.
 */
import type { AudienceConfig } from '../core/audience.ts';
import { everyStory, routingSchema, type RoutingConfig } from '../core/routing.ts';
import { AppError, PersonError } from '../errors.ts';
import type { Db } from './db.ts';
import './schema-audience-settings.ts';

export interface StoredRouting { routing: RoutingConfig; version: number; updatedBy: string; updatedAt: Date }
export interface StoredBudget { monthlyCharacters: number | null; updatedBy: string; updatedAt: Date }

export interface SettingsSnapshot {
  routing: ReadonlyMap<string, StoredRouting>;
  budgets: ReadonlyMap<string, StoredBudget>;
}

export async function loadAudienceSettings(db: Db): Promise<SettingsSnapshot> {
  const [routing, budgets] = await Promise.all([
    db.selectFrom('audience_routing').selectAll().execute(),
    db.selectFrom('audience_budgets').selectAll().execute(),
  ]);
  return {
    // a stored routing is read through the same schema as the configuration's (defaults filled in)
    routing: new Map(routing.map((r) => [r.audience_id, { routing: routingSchema.parse(r.routing), version: r.version, updatedBy: r.updated_by, updatedAt: r.updated_at }])),
    budgets: new Map(budgets.map((b) => [b.audience_id, { monthlyCharacters: b.monthly_characters === null ? null : Number(b.monthly_characters), updatedBy: b.updated_by, updatedAt: b.updated_at }])),
  };
}

/**
 * Stores an audience's routing. `version` is the one the change was made on (null: made on the
 * configuration's rules, nothing stored yet); a save on an older copy is refused (409), so two
 * admins editing at once never lose each other's rules by position. Answers the new version.
 */
export async function saveRouting(db: Db, audienceId: string, routing: RoutingConfig, version: number | null, actor: string, at: Date): Promise<number> {
  const value = JSON.stringify(routing);
  const row = version === null
    ? await db.insertInto('audience_routing').values({ audience_id: audienceId, routing: value, updated_by: actor, updated_at: at })
      .onConflict((oc) => oc.column('audience_id').doNothing()).returning('version').executeTakeFirst()
    : await db.updateTable('audience_routing').set((eb) => ({ routing: value, version: eb('version', '+', 1), updated_by: actor, updated_at: at }))
      .where('audience_id', '=', audienceId).where('version', '=', version).returning('version').executeTakeFirst();
  if (!row) throw new PersonError('conflict', 'routing:errors.stale', { audience: audienceId }, `the routing of ${audienceId} was changed meanwhile; reload the page and make the change again`);
  return row.version;
}

/** Back to the configuration's routing for this audience. */
export async function resetRouting(db: Db, audienceId: string): Promise<void> {
  await db.deleteFrom('audience_routing').where('audience_id', '=', audienceId).execute();
}

/** An audience's monthly budget as the desk sets it (null: none, whatever the configuration says). */
export async function saveBudget(db: Db, audienceId: string, monthlyCharacters: number | null, actor: string, at: Date): Promise<void> {
  await db.insertInto('audience_budgets').values({ audience_id: audienceId, monthly_characters: monthlyCharacters, updated_by: actor, updated_at: at })
    .onConflict((oc) => oc.column('audience_id').doUpdateSet({ monthly_characters: monthlyCharacters, updated_by: actor, updated_at: at })).execute();
}

export async function resetBudget(db: Db, audienceId: string): Promise<void> {
  await db.deleteFrom('audience_budgets').where('audience_id', '=', audienceId).execute();
}

/** Where an audience's setting comes from: saved in the desk, or the configuration file. */
export type SettingOrigin = 'desk' | 'configuration';

/**
 * One instance's copy of the settings, with the configuration beneath. Listeners hear of every
 * new copy (the router recompiles its rules).
 */
export class AudienceSettings {
  private snapshot: SettingsSnapshot = { routing: new Map(), budgets: new Map() };
  private readonly listeners: (() => void)[] = [];

  constructor(private readonly db: Db, readonly audiences: readonly AudienceConfig[]) {}

  async reload(): Promise<void> {
    this.snapshot = await loadAudienceSettings(this.db);
    for (const listener of this.listeners) listener();
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private audience(id: string): AudienceConfig {
    const audience = this.audiences.find((a) => a.id === id);
    if (!audience) throw new AppError('not_found', `there is no audience "${id}"`);
    return audience;
  }

  routingOf(audienceId: string): { routing: RoutingConfig; origin: SettingOrigin; version: number | null; updatedBy: string | null; updatedAt: Date | null } {
    const stored = this.snapshot.routing.get(audienceId);
    if (stored) return { ...stored, origin: 'desk' };
    return { routing: this.audience(audienceId).routing ?? everyStory, origin: 'configuration', version: null, updatedBy: null, updatedAt: null };
  }

  /** Characters per month for the audience, or undefined when it has no budget. */
  budgetOf(audienceId: string): { monthlyCharacters: number | undefined; origin: SettingOrigin; updatedBy: string | null; updatedAt: Date | null } {
    const stored = this.snapshot.budgets.get(audienceId);
    if (stored) return { monthlyCharacters: stored.monthlyCharacters ?? undefined, origin: 'desk', updatedBy: stored.updatedBy, updatedAt: stored.updatedAt };
    return { monthlyCharacters: this.audience(audienceId).monthlyCharacterBudget, origin: 'configuration', updatedBy: null, updatedAt: null };
  }

  /** The audiences with the routing in force (the desk's where saved): what the router compiles. */
  routedAudiences(): { id: string; routing: RoutingConfig }[] {
    return this.audiences.map((a) => ({ id: a.id, routing: this.routingOf(a.id).routing }));
  }

  /** Every audience with a budget, and its characters per month. */
  budgets(): { audienceId: string; monthlyCharacters: number }[] {
    return this.audiences.flatMap((a) => {
      const n = this.budgetOf(a.id).monthlyCharacters;
      return n === undefined ? [] : [{ audienceId: a.id, monthlyCharacters: n }];
    });
  }
}
