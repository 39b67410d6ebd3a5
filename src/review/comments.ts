/** Comments on a translation: the conversation between translator and editor, kept with it. */
import { assertWithinBound, textBounds } from '../core/bounds.ts';
import { PersonError } from '../errors.ts';
import type { Db } from '../store/db.ts';
import '../store/schema-review.ts';

export const maxCommentLength = textBounds.comment.chars;

export async function addComment(db: Db, translationId: number, author: string, body: string, now: Date) {
  const text = body.normalize('NFC').trim();
  if (!text) throw new PersonError('invalid_input', 'errors:commentEmpty', {}, 'a comment must not be empty');
  if (text.length > maxCommentLength) throw new PersonError('invalid_input', 'errors:commentTooLong', { max: maxCommentLength }, `a comment may have at most ${maxCommentLength} characters`);
  assertWithinBound('comment', text);
  return db.insertInto('translation_comments').values({ translation_id: translationId, author, body: text, created_at: now }).returningAll().executeTakeFirstOrThrow();
}

export function listComments(db: Db, translationId: number) {
  return db.selectFrom('translation_comments').selectAll().where('translation_id', '=', translationId).orderBy('id').execute();
}
