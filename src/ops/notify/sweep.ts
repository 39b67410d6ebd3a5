/**
 * The sweep, run at start, after every wake-up (rows inserted anywhere, told at commit) and every
 * `sweepSeconds`: it writes the notifications that follow from states rather than from one
 * transaction (a deadline close or passed, a broken channel, a post whose outcome is unknown, a
 * source failing poll after poll) and queues a job for every row that has none. Safe to run twice
 * and on several instances at once: rows are unique per cause and person, and a row is sent once
 * whatever number of jobs it has (send.job.ts).
 */
import { sql } from 'kysely';
import type { Db } from '../../store/db.ts';
import { loadAudienceSettings } from '../../store/audience-settings.ts';
import { recordNotifications } from '../../store/notifications.ts';
import { billedThisMonth, monthStart, usageSince } from '../../store/translation-usage.ts';
import '../../store/schema-notifications.ts';

export interface SweepSettings {
  slaMinutes: number; deadlineWarningMinutes: number; sourceFailingPolls: number; leaseMs: number;
  /** translation.monthlyCharacterBudget (all audiences) and each audience's from the configuration; a budget stored in the desk wins. */
  budgets: { all: number | undefined; audiences: ReadonlyMap<string, number> };
}

/** Budgets reached this month (UTC): the whole one, and each audience's; one row per budget and month. */
async function reachedBudgets(db: Db, now: Date, budgets: SweepSettings['budgets']) {
  const month = monthStart(now);
  const [usage, settings, all] = await Promise.all([usageSince(db, month), loadAudienceSettings(db), billedThisMonth(db, now)]);
  const used = new Map<string, number>();
  for (const d of usage) used.set(d.audienceId, (used.get(d.audienceId) ?? 0) + d.billedCharacters);
  const reached: { key: string; audience: string; budget: number; used: number }[] = [];
  if (budgets.all !== undefined && all >= budgets.all) reached.push({ key: `budget:*:${month}`, audience: '*', budget: budgets.all, used: all });
  for (const [audience, characters] of used) {
    const stored = settings.budgets.get(audience);
    const budget = stored ? stored.monthlyCharacters : budgets.audiences.get(audience) ?? null;
    if (budget !== null && characters >= budget) reached.push({ key: `budget:${audience}:${month}`, audience, budget, used: characters });
  }
  return { month: month.slice(0, 7), reached };
}

/** Translation states still waiting for someone before approval. */
const waiting = sql`('queued', 'machine_translated', 'in_review', 'rejected', 'outdated')`;

export async function recordStateEvents(db: Db, now: Date, s: SweepSettings): Promise<number> {
  const at = sql`${now}::timestamptz`;
  const deadline = sql`(s.ingested_at + make_interval(mins => ${s.slaMinutes}))`;
  const deadlineFrom = (kind: 'soon' | 'passed') => sql`
    SELECT 'translation:' || t.id AS event_key, '/ui/translations/' || t.id AS link, t.language,
      jsonb_build_object('title', coalesce(nullif(t.title, ''), s.title), 'language', t.language, 'deadline', to_char(${deadline} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"'),
        'minutes', greatest(0, ceil(extract(epoch FROM ${deadline} - ${at}) / 60))::int) AS params
    FROM translations t JOIN stories s ON s.id = t.story_id
    WHERE s.priority AND t.state IN ${waiting}
      -- a story long forgotten is the dashboard's business, not a message
      AND s.ingested_at > ${at} - make_interval(mins => ${s.slaMinutes} + 1440)
      AND ${kind === 'passed' ? sql`${deadline} <= ${at}` : sql`${deadline} <= ${at} + make_interval(mins => ${s.deadlineWarningMinutes}) AND ${deadline} > ${at}`}`;
  const budgets = await reachedBudgets(db, now, s.budgets);
  const counts = await Promise.all([
    // a foreign item naming a priority watch term: the editors, once per item and term (recent ones only: a new term does not page for old news)
    recordNotifications(db, {
      event: 'watch_match', recipients: { role: 'editor' },
      from: sql`SELECT 'watch:' || m.foreign_item_id || ':' || m.watch_term_id AS event_key, '/ui/monitoring?term=' || m.watch_term_id AS link,
          jsonb_build_object('term', w.label, 'title', coalesce(nullif(f.vi_title, ''), f.title), 'source', src.name, 'language', f.language) AS params
        FROM watch_matches m JOIN watch_terms w ON w.id = m.watch_term_id AND w.priority AND w.removed_at IS NULL
        JOIN foreign_items f ON f.id = m.foreign_item_id JOIN sources src ON src.id = f.source_id
        WHERE m.matched_at > ${at} - interval '1 day' AND f.first_seen_at > ${at} - interval '1 day'`,
    }),
    // one per quota episode: from the provider's refusal until the quota really returns
    recordNotifications(db, {
      event: 'quota_reached', recipients: { role: 'admin' },
      from: sql`SELECT 'quota:' || q.provider || ':' || extract(epoch FROM q.quota_exhausted_since)::bigint AS event_key, '/ui/dashboard' AS link,
          jsonb_build_object('provider', q.provider) AS params
        FROM translation_provider_state q WHERE q.quota_exhausted_since IS NOT NULL`,
    }),
    ...(budgets.reached.length ? [recordNotifications(db, {
      event: 'budget_reached', recipients: { role: 'admin' },
      from: sql`SELECT b->>'key' AS event_key, '/ui/planning' AS link,
          jsonb_build_object('audience', b->>'audience', 'budget', (b->>'budget')::bigint, 'used', (b->>'used')::bigint, 'month', ${budgets.month}::text)
            -- the whole budget's sentences (subject_all, text_all) rather than an audience's
            || CASE WHEN b->>'audience' = '*' THEN jsonb_build_object('context', 'all') ELSE '{}'::jsonb END AS params
        FROM jsonb_array_elements(${JSON.stringify(budgets.reached)}::jsonb) b`,
    })] : []),
    recordNotifications(db, { event: 'deadline_soon', from: deadlineFrom('soon'), recipients: { language: sql<string>`c.language` } }),
    recordNotifications(db, { event: 'deadline_passed', from: deadlineFrom('passed'), recipients: { language: sql<string>`c.language` } }),
    // one per breakage: a channel repaired and broken again is a new one
    recordNotifications(db, {
      event: 'channel_broken', recipients: { role: 'admin' },
      from: sql`SELECT 'channel:' || c.id || ':' || extract(epoch FROM c.status_changed_at)::bigint AS event_key, '/ui/channels/' || c.id AS link,
          jsonb_build_object('channel', c.id, 'network', c.network, 'reason', coalesce(c.status_reason, ''),
            'reason_key', 'notifications:channelReason.' || c.status_reason_key) AS params
        FROM social_channels c WHERE c.status = 'broken'`,
    }),
    recordNotifications(db, {
      event: 'post_unknown', recipients: { role: 'admin' },
      from: sql`SELECT 'post:' || p.id AS event_key, '/ui/channels/' || p.channel_id AS link,
          jsonb_build_object('channel', p.channel_id, 'title', t.title) AS params
        FROM social_posts p JOIN translations t ON t.id = p.translation_id WHERE p.status = 'unknown'`,
    }),
    // one per failing streak: the streak is named by the last success before it
    recordNotifications(db, {
      event: 'source_failing', recipients: { role: 'admin' },
      from: sql`SELECT 'source:' || s.id || ':' || coalesce(extract(epoch FROM s.last_success_at)::bigint, 0) AS event_key, '/ui/sources/' || s.id AS link,
          jsonb_build_object('source', s.name, 'failures', s.consecutive_failures, 'error', coalesce(s.last_error, ''),
            'error_key', s.last_error_key, 'error_values', s.last_error_values) AS params
        FROM sources s WHERE s.enabled AND s.consecutive_failures >= ${s.sourceFailingPolls}`,
    }),
  ]);
  return counts.reduce((a, b) => a + b, 0);
}

/**
 * Marks, and returns, the rows that need a job: never queued, or queued long ago and still not
 * settled (a job lost between this update and its sending, a send cut off by a crash).
 */
export async function takeUnqueued(db: Db, now: Date, leaseMs: number): Promise<{ id: string; due_at: Date; created_at: Date }[]> {
  const stale = new Date(now.getTime() - leaseMs);
  return db.updateTable('notifications').set({ queued_at: now })
    .where((eb) => eb.or([
      eb.and([eb('state', '=', 'pending'), eb('queued_at', 'is', null)]),
      eb.and([eb('state', '=', 'pending'), eb('queued_at', '<', stale), eb('due_at', '<', stale)]),
      eb.and([eb('state', '=', 'sending'), eb('claimed_at', '<', stale), eb('queued_at', '<', stale)]),
    ]))
    .returning(['id', 'due_at', 'created_at']).execute();
}
