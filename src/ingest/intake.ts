/**
 * Where every cleaned story enters the desk, polled or pushed alike: stored (or matched to the story
 * it already is), routed (routing.ts: which audiences take it, which wait for an editor), the
 * translations of the audiences that take it created — or its translations marked outdated — in the
 * same transaction, then handed on for translation when any audience took it. A near-duplicate of
 * an earlier story is stored, linked, and neither routed nor translated.
 */
import { sql } from 'kysely';
import type { AudienceConfig } from '../core/audience.ts';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../log.ts';
import { canTransition } from '../core/workflow.ts';
import { inTransaction, type Db } from '../store/db.ts';
import type { StoryRow } from '../store/schema.ts';
import { recordIngestError } from '../store/sources.ts';
import { upsertStories, upsertStory, type StoryExtras, type UpsertOutcome } from './stories.ts';
import type { Route } from '../core/routing.ts';
import { recordRoutes, takenBy, type StoryRouter } from './routing.ts';
import { changeState, createTranslationsForStories, listForStory } from '../store/translations.ts';
import { notifyPriorityStory } from '../store/notifications.ts';
import type { CleanStory } from './clean.ts';

export interface IntakeDeps {
  db: Db;
  log: Logger;
  clock: Clock;
  audiences: readonly AudienceConfig[];
  /** The audiences' routing rules, compiled once (routing.ts). */
  route: StoryRouter;
  /** Called once per new or changed original story that some audience takes, after it is committed. */
  onStoryReady(story: StoryRow): Promise<void> | void;
  /** Fetches and stores a story's images; failures are recorded on the story, never thrown. */
  collectImages?(story: StoryRow, urls: string[]): Promise<void>;
}

export async function intake(deps: IntakeDeps, sourceId: string | null, item: CleanStory, extras: StoryExtras = {}): Promise<UpsertOutcome> {
  const routed = new Map<number, Route[]>();
  const result = await inTransaction(deps.db, async (trx) => {
    if (sourceId !== null && !deps.db.isTransaction) await relaxCommit(trx);
    return storeOne(trx, deps, sourceId, item, extras, routed);
  });
  await afterCommit(deps, sourceId, item, result, routed.get(result.story.id));
  return result;
}

export type BatchResult = UpsertOutcome | { error: Error };

/**
 * Several items of one source in one transaction (one commit instead of one per item: ingesting a
 * large feed is bound by round trips). Should anything in the batch fail, each item is stored again
 * on its own, so only the bad one fails and nothing is half-stored.
 */
export async function intakeBatch(deps: IntakeDeps, sourceId: string, items: readonly CleanStory[]): Promise<BatchResult[]> {
  let stored: UpsertOutcome[];
  const routed = new Map<number, Route[]>();
  try {
    stored = await deps.db.transaction().execute(async (trx) => {
      await relaxCommit(trx);
      const now = deps.clock();
      const out = await upsertStories(trx, sourceId, items, now);
      await routeNew(trx, deps, out.filter((r) => r.outcome === 'new' && r.story.duplicate_of === null).map((r) => r.story), routed);
      for (const r of out) if (r.outcome === 'updated') await markOutdated(trx, r.story, now);
      return out;
    });
  } catch {
    const results: BatchResult[] = [];
    for (const item of items) results.push(await intake(deps, sourceId, item).catch((error: Error) => ({ error })));
    return results;
  }
  for (const [i, r] of stored.entries()) await afterCommit(deps, sourceId, items[i]!, r, routed.get(r.story.id));
  return stored;
}

/**
 * A polled story need not wait for its own fsync: WAL keeps commit order, so if the source's later
 * "polled, validators X" commit survives a crash, so does every story before it; if it does not,
 * the next poll fetches the feed again and stores what was lost. A pushed story (no source to fetch
 * it again from) keeps the synchronous commit.
 */
async function relaxCommit(trx: Db): Promise<void> {
  await sql`SET LOCAL synchronous_commit = off`.execute(trx);
}

async function storeOne(trx: Db, deps: IntakeDeps, sourceId: string | null, item: CleanStory, extras: StoryExtras, routed: Map<number, Route[]>): Promise<UpsertOutcome> {
  const now = deps.clock();
  const r = await upsertStory(trx, sourceId, item, now, extras);
  if (r.outcome === 'new' && r.story.duplicate_of === null) await routeNew(trx, deps, [r.story], routed);
  if (r.outcome === 'updated') await markOutdated(trx, r.story, now);
  return r;
}

/**
 * Routes new stories and creates the translations of the audiences that take them, in the caller's
 * transaction. The routes are kept in `out` for after the commit: the rules may change meanwhile
 * (an admin saving them), and the hand-off must follow what was stored.
 */
async function routeNew(trx: Db, deps: IntakeDeps, stories: readonly StoryRow[], out: Map<number, Route[]>): Promise<void> {
  const routed = stories.map((story) => ({ story, storyId: story.id, routes: deps.route(story) }));
  for (const r of routed) out.set(r.storyId, r.routes);
  await recordRoutes(trx, routed);
  await createTranslationsForStories(trx, routed.map(({ story, routes }) => {
    const taken = takenBy(routes);
    return { story, audiences: deps.audiences.filter((a) => taken.has(a.id)) };
  }));
  // told in the same transaction: a story that is not stored tells nobody, one that is cannot be missed
  await notifyPriorityStory(trx, stories.filter((s) => s.priority).map((s) => s.id));
}

async function afterCommit(deps: IntakeDeps, sourceId: string | null, item: CleanStory, { outcome, story }: UpsertOutcome, stored: Route[] | undefined): Promise<void> {
  if (outcome === 'unchanged') return;
  const log = deps.log.child({ story_id: story.id, ...(sourceId ? { source_id: sourceId } : {}) });
  if (story.duplicate_of !== null) {
    log.info({ duplicate_of: story.duplicate_of }, `"${story.title}" is a re-run of story ${story.duplicate_of}; linked, not translated again`);
  } else if (outcome === 'new') {
    const routes = stored ?? deps.route(story);
    const list = (choice: string) => routes.filter((r) => r.choice === choice).map((r) => r.audienceId).join(', ') || 'none';
    log.info({ routes }, `ingested "${story.title}"; translated for ${list('take')}, waiting for an editor's choice for ${list('plan')}, skipped for ${list('skip')}`);
    // nothing to translate yet: an editor's choice on the planning page hands it on
    if (!routes.some((r) => r.choice === 'take')) return collect(deps, item, story, log);
  } else {
    log.info(`story "${story.title}" changed at the source (version ${story.version}); its translations are outdated`);
  }
  await collect(deps, item, story, log, story.duplicate_of === null);
}

/** Images, then the hand-off to translation; the story is committed, so a failure is recorded on it, never reported as a lost story. */
async function collect(deps: IntakeDeps, item: CleanStory, story: StoryRow, log: Logger, handOn = false): Promise<void> {
  try {
    if (deps.collectImages && item.imageUrls.length) await deps.collectImages(story, item.imageUrls);
    if (handOn) await deps.onStoryReady(story);
  } catch (err) {
    log.error({ err }, 'story stored, but handing it on failed');
    await recordIngestError(deps.db, { sourceId: story.source_id, storyId: story.id, guid: story.guid, url: story.url, code: 'handoff_failed', message: `the story was stored but could not be handed on: ${(err as Error).message}` }).catch(() => {});
  }
}

/**
 * Every translation that can become outdated does; withdrawn ones stay withdrawn. A machine
 * translation under way is cancelled (its claim is cleared): its draft would be of the old text,
 * so it is not stored, and the story's next job translates the new one.
 */
export async function markOutdated(db: Db, story: StoryRow, now: Date): Promise<void> {
  for (const t of await listForStory(db, story.id)) {
    if (canTransition(t.state, 'outdated')) {
      await changeState(db, t.id, 'outdated', 'source', now, { reason: { code: 'source_changed', version: story.version }, extra: { mt_lease_until: null } });
    } else if (t.mt_lease_until) {
      await db.updateTable('translations').set({ mt_lease_until: null }).where('id', '=', t.id).execute();
    }
  }
}
