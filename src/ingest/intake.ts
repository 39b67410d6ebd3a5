/**
 * Where every cleaned story enters the desk, polled or pushed alike: stored (or matched to the story
 * it already is), its translations created or marked outdated in the same transaction, then handed
 * on for translation. A near-duplicate of an earlier story is stored, linked, and not translated.
 */
import type { AudienceConfig } from '../config.ts';
import type { Logger } from '../log.ts';
import { canTransition, type TranslationState } from '../review/workflow.ts';
import { inTransaction, type Db } from '../store/db.ts';
import type { StoryRow } from '../store/schema.ts';
import { upsertStory, type StoryExtras, type UpsertOutcome } from '../store/stories.ts';
import { changeState, createTranslations, listForStory } from '../store/translations.ts';
import type { CleanStory } from './clean.ts';

export interface IntakeDeps {
  db: Db;
  log: Logger;
  audiences: readonly AudienceConfig[];
  /** Called once per new or changed original story, after it is committed. */
  onStoryReady(story: StoryRow): Promise<void> | void;
  /** Fetches and stores a story's images; failures are recorded on the story, never thrown. */
  collectImages?(story: StoryRow, urls: string[]): Promise<void>;
}

export async function intake(deps: IntakeDeps, sourceId: string | null, item: CleanStory, extras: StoryExtras = {}): Promise<UpsertOutcome> {
  const result = await inTransaction(deps.db, async (trx) => {
    const r = await upsertStory(trx, sourceId, item, extras);
    if (r.outcome === 'new' && r.story.duplicate_of === null) await createTranslations(trx, r.story, deps.audiences);
    if (r.outcome === 'updated') await markOutdated(trx, r.story);
    return r;
  });
  const { outcome, story } = result;
  const log = deps.log.child({ story_id: story.id, ...(sourceId ? { source_id: sourceId } : {}) });
  if (outcome === 'unchanged') return result;
  if (story.duplicate_of !== null) {
    log.info({ duplicate_of: story.duplicate_of }, `"${story.title}" is a re-run of story ${story.duplicate_of}; linked, not translated again`);
  } else if (outcome === 'new') {
    log.info(`ingested "${story.title}"; waiting for translation into ${deps.audiences.map((a) => a.id).join(', ')}`);
  } else {
    log.info(`story "${story.title}" changed at the source (version ${story.version}); its translations are outdated`);
  }
  if (deps.collectImages && item.imageUrls.length) await deps.collectImages(story, item.imageUrls);
  if (story.duplicate_of === null) await deps.onStoryReady(story);
  return result;
}

/** Every translation that can become outdated does; withdrawn ones stay withdrawn. */
export async function markOutdated(db: Db, story: StoryRow): Promise<void> {
  for (const t of await listForStory(db, story.id)) {
    if (canTransition(t.state as TranslationState, 'outdated')) {
      await changeState(db, t.id, 'outdated', 'source', { reason: `the source story changed (version ${story.version})` });
    }
  }
}
