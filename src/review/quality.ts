/**
 * Quality per person and per audience, for training: post-editing effort, rejections and their
 * reasons, QA errors found at approval in the text a person submitted, turnaround; and "my work"
 * (a person's drafts by state, what reviewers changed in what they submitted).
 *
 * Contract: one post_edits row per approval event, written in the approval's own transaction
 * (approveTranslation passes recordPostEdit to changeState), so an approval never commits without
 * it; `rebuildPostEdits` derives the same rows again from revisions and events (the CLI's
 * `quality rebuild`, for approvals made before the table existed). Both are safe to run twice.
 *
 * Who is the translator of a piece of work: whoever last submitted it for review before the
 * approval or rejection. Which text they submitted: the latest revision saved by then.
 * All ranges are [from, to); durations are seconds.
 */
import { sql, type RawBuilder } from 'kysely';
import { inTransaction, type Db } from '../store/db.ts';
import '../store/schema-qa-findings.ts';
import '../store/schema-quality.ts';
import type { TranslationState } from '../core/workflow.ts';
import { monthsBetween } from '../core/schedule.ts';
import { editEffort, type TextVersion } from './post-edit.ts';

interface Revision extends TextVersion { version: number; kind: string; created_at: Date }

const revisionAt = (db: Db, translationId: number, at: Date, machineOnly = false, atMostVersion?: number) => {
  let q = db.selectFrom('revisions').select(['version', 'kind', 'title', 'summary', 'body_html', 'created_at'])
    .where('translation_id', '=', translationId).where('created_at', '<=', at);
  if (machineOnly) q = q.where('kind', '=', 'machine');
  if (atMostVersion !== undefined) q = q.where('version', '<=', atMostVersion);
  return q.orderBy('version', 'desc').limit(1).executeTakeFirst() as Promise<Revision | undefined>;
};

/** Writes the post-edit record of one approval event; nothing for another kind of event, or a text with no revision. */
export async function recordPostEdit(db: Db, eventId: number): Promise<void> {
  const { rows: [e] } = await sql<{ translation_id: number; approver: string; approved_at: Date; audience_id: string; language: string; created_at: Date; translator: string; submitted_at: Date }>`
    SELECT e.translation_id, e.actor AS approver, e.created_at AS approved_at, t.audience_id, t.language, t.created_at, s.actor AS translator, s.created_at AS submitted_at
    FROM translation_events e JOIN translations t ON t.id = e.translation_id
      JOIN LATERAL (SELECT actor, created_at FROM translation_events x
        WHERE x.translation_id = e.translation_id AND x.to_state = 'in_review' AND x.id < e.id ORDER BY x.id DESC LIMIT 1) s ON true
    WHERE e.id = ${eventId} AND e.to_state = 'approved'`.execute(db);
  if (!e) return;
  const approved = await revisionAt(db, e.translation_id, e.approved_at);
  const submitted = await revisionAt(db, e.translation_id, e.submitted_at);
  if (!approved || !submitted) return;
  const machine = await revisionAt(db, e.translation_id, e.submitted_at, true, submitted.version);
  const effort = machine ? editEffort(machine, approved) : undefined;
  const review = editEffort(submitted, approved);
  await db.insertInto('post_edits').values({
    event_id: eventId, translation_id: e.translation_id, audience_id: e.audience_id, language: e.language,
    translator: e.translator, approver: e.approver,
    machine_version: machine?.version ?? null, submitted_version: submitted.version, approved_version: approved.version,
    machine_chars: effort?.fromChars ?? null, final_chars: review.toChars, edit_distance: effort?.distance ?? null,
    review_distance: review.distance,
    ready_at: machine?.created_at ?? e.created_at, submitted_at: e.submitted_at, approved_at: e.approved_at,
  }).onConflict((oc) => oc.column('event_id').doNothing()).execute();
}

/** Every record again from the raw tables, in one transaction; returns how many were written. */
export async function rebuildPostEdits(db: Db): Promise<number> {
  return inTransaction(db, async (trx) => {
    await trx.deleteFrom('post_edits').execute();
    let after = 0;
    for (;;) {
      const ids = await trx.selectFrom('translation_events').select('id').where('to_state', '=', 'approved').where('id', '>', after).orderBy('id').limit(500).execute();
      if (!ids.length) break;
      for (const { id } of ids) await recordPostEdit(trx, id);
      after = ids.at(-1)!.id;
    }
    const { count } = await trx.selectFrom('post_edits').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
    return Number(count);
  });
}

export type QualityKey = 'person' | 'audience' | 'month';

export interface QualityScope {
  from: Date;
  to: Date;
  /** Only this person's work (a translator's own page). */
  person?: string | undefined;
  audience?: string | undefined;
  /** For months: the zone whose calendar they follow. */
  timeZone: string;
}

export interface QualityFigures {
  key: string;
  submissions: number;
  approvals: number;
  /** Approvals of a machine draft, those approved untouched, and the effort over them (0–1; null without any). */
  fromMachine: number;
  untouched: number;
  effort: number | null;
  /** Share of the submitted text reviewers changed before approving (0–1). */
  reviewChange: number | null;
  rejections: number;
  rejectionRate: number | null;
  qaErrors: number;
  /** From the draft being ready (machine draft, or the translation's creation) to the submission, and from there to approval: medians. */
  turnaroundP50: number | null;
  reviewWaitP50: number | null;
}

/**
 * The key of a row: a month is its place among the months' first instants (width_bucket, a binary
 * search), named after grouping; converting each row's time into the zone cost a microsecond a row.
 */
const keyOf = (by: QualityKey, actor: RawBuilder<unknown>, audience: RawBuilder<unknown>, at: RawBuilder<unknown>, monthStarts: string[]): RawBuilder<string> =>
  by === 'person' ? sql<string>`${actor}` : by === 'audience' ? sql<string>`${audience}`
    : sql<string>`width_bucket(${at}, ${monthStarts}::timestamptz[])::text`;

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** The figures of a range, one row per person, audience or month (ordered by key). */
export async function qualityFigures(db: Db, by: QualityKey, scope: QualityScope): Promise<QualityFigures[]> {
  const { from, to } = scope;
  const months = by === 'month' ? monthsBetween(from, to, scope.timeZone) : [];
  const monthStarts = months.map((m) => m.start.toISOString());
  const named = (key: string) => (by === 'month' ? months[Number(key) - 1]?.key ?? key : key);
  const who = (col: RawBuilder<unknown>) => (scope.person === undefined ? sql`true` : sql`${col} = ${scope.person}`);
  const aud = (col: RawBuilder<unknown>) => (scope.audience === undefined ? sql`true` : sql`${col} = ${scope.audience}`);
  // a person's submissions need no translation unless counted or chosen by audience (a year's work: thousands of rows)
  const byAudience = by === 'audience' || scope.audience !== undefined;
  const [edits, submissions, rejections, qa] = await Promise.all([
    sql<{ key: string; approvals: number; from_machine: number; untouched: number; distance: string | null; chars: string | null; review_distance: string; review_chars: string; turnaround: number | null; review_wait: number | null }>`
      SELECT ${keyOf(by, sql.ref('translator'), sql.ref('audience_id'), sql.ref('approved_at'), monthStarts)} AS key, count(*)::int AS approvals,
        count(*) FILTER (WHERE machine_chars IS NOT NULL)::int AS from_machine,
        count(*) FILTER (WHERE edit_distance = 0)::int AS untouched,
        sum(edit_distance) AS distance, sum(greatest(machine_chars, final_chars)) FILTER (WHERE machine_chars IS NOT NULL) AS chars,
        sum(review_distance) AS review_distance, sum(final_chars) AS review_chars,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM submitted_at - ready_at)) AS turnaround,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM approved_at - submitted_at)) AS review_wait
      FROM post_edits WHERE approved_at >= ${from} AND approved_at < ${to} AND ${who(sql.ref('translator'))} AND ${aud(sql.ref('audience_id'))}
      GROUP BY 1`.execute(db),
    sql<{ key: string; count: number }>`
      SELECT ${keyOf(by, sql.ref('e.actor'), sql.ref('t.audience_id'), sql.ref('e.created_at'), monthStarts)} AS key, count(*)::int AS count
      FROM translation_events e ${byAudience ? sql`JOIN translations t ON t.id = e.translation_id` : sql``}
      WHERE e.to_state = 'in_review' AND e.created_at >= ${from} AND e.created_at < ${to} AND ${who(sql.ref('e.actor'))} AND ${aud(sql.ref('t.audience_id'))}
      GROUP BY 1`.execute(db),
    sql<{ key: string; count: number }>`
      SELECT ${keyOf(by, sql.ref('e.submitted_by'), sql.ref('t.audience_id'), sql.ref('e.created_at'), monthStarts)} AS key, count(*)::int AS count
      FROM translation_events e ${byAudience ? sql`JOIN translations t ON t.id = e.translation_id` : sql``}
      WHERE e.to_state = 'rejected' AND e.submitted_by IS NOT NULL AND e.created_at >= ${from} AND e.created_at < ${to} AND ${who(sql.ref('e.submitted_by'))} AND ${aud(sql.ref('t.audience_id'))}
      GROUP BY 1`.execute(db),
    // each text version's last finding counts once (a refusal then an override of the same text is
    // one), for whoever had submitted that text (migration 041)
    sql<{ key: string; errors: number }>`
      WITH found AS (
        SELECT DISTINCT ON (translation_id, version) id, translation_id, audience_id, errors, created_at, submitted_by FROM qa_findings
        WHERE created_at >= ${from} AND created_at < ${to} ORDER BY translation_id, version, id DESC)
      SELECT ${keyOf(by, sql.ref('f.submitted_by'), sql.ref('f.audience_id'), sql.ref('f.created_at'), monthStarts)} AS key, sum(jsonb_array_length(f.errors))::int AS errors
      FROM found f
      WHERE f.submitted_by IS NOT NULL AND ${who(sql.ref('f.submitted_by'))} AND ${aud(sql.ref('f.audience_id'))}
      GROUP BY 1`.execute(db),
  ]);
  const rows = new Map<string, QualityFigures>();
  const row = (key: string) => {
    let r = rows.get(key);
    if (!r) {
      r = { key, submissions: 0, approvals: 0, fromMachine: 0, untouched: 0, effort: null, reviewChange: null, rejections: 0, rejectionRate: null, qaErrors: 0, turnaroundP50: null, reviewWaitP50: null };
      rows.set(key, r);
    }
    return r;
  };
  for (const e of edits.rows) {
    Object.assign(row(named(e.key)), {
      approvals: e.approvals, fromMachine: e.from_machine, untouched: e.untouched,
      effort: Number(e.chars) > 0 ? Number(e.distance) / Number(e.chars) : null,
      reviewChange: Number(e.review_chars) > 0 ? Number(e.review_distance) / Number(e.review_chars) : null,
      turnaroundP50: num(e.turnaround), reviewWaitP50: num(e.review_wait),
    });
  }
  for (const s of submissions.rows) row(named(s.key)).submissions = s.count;
  for (const r of rejections.rows) row(named(r.key)).rejections = r.count;
  for (const q of qa.rows) row(named(q.key)).qaErrors = q.errors;
  for (const r of rows.values()) r.rejectionRate = r.submissions ? r.rejections / r.submissions : null;
  return [...rows.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export interface Draft { id: number; storyId: number; audience: string; title: string; state: TranslationState; updatedAt: Date }

/**
 * A person's work: translations they wrote in or submitted, counted by state, and the latest still
 * open. From person_drafts (migration 041: the person's own rows, kept at each change), an index
 * range each; the open drafts' text is read for the page's few rows only.
 */
export async function draftsOf(db: Db, person: string, limit = 20): Promise<{ byState: { state: TranslationState; count: number }[]; open: Draft[] }> {
  const [byState, open] = await Promise.all([
    sql<{ state: TranslationState; count: number }>`
      SELECT state, count(*)::int AS count FROM person_drafts WHERE person = ${person} GROUP BY state`.execute(db),
    sql<{ id: number; story_id: number; audience_id: string; title: string; state: TranslationState; updated_at: Date }>`
      WITH o AS MATERIALIZED (
        SELECT translation_id, updated_at FROM person_drafts WHERE person = ${person} AND state NOT IN ('published', 'withdrawn')
        ORDER BY updated_at DESC, translation_id DESC LIMIT ${limit})
      SELECT t.id, t.story_id, t.audience_id, coalesce(nullif(t.title, ''), s.title) AS title, t.state, t.updated_at
      FROM o JOIN translations t ON t.id = o.translation_id JOIN stories s ON s.id = t.story_id
      ORDER BY o.updated_at DESC, o.translation_id DESC`.execute(db),
  ]);
  return {
    byState: byState.rows,
    open: open.rows.map((r) => ({ id: r.id, storyId: r.story_id, audience: r.audience_id, title: r.title, state: r.state, updatedAt: r.updated_at })),
  };
}

export interface Rejection { translationId: number; audience: string; title: string; editor: string; reason: string | null; at: Date }

/** Rejections of what the person submitted, newest first, from `since` (each rejection names the submission's author: migration 041). */
export async function rejectionsOf(db: Db, person: string, since: Date, limit = 20): Promise<Rejection[]> {
  const { rows } = await sql<{ translation_id: number; audience_id: string; title: string; actor: string; reason: string | null; created_at: Date }>`
    SELECT r.translation_id, t.audience_id, coalesce(nullif(t.title, ''), st.title) AS title, r.actor, r.reason, r.created_at
    FROM translation_events r JOIN translations t ON t.id = r.translation_id JOIN stories st ON st.id = t.story_id
    WHERE r.submitted_by = ${person} AND r.to_state = 'rejected' AND r.created_at >= ${since}
    ORDER BY r.created_at DESC, r.id DESC LIMIT ${limit}`.execute(db);
  return rows.map((r) => ({ translationId: r.translation_id, audience: r.audience_id, title: r.title, editor: r.actor, reason: r.reason, at: r.created_at }));
}

export interface ApprovedWork {
  translationId: number; audience: string; language: string; approver: string; approvedAt: Date;
  effort: { distance: number; chars: number } | null; reviewDistance: number;
  submitted: TextVersion; approved: TextVersion;
}

/** The person's latest approved work with the text they submitted and the text approved, to compare. */
export async function approvedWorkOf(db: Db, person: string, limit = 10): Promise<ApprovedWork[]> {
  const { rows } = await sql<{ translation_id: number; audience_id: string; language: string; approver: string; approved_at: Date; edit_distance: number | null; machine_chars: number | null; final_chars: number; review_distance: number;
    s_title: string; s_summary: string; s_body: string; a_title: string; a_summary: string; a_body: string }>`
    SELECT p.translation_id, p.audience_id, p.language, p.approver, p.approved_at, p.edit_distance, p.machine_chars, p.final_chars, p.review_distance,
      s.title AS s_title, s.summary AS s_summary, s.body_html AS s_body, a.title AS a_title, a.summary AS a_summary, a.body_html AS a_body
    FROM post_edits p
      JOIN revisions s ON s.translation_id = p.translation_id AND s.version = p.submitted_version
      JOIN revisions a ON a.translation_id = p.translation_id AND a.version = p.approved_version
    WHERE p.translator = ${person} ORDER BY p.approved_at DESC, p.event_id DESC LIMIT ${limit}`.execute(db);
  return rows.map((r) => ({
    translationId: r.translation_id, audience: r.audience_id, language: r.language, approver: r.approver, approvedAt: r.approved_at,
    effort: r.edit_distance === null || r.machine_chars === null ? null : { distance: r.edit_distance, chars: Math.max(r.machine_chars, r.final_chars) },
    reviewDistance: r.review_distance,
    submitted: { title: r.s_title, summary: r.s_summary, body_html: r.s_body },
    approved: { title: r.a_title, summary: r.a_summary, body_html: r.a_body },
  }));
}
