/**
 * Polling one source: fetch, parse, clean, store each item, then hand new and changed stories on
 * for translation. One bad item is recorded and skipped; it never stops the others.
 */
import type { AudienceConfig, Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { getSource, recordPollFailure, recordPollSuccess } from '../store/sources.ts';
import { upsertStory } from '../store/stories.ts';
import { changeState, createTranslations, listForStory } from '../store/translations.ts';
import type { StoryRow } from '../store/schema.ts';
import { canTransition, type TranslationState } from '../review/workflow.ts';
import { cleanItem } from './clean.ts';
import { parseFeed } from './feed-parser.ts';
import { fetchSource } from './fetch.ts';

export interface PollDeps {
  db: Db;
  log: Logger;
  audiences: readonly AudienceConfig[];
  ingest: Config['ingest'];
  /** Called once per new or changed story, after it is stored. */
  onStoryReady(story: StoryRow): Promise<void> | void;
}

export interface PollCounts { new: number; updated: number; unchanged: number; failed: number }

export async function pollSource(deps: PollDeps, sourceId: string): Promise<PollCounts> {
  const source = await getSource(deps.db, sourceId);
  const log = deps.log.child({ source_id: source.id });
  const counts: PollCounts = { new: 0, updated: 0, unchanged: 0, failed: 0 };
  let fetched;
  let items;
  try {
    fetched = await fetchSource(source.url, { timeoutMs: deps.ingest.timeoutMs, maxBodyBytes: deps.ingest.maxBodyBytes, etag: source.etag, lastModified: source.last_modified });
    if (fetched.status === 'not_modified') {
      await recordPollSuccess(deps.db, source.id, undefined);
      log.info('source unchanged since the last poll (304)');
      return counts;
    }
    items = parseFeed(fetched.url, fetched.body);
  } catch (err) {
    const message = (err as Error).message;
    await recordPollFailure(deps.db, source.id, message);
    log.warn({ err: message }, `polling ${source.name} failed`);
    throw err;
  }

  for (const item of items) {
    try {
      const clean = cleanItem(item, fetched.url);
      const { outcome, story } = await upsertStory(deps.db, source.id, clean);
      counts[outcome]++;
      if (outcome === 'new') {
        await createTranslations(deps.db, story, deps.audiences);
        log.info({ story_id: story.id }, `ingested "${story.title}"; waiting for translation into ${deps.audiences.map((a) => a.id).join(', ')}`);
      } else if (outcome === 'updated') {
        await markOutdated(deps.db, story);
        log.info({ story_id: story.id }, `story "${story.title}" changed at the source (version ${story.version}); its translations are outdated`);
      }
      if (outcome !== 'unchanged') await deps.onStoryReady(story);
    } catch (err) {
      counts.failed++;
      log.warn({ err: (err as Error).message, guid: item.guid }, 'item skipped');
    }
  }
  await recordPollSuccess(deps.db, source.id, { etag: fetched.etag, lastModified: fetched.lastModified });
  return counts;
}

/** Every translation that can become outdated does; withdrawn ones stay withdrawn. */
export async function markOutdated(db: Db, story: StoryRow): Promise<void> {
  for (const t of await listForStory(db, story.id)) {
    if (canTransition(t.state as TranslationState, 'outdated')) {
      await changeState(db, t.id, 'outdated', 'source', { reason: `the source story changed (version ${story.version})` });
    }
  }
}
