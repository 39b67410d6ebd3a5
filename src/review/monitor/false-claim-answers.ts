/**
 * The official answer to a false claim: a story written in Vietnamese on the false claim's page,
 * citing the authoritative sources it rests on, stored and translated like any other story but
 * always in the fast lane (priority), in the clarifications topic, and taken at least by the
 * audiences whose languages the false claim was said in (core/false-claim.ts audiencesOfLanguages).
 *
 * Contract: the story is stored under the push id `false-claim-<id>`, so writing the answer again
 * (after a crash between storing the story and linking it, or to change its text) updates the same
 * story — its translations become outdated and go through review again — and never makes a second
 * one. Linking it, keeping its sources and moving the false claim to "answering" are one
 * transaction. Each publication of the answer moves the false claim to "answered" in the
 * publication's own transaction (answerPublished).
 */
import { z } from 'zod';
import { ANSWER_ROUTE_RULE, audiencesOfLanguages, CLARIFICATIONS_CATEGORY, moveFalseClaim } from '../../core/false-claim.ts';
import { escapeHtml } from '../../core/escape.ts';
import { httpUrl } from '../../core/urls.ts';
import { NotFoundError, PersonError } from '../../errors.ts';
import type { AcceptedStory, PushedStory } from '../../ingest/push.ts';
import { inTransaction, type Db } from '../../store/db.ts';
import { readJson } from '../../store/json.ts';
import type { FalseClaimRow } from '../../store/schema-monitoring.ts';
import '../../store/schema-monitoring.ts';
import { listAppearances } from './false-claims.ts';

export interface AnswerDeps {
  db: Db;
  clock(): Date;
  audiences: readonly { id: string; language: string }[];
  /** Stores a story given by a person (ingest/push.ts), taken at least by these audiences under `rule`. */
  accept(input: PushedStory, pushedBy: string, mustTake: readonly string[], rule: string): Promise<AcceptedStory>;
  /** Has these audiences take a stored story (the planning page's "translate"): an answer written again after the false claim was said in a new language. */
  takeAlso(storyId: number, audienceIds: readonly string[], actor: string): Promise<unknown>;
}

const citedSource = z.strictObject({
  title: z.string().trim().min(1).max(300),
  url: z.string().max(2048).refine((u) => httpUrl(u) !== undefined, 'must be an absolute http(s) URL'),
});
export const answerSourcesSchema = z.array(citedSource);

export const answerSchema = z.strictObject({
  title: z.string().trim().min(1).max(300),
  summary: z.string().trim().max(1000).default(''),
  /** The answer's text as clean HTML paragraphs (the desk turns typed paragraphs into them). */
  bodyHtml: z.string().trim().min(1).max(100_000),
  /** The authoritative sources it cites: at least one. */
  sources: z.array(citedSource).min(1).max(20),
});
export type AnswerInput = z.input<typeof answerSchema>;

/** The sources as the answer's last section, in Vietnamese like the rest: translated with it. */
export function sourcesHtml(sources: readonly { title: string; url: string }[]): string {
  return `<h2>Nguồn</h2>\n<ul>${sources.map((s) => `<li><a href="${escapeHtml(s.url)}">${escapeHtml(s.title)}</a></li>`).join('')}</ul>`;
}

export const answerPushId = (claimId: number) => `false-claim-${claimId}`;

export interface WrittenAnswer { claim: FalseClaimRow; storyId: number; outcome: AcceptedStory['outcome']; audiences: string[] }

export async function writeAnswer(deps: AnswerDeps, claimId: number, input: AnswerInput, actor: string): Promise<WrittenAnswer> {
  const parsed = answerSchema.safeParse(input);
  if (!parsed.success) {
    throw new PersonError('invalid_input', 'false-claims:error.answer', {}, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  const answer = parsed.data;
  const claim = await deps.db.selectFrom('false_claims').selectAll().where('id', '=', claimId).executeTakeFirst();
  if (!claim) throw new NotFoundError('false claim', String(claimId));
  // an answered one may be written again: its translations become outdated and go out as corrections
  if (claim.status === 'closed') throw new PersonError('conflict', 'false-claims:error.answerClosed', {}, `false claim ${claimId} is closed; reopen it (answering) before writing its answer`);
  const languages = [...new Set((await listAppearances(deps.db, claimId)).map((a) => a.language))];
  const audiences = audiencesOfLanguages(deps.audiences, languages);
  const accepted = await deps.accept({
    id: answerPushId(claimId), title: answer.title, summary: answer.summary, priority: true, category: CLARIFICATIONS_CATEGORY,
    bodyHtml: `${answer.bodyHtml}\n${sourcesHtml(answer.sources)}`,
  }, actor, audiences, ANSWER_ROUTE_RULE);

  if (accepted.outcome !== 'new' && audiences.length) {
    // routing runs for a new story only: a language the false claim reached since is added here
    const have = new Set((await deps.db.selectFrom('translations').select('audience_id').where('story_id', '=', accepted.story.id).execute()).map((t) => t.audience_id));
    const missing = audiences.filter((a) => !have.has(a));
    if (missing.length) await deps.takeAlso(accepted.story.id, missing, actor);
  }
  const row = await inTransaction(deps.db, async (trx) => {
    const current = await trx.selectFrom('false_claims').selectAll().where('id', '=', claimId).forUpdate().executeTakeFirstOrThrow();
    const now = deps.clock();
    const status = current.status === 'new' ? moveFalseClaim('new', 'answering') : current.status;
    const updated = await trx.updateTable('false_claims').set({
      answer_story_id: accepted.story.id, answer_sources: JSON.stringify(answer.sources), status, updated_at: now,
      ...(status !== current.status ? { status_changed_at: now } : {}),
    }).where('id', '=', claimId).returningAll().executeTakeFirstOrThrow();
    if (current.answer_story_id !== accepted.story.id) {
      await trx.insertInto('false_claim_events').values({ false_claim_id: claimId, kind: 'answer', actor, at: now, from_value: current.answer_story_id?.toString() ?? null, to_value: String(accepted.story.id) }).execute();
    }
    if (status !== current.status) {
      await trx.insertInto('false_claim_events').values({ false_claim_id: claimId, kind: 'status', actor, at: now, from_value: current.status, to_value: status, note: null }).execute();
    }
    return updated;
  });
  return { claim: row, storyId: accepted.story.id, outcome: accepted.outcome, audiences };
}

/** The sources the answer cites, as stored. */
export const answerSourcesOf = (claim: Pick<FalseClaimRow, 'answer_sources'>) => readJson(answerSourcesSchema, claim.answer_sources, 'false_claims.answer_sources');

/**
 * Called inside the transaction that publishes a translation: when its story answers a false
 * claim still being answered, the claim becomes "answered" (the first language out is enough).
 * Safe to run twice: an answered claim is left as it is.
 */
export async function answerPublished(trx: Db, publication: { storyId: number; audienceId: string; at: Date }): Promise<void> {
  const claim = await trx.selectFrom('false_claims').select(['id', 'status']).where('answer_story_id', '=', publication.storyId).forUpdate().executeTakeFirst();
  if (!claim || claim.status !== 'answering') return;
  moveFalseClaim(claim.status, 'answered');
  await trx.updateTable('false_claims').set({ status: 'answered', status_changed_at: publication.at, updated_at: publication.at }).where('id', '=', claim.id).execute();
  await trx.insertInto('false_claim_events').values({
    false_claim_id: claim.id, kind: 'status', actor: 'system', at: publication.at, from_value: 'answering', to_value: 'answered', note: publication.audienceId,
  }).execute();
}

export interface AnswerTranslation { id: number; audienceId: string; language: string; state: string; firstPublishedAt: Date | null }

/** The answer's translations, one per audience, with when each first reached the public (null: not yet). */
export async function answerTranslations(db: Db, storyId: number, now: Date): Promise<AnswerTranslation[]> {
  const rows = await db.selectFrom('translations as t').leftJoin('publications as p', 'p.translation_id', 't.id')
    .select(['t.id', 't.audience_id', 't.language', 't.state', 'p.first_published_at', 'p.withdrawn_at'])
    .where('t.story_id', '=', storyId).orderBy('t.audience_id').execute();
  return rows.map((r) => ({
    id: r.id, audienceId: r.audience_id, language: r.language, state: r.state,
    // an embargoed item is not public yet; a withdrawn one no longer answers anything
    firstPublishedAt: r.first_published_at && r.first_published_at <= now && !r.withdrawn_at ? r.first_published_at : null,
  }));
}

/** The answer as the desk wrote it, for its form: title, lead, the paragraphs before the sources. */
export async function answerDraft(db: Db, claim: Pick<FalseClaimRow, 'answer_story_id' | 'answer_sources'>): Promise<{ title: string; summary: string; body: string; sources: { title: string; url: string }[] } | undefined> {
  if (claim.answer_story_id === null) return undefined;
  const story = await db.selectFrom('stories').select(['title', 'summary', 'body_html']).where('id', '=', claim.answer_story_id).executeTakeFirst();
  if (!story) return undefined;
  const text = story.body_html.split(/<h2>Nguồn<\/h2>/)[0]!
    .replace(/<br\s*\/?>/g, '\n').replace(/<\/p>\s*/g, '\n\n').replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').trim();
  return { title: story.title, summary: story.summary, body: text, sources: answerSourcesOf(claim) };
}
