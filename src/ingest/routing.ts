/**
 * Routing at intake: a stored story read by the audiences' rules (core/routing.ts), and the
 * `story_routes` queries. A route is written in the transaction that stores the story and creates
 * the translations it takes, so a crash leaves both or neither.
 */
import { sql } from 'kysely';
import { compileRouter, type Route, type RouteChoice, type RoutingConfig } from '../core/routing.ts';
import type { AudienceConfig } from '../core/audience.ts';
import type { Db } from '../store/db.ts';
import type { StoryRow } from '../store/schema.ts';
import '../store/schema-routing.ts';
import type { StoryRouteRow } from '../store/schema-routing.ts';

export type StoryRouter = (story: Pick<StoryRow, 'source_id' | 'category' | 'title' | 'summary' | 'body_html' | 'priority'>) => Route[];

/**
 * The audiences' rules compiled once. The body is already clean HTML (core/sanitize.ts): its tags
 * are dropped and its few entities read, which is all the words need (a full HTML parse would
 * cost more than the routing itself).
 */
export function storyRouter(audiences: readonly Pick<AudienceConfig, 'id' | 'routing'>[]): StoryRouter {
  const router = compileRouter(audiences);
  return (story) => router.route(routable(story));
}

/**
 * The rules in force, compiled again whenever they change (an admin saved an audience's rules in
 * the desk, here or on another instance): the next story is routed by them, without a restart.
 */
export function liveStoryRouter(rules: { routedAudiences(): readonly { id: string; routing: RoutingConfig }[]; onChange(listener: () => void): void }): StoryRouter {
  let router = compileRouter(rules.routedAudiences());
  rules.onChange(() => { router = compileRouter(rules.routedAudiences()); });
  return (story) => router.route(routable(story));
}

const routable = (story: Parameters<StoryRouter>[0]) => ({
  sourceId: story.source_id, category: story.category, title: story.title, summary: story.summary, priority: story.priority,
  text: story.body_html.replace(/<[^>]*>/g, ' ').replace(/&(amp|lt|gt|quot|#39|nbsp);/g, ' '),
});

/** The routes the rules chose for new stories; existing ones are kept (safe to call twice). */
export async function recordRoutes(db: Db, entries: readonly { storyId: number; routes: readonly Route[] }[]): Promise<void> {
  const values = entries.flatMap(({ storyId, routes }) => routes.map((r) => ({ story_id: storyId, audience_id: r.audienceId, choice: r.choice, rule: r.rule })));
  if (!values.length) return;
  await db.insertInto('story_routes').values(values).onConflict((oc) => oc.columns(['story_id', 'audience_id']).doNothing()).execute();
}

/** A person's choice for one story and audience, replacing the rules' (or an earlier person's). */
export async function chooseRoute(db: Db, storyId: number, audienceId: string, choice: RouteChoice, person: string, reason: string | null = null): Promise<StoryRouteRow> {
  return db.insertInto('story_routes')
    .values({ story_id: storyId, audience_id: audienceId, choice, rule: 'person', decided_by: person, reason })
    .onConflict((oc) => oc.columns(['story_id', 'audience_id']).doUpdateSet({ choice, rule: 'person', decided_by: person, reason, decided_at: sql<Date>`now()` }))
    .returningAll().executeTakeFirstOrThrow();
}

export function routesOf(db: Db, storyIds: readonly number[]): Promise<StoryRouteRow[]> {
  if (!storyIds.length) return Promise.resolve([]);
  return db.selectFrom('story_routes').selectAll().where('story_id', 'in', storyIds).orderBy('story_id').orderBy('audience_id').execute();
}

export const takenBy = (routes: readonly Route[]) => new Set(routes.filter((r) => r.choice === 'take').map((r) => r.audienceId));

/**
 * The rules' routes with these audiences taking the story whatever the rules or planning say
 * (recorded under `rule`): an official answer must reach the languages its false claim circulates
 * in, at once. The other audiences keep the rules' choice.
 */
export function takingAlso(route: StoryRouter, audienceIds: readonly string[], rule: string): StoryRouter {
  const must = new Set(audienceIds);
  return (story) => route(story).map((r) => (must.has(r.audienceId) && r.choice !== 'take' ? { audienceId: r.audienceId, choice: 'take', rule } : r));
}
