/**
 * Planning: what an editor decides about a story across audiences, after the routing rules
 * (core/routing.ts) have had their say. Incoming stories newest first, with per audience its route,
 * its translation and what translating it would cost; choosing translate or skip for one audience
 * or many, changing a story's priority, taking a whole story down everywhere, embargoing it
 * everywhere, translating one audience again. The desk's planning page and /api/v1/planning speak through this one module.
 *
 * A choice to translate creates the translation and records the route in one transaction, then
 * hands the story to machine translation (a durable job; a crash before it is sent is caught by the
 * sweep at start, which sends every story with unfinished machine work). Choosing again is
 * harmless: an existing translation is left as it is.
 */
import { sql } from 'kysely';
import { chainOf, type AudienceConfig } from '../core/audience.ts';
import type { Clock } from '../core/clock.ts';
import type { RouteChoice, RoutingConfig } from '../core/routing.ts';
import { NotFoundError, PersonError } from '../errors.ts';
import { chooseRoute, routesOf } from '../ingest/routing.ts';
import { isPublicNow, publicationsOf } from '../publish/load.ts';
import { getStory } from '../ingest/stories.ts';
import { inTransaction, type Db } from '../store/db.ts';
import type { StoryRow, TranslationRow } from '../store/schema.ts';
import type { StoryRouteRow } from '../store/schema-routing.ts';
import { createTranslations, listForStory } from '../store/translations.ts';

export interface PlanningDeps {
  db: Db;
  clock: Clock;
  audiences: readonly AudienceConfig[];
  /** Sends a story to machine translation (translate/dispatch.ts storyReady). */
  storyReady(story: Pick<StoryRow, 'id' | 'priority'>): Promise<void>;
  /** Takes one translation down: every feed, every channel (publish/publisher.ts withdrawTranslation). */
  withdraw(translationId: number, actor: string, reason: string): Promise<unknown>;
  /** Machine translation of one audience's translation again; answers how many wait (0 or 1). */
  translateAgain(storyId: number, actor: string, audienceId: string): Promise<number>;
  /** Sets or clears one translation's embargo before it is public (publish/publisher.ts setEmbargo). */
  embargo(translationId: number, until: Date | null): Promise<unknown>;
  /** The routing in force for an audience (the desk's rules where an admin saved them, else the configuration's). */
  routingOf(audienceId: string): Pick<RoutingConfig, 'priority'>;
}

export interface PlanningCell {
  audience: string;
  route: Pick<StoryRouteRow, 'choice' | 'rule' | 'decided_by' | 'reason'> | undefined;
  translation: Pick<TranslationRow, 'id' | 'state' | 'title' | 'error' | 'mt_attempts' | 'mt_waiting'> | undefined;
  /** Characters a machine would bill to translate it for this audience; 0 when a person writes it. */
  cost: number;
  /** What the page offers: choose (translate/skip), translated (already, with its state), skipped. */
  status: 'waiting' | 'translated' | 'skipped' | 'none';
}

export interface PlanningStory {
  id: number;
  title: string;
  category: string | null;
  sourceId: string | null;
  sourceName: string | null;
  priority: boolean;
  duplicateOf: number | null;
  ingestedAt: Date;
  /** The story's embargo everywhere (the translations carry their own, set with it). */
  embargoUntil: Date | null;
  /** Characters of the title, lead and text (what a provider bills per audience). */
  length: number;
  cells: PlanningCell[];
}

export interface PlanningQuery {
  /** Only stories some audience still waits to decide on. */
  waiting: boolean;
  limit: number;
  before?: { at: Date; id: number } | undefined;
  /** The audiences shown (a person's languages); all when absent. */
  audiences?: readonly string[] | undefined;
}

export interface Choice { storyId: number; audience: string; choice: Exclude<RouteChoice, 'plan'> }

export interface Planning {
  list(query: PlanningQuery): Promise<{ stories: PlanningStory[]; next: { at: Date; id: number } | undefined }>;
  /** Applies the choices in order; answers, per choice, whether it changed anything. */
  choose(choices: readonly Choice[], actor: string): Promise<{ storyId: number; audience: string; changed: boolean }[]>;
  /** The choice for every one of `audiences` that still waits to decide on each story (a bulk choice undoes no earlier one). */
  chooseWaiting(storyIds: readonly number[], audiences: readonly string[], choice: Choice['choice'], actor: string): Promise<{ storyId: number; audience: string; changed: boolean }[]>;
  /** Raising priority also takes the story in every audience that takes priority stories (routing.priority: every). */
  setPriority(storyId: number, priority: boolean, actor: string): Promise<{ taken: string[] }>;
  /** Every translation of the story withdrawn and every undecided audience skipped; answers how many were withdrawn. */
  takeDown(storyId: number, reason: string, actor: string): Promise<number>;
  translateAgain(storyId: number, audience: string, actor: string): Promise<number>;
  /**
   * Embargoes every audience's translation of the story until `until` (null: lifts it), those
   * created later too; a translation already public is left as it is and named in `public`.
   */
  embargo(storyId: number, until: Date | null, actor: string): Promise<{ embargoed: string[]; public: string[] }>;
}

const machineAudience = (a: AudienceConfig) => chainOf(a).length > 0;

export function createPlanning(deps: PlanningDeps): Planning {
  const audienceOf = (id: string) => {
    const audience = deps.audiences.find((a) => a.id === id);
    if (!audience) throw new PersonError('invalid_input', 'planning:errors.unknownAudience', { audience: id }, `there is no audience "${id}"`);
    return audience;
  };
  const storyOf = async (id: number) => {
    const story = await getStory(deps.db, id);
    if (!story) throw new NotFoundError('story', id);
    return story;
  };

  /** Take: the translation and the route in one transaction; true when a translation was created. */
  const take = async (story: StoryRow, audience: AudienceConfig, actor: string, rule: 'person' | 'priority' = 'person') => inTransaction(deps.db, async (trx) => {
    // the story row locked: two editors choosing at once create one translation and one route
    await trx.selectFrom('stories').select('id').where('id', '=', story.id).forUpdate().execute();
    const existing = await trx.selectFrom('translations').select(['id', 'state']).where('story_id', '=', story.id).where('audience_id', '=', audience.id).executeTakeFirst();
    if (existing?.state === 'withdrawn') throw new PersonError('conflict', 'planning:errors.withdrawn', { audience: audience.id }, `the ${audience.id} translation of this story was taken down; it cannot be translated again`);
    await chooseRoute(trx, story.id, audience.id, 'take', actor, rule === 'priority' ? 'priority' : null);
    if (existing) return false;
    await createTranslations(trx, story, [audience]);
    return true;
  });

  /** Skip: refused once work was done on a translation (take it down instead); a translation nobody touched yet is removed. */
  const skip = async (story: StoryRow, audience: AudienceConfig, actor: string) => inTransaction(deps.db, async (trx) => {
    await trx.selectFrom('stories').select('id').where('id', '=', story.id).forUpdate().execute();
    const existing = await trx.selectFrom('translations').select(['id', 'state', 'title', 'version']).where('story_id', '=', story.id).where('audience_id', '=', audience.id).forUpdate().executeTakeFirst();
    const route = await trx.selectFrom('story_routes').select('choice').where('story_id', '=', story.id).where('audience_id', '=', audience.id).executeTakeFirst();
    if (existing && existing.state !== 'withdrawn') {
      // no text yet and not a machine draft: nothing of anyone's work is lost by removing it
      if (existing.state !== 'queued' || existing.title !== '') {
        throw new PersonError('conflict', 'planning:errors.started', { audience: audience.id }, `the ${audience.id} translation is under way (${existing.state}); take the story down instead of skipping it`);
      }
      await trx.deleteFrom('translations').where('id', '=', existing.id).execute();
    } else if (route?.choice === 'skip') {
      return false;
    }
    await chooseRoute(trx, story.id, audience.id, 'skip', actor);
    return true;
  });

  return {
    async list(query) {
      const shown = deps.audiences.filter((a) => !query.audiences || query.audiences.includes(a.id));
      let q = deps.db.selectFrom('stories as s').leftJoin('sources as src', 'src.id', 's.source_id')
        .select(['s.id', 's.title', 's.category', 's.source_id', 'src.name as source_name', 's.priority', 's.duplicate_of', 's.ingested_at', 's.embargo_until',
          sql<number>`length(s.title) + length(s.summary) + length(regexp_replace(s.body_html, '<[^>]*>', '', 'g'))`.as('length')])
        .orderBy('s.ingested_at', 'desc').orderBy('s.id', 'desc').limit(query.limit + 1);
      if (query.waiting) {
        const ids = shown.map((a) => a.id);
        if (!ids.length) return { stories: [], next: undefined };
        q = q.where(({ exists, selectFrom }) => exists(selectFrom('story_routes as r').select('r.story_id')
          .whereRef('r.story_id', '=', 's.id').where('r.choice', '=', 'plan').where('r.audience_id', 'in', ids)));
      }
      if (query.before) {
        const { at, id } = query.before;
        q = q.where((eb) => eb.or([eb('s.ingested_at', '<', at), eb.and([eb('s.ingested_at', '=', at), eb('s.id', '<', id)])]));
      }
      const rows = await q.execute();
      const page = rows.slice(0, query.limit);
      const ids = page.map((r) => r.id);
      const [routes, translations] = await Promise.all([
        routesOf(deps.db, ids),
        ids.length ? deps.db.selectFrom('translations').select(['id', 'story_id', 'audience_id', 'state', 'title', 'error', 'mt_attempts', 'mt_waiting']).where('story_id', 'in', ids).execute() : [],
      ]);
      const routeOf = new Map(routes.map((r) => [`${r.story_id} ${r.audience_id}`, r]));
      const translationOf = new Map(translations.map((t) => [`${t.story_id} ${t.audience_id}`, t]));
      const stories = page.map((r): PlanningStory => ({
        id: r.id, title: r.title, category: r.category, sourceId: r.source_id, sourceName: r.source_name ?? null, priority: r.priority,
        duplicateOf: r.duplicate_of, ingestedAt: r.ingested_at, embargoUntil: r.embargo_until && r.embargo_until > deps.clock() ? r.embargo_until : null, length: Number(r.length),
        cells: shown.map((a): PlanningCell => {
          const route = routeOf.get(`${r.id} ${a.id}`);
          const translation = translationOf.get(`${r.id} ${a.id}`);
          const status = translation ? 'translated' : route?.choice === 'plan' ? 'waiting' : route?.choice === 'skip' ? 'skipped' : 'none';
          return { audience: a.id, route, translation, cost: machineAudience(a) ? Number(r.length) : 0, status };
        }),
      }));
      const last = page[page.length - 1];
      return { stories, next: rows.length > query.limit && last ? { at: last.ingested_at, id: last.id } : undefined };
    },

    async choose(choices, actor) {
      const out: { storyId: number; audience: string; changed: boolean }[] = [];
      const handOn = new Map<number, StoryRow>();
      const stories = new Map<number, StoryRow>();
      try {
        for (const c of choices) {
          const audience = audienceOf(c.audience);
          const story = stories.get(c.storyId) ?? await storyOf(c.storyId);
          stories.set(story.id, story);
          const changed = c.choice === 'take' ? await take(story, audience, actor) : await skip(story, audience, actor);
          if (changed && c.choice === 'take' && machineAudience(audience)) handOn.set(story.id, story);
          out.push({ storyId: story.id, audience: audience.id, changed });
        }
      } finally {
        // what was committed is handed on even when a later choice failed
        for (const story of handOn.values()) await deps.storyReady(story);
      }
      return out;
    },

    async chooseWaiting(storyIds, audiences, choice, actor) {
      const waiting = (await routesOf(deps.db, storyIds)).filter((r) => r.choice === 'plan' && audiences.includes(r.audience_id));
      return this.choose(waiting.map((r) => ({ storyId: r.story_id, audience: r.audience_id, choice })), actor);
    },

    async setPriority(storyId, priority, actor) {
      const story = await storyOf(storyId);
      const updated = await deps.db.updateTable('stories').set({ priority }).where('id', '=', storyId).returningAll().executeTakeFirstOrThrow();
      if (!priority) return { taken: [] };
      const taken: string[] = [];
      const [routes, translations] = await Promise.all([routesOf(deps.db, [storyId]), listForStory(deps.db, storyId)]);
      for (const audience of deps.audiences) {
        if (deps.routingOf(audience.id).priority !== 'every') continue;
        if (translations.some((t) => t.audience_id === audience.id)) continue;
        // a person's "skip" stands: priority overrides rules, not editors
        if (routes.some((r) => r.audience_id === audience.id && r.choice === 'skip' && r.decided_by !== null)) continue;
        if (await take(updated, audience, actor, 'priority')) taken.push(audience.id);
      }
      // queued translations are sent again at the priority lane's rank; new ones start there
      if (story.priority !== priority || taken.length) await deps.storyReady(updated);
      return { taken };
    },

    async takeDown(storyId, reason, actor) {
      const story = await storyOf(storyId);
      if (!reason.trim()) throw new PersonError('invalid_input', 'actions:withdraw.needsReason', {}, 'a takedown needs a reason');
      let withdrawn = 0;
      for (const t of await listForStory(deps.db, story.id)) {
        if (t.state === 'withdrawn') continue;
        await deps.withdraw(t.id, actor, reason);
        withdrawn++;
      }
      // audiences still to decide on it decide no more
      for (const r of await routesOf(deps.db, [story.id])) {
        if (r.choice === 'plan') await chooseRoute(deps.db, story.id, r.audience_id, 'skip', actor, reason);
      }
      return withdrawn;
    },

    async translateAgain(storyId, audience, actor) {
      await storyOf(storyId);
      return deps.translateAgain(storyId, actor, audienceOf(audience).id);
    },

    async embargo(storyId, until, _actor) {
      await storyOf(storyId);
      const now = deps.clock();
      if (until && until <= now) throw new PersonError('invalid_input', 'actions:embargo.past', {}, 'an embargo must end in the future');
      // the story's own embargo first: a translation an editor chooses meanwhile starts with it
      await deps.db.updateTable('stories').set({ embargo_until: until }).where('id', '=', storyId).execute();
      const translations = (await listForStory(deps.db, storyId)).filter((t) => t.state !== 'withdrawn');
      const published = await publicationsOf(deps.db, translations.map((t) => t.id));
      const out = { embargoed: [] as string[], public: [] as string[] };
      for (const t of translations) {
        if (isPublicNow(published.get(t.id), now)) { out.public.push(t.audience_id); continue; }
        await deps.embargo(t.id, until);
        out.embargoed.push(t.audience_id);
      }
      return out;
    },
  };
}
