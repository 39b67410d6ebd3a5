/**
 * Claiming a story's translations for the translation machine, in one statement: every
 * translation that waits for a machine draft is either claimed (a lease, so no other worker asks
 * the provider for it), left to the worker that holds it, or parked (the provider's quota is
 * exhausted, or the monthly budget — over all audiences, or the translation's own audience's — is
 * spent and the story is not a priority). The claim commits
 * like any other change: the database can crash and restart under a worker that goes on, and a
 * claim lost with it would make that worker's paid-for draft look cancelled.
 */
import { sql } from 'kysely';
import { runPrepared, type Db } from './db.ts';
import { awaitsMachine, PENDING_STATES } from './machine-drafts.ts';
import type { TranslationRow } from './schema.ts';
import { monthStart } from './translation-usage.ts';

/**
 * What the translation machine needs of a claimed translation. Named columns, not `*`: the
 * statement is prepared once per connection, and a prepared statement whose result would change
 * with a new column (another instance migrating) would fail.
 */
export type ClaimedTranslation = Pick<TranslationRow, 'id' | 'audience_id' | 'state' | 'provider' | 'title' | 'summary' | 'body_html' | 'mt_attempts' | 'mt_lease_until'>;

export interface StoryClaim {
  claimed: ClaimedTranslation[];
  /** The latest lease held by another worker on this story's waiting translations. */
  heldUntil: Date | undefined;
  /** Set when translations were parked instead of claimed. */
  parked: 'quota' | 'budget' | undefined;
  /** A published translation waits to be harvested into the memory. */
  harvestDue: boolean;
  /** The story's version now (undefined: the story is gone). */
  storyVersion: number | undefined;
}

export interface ClaimOptions {
  storyId: number;
  at: Date;
  leaseMs: number;
  /** Translations that failed this many times are left for a person. */
  maxAttempts: number;
  /** Characters per calendar month (UTC); undefined: no budget. */
  monthlyCharacterBudget: number | undefined;
  /**
   * `audience:provider` for the last provider of each audience's chain: a spent quota parks only
   * there (before it, the next provider takes over). Undefined: a spent quota parks everywhere.
   */
  lastLinks?: readonly string[];
  /** Audiences whose chain has a provider the budget does not stop: a spent budget does not park them. */
  unmetered?: readonly string[];
  /** Audiences with a budget of their own, characters per calendar month (UTC): spent, it parks only theirs. */
  audienceBudgets?: readonly { audienceId: string; monthlyCharacters: number }[];
}

export async function claimStory(db: Db, opts: ClaimOptions): Promise<StoryClaim> {
  const { at } = opts;
  const budget = opts.monthlyCharacterBudget ?? null;
  const own = opts.audienceBudgets ?? [];
  const rows = await runPrepared(db, 'claim-story', sql<ClaimedTranslation & { held_until: Date | null; parked: 'quota' | 'budget' | null; harvest_due: boolean; current_version: number | null }>`
    WITH pending AS (
      SELECT t.id, t.mt_lease_until,
        CASE WHEN t.mt_lease_until >= ${at} THEN 'held'
          WHEN q.quota_exhausted_since IS NOT NULL AND (${opts.lastLinks ? [...opts.lastLinks] : null}::text[] IS NULL
            OR t.audience_id || ':' || t.provider = ANY(${opts.lastLinks ? [...opts.lastLinks] : null}::text[])) THEN 'quota'
          WHEN ${budget}::bigint IS NOT NULL AND NOT s.priority AND NOT t.audience_id = ANY(${[...(opts.unmetered ?? [])]}::text[])
            AND (SELECT coalesce(sum(billed_characters), 0) FROM translation_usage WHERE day >= ${monthStart(at)}::date) >= ${budget}::bigint THEN 'budget'
          WHEN NOT s.priority AND NOT t.audience_id = ANY(${[...(opts.unmetered ?? [])]}::text[])
            AND EXISTS (SELECT 1 FROM unnest(${own.map((b) => b.audienceId)}::text[], ${own.map((b) => b.monthlyCharacters)}::bigint[]) b(audience_id, characters)
              WHERE b.audience_id = t.audience_id AND (SELECT coalesce(sum(u.billed_characters), 0) FROM translation_usage u
                WHERE u.audience_id = t.audience_id AND u.day >= ${monthStart(at)}::date) >= b.characters) THEN 'budget'
          ELSE 'claim' END AS decision
      FROM translations t JOIN stories s ON s.id = t.story_id
        LEFT JOIN translation_provider_state q ON q.provider = t.provider
      WHERE t.story_id = ${opts.storyId} AND ${awaitsMachine('t', opts.maxAttempts)}),
    -- the lease and state are checked again on the row itself: a worker that claimed it meanwhile wins
    claimed AS (
      UPDATE translations t SET mt_lease_until = ${new Date(at.getTime() + opts.leaseMs)}, mt_waiting = NULL,
        -- a new request once the last one was answered (an outdated story, translate again)
        mt_requested_at = CASE WHEN t.mt_requested_at IS NULL OR t.machine_translated_at >= t.mt_requested_at THEN ${at}::timestamptz ELSE t.mt_requested_at END
      FROM pending p WHERE t.id = p.id AND p.decision = 'claim' AND t.state = ANY(${[...PENDING_STATES]}::text[])
        AND (t.mt_lease_until IS NULL OR t.mt_lease_until < ${at})
      RETURNING t.id, t.audience_id, t.state, t.provider, t.title, t.summary, t.body_html, t.mt_attempts, t.mt_lease_until),
    parked AS (
      UPDATE translations t SET mt_waiting = p.decision FROM pending p WHERE t.id = p.id AND p.decision IN ('quota', 'budget')
      RETURNING p.decision),
    outline AS (
      SELECT (SELECT max(mt_lease_until) FROM pending WHERE decision = 'held') AS held_until,
        (SELECT min(decision) FROM parked) AS parked,
        EXISTS (SELECT 1 FROM translations due WHERE due.state = 'published' AND due.memory_version IS DISTINCT FROM due.version) AS harvest_due,
        (SELECT version FROM stories WHERE id = ${opts.storyId}) AS current_version)
    SELECT o.*, c.* FROM outline o LEFT JOIN claimed c ON true ORDER BY c.id`);
  const first = rows[0]!;
  return {
    // the outline row stands alone (with null columns) when nothing was claimed
    claimed: rows.filter((r) => r.id !== null).map(({ held_until: _, parked: __, harvest_due: ___, current_version: ____, ...row }) => row),
    heldUntil: first.held_until ?? undefined,
    parked: first.parked ?? undefined,
    harvestDue: first.harvest_due,
    storyVersion: first.current_version ?? undefined,
  };
}
