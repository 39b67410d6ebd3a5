/**
 * Publishing an approved translation: its text becomes the publication the public sees (a
 * correction keeps the first-publication date and counts as one more correction), the state moves
 * to published, and the audience's feeds are rebuilt.
 */
import { sql } from 'kysely';
import type { AudienceConfig } from '../config.ts';
import { NotFoundError } from '../errors.ts';
import { changeState, getTranslation } from '../store/translations.ts';
import { buildFeeds, type FeedDeps } from './feeds.ts';

export interface PublishDeps extends FeedDeps {
  audiences: readonly AudienceConfig[];
}

export async function publishTranslation(deps: PublishDeps, translationId: number, actor: string) {
  const translation = await getTranslation(deps.db, translationId);
  const audience = deps.audiences.find((a) => a.id === translation.audience_id);
  if (!audience) throw new NotFoundError('audience', translation.audience_id);
  const now = deps.clock();
  const row = await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('publications').values({
      translation_id: translation.id, audience_id: translation.audience_id,
      title: translation.title, summary: translation.summary, body_html: translation.body_html,
      first_published_at: now, updated_at: now,
    }).onConflict((oc) => oc.column('translation_id').doUpdateSet({
      title: translation.title, summary: translation.summary, body_html: translation.body_html,
      updated_at: now, withdrawn_at: null, correction_count: sql<number>`publications.correction_count + 1`,
    })).execute();
    return changeState(trx, translation.id, 'published', actor);
  });
  await buildFeeds(deps, audience);
  return row;
}
