/**
 * Translating a story for its audiences: each queued translation goes to its audience's provider
 * (title, lead and body blocks as segments, in one request), all audiences in parallel under the
 * configured cap. A provider failure leaves the translation queued with the reason on it.
 */
import type { AudienceConfig } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { getStory } from '../store/stories.ts';
import { changeState, listForStory, saveText } from '../store/translations.ts';
import type { TranslationRow } from '../store/schema.ts';
import { bodyBlocks, rebuildBody } from './segments.ts';
import type { Translator } from './translator.ts';

export interface TranslateDeps {
  db: Db;
  log: Logger;
  audiences: readonly AudienceConfig[];
  translatorFor(audience: AudienceConfig): Translator;
  concurrency: number;
  sourceLanguage: string;
}

export interface StoryTranslationOutcome { translated: number; waitingForPeople: number; failed: number }

export async function translateStory(deps: TranslateDeps, storyId: number): Promise<StoryTranslationOutcome> {
  const story = await getStory(deps.db, storyId);
  if (!story) return { translated: 0, waitingForPeople: 0, failed: 0 };
  // outdated translations are translated again from the new story version
  const pending = (await listForStory(deps.db, storyId)).filter((t) => t.state === 'queued' || t.state === 'outdated');
  const blocks = bodyBlocks(story.body_html);
  const segments = [story.title, story.summary, ...blocks.map((b) => b.text)];
  const outcome: StoryTranslationOutcome = { translated: 0, waitingForPeople: 0, failed: 0 };

  await mapLimited(pending, deps.concurrency, async (translation: TranslationRow) => {
    const audience = deps.audiences.find((a) => a.id === translation.audience_id);
    if (!audience) return;
    const log = deps.log.child({ story_id: story.id, audience: audience.id, translation_id: translation.id });
    try {
      const result = await deps.translatorFor(audience).translate({
        segments,
        sourceLanguage: deps.sourceLanguage,
        audience,
        context: `${story.title}\n${story.summary}`.trim(),
      });
      if (!result) {
        outcome.waitingForPeople++;
        return;
      }
      const [title = '', summary = '', ...body] = result.segments;
      // the text and the state change land together or not at all
      await deps.db.transaction().execute(async (trx) => {
        await saveText(trx, translation.id, { title, summary, bodyHtml: rebuildBody(blocks, body) }, translation.version, 'machine', 'machine', {
          machine_translated_at: new Date(), error: null, story_version: story.version,
        });
        await changeState(trx, translation.id, 'machine_translated', 'machine');
      });
      outcome.translated++;
      log.info({ billed_characters: result.billedCharacters }, 'machine draft stored');
    } catch (err) {
      outcome.failed++;
      const message = (err as Error).message;
      await deps.db.updateTable('translations').set({ error: message }).where('id', '=', translation.id).execute();
      log.warn({ err: message }, 'machine translation failed; the translation stays queued');
    }
  });
  return outcome;
}

/** Runs fn over items with at most `limit` in flight. */
export async function mapLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(workers);
}
