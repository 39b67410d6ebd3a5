/**
 * Polling one source: fetch, parse, clean, store each item, then hand new and changed stories on
 * for translation. One bad item is recorded and skipped; it never stops the others.
 */
import type { AudienceConfig, Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { getSource, recordPollFailure, recordPollSuccess } from '../store/sources.ts';
import type { StoryRow } from '../store/schema.ts';
import { cleanItem } from './clean.ts';
import { parseFeed } from './feed-parser.ts';
import { fetchSource } from './fetch.ts';
import { intake } from './intake.ts';

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
      const { outcome } = await intake(deps, source.id, cleanItem(item, fetched.url));
      counts[outcome]++;
    } catch (err) {
      counts.failed++;
      log.warn({ err: (err as Error).message, guid: item.guid }, 'item skipped');
    }
  }
  await recordPollSuccess(deps.db, source.id, { etag: fetched.etag, lastModified: fetched.lastModified });
  return counts;
}
