/**
 * What reaches the public and when: publishing an approved translation (a correction keeps the
 * item's id and first-publication date, moves its update date and counts one more correction),
 * taking one down, and embargoes. After each change the audience's feeds are rebuilt at once and
 * the change is announced (WebSub) through `feedChanges`, which queues durable jobs and never
 * blocks or fails the publication itself.
 */
import { sql } from 'kysely';
import type { AudienceConfig } from '../core/audience.ts';
import { AppError, InvalidInputError, NotFoundError, StaleVersionError } from '../errors.ts';
import { cleanHtmlAsync } from '../core/sanitize.ts';
import type { Logger } from '../log.ts';
import { changeState, getTranslation } from '../store/translations.ts';
import { retireTranslationPairs } from '../store/translation-memory.ts';
import '../store/schema-feeds.ts';
import type { Db } from '../store/db.ts';
import { buildFeeds, type FeedDeps } from './feeds.ts';
import { mintItemId } from './load.ts';
import { topicSlug } from './topics.ts';

/** Where feed changes go after the files are written: WebSub pings, later rebuilds. */
export interface FeedChanges {
  /** This audience's feeds (these topics, these public URLs) were rebuilt here. Must not throw. */
  changed(audienceId: string, topics: readonly string[], urls: string[]): void;
  /** Rebuild this audience's feeds at `at` (an embargo lifting) or as soon as possible (a failed rebuild). */
  rebuildLater(audienceId: string, topics: string[], at?: Date): Promise<void>;
}

export interface PublishDeps extends FeedDeps {
  audiences: readonly AudienceConfig[];
  /** The DNS name in new items' tag: ids; the public URL's host when absent. */
  idAuthority?: string | undefined;
  feedChanges?: FeedChanges;
  log?: Logger;
  /** Told after a translation is published (again) or withdrawn, e.g. to queue or remove its social posts. Must not throw. */
  onPublished?(translationId: number): void;
  onWithdrawn?(translationId: number): void;
  /**
   * Runs inside the transaction that publishes a translation (first publication or correction), so
   * what it records commits with the publication or not at all; a failure fails the publication.
   */
  inPublication?(trx: Db, publication: { translationId: number; storyId: number; audienceId: string; at: Date }): Promise<void>;
}

function audienceOf(deps: PublishDeps, id: string): AudienceConfig {
  const audience = deps.audiences.find((a) => a.id === id);
  if (!audience) throw new NotFoundError('audience', id);
  return audience;
}

/**
 * Rebuilds after a change; a failure here leaves the publication committed and queues a rebuild
 * (the files catch up), so a full disk never loses an approval.
 */
export async function refreshFeeds(deps: PublishDeps, audience: AudienceConfig, topics: string[]): Promise<void> {
  try {
    const urls = await buildFeeds(deps, audience, { topics });
    deps.feedChanges?.changed(audience.id, topics, urls);
  } catch (err) {
    deps.log?.error({ err, audience: audience.id }, 'feed rebuild failed; queued to retry');
    await deps.feedChanges?.rebuildLater(audience.id, topics).catch((e) => deps.log?.error({ err: e, audience: audience.id }, 'could not queue the feed rebuild'));
  }
}

/**
 * Publishes exactly `version` of an approved translation, the one its approver read: a text saved
 * since throws StaleVersionError and publishes nothing (checked again under the row's lock).
 */
export async function publishTranslation(deps: PublishDeps, translationId: number, actor: string, version: number) {
  const translation = await getTranslation(deps.db, translationId);
  const stale = (current: { version: number }) => new StaleVersionError(current, version, current.version, 'reviewed');
  if (translation.version !== version) throw stale(translation);
  const audience = audienceOf(deps, translation.audience_id);
  const story = await deps.db.selectFrom('stories').select(['category', 'url']).where('id', '=', translation.story_id).executeTakeFirstOrThrow();
  // the published body goes through the same allowlist as ingested HTML: a hand edit cannot put
  // a script on our pages or into partners' feeds
  const bodyHtml = await cleanHtmlAsync(translation.body_html, story.url ?? undefined);
  const now = deps.clock();
  const embargo = translation.embargo_until && translation.embargo_until > now ? translation.embargo_until : null;
  const topicName = story.category?.normalize('NFC').trim() || null;
  const topic = topicName ? topicSlug(topicName) ?? null : null;
  // the public first sees an embargoed item when the embargo lifts: that is its publication date
  const firstPublishedAt = embargo ?? now;
  const authority = deps.idAuthority ?? new URL(deps.publicUrl).hostname;

  const { row, previousTopic } = await deps.db.transaction().execute(async (trx) => {
    // the text cleaned above is still the current one: nobody saved since (a save waits on this lock)
    const locked = await trx.selectFrom('translations').select('version').where('id', '=', translation.id).forUpdate().executeTakeFirstOrThrow();
    if (locked.version !== version) throw stale(await getTranslation(trx, translation.id));
    const before = await trx.selectFrom('publications').select(['topic']).where('translation_id', '=', translation.id).executeTakeFirst();
    await trx.insertInto('publications').values({
      translation_id: translation.id, audience_id: translation.audience_id,
      title: translation.title, summary: translation.summary, body_html: bodyHtml,
      first_published_at: firstPublishedAt, updated_at: now, embargo_until: embargo,
      guid: mintItemId(authority, firstPublishedAt, audience.id, translation.id), topic, topic_name: topicName,
    }).onConflict((oc) => oc.column('translation_id').doUpdateSet({
      // guid and first_published_at are never touched again: readers know the item by them
      title: translation.title, summary: translation.summary, body_html: bodyHtml,
      updated_at: now, withdrawn_at: null, topic, topic_name: topicName,
      correction_count: sql<number>`publications.correction_count + 1`,
    })).execute();
    if (topic && topicName) {
      await trx.insertInto('feed_topics').values({ audience_id: audience.id, slug: topic, name: topicName, last_published_at: now })
        .onConflict((oc) => oc.columns(['audience_id', 'slug']).doUpdateSet({ name: topicName, last_published_at: now })).execute();
    }
    await deps.inPublication?.(trx, { translationId: translation.id, storyId: translation.story_id, audienceId: audience.id, at: now });
    return { row: await changeState(trx, translation.id, 'published', actor), previousTopic: before?.topic ?? null };
  });
  const topics = [...new Set([topic, previousTopic].filter((t): t is string => !!t))];
  await refreshFeeds(deps, audience, topics);
  if (embargo) {
    await deps.feedChanges?.rebuildLater(audience.id, topics, embargo).catch((err) => deps.log?.error({ err, audience: audience.id }, 'could not schedule the rebuild at the end of the embargo'));
  }
  deps.onPublished?.(translation.id);
  return row;
}

/** Takes a translation down: it leaves every feed at once, its page answers 410 Gone, and its translation-memory pairs are retired. */
export async function withdrawTranslation(deps: PublishDeps, translationId: number, actor: string, reason: string) {
  if (!reason?.trim()) throw new InvalidInputError('a takedown needs a reason');
  const translation = await getTranslation(deps.db, translationId);
  const audience = audienceOf(deps, translation.audience_id);
  const now = deps.clock();
  const { row, publication } = await deps.db.transaction().execute(async (trx) => {
    const moved = await changeState(trx, translation.id, 'withdrawn', actor, { reason });
    const pub = await trx.updateTable('publications').set({ withdrawn_at: now, withdrawn_reason: reason })
      .where('translation_id', '=', translation.id).where('withdrawn_at', 'is', null)
      .returning(['topic']).executeTakeFirst();
    // what was taken down is never offered again as a remembered translation
    await retireTranslationPairs(trx, translation.id, now, `withdrawn: ${reason}`);
    return { row: moved, publication: pub };
  });
  if (publication) await refreshFeeds(deps, audience, publication.topic ? [publication.topic] : []);
  deps.onWithdrawn?.(translation.id);
  return row;
}

/**
 * Sets (or clears, with null) the embargo of a translation that is not public yet: partners see it
 * in their feeds from approval, the public from `until`. On an approved item still under embargo
 * the change applies at once: clearing it (or moving it) releases or holds the public item.
 */
export async function setEmbargo(deps: PublishDeps, translationId: number, until: Date | null) {
  const translation = await getTranslation(deps.db, translationId);
  const now = deps.clock();
  const published = await deps.db.selectFrom('publications').select(['first_published_at', 'withdrawn_at', 'topic']).where('translation_id', '=', translationId).executeTakeFirst();
  if (published && published.first_published_at <= now) {
    throw new AppError('conflict', `translation ${translationId} is already public; an embargo can only be set before publication`);
  }
  if (until && until <= now) throw new InvalidInputError('an embargo must end in the future');
  const row = await deps.db.transaction().execute(async (trx) => {
    if (published && !published.withdrawn_at) {
      await trx.updateTable('publications').set({ embargo_until: until, first_published_at: until ?? now })
        .where('translation_id', '=', translationId).execute();
    }
    return trx.updateTable('translations').set({ embargo_until: until, updated_at: now })
      .where('id', '=', translation.id).returningAll().executeTakeFirstOrThrow();
  });
  if (published && !published.withdrawn_at) {
    const audience = audienceOf(deps, translation.audience_id);
    const topics = published.topic ? [published.topic] : [];
    await refreshFeeds(deps, audience, topics);
    if (until) await deps.feedChanges?.rebuildLater(audience.id, topics, until).catch((err) => deps.log?.error({ err, audience: audience.id }, 'could not schedule the rebuild at the end of the embargo'));
  }
  return row;
}
