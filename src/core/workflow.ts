/**
 * The translation state machine, defined here and nowhere else.
 *
 *   queued ─► machine_translated ─► in_review ─► approved ─► published
 *      │              │                 │  ▲                    │
 *      └──────────────┴────► in_review  ▼  │ (resubmit)         ├─► in_review (correction)
 *                                    rejected                   └─► withdrawn
 *   any live state ─► outdated (the source story changed) ─► queued | machine_translated | in_review
 *   any live state ─► withdrawn (taken down; final)
 */
import { AppError } from '../errors.ts';

export const translationStates = [
  'queued', 'machine_translated', 'in_review', 'approved', 'published', 'rejected', 'outdated', 'withdrawn',
] as const;
export type TranslationState = (typeof translationStates)[number];

const transitions: Record<TranslationState, readonly TranslationState[]> = {
  // a manual-provider draft is written by a person and submitted straight from queued
  queued: ['machine_translated', 'in_review', 'outdated', 'withdrawn'],
  machine_translated: ['in_review', 'queued', 'outdated', 'withdrawn'],
  in_review: ['approved', 'rejected', 'outdated', 'withdrawn'],
  rejected: ['in_review', 'queued', 'outdated', 'withdrawn'],
  approved: ['published', 'in_review', 'outdated', 'withdrawn'],
  published: ['in_review', 'outdated', 'withdrawn'],
  outdated: ['queued', 'machine_translated', 'in_review', 'withdrawn'],
  withdrawn: [],
};

export class IllegalTransitionError extends AppError {
  constructor(readonly from: TranslationState, readonly to: TranslationState) {
    super('illegal_transition', `a translation cannot go from ${from} to ${to}; from ${from} it can go to ${transitions[from].join(', ') || 'nothing (final)'}`);
  }
}

export function canTransition(from: TranslationState, to: TranslationState): boolean {
  return transitions[from].includes(to);
}

/** Returns `to` when the move is legal; throws IllegalTransitionError otherwise. */
export function transition(from: TranslationState, to: TranslationState): TranslationState {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to);
  return to;
}

/** States whose text a translator may still change. */
export const editableStates: readonly TranslationState[] = ['queued', 'machine_translated', 'rejected', 'outdated', 'in_review', 'approved', 'published'];

/**
 * Why the system moved a translation, as a code the desk words in each person's language; the
 * English text goes to the event's `reason` for the API and logs. A person's own reason (a
 * rejection, a takedown) is kept as they wrote it.
 */
export type SystemReason =
  | { code: 'translate_again' }
  | { code: 'source_changed'; version: number }
  | { code: 'qa_override'; reason: string }
  /** A save landed between an approval and its publication: the newer text goes back to review. */
  | { code: 'changed_before_publication'; version: number };

export function systemReasonText(r: SystemReason): string {
  switch (r.code) {
    case 'translate_again': return 'translate again';
    case 'source_changed': return `the source story changed (version ${r.version})`;
    case 'qa_override': return `QA override: ${r.reason}`;
    case 'changed_before_publication': return `changed before publication: version ${r.version} is not the one approved`;
  }
}
