/**
 * Polling one source: fetch (conditional GET), parse by detected format, fetch the article page
 * for summary-only items or full-text sources, clean, store each item through intake, then record
 * the outcome and the next poll on the source. One poll per source at a time across instances
 * (an advisory lock). A bad item is recorded and skipped; a failed poll is recorded with a
 * readable reason and backs the source off; neither touches other sources.
 */
import type { Config } from '../config.ts';
import { plainText } from '../core/sanitize.ts';
import { AppError, PersonError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { SourceRow } from '../store/schema.ts';
import { getSource, recordIngestError, recordPollFailure, recordPollSuccess, withSourceLock, type PollProblem } from '../store/sources.ts';
import { cleanItem, guidOf, type CleanStory } from './clean.ts';
import { FetchError, type Fetcher, type FetchOptions } from './fetch.ts';
import { intakeForeign, knownForeignTitles, type ForeignIntakeDeps, type ForeignOutcome } from './foreign.ts';
import { intakeBatch, type BatchResult, type IntakeDeps } from './intake.ts';
import { FeedFormatError, type IngestedItem } from './item.ts';
import { parseSource } from './parsers/index.ts';
import { parsePage } from './parsers/page.ts';
import { backoffUntil, nextRun } from './schedule.ts';

export interface PollDeps extends IntakeDeps {
  ingest: Config['ingest'];
  /** The desk's own language: a source in any other is a foreign outlet, read and never published. */
  domesticLanguage: string;
  onForeignItemReady: ForeignIntakeDeps['onForeignItemReady'];
  /** The service's one fetcher (one connection pool, one SSRF guard). */
  fetcher: Fetcher;
}

export interface PollCounts { new: number; updated: number; unchanged: number; failed: number }

/** Article pages fetched at once for summary-only items. */
const PAGE_CONCURRENCY = 4;
/** Items per transaction, and transactions at once (each holds one pooled connection). */
const BATCH_SIZE = 25;
const BATCH_CONCURRENCY = 3;

async function forEachLimited<T>(list: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, list.length) }, async () => {
    while (next < list.length) {
      const i = next++;
      await fn(list[i]!, i);
    }
  }));
}

/** Polls now. Throws AppError('conflict') when another worker holds the source's lock. */
export async function pollSource(deps: PollDeps, sourceId: string): Promise<PollCounts> {
  const source = await getSource(deps.db, sourceId);
  const result = await withSourceLock(deps.db, source.id, () => pollLocked(deps, source));
  if (!result.locked) throw new AppError('conflict', `source ${source.id} is being polled right now by another worker; try again in a moment`);
  return result.value;
}

function fetchOptions(ingest: Config['ingest']): FetchOptions {
  return { timeoutMs: ingest.timeoutMs, maxBodyBytes: ingest.maxBodyBytes, maxDecodedBytes: ingest.maxDecodedBytes, maxRedirects: ingest.maxRedirects };
}

/** A failed poll as the desk shows it: the person's sentence (key and values) beside the English. */
function problemOf(err: unknown): PollProblem {
  const message = (err as Error).message;
  if (err instanceof PersonError) return { message, key: err.key, values: err.values };
  if (err instanceof FeedFormatError) return { message, key: 'sources:problem.feed', values: { reason: message } };
  return { message, key: 'sources:problem.other', values: { reason: message } };
}

async function pollLocked(deps: PollDeps, source: SourceRow): Promise<PollCounts> {
  const now = deps.clock();
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
    const failures = await recordPollFailure(deps.db, source.id, problemOf(err), { at: now, nextPollAt: (n) => backoffUntil(now, n, retryAfter) });
    log.warn({ err: message, consecutive_failures: failures }, `polling ${source.name} failed`);
    throw err;
  }

  try {
    // A feed naming one guid (or one link) twice keeps the first; the others are recorded and skipped.
    const seenIds = new Set<string>();
    const seenUrls = new Set<string>();
    const work: IngestedItem[] = [];
    for (const item of items) {
      // compared as stored (NFC, trimmed), so two spellings of one guid count as one
      const id = guidOf(item) ?? '';
      const repeated = (id && seenIds.has(id)) ? `the guid "${id}"` : (item.url && seenUrls.has(item.url)) ? `the link ${item.url}` : undefined;
      if (repeated) {
        counts.failed++;
        await recordIngestError(deps.db, { sourceId: source.id, guid: id, url: item.url, code: 'duplicate_guid', message: `the feed lists ${repeated} more than once; the first item with it was kept` });
        continue;
      }
      if (id) seenIds.add(id);
      if (item.url) seenUrls.add(item.url);
      work.push(item);
    }

    const failed = async (item: IngestedItem, err: unknown) => {
      counts.failed++;
      const e = err as Error & { code?: string };
      const id = item.guid || item.url || '';
      await recordIngestError(deps.db, { sourceId: source.id, guid: id, url: item.url, code: e.code ?? 'item_failed', message: e.message }).catch(() => {});
      log.warn({ err: e.message, guid: id }, 'item skipped');
    };

    // First each item's text (its article page when the feed has only a summary), cleaned, in
    // the feed's order (which decides, within a batch, which of two re-runs is the original)...
    const known = await knownTitles(deps, source, work.filter((item) => needsPage(source, item)));
    const cleaned: ({ item: IngestedItem; clean: CleanStory } | undefined)[] = [];
    await forEachLimited(work, PAGE_CONCURRENCY, async (item, i) => {
      try {
        const full = await withFullText(deps, source, item, known, log);
        if (full === 'known') counts.unchanged++;
        else cleaned[i] = { item, clean: await cleanItem(full, fetched.url) };
      } catch (err) {
        await failed(item, err);
      }
    });
    const ready = cleaned.filter((r) => r !== undefined);
    // ...then stored in batches, each batch one transaction.
    const batches: (typeof ready)[] = [];
    for (let i = 0; i < ready.length; i += BATCH_SIZE) batches.push(ready.slice(i, i + BATCH_SIZE));
    const foreign = source.language !== deps.domesticLanguage;
    await forEachLimited(batches, BATCH_CONCURRENCY, async (batch) => {
      const clean = batch.map((b) => b.clean);
      const results: (BatchResult | ForeignOutcome)[] = foreign ? await intakeForeign(deps, source, clean) : await intakeBatch(deps, source.id, clean);
      for (const [i, r] of results.entries()) {
        const { item } = batch[i]!;
        if ('error' in r) {
          await failed(item, r.error);
          continue;
        }
        counts[r.outcome]++;
        if (r.outcome !== 'unchanged' && item.rawDate && !item.publishedAt) {
          await recordIngestError(deps.db, { sourceId: source.id, storyId: 'story' in r ? r.story.id : null, guid: item.guid || item.url, url: item.url, code: 'invalid_date', message: `the date "${item.rawDate.slice(0, 100)}" cannot be read; the story was stored without a publication date` });
        }
      }
    });
  } catch (err) {
    // not a bad item (those are caught one by one) but the store failing: the poll failed
    const message = `storing the items failed: ${(err as Error).message}`;
    const problem = { message, key: 'sources:problem.storing', values: { reason: (err as Error).message } };
    await recordPollFailure(deps.db, source.id, problem, { at: now, nextPollAt: (n) => backoffUntil(now, n) }).catch(() => {});
    log.error({ err }, message);
    throw err;
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
function needsPage(source: SourceRow, item: IngestedItem): boolean {
  if (source.kind === 'page' || !item.url || !/^https?:/.test(item.url)) return false;
  return (source.full_text || !item.bodyHtml.trim()) && !!guidOf(item);
}

/** The stored titles of these items' stories, by guid: one query for the whole feed. */
async function knownTitles(deps: PollDeps, source: SourceRow, items: readonly IngestedItem[]): Promise<Map<string, string>> {
  const guids = [...new Set(items.map((item) => guidOf(item)!))];
  if (source.language !== deps.domesticLanguage) return knownForeignTitles(deps.db, source.id, guids);
  if (!guids.length) return new Map();
  const rows = await deps.db.selectFrom('stories').select(['guid', 'title']).where('source_id', '=', source.id).where('guid', 'in', guids).execute();
  return new Map(rows.map((r) => [r.guid, r.title]));
}

async function withFullText(deps: PollDeps, source: SourceRow, item: IngestedItem, known: ReadonlyMap<string, string>, log: Logger): Promise<IngestedItem | 'known'> {
  if (!needsPage(source, item)) return item;
  if (known.get(guidOf(item)!) === plainText(item.title)) return 'known';
  try {
    const page = await deps.fetcher.fetchText(item.url!, fetchOptions(deps.ingest));
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

