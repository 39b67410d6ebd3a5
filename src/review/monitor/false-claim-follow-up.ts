/**
 * Following a false claim up: how long its answer took in each language, counted from when the
 * false claim was first seen (its earliest appearance) to each translation's first publication, and
 * whether it kept spreading once answered (first publication in any language): appearances first
 * seen after that, and monitored items of the same story (the fingerprint's `same_as` link of
 * foreign_items) as an item it appeared in, first seen after that. Also the dashboard's panel:
 * open false claims against their deadlines. Computed from the database at each request on an
 * explicit `now`; durations in seconds.
 */
import { sql } from 'kysely';
import { openFalseClaimStatuses } from '../../core/false-claim.ts';
import type { Db } from '../../store/db.ts';
import type { FalseClaimRow } from '../../store/schema-monitoring.ts';
import '../../store/schema-monitoring.ts';

export interface AnswerTiming { audienceId: string; language: string; publishedAt: Date; seconds: number }
export interface Spread { url: string; outlet: string; firstSeenAt: Date; kind: 'appearance' | 'item' }

export interface FollowUp {
  firstSeenAt: Date | null;
  /** The answer's first publication in any language; null while unpublished. */
  answeredAt: Date | null;
  /** Per published language, in order of publication. */
  answers: AnswerTiming[];
  /** Where it was said after it was answered, earliest first (empty before the answer). */
  spreadAfter: Spread[];
}

const seconds = (from: Date, to: Date) => Math.round((to.getTime() - from.getTime()) / 1000);

export async function followUp(db: Db, claim: Pick<FalseClaimRow, 'id' | 'answer_story_id'>, now: Date): Promise<FollowUp> {
  const [first, published] = await Promise.all([
    db.selectFrom('false_claim_appearances').select((eb) => eb.fn.min('first_seen_at').as('at')).where('false_claim_id', '=', claim.id).executeTakeFirst(),
    claim.answer_story_id === null ? Promise.resolve([]) : db.selectFrom('publications as p').innerJoin('translations as t', 't.id', 'p.translation_id')
      .select(['t.audience_id', 't.language', 'p.first_published_at'])
      // a withdrawn answer still went out at that time; one under embargo has not yet
      .where('t.story_id', '=', claim.answer_story_id).where('p.first_published_at', '<=', now)
      .orderBy('p.first_published_at').orderBy('t.audience_id').execute(),
  ]);
  const firstSeenAt = (first?.at as Date | null | undefined) ?? null;
  const answers = firstSeenAt ? published.map((p) => ({ audienceId: p.audience_id, language: p.language, publishedAt: p.first_published_at, seconds: seconds(firstSeenAt, p.first_published_at) })) : [];
  const answeredAt = published[0]?.first_published_at ?? null;
  if (!answeredAt) return { firstSeenAt, answeredAt, answers, spreadAfter: [] };

  const [appearances, items] = await Promise.all([
    db.selectFrom('false_claim_appearances').select(['url', 'outlet', 'first_seen_at']).where('false_claim_id', '=', claim.id).where('first_seen_at', '>', answeredAt).where('first_seen_at', '<=', now).execute(),
    db.selectFrom('foreign_items as o').innerJoin('sources as s', 's.id', 'o.source_id').select(['o.id', 'o.url', 's.name as outlet', 'o.first_seen_at'])
      .where('o.first_seen_at', '>', answeredAt).where('o.first_seen_at', '<=', now)
      .where(sql<boolean>`coalesce(o.same_as, o.id) IN (SELECT coalesce(f.same_as, f.id) FROM false_claim_appearances a JOIN foreign_items f ON f.id = a.foreign_item_id WHERE a.false_claim_id = ${claim.id})`)
      .execute(),
  ]);
  const listed = new Set(appearances.map((a) => a.url));
  const spreadAfter: Spread[] = [
    ...appearances.map((a) => ({ url: a.url, outlet: a.outlet, firstSeenAt: a.first_seen_at, kind: 'appearance' as const })),
    // an item already registered as an appearance is counted once
    ...items.filter((i) => !i.url || !listed.has(i.url)).map((i) => ({ url: i.url ?? '', outlet: i.outlet, firstSeenAt: i.first_seen_at, kind: 'item' as const })),
  ].sort((a, b) => a.firstSeenAt.getTime() - b.firstSeenAt.getTime() || a.url.localeCompare(b.url));
  return { firstSeenAt, answeredAt, answers, spreadAfter };
}

export interface OpenClaimRow {
  id: number; text: string; status: string; priority: boolean; ownerName: string | null; deadlineAt: Date;
  /** Seconds until the deadline; negative once it has passed. */
  secondsLeft: number;
}

export interface FollowUpRow { id: number; text: string; status: string; firstSeenAt: Date | null; answers: AnswerTiming[]; spreadAfter: number }

export interface FalseClaimPanel { open: OpenClaimRow[]; answered: FollowUpRow[] }

/** The dashboard's panel: open false claims by deadline, and those answered in the last `days` with their follow-up. */
export async function falseClaimPanel(db: Db, now: Date, days = 7): Promise<FalseClaimPanel> {
  const since = new Date(now.getTime() - days * 86_400_000);
  const [open, answered] = await Promise.all([
    db.selectFrom('false_claims as c').leftJoin('users as u', 'u.id', 'c.owner_id').select(['c.id', 'c.text', 'c.status', 'c.priority', 'c.deadline_at', 'u.display_name as owner_name'])
      .where('c.status', 'in', openFalseClaimStatuses).orderBy('c.deadline_at').orderBy('c.id').limit(50).execute(),
    db.selectFrom('false_claims').select(['id', 'text', 'status', 'answer_story_id']).where('status', 'in', ['answered', 'closed']).where('answer_story_id', 'is not', null)
      .where('status_changed_at', '>=', since).orderBy('status_changed_at', 'desc').orderBy('id', 'desc').limit(20).execute(),
  ]);
  const follow = await Promise.all(answered.map(async (c) => ({ c, f: await followUp(db, c, now) })));
  return {
    open: open.map((c) => ({ id: c.id, text: c.text, status: c.status, priority: c.priority, ownerName: c.owner_name, deadlineAt: c.deadline_at, secondsLeft: seconds(now, c.deadline_at) })),
    answered: follow.filter(({ f }) => f.answeredAt).map(({ c, f }) => ({ id: c.id, text: c.text, status: c.status, firstSeenAt: f.firstSeenAt, answers: f.answers, spreadAfter: f.spreadAfter.length })),
  };
}
