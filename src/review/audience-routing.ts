/**
 * Routing rules and budgets per audience as admins change them in the desk (/ui/routing and
 * /api/v1/audiences): the audience's mode and priority, its take and never rules added, edited or
 * deleted one at a time, its monthly character budget. Which wins: once an admin saved an
 * audience's routing, the desk's (the configuration's rules are its starting point, copied at the
 * first change); until then, or after "back to the configuration", the file's. The budget is the
 * same. Every change is checked by the configuration's own schema (core/routing.ts), stored
 * (store/audience-settings.ts) and in force for the next story, on every instance, without a
 * restart; the audit trail records the request that made it.
 */
import type { Clock } from '../core/clock.ts';
import { routingSchema, type RoutingConfig, type RoutingMode, type RoutingRule } from '../core/routing.ts';
import { PersonError } from '../errors.ts';
import { resetBudget, resetRouting, saveBudget, saveRouting, type AudienceSettings } from '../store/audience-settings.ts';
import type { Db } from '../store/db.ts';

export interface AudienceRoutingDeps {
  db: Db;
  clock: Clock;
  settings: AudienceSettings;
  /** The ids of the sources a rule may name. */
  sourceIds(): Promise<string[]>;
  /** After a save: the settings read again here, the other instances told, parked work looked at. */
  changed(audienceId: string, what: 'routing' | 'budget'): Promise<void>;
}

export type RuleKind = 'take' | 'never';

/** A rule as a person typed it: words one per line (or separated by commas), sources ticked. */
export interface RuleInput {
  name: string;
  sources: readonly string[];
  categories: string;
  keywords: string;
  regions: string;
}

/** The most rules of one kind an audience keeps (the router's budget: 20 audiences × 50 rules under 1 ms a story). */
export const maxRules = 50;
const maxWord = 200;
const maxName = 80;

const wordsOf = (text: string) => [...new Set(text.normalize('NFC').split(/[\n,;]+/).map((w) => w.trim().replace(/\s+/g, ' ')).filter(Boolean))];

/** A typed rule made into a routing rule, or the reason it cannot be one (in the person's words). */
export function ruleOf(input: RuleInput, knownSources: ReadonlySet<string>): RoutingRule {
  const name = input.name.normalize('NFC').trim();
  if (name.length > maxName) throw new PersonError('invalid_input', 'routing:errors.nameTooLong', { max: maxName }, `a rule's name is at most ${maxName} characters`);
  const sources = [...new Set(input.sources.map((s) => s.trim()).filter(Boolean))];
  for (const s of sources) if (!knownSources.has(s)) throw new PersonError('invalid_input', 'routing:errors.unknownSource', { source: s }, `there is no source "${s}"`);
  const rule: RoutingRule = {};
  if (name) rule.name = name;
  if (sources.length) rule.sources = sources;
  for (const field of ['categories', 'keywords', 'regions'] as const) {
    const words = wordsOf(input[field]);
    const long = words.find((w) => w.length > maxWord);
    if (long) throw new PersonError('invalid_input', 'routing:errors.wordTooLong', { word: `${long.slice(0, 40)}…`, max: maxWord }, `"${long.slice(0, 40)}…" is longer than ${maxWord} characters`);
    if (words.length) rule[field] = words;
  }
  if (!rule.sources && !rule.categories && !rule.keywords && !rule.regions) {
    throw new PersonError('invalid_input', 'routing:errors.needsCriterion', {}, 'a rule needs at least one source, topic, keyword or region');
  }
  return rule;
}

export interface AudienceRouting {
  /** Sets the audience's routing from what was stored at `version` (null: the configuration's). */
  edit(audienceId: string, version: number | null, change: (routing: RoutingConfig) => RoutingConfig, actor: string): Promise<RoutingConfig>;
  setMode(audienceId: string, version: number | null, mode: RoutingMode, priority: RoutingConfig['priority'], actor: string): Promise<RoutingConfig>;
  addRule(audienceId: string, version: number | null, kind: RuleKind, rule: RoutingRule, actor: string): Promise<RoutingConfig>;
  replaceRule(audienceId: string, version: number | null, kind: RuleKind, index: number, rule: RoutingRule, actor: string): Promise<RoutingConfig>;
  deleteRule(audienceId: string, version: number | null, kind: RuleKind, index: number, actor: string): Promise<RoutingConfig>;
  /** The whole routing at once (the API), or null: back to the configuration's. */
  replace(audienceId: string, routing: RoutingConfig | null, actor: string): Promise<void>;
  /** Characters per month, null for none, or 'configuration' to go back to the file's. */
  setBudget(audienceId: string, monthlyCharacters: number | null | 'configuration', actor: string): Promise<void>;
}

export function createAudienceRouting(deps: AudienceRoutingDeps): AudienceRouting {
  const ruleAt = (routing: RoutingConfig, kind: RuleKind, index: number) => {
    if (!Number.isInteger(index) || index < 0 || index >= routing[kind].length) {
      throw new PersonError('conflict', 'routing:errors.noSuchRule', {}, 'that rule is no longer there; reload the page');
    }
  };
  const checked = (audienceId: string, routing: RoutingConfig) => {
    for (const kind of ['take', 'never'] as const) {
      if (routing[kind].length > maxRules) throw new PersonError('invalid_input', 'routing:errors.tooManyRules', { max: maxRules }, `an audience keeps at most ${maxRules} rules of each kind`);
    }
    const parsed = routingSchema.safeParse(routing);
    if (!parsed.success) throw new PersonError('invalid_input', 'routing:errors.invalid', { audience: audienceId }, `the routing of ${audienceId} is not valid: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  };

  const api: AudienceRouting = {
    async edit(audienceId, version, change, actor) {
      const current = deps.settings.routingOf(audienceId);
      // an edit made on a copy that is no longer the one in force (another admin saved, or reset)
      if (current.version !== version) throw new PersonError('conflict', 'routing:errors.stale', { audience: audienceId }, `the routing of ${audienceId} was changed meanwhile; reload the page and make the change again`);
      const next = checked(audienceId, change(structuredClone(current.routing)));
      await saveRouting(deps.db, audienceId, next, version, actor, deps.clock());
      await deps.changed(audienceId, 'routing');
      return next;
    },
    setMode(audienceId, version, mode, priority, actor) {
      return api.edit(audienceId, version, (r) => ({ ...r, mode, priority }), actor);
    },
    addRule(audienceId, version, kind, rule, actor) {
      return api.edit(audienceId, version, (r) => ({ ...r, [kind]: [...r[kind], rule] }), actor);
    },
    replaceRule(audienceId, version, kind, index, rule, actor) {
      return api.edit(audienceId, version, (r) => {
        ruleAt(r, kind, index);
        return { ...r, [kind]: r[kind].map((x, i) => (i === index ? rule : x)) };
      }, actor);
    },
    deleteRule(audienceId, version, kind, index, actor) {
      return api.edit(audienceId, version, (r) => {
        ruleAt(r, kind, index);
        return { ...r, [kind]: r[kind].filter((_, i) => i !== index) };
      }, actor);
    },
    async replace(audienceId, routing, actor) {
      const current = deps.settings.routingOf(audienceId); // an unknown audience is a 404
      if (routing === null) await resetRouting(deps.db, audienceId);
      else {
        const known = new Set(await deps.sourceIds());
        const next = checked(audienceId, routing);
        for (const rule of [...next.take, ...next.never]) {
          const unknown = rule.sources?.find((s) => !known.has(s));
          if (unknown) throw new PersonError('invalid_input', 'routing:errors.unknownSource', { source: unknown }, `there is no source "${unknown}"`);
        }
        await saveRouting(deps.db, audienceId, next, current.version, actor, deps.clock());
      }
      await deps.changed(audienceId, 'routing');
    },
    async setBudget(audienceId, monthlyCharacters, actor) {
      deps.settings.budgetOf(audienceId);
      if (monthlyCharacters !== null && monthlyCharacters !== 'configuration' && (!Number.isSafeInteger(monthlyCharacters) || monthlyCharacters < 0)) {
        throw new PersonError('invalid_input', 'routing:errors.budget', {}, 'a budget is a whole number of characters, 0 or more');
      }
      if (monthlyCharacters === 'configuration') await resetBudget(deps.db, audienceId);
      else await saveBudget(deps.db, audienceId, monthlyCharacters, actor, deps.clock());
      await deps.changed(audienceId, 'budget');
    },
  };
  return api;
}
