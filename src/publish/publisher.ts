/**
 * What reaches the public and when: publishing an approved translation (a correction keeps the
 * item's id and first-publication date, moves its update date and counts one more correction),
 * taking one down, and embargoes. Each change records its consequences (feed files and WebSub
 * pings, social posts) in its own transaction (effects.ts); after the commit the feeds are rebuilt
 * before the answer and the posts brought in line just after it. A crash or a failure in between
 * never loses them: they stay pending and the next start, or the minute sweep, carries them out.
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
import type { TranslationRow } from '../store/schema.ts';
import { buildFeeds, type FeedDeps } from './feeds.ts';
import { mintItemId } from './load.ts';
import { topicSlug } from './topics.ts';
import { recordEffects, settleEffect, sweepEffects, type EffectKind, type PendingEffect } from './effects.ts';

/** Where feed changes go after the files are written: WebSub pings, later rebuilds. */
export interface FeedChanges {
  /**
   * This audience's feeds (these topics, these public URLs) were rebuilt here: tell the other
   * instances and queue the WebSub pings. Rejects when the pings could not be queued.
   */
  changed(audienceId: string, topics: readonly string[], urls: string[]): Promise<void>;
  /** Rebuild this audience's feeds at `at` (an embargo lifting) or as soon as possible. */
  rebuildLater(audienceId: string, topics: string[], at?: Date): Promise<void>;
}

/**
 * What the desk and the API do to publications, bound to the publishing deps by the composition
 * root: a router holds these, never the feed folder, the hubs or the social hooks behind them.
 */
export interface PublicationActions {
  publish(translationId: number, actor: string, version: number): Promise<TranslationRow>;
  withdraw(translationId: number, actor: string, reason: string): Promise<TranslationRow>;
  embargo(translationId: number, until: Date | null): Promise<TranslationRow>;
}

export function publicationActions(deps: PublishDeps): PublicationActions {
  return {
    publish: (id, actor, version) => publishTranslation(deps, id, actor, version),
    withdraw: (id, actor, reason) => withdrawTranslation(deps, id, actor, reason),
    embargo: (id, until) => setEmbargo(deps, id, until),
  };
}

export interface PublishDeps extends FeedDeps {
  audiences: readonly AudienceConfig[];
  /** The DNS name in new items' tag: ids; the public URL's host when absent. */
  idAuthority?: string | undefined;
  feedChanges?: FeedChanges;
  log?: Logger;
  /**
   * Bring a translation's social posts in line with its publication: placed while it is public
   * (`onPublished`), cancelled or taken down once withdrawn (`onWithdrawn`). Safe to call twice;
   * they reject when they could not, and the effect is tried again.
   */
  onPublished?(translationId: number): Promise<void>;
  onWithdrawn?(translationId: number): Promise<void>;
  /** Keeps track of work carried on after the answer (the social effect), so a clean stop waits for it. */
  later?(work: Promise<unknown>): void;
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
 * Carries out one recorded effect as the publication stands now (effects.ts has the contract).
 * Throws when it could not: the effect stays pending and is tried again.
 */
export async function carryOutEffect(deps: PublishDeps, effect: PendingEffect): Promise<void> {
  const publication = await deps.db.selectFrom('publications').select(['withdrawn_at', 'embargo_until'])
    .where('translation_id', '=', effect.translationId).executeTakeFirst();
  if (effect.effect === 'feeds') {
    const audience = deps.audiences.find((a) => a.id === effect.audienceId);
    if (!audience) return; // the audience left the configuration: nothing to build
    const urls = await buildFeeds(deps, audience, { topics: effect.topics });
    await deps.feedChanges?.changed(audience.id, effect.topics, urls);
    // the public sees an embargoed item when the embargo lifts: a rebuild at that moment (two are harmless)
    if (publication && !publication.withdrawn_at && publication.embargo_until && publication.embargo_until > deps.clock()) {
      await deps.feedChanges?.rebuildLater(audience.id, effect.topics, publication.embargo_until);
    }
    return;
  }
  if (!publication) return;
  if (publication.withdrawn_at) await deps.onWithdrawn?.(effect.translationId);
  else await deps.onPublished?.(effect.translationId);
}

const effectDeps = (deps: PublishDeps) => ({ db: deps.db, clock: deps.clock, log: deps.log, carryOut: (e: PendingEffect) => carryOutEffect(deps, e) });

/** Every pending effect carried out (at start with `all`, and by the minute sweep). */
export function sweepPublicationEffects(deps: PublishDeps, opts: { all?: boolean } = {}) {
  return sweepEffects(effectDeps(deps), opts);
}

/**
 * After the commit: the feeds now, so that the answer finds the item in them (a failure is logged
 * and retried, the change stands), then the social effect without holding the answer.
 */
async function afterCommit(deps: PublishDeps, effects: PendingEffect[]): Promise<void> {
  const d = effectDeps(deps);
  for (const effect of effects.filter((e) => e.effect === 'feeds')) await settleEffect(d, effect);
  const rest = effects.filter((e) => e.effect !== 'feeds');
  if (!rest.length) return;
  const work = (async () => { for (const effect of rest) await settleEffect(d, effect); })();
  if (deps.later) deps.later(work);
  else await work;
}

const record = (trx: Parameters<typeof recordEffects>[0], deps: PublishDeps, translationId: number, audienceId: string, topics: readonly (string | null | undefined)[], kinds?: EffectKind[]) =>
  recordEffects(trx, { translationId, audienceId, topics: [...new Set(topics.filter((t): t is string => !!t))], now: deps.clock(), ...(kinds ? { kinds } : {}) });

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

  const { row, effects } = await deps.db.transaction().execute(async (trx) => {
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
    const moved = await changeState(trx, translation.id, 'published', actor, now);
    // the item's old topic feed loses it, its new one gains it
    return { row: moved, effects: await record(trx, deps, translation.id, audience.id, [topic, before?.topic]) };
  });
  await afterCommit(deps, effects);
  return row;
}

/** Takes a translation down: it leaves every feed at once, its page answers 410 Gone, and its translation-memory pairs are retired. */
export async function withdrawTranslation(deps: PublishDeps, translationId: number, actor: string, reason: string) {
  if (!reason?.trim()) throw new InvalidInputError('a takedown needs a reason');
  const translation = await getTranslation(deps.db, translationId);
  const audience = audienceOf(deps, translation.audience_id);
  const now = deps.clock();
  const { row, effects } = await deps.db.transaction().execute(async (trx) => {
    const moved = await changeState(trx, translation.id, 'withdrawn', actor, now, { reason });
    const pub = await trx.updateTable('publications').set({ withdrawn_at: now, withdrawn_reason: reason })
      .where('translation_id', '=', translation.id).where('withdrawn_at', 'is', null)
      .returning(['topic']).executeTakeFirst();
    // what was taken down is never offered again as a remembered translation
    await retireTranslationPairs(trx, translation.id, now, `withdrawn: ${reason}`);
    // never public: no feed holds it; its posts (if any were placed) are cancelled all the same
    return { row: moved, effects: await record(trx, deps, translation.id, audience.id, [pub?.topic], pub ? undefined : ['social']) };
  });
  await afterCommit(deps, effects);
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
    let effects: PendingEffect[] = [];
    if (published && !published.withdrawn_at) {
      await trx.updateTable('publications').set({ embargo_until: until, first_published_at: until ?? now })
        .where('translation_id', '=', translationId).execute();
      effects = await record(trx, deps, translation.id, translation.audience_id, [published.topic], ['feeds']);
    }
    const moved = await trx.updateTable('translations').set({ embargo_until: until, updated_at: now })
      .where('id', '=', translation.id).returningAll().executeTakeFirstOrThrow();
    return { moved, effects };
  });
  await afterCommit(deps, row.effects);
  return row.moved;
}
