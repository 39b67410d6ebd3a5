/**
 * Polling one source: fetch (conditional GET), parse by detected format, fetch the article page
 * for summary-only items or full-text sources, clean, store each item through intake, then record
 * the outcome and the next poll on the source. One poll per source at a time across instances
 * (an advisory lock). A bad item is recorded and skipped; a failed poll is recorded with a
 * readable reason and backs the source off; neither touches other sources.
 */
import type { AudienceConfig, Config } from '../config.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import type { SourceRow, StoryRow } from '../store/schema.ts';
import { getSource, recordIngestError, recordPollFailure, recordPollSuccess, withSourceLock } from '../store/sources.ts';
import { createAddressGuard } from './address-guard.ts';
import { cleanItem, plainText } from './clean.ts';
import { createFetcher, FetchError, type Fetcher, type FetchOptions } from './fetch.ts';
import { intake, type IntakeDeps } from './intake.ts';
import type { IngestedItem } from './item.ts';
import { parseSource } from './parsers/index.ts';
import { parsePage } from './parsers/page.ts';
import { backoffUntil, nextRun } from './schedule.ts';

export interface PollDeps extends IntakeDeps {
  ingest: Config['ingest'];
  audiences: readonly AudienceConfig[];
  /** Shared fetcher (one connection pool, one SSRF guard); made from `ingest` when absent. */
  fetcher?: Fetcher;
  clock?: () => Date;
}

export interface PollCounts { new: number; updated: number; unchanged: number; failed: number }

/** Polls now. Throws AppError('conflict') when another worker holds the source's lock. */
export async function pollSource(deps: PollDeps, sourceId: string): Promise<PollCounts> {
  const source = await getSource(deps.db, sourceId);
  const own = deps.fetcher ? undefined : createFetcher(createAddressGuard(deps.ingest.allowPrivateHosts));
  try {
    const result = await withSourceLock(deps.db, source.id, () => pollLocked({ ...deps, fetcher: deps.fetcher ?? own! }, source));
    if (!result.locked) throw new AppError('conflict', `source ${source.id} is being polled right now by another worker; try again in a moment`);
    return result.value;
  } finally {
    await own?.close();
  }
}

function fetchOptions(ingest: Config['ingest']): FetchOptions {
  return { timeoutMs: ingest.timeoutMs, maxBodyBytes: ingest.maxBodyBytes, maxDecodedBytes: ingest.maxDecodedBytes, maxRedirects: ingest.maxRedirects };
}

async function pollLocked(deps: PollDeps & { fetcher: Fetcher }, source: SourceRow): Promise<PollCounts> {
  const now = deps.clock?.() ?? new Date();
  const log = deps.log.child({ source_id: source.id });
  const counts: PollCounts = { new: 0, updated: 0, unchanged: 0, failed: 0 };
  const next = () => nextRun(source.schedule, now);
  let fetched;
  let items: IngestedItem[];
  try {
    fetched = await deps.fetcher.fetchText(source.url, { ...fetchOptions(deps.ingest), etag: source.etag, lastModified: source.last_modified });
    if (fetched.status === 'not_modified') {
      await recordPollSuccess(deps.db, source.id, undefined, { at: now, counts, nextPollAt: next() });
      log.debug('source unchanged since the last poll (304)');
      return counts;
    }
    items = parseSource(source.kind, fetched.url, fetched.body);
  } catch (err) {
    const message = (err as Error).message;
    const retryAfter = err instanceof FetchError ? err.retryAfterSeconds : undefined;
    const failures = await recordPollFailure(deps.db, source.id, message, { at: now, nextPollAt: (n) => backoffUntil(now, n, retryAfter) });
    log.warn({ err: message, consecutive_failures: failures }, `polling ${source.name} failed`);
    throw err;
  }

  const seen = new Set<string>();
  for (const item of items) {
    const id = item.guid || item.url || '';
    try {
      if (id && seen.has(id)) {
        throw Object.assign(new Error(`the feed lists the guid "${id}" more than once; the first item with it was kept`), { code: 'duplicate_guid' });
      }
      if (id) seen.add(id);
      const full = await withFullText(deps, source, item, log);
      if (full === 'known') {
        counts.unchanged++;
        continue;
      }
      const clean = cleanItem(full, fetched.url);
      const { outcome, story } = await intake(deps, source.id, clean);
      counts[outcome]++;
      if (outcome !== 'unchanged' && item.rawDate && !item.publishedAt) {
        await recordIngestError(deps.db, { sourceId: source.id, storyId: story.id, guid: id, url: item.url, code: 'invalid_date', message: `the date "${item.rawDate.slice(0, 100)}" cannot be read; the story was stored without a publication date` });
      }
    } catch (err) {
      counts.failed++;
      const e = err as Error & { code?: string };
      await recordIngestError(deps.db, { sourceId: source.id, guid: id, url: item.url, code: e.code ?? 'item_failed', message: e.message }).catch(() => {});
      log.warn({ err: e.message, guid: id }, 'item skipped');
    }
  }
  await recordPollSuccess(deps.db, source.id, { etag: fetched.etag, lastModified: fetched.lastModified }, { at: now, counts, nextPollAt: next() });
  log.info(counts, `polled ${source.name}: ${counts.new} new, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.failed} failed`);
  return counts;
}

/**
 * The article page's text for a summary-only item (or every item of a full-text source). Only for
 * items not stored yet or whose title changed, so a re-poll does not fetch every page again. A page
 * that cannot be fetched or read leaves the item as the feed gave it, with the reason recorded.
 */
async function withFullText(deps: PollDeps & { fetcher: Fetcher }, source: SourceRow, item: IngestedItem, log: Logger): Promise<IngestedItem | 'known'> {
  if (source.kind === 'page' || !item.url || !/^https?:/.test(item.url)) return item;
  if (!source.full_text && item.bodyHtml.trim()) return item;
  const guid = item.guid.normalize('NFC').trim() || item.url;
  const known = await deps.db.selectFrom('stories').select(['title']).where('source_id', '=', source.id).where('guid', '=', guid).executeTakeFirst();
  if (known && known.title === plainText(item.title)) return 'known';
  try {
    const page = await deps.fetcher.fetchText(item.url, fetchOptions(deps.ingest));
    if (page.status !== 'ok') return item;
    const article = parsePage(page.url, page.body);
    return {
      ...item,
      bodyHtml: article.bodyHtml,
      summary: item.summary || article.summary,
      imageUrl: item.imageUrl ?? article.imageUrl,
      publishedAt: item.publishedAt ?? article.publishedAt,
      attribution: item.attribution ?? article.attribution,
      category: item.category ?? article.category,
    };
  } catch (err) {
    const message = `the article page ${item.url} could not be read (${(err as Error).message}); the feed's summary was kept`;
    await recordIngestError(deps.db, { sourceId: source.id, guid: item.guid, url: item.url, code: 'full_text_failed', message });
    log.warn({ err: (err as Error).message, url: item.url }, 'full text not fetched');
    return item;
  }
}

export type { StoryRow };
