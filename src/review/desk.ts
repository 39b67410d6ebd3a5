/**
 * What people do to a translation: edit its text, submit it for review, approve it (which
 * publishes it), reject it with a reason. Each is one state change through the workflow.
 * Approval and rejection name the version the person read: a text changed since is refused (409),
 * never published unread. Approval obeys two rules: four eyes (the approver neither wrote nor
 * submitted the text: four-eyes.ts) and the QA gate (accuracy-check errors block it, for people and
 * tokens alike, unless an editor overrides them with a written reason, which is kept in the
 * history; only a token made with the QA-bypass capability skips the gate).
 */
import { assertWithinBound } from '../core/bounds.ts';
import type { Clock } from '../core/clock.ts';
import { PersonError, StaleVersionError } from '../errors.ts';
import type { PublicationActions } from '../publish/publisher.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { changeState, getTranslation, saveText, type TranslationText } from '../store/translations.ts';
import '../store/schema-review.ts';
import { notifyReviewOutcome } from '../store/notifications.ts';
import { assertMayWorkIn, hasRole, personFromToken, type Person } from '../core/person.ts';
import { hasErrors } from './qa/index.ts';
import { authorsOf, mayApprove } from './four-eyes.ts';
import { recordPostEdit } from './quality.ts';
import { checkTranslation } from './translation-qa.ts';
import { editableStates, transition, type SystemReason } from '../core/workflow.ts';

/**
 * `qaGate`: 'everyone' (the default) gates every approval but a QA-bypass token's; 'people' lets
 * every token through, as the service did before tokens carried the capability.
 */
export interface ReviewRules { fourEyes: boolean; qaGate: 'people' | 'everyone' }

/** What approving uses: the rules, and the publication the approval hands on to (bound in service.ts). */
export interface DeskDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  review: ReviewRules;
  publish: PublicationActions['publish'];
}

/** What a person decides on: the text version they read. */
export interface Decision { version: number }

/** Refuses a decision on a version that is no longer the current one. */
function assertReadCurrent(current: { version: number }, decision: Decision): void {
  if (current.version !== decision.version) throw new StaleVersionError(current, decision.version, current.version, 'reviewed');
}

const gated = (person: Person, rules: ReviewRules): boolean =>
  person.via === 'session' || (rules.qaGate === 'everyone' && !person.qaBypass);

export interface Edit extends Partial<TranslationText> { version: number }

/** Callers that know only an actor name act with full rights (the CLI, jobs). */
const asPerson = (p: Person | string): Person => (typeof p === 'string' ? { ...personFromToken({ name: p, role: 'admin' }), actor: p } : p);

/** What editing, submitting and rejecting use: the database and the clock of the change. */
export interface TextDeps { db: Db; clock: Clock }

/** A published translation edited by hand goes back to review: that is a correction. */
export async function editTranslation({ db, clock }: TextDeps, id: number, edit: Edit, who: Person | string, kind: 'edit' | 'restore' = 'edit') {
  const person = asPerson(who);
  const current = await getTranslation(db, id);
  assertMayWorkIn(person, current.language);
  const text: TranslationText = {
    title: (edit.title ?? current.title).normalize('NFC'),
    summary: (edit.summary ?? current.summary).normalize('NFC'),
    bodyHtml: (edit.bodyHtml ?? current.body_html).normalize('NFC'),
  };
  if (!text.title.trim()) throw new PersonError('invalid_input', 'errors:titleEmpty', {}, 'title must not be empty');
  // the same bounds as a story's (characters, tags and entities): the checks and publication read it all
  assertWithinBound('title', text.title);
  assertWithinBound('summary', text.summary);
  assertWithinBound('body', text.bodyHtml);
  if (!editableStates.includes(current.state)) throw new PersonError('illegal_transition', 'errors:finalText', { state: current.state }, `a ${current.state} translation is final: its text cannot change`);
  return saveText(db, id, text, edit.version, person.actor, kind, clock());
}

export async function submitTranslation({ db, clock }: TextDeps, id: number, who: Person | string) {
  const person = asPerson(who);
  const current = await getTranslation(db, id);
  assertMayWorkIn(person, current.language);
  if (!current.title.trim()) throw new PersonError('invalid_input', 'errors:titleBeforeReview', {}, 'a translation needs at least a title before review');
  return changeState(db, id, 'in_review', person.actor, clock(), { extra: { reject_reason: null } });
}

/**
 * Approval publishes at once, exactly the version the approver read (`version`): the approved
 * state is held only for the moment of publication. `qaOverride` is the editor's reason for
 * approving despite QA errors.
 */
export async function approveTranslation(deps: DeskDeps, id: number, who: Person | string, opts: Decision & { qaOverride?: string | undefined }) {
  const person = asPerson(who);
  const rules = deps.review;
  if (!hasRole(person, 'editor')) throw new PersonError('forbidden', 'errors:onlyEditorApproves', {}, 'only an editor may approve a translation');
  const current = await getTranslation(deps.db, id);
  assertMayWorkIn(person, current.language);
  assertReadCurrent(current, opts);
  if (rules.fourEyes && !mayApprove(person.actor, await authorsOf(deps.db, id))) {
    throw new PersonError('forbidden', 'errors:fourEyes', { name: person.actor }, `${person.actor} wrote or submitted this text; another editor must approve it (four-eyes rule)`);
  }
  transition(current.state, 'approved'); // an illegal move fails before QA runs
  let reason: SystemReason | undefined;
  if (gated(person, rules)) {
    const issues = await checkTranslation(deps.db, current);
    if (hasErrors(issues)) {
      const errors = issues.filter((i) => i.severity === 'error');
      const override = opts.qaOverride?.normalize('NFC').trim();
      // recorded either way: supervisors count errors found, not only errors overridden
      await deps.db.insertInto('qa_findings').values({ translation_id: id, version: current.version, actor: person.actor, errors: JSON.stringify(errors), overridden: Boolean(override) }).execute();
      if (!override) throw new PersonError('qa_failed', 'errors:qaFailed', { count: errors.length }, `the accuracy checks found ${errors.length} error(s); fix them, or override with a written reason`, { issues: errors });
      await deps.db.insertInto('qa_overrides').values({ translation_id: id, version: current.version, actor: person.actor, reason: override, issues: JSON.stringify(errors) }).execute();
      reason = { code: 'qa_override', reason: override };
    }
  }
  // the version read and checked above is the one approved: a save since then is refused, not published unread
  const approvedAt = deps.clock();
  await changeState(deps.db, id, 'approved', person.actor, approvedAt, {
    reason, version: current.version, extra: { approved_at: approvedAt, approved_by: person.actor },
    // the translator hears of it only if the approval commits
    record: async (trx, eventId) => {
      await recordPostEdit(trx, eventId);
      await notifyReviewOutcome(trx, 'approved', id, eventId, person.actor);
    },
  });
  try {
    return await deps.publish(id, person.actor, current.version);
  } catch (err) {
    // saved between the approval and its publication: the newer text goes back to review, unpublished
    if (err instanceof StaleVersionError) {
      await changeState(deps.db, id, 'in_review', person.actor, deps.clock(), { reason: { code: 'changed_before_publication', version: err.currentVersion } })
        .catch((e: unknown) => deps.log.warn({ err: e, translation_id: id }, 'could not send the changed text back to review'));
    }
    throw err;
  }
}

/** Sends a text back to its translator with a reason; `version`: the one the editor read. */
export async function rejectTranslation({ db, clock }: TextDeps, id: number, who: Person | string, reason: string, decision: Decision) {
  const person = asPerson(who);
  if (!reason?.trim()) throw new PersonError('invalid_input', 'errors:rejectReason', {}, 'a rejection needs a reason for the translator');
  if (!hasRole(person, 'editor')) throw new PersonError('forbidden', 'errors:onlyEditorRejects', {}, 'only an editor may reject a translation');
  const current = await getTranslation(db, id);
  assertMayWorkIn(person, current.language);
  assertReadCurrent(current, decision);
  return changeState(db, id, 'rejected', person.actor, clock(), {
    reason, version: decision.version, extra: { reject_reason: reason },
    record: (trx, eventId) => notifyReviewOutcome(trx, 'sent_back', id, eventId, person.actor, reason).then(() => undefined),
  });
}
