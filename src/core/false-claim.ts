/**
 * A false claim's status, defined here and nowhere else. A false claim is false or distorted
 * information said abroad that the desk answers (not a translator's claim on a draft).
 *
 *   new ─► answering ─► answered ─► closed
 *    │  ◄──┘  │    ◄──────┘ (answer withdrawn, or answered again)
 *    └────────┴─────────────────────► closed ─► answering (it spreads again: reopened)
 *
 * `answered` means the official answer is published in at least one language; `closed` that the
 * desk has finished with it (answered and followed up, or not worth answering).
 */
import { AppError } from '../errors.ts';

export const falseClaimStatuses = ['new', 'answering', 'answered', 'closed'] as const;
export type FalseClaimStatus = (typeof falseClaimStatuses)[number];

const transitions: Record<FalseClaimStatus, readonly FalseClaimStatus[]> = {
  new: ['answering', 'closed'],
  answering: ['answered', 'new', 'closed'],
  answered: ['closed', 'answering'],
  closed: ['answering'],
};

export class IllegalFalseClaimMoveError extends AppError {
  constructor(readonly from: FalseClaimStatus, readonly to: FalseClaimStatus) {
    super('illegal_transition', `a false claim cannot go from ${from} to ${to}; from ${from} it can go to ${transitions[from].join(', ')}`);
  }
}

export const isFalseClaimStatus = (s: string): s is FalseClaimStatus => (falseClaimStatuses as readonly string[]).includes(s);

export function canMoveFalseClaim(from: FalseClaimStatus, to: FalseClaimStatus): boolean {
  return transitions[from].includes(to);
}

/** Returns `to` when the move is legal; throws IllegalFalseClaimMoveError otherwise. */
export function moveFalseClaim(from: FalseClaimStatus, to: FalseClaimStatus): FalseClaimStatus {
  if (!canMoveFalseClaim(from, to)) throw new IllegalFalseClaimMoveError(from, to);
  return to;
}

export const nextFalseClaimStatuses = (from: FalseClaimStatus): readonly FalseClaimStatus[] => transitions[from];

/** Statuses still waiting on the desk: their deadline counts. */
export const openFalseClaimStatuses: readonly FalseClaimStatus[] = ['new', 'answering'];

/**
 * The category of every official answer: its topic ("lam-ro", named in each language by
 * locales/<lang>/topics.json) gives each audience its clarifications feed and page.
 */
export const CLARIFICATIONS_CATEGORY = 'Làm rõ';

/** The route rule recorded for an audience that takes an answer because the false claim circulates in its language. */
export const ANSWER_ROUTE_RULE = 'false-claim';

/**
 * The audiences an answer must reach: those whose language is one the false claim was said in,
 * compared by primary subtag ("zh-Hans" reaches a "zh" audience, "en" an "en-GB" one), in the
 * audiences' order.
 */
export function audiencesOfLanguages(audiences: readonly { id: string; language: string }[], languages: readonly string[]): string[] {
  const primary = (code: string) => code.toLowerCase().split('-')[0]!;
  const said = new Set(languages.map(primary));
  return audiences.filter((a) => said.has(primary(a.language))).map((a) => a.id);
}
