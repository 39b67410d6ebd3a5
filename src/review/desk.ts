/**
 * What people do to a translation: edit its text, submit it for review, approve it (which
 * publishes it), reject it with a reason. Each is one state change through the workflow.
 */
import { InvalidInputError } from '../errors.ts';
import { publishTranslation, type PublishDeps } from '../publish/publisher.ts';
import { changeState, getTranslation, saveText, type TranslationText } from '../store/translations.ts';
import type { Db } from '../store/db.ts';
import { transition } from './workflow.ts';

export type DeskDeps = PublishDeps;

export interface Edit extends Partial<TranslationText> { version: number }

/** A published translation edited by hand goes back to review: that is a correction. */
export async function editTranslation(db: Db, id: number, edit: Edit, actor: string) {
  const current = await getTranslation(db, id);
  const text: TranslationText = {
    title: (edit.title ?? current.title).normalize('NFC'),
    summary: (edit.summary ?? current.summary).normalize('NFC'),
    bodyHtml: (edit.bodyHtml ?? current.body_html).normalize('NFC'),
  };
  if (!text.title.trim()) throw new InvalidInputError('title must not be empty');
  if (current.state === 'withdrawn') transition('withdrawn', 'in_review'); // throws: a withdrawn text is final
  return saveText(db, id, text, edit.version, actor, 'edit');
}

export async function submitTranslation(db: Db, id: number, actor: string) {
  const current = await getTranslation(db, id);
  if (!current.title.trim()) throw new InvalidInputError('a translation needs at least a title before review');
  return changeState(db, id, 'in_review', actor, { extra: { reject_reason: null } });
}

/** Approval publishes at once: the approved state is held only for the moment of publication. */
export async function approveTranslation(deps: DeskDeps, id: number, actor: string) {
  await changeState(deps.db, id, 'approved', actor, { extra: { approved_at: deps.clock(), approved_by: actor } });
  return publishTranslation(deps, id, actor);
}

export async function rejectTranslation(db: Db, id: number, actor: string, reason: string) {
  if (!reason?.trim()) throw new InvalidInputError('a rejection needs a reason for the translator');
  return changeState(db, id, 'rejected', actor, { reason, extra: { reject_reason: reason } });
}
