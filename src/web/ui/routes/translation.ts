/**
 * The editor page of one translation and what can be done on it: save (optimistic concurrency:
 * a stale save answers 409 and shows the other version, nothing is overwritten), submit, approve
 * (four eyes, QA gate with override), reject, comment, restore a revision, take over a claim, and
 * the QA panel's endpoint that re-runs the checks on unsaved text.
 */
import { machineStatus } from '../../../review/machine-status.ts';
import express, { Router, type Request, type Response } from 'express';
import { AppError, StaleVersionError, statusOf } from '../../../errors.ts';
import { claim, currentClaim, release } from '../../../review/claims.ts';
import { addComment, listComments } from '../../../review/comments.ts';
import { approveTranslation, editTranslation, rejectTranslation, submitTranslation, type DeskDeps } from '../../../review/desk.ts';
import { authorsOf, mayApprove } from '../../../review/four-eyes.ts';
import { hasRole, mayWorkIn, type Person } from '../../../core/person.ts';
import { findTerms } from '../../../review/qa/glossary.ts';
import type { QaIssue } from '../../../review/qa/index.ts';
import { isOpen, nextInQueue } from '../../../review/queue.ts';
import { getGuide } from '../../../review/style-guide.ts';
import { checkTexts, glossaryFor } from '../../../review/translation-qa.ts';
import { canTransition } from '../../../core/workflow.ts';
import type { TranslationRow } from '../../../store/schema.ts';
import { getTranslation, listEvents, listRevisions } from '../../../store/translations.ts';
import { intParam, intValue } from '../../http.ts';
import { flash, requirePage } from '../context.ts';
import { joinBlocks, splitBlocks, type Block } from '../blocks.ts';
import { localizeIssues } from '../qa-messages.ts';
import { messageOf } from '../messages.ts';
import { emptyFields, fieldsOf, inEditorTerms, withFields } from '../fields.ts';
import { prepareSide } from '../../../review/qa/text.ts';
import { asDocument } from '../../../review/translation-qa.ts';
import { publicPageOf } from './story-actions.ts';
import { renderPage } from '../render.ts';
import { editorView, type UnsavedText } from './translation-view.ts';

/** An approval of an older version whose text the approver also changed: a save conflict, their text stays in the form. */
class EditedUnread extends StaleVersionError {
  constructor(current: TranslationRow, seen: number) { super(current, seen, current.version, 'reviewed'); }
}

export interface TranslationPageDeps extends DeskDeps {
  /** Where a public translation is read: the page links to it. */
  publicUrl: string;
  claimMinutes: number; fourEyes: boolean; translateAgain?: ((storyId: number, actor: string) => Promise<number>) | undefined;
  machine: { maxAttempts: number; quotaCheckSeconds: number };
}

const asArray = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]);

/** The text a form carries: title, lead, and the body as blocks; a field the form lacks keeps `current`. */
function formText(body: Record<string, unknown>, current?: UnsavedText): UnsavedText {
  const tags = asArray(body.tag);
  const blocks: Block[] = body.block === undefined && current ? current.blocks
    : asArray(body.block).map((html, i) => ({ tag: /^(p|h[1-6]|blockquote|raw)$/.test(tags[i] ?? '') ? tags[i]! : 'p', html: html.replace(/\r\n/g, '\n') }));
  const field = (name: 'title' | 'summary') => (body[name] === undefined && current ? current[name] : String(body[name] ?? '').trim());
  return { title: field('title'), summary: field('summary'), blocks };
}

const textOf = (t: TranslationRow): UnsavedText => ({ title: t.title, summary: t.summary, blocks: splitBlocks(t.body_html) });

/** The checks on a text as it stands, in the person's language, each finding with its field. */
async function findings(t: (key: string, o?: Record<string, unknown>) => string, story: { title: string; summary: string; body_html: string }, target: UnsavedText, language: string, glossary: Awaited<ReturnType<typeof glossaryFor>>) {
  const bodyHtml = joinBlocks(target.blocks);
  const issues = await checkTexts(story, { title: target.title, summary: target.summary, bodyHtml }, language, glossary);
  const sourceText = { title: story.title, summary: story.summary, blocks: splitBlocks(story.body_html) };
  const placed = withFields(issues,
    { plain: prepareSide(asDocument({ title: story.title, summary: story.summary, bodyHtml: story.body_html })).plain, fields: fieldsOf(sourceText) },
    { plain: prepareSide(asDocument({ title: target.title, summary: target.summary, bodyHtml })).plain, fields: fieldsOf(target) });
  return localizeIssues(t, inEditorTerms(t, placed, emptyFields(sourceText, target)));
}

export function translationRouter(deps: TranslationPageDeps): Router {
  const router = Router();
  const person = (req: Request): Person => req.identity!.person!;

  async function load(req: Request, res: Response): Promise<TranslationRow | undefined> {
    const t = await getTranslation(deps.db, intParam(req, 'id'));
    if (!mayWorkIn(person(req), t.language)) {
      renderPage(res, 'error', { title: res.locals.t('error.forbiddenTitle'), message: res.locals.t('error.notYourLanguage', { language: t.language }) }, statusOf('forbidden'));
      return undefined;
    }
    return t;
  }

  async function show(req: Request, res: Response, t: TranslationRow, extra: { status?: number; unsaved?: UnsavedText; conflict?: 'edit' | 'review'; error?: string } = {}) {
    const now = deps.clock();
    const p = person(req);
    // opening an open draft claims it, unless someone else holds it (claim() leaves theirs alone)
    const claiming = isOpen(t.state) && p.userId !== undefined
      ? claim(deps.db, t.id, p.userId, now, deps.claimMinutes).then((c) => c.claim)
      : currentClaim(deps.db, t.id, now);
    const [held, story, glossary, revisions, events, comments, overrides, guide, authors] = await Promise.all([
      claiming, deps.db.selectFrom('stories').selectAll().where('id', '=', t.story_id).executeTakeFirstOrThrow(),
      glossaryFor(deps.db, t.language), listRevisions(deps.db, t.id), listEvents(deps.db, t.id), listComments(deps.db, t.id),
      deps.db.selectFrom('qa_overrides').selectAll().where('translation_id', '=', t.id).orderBy('id').execute(),
      getGuide(deps.db, t.audience_id), authorsOf(deps.db, t.id),
    ]);
    const target = extra.unsaved ?? textOf(t);
    const issues = await findings(res.locals.t, story, target, t.language, glossary);
    const state = t.state;
    const editor = hasRole(p, 'editor');
    const publicUrl = await publicPageOf(deps, t.id);
    const view = editorView({
      t: res.locals.t, story, translation: t, target, glossary, revisions, events, comments, issues, now,
      // the findings an editor overrode, worded for the reader as the live checks are
      overrides: overrides.map((o) => ({ ...o, issues: localizeIssues(res.locals.t, Array.isArray(o.issues) ? o.issues as QaIssue[] : []) })),
      claim: held, person: p,
      can: {
        edit: state !== 'withdrawn',
        // from published too: an edited publication goes back to review as a correction
        submit: canTransition(state, 'in_review') && state !== 'approved',
        approve: hasRole(p, 'editor') && canTransition(state, 'approved'),
        reject: hasRole(p, 'editor') && canTransition(state, 'rejected'),
        fourEyesBlocked: deps.fourEyes && !mayApprove(p.actor, authors),
      },
      conflict: extra.conflict ?? false,
    }, findTerms);
    const actions = {
      publicUrl,
      withdraw: editor && canTransition(state, 'withdrawn'),
      // an embargo is set before the translation is public
      embargo: editor && !publicUrl && state !== 'withdrawn',
      translateAgain: editor && Boolean(deps.translateAgain),
      correction: state === 'published',
    };
    const machine = machineStatus(t, deps.machine.maxAttempts, now);
    renderPage(res, 'translation', { title: `${t.title || story.title} · ${t.audience_id}`, ...view, actions, guide, machine, quotaCheckMinutes: Math.max(1, Math.round(deps.machine.quotaCheckSeconds / 60)), error: extra.error, script: 'editor.js' }, extra.status ?? 200);
  }

  router.get('/translations/:id', requirePage('translator'), async (req, res) => {
    const t = await load(req, res);
    if (t) await show(req, res, t);
  });

  router.get('/translations/:id/next', requirePage('translator'), async (req, res) => {
    const t = await load(req, res);
    if (!t) return;
    const next = await nextInQueue(deps.db, t.audience_id, { id: t.id, createdAt: t.created_at }, deps.clock());
    res.redirect(303, next ? `/ui/translations/${next}` : `/ui/queue?audience=${encodeURIComponent(t.audience_id)}`);
  });

  /**
   * An approval sent from an older version than the current one: refused. The approver's own
   * changes to what they read stay in the form; otherwise the form shows the newer text.
   */
  async function refuseUnread(t: TranslationRow, seen: number, text: UnsavedText): Promise<never> {
    const read = await deps.db.selectFrom('revisions').select(['title', 'summary', 'body_html']).where('translation_id', '=', t.id).where('version', '=', seen).executeTakeFirst();
    const edited = !read || read.title !== text.title || read.summary !== text.summary || joinBlocks(splitBlocks(read.body_html)) !== joinBlocks(text.blocks);
    throw edited ? new EditedUnread(t, seen) : new StaleVersionError(t, seen, t.version, 'reviewed');
  }

  /** Save, then submit or approve when asked: one form, one button per action. */
  router.post('/translations/:id', requirePage('translator'), async (req, res) => {
    const t = await load(req, res);
    if (!t) return;
    const p = person(req);
    const action = String(req.body.action ?? 'save');
    // refused before anything is saved
    if (action === 'approve' && !hasRole(p, 'editor')) return show(req, res, t, { status: statusOf('forbidden'), error: res.locals.t('errors:onlyEditorApproves') });
    const current = textOf(t);
    const text = formText(req.body, current);
    const version = intValue(req.body.version, 'version');
    const bodyHtml = joinBlocks(text.blocks);
    const changed = text.title !== t.title || text.summary !== t.summary || bodyHtml !== joinBlocks(current.blocks);
    let row = t;
    try {
      // approving a version other than the one read: refused before anything is saved
      if (action === 'approve' && version !== t.version) await refuseUnread(t, version, text);
      if (changed || version !== t.version) {
        row = await editTranslation(deps, t.id, { title: text.title, summary: text.summary, bodyHtml, version }, p);
      }
      if (p.userId !== undefined && isOpen(row.state)) await claim(deps.db, t.id, p.userId, deps.clock(), deps.claimMinutes);
      if (action === 'submit') {
        row = await submitTranslation(deps, t.id, p);
        // submitted: the draft is the editors' now, nobody holds it
        if (p.userId !== undefined) await release(deps.db, t.id, p.userId);
        flash(req, 'ok', res.locals.t('editor.submitted'));
      } else if (action === 'approve') {
        await approveTranslation(deps, t.id, p, { version: row.version, qaOverride: String(req.body.qaOverride ?? '') });
        await deps.db.deleteFrom('translation_claims').where('translation_id', '=', t.id).execute();
        flash(req, 'ok', res.locals.t('editor.approved'));
      } else {
        flash(req, 'ok', changed ? res.locals.t('editor.saved', { version: row.version }) : res.locals.t('editor.unchanged'));
      }
      res.redirect(303, `/ui/translations/${t.id}`);
    } catch (err) {
      if (err instanceof StaleVersionError) {
        const current = err.current as TranslationRow;
        // a decision on a text changed since: the newer text in the form, to read before deciding again
        if (err.seen === 'reviewed' && !(err instanceof EditedUnread)) return show(req, res, current, { status: statusOf(err.code), conflict: 'review' });
        return show(req, res, current, { status: statusOf(err.code), unsaved: text, conflict: 'edit' });
      }
      if (err instanceof AppError && err.code !== 'not_found') {
        const fresh = await getTranslation(deps.db, t.id);
        return show(req, res, fresh, { status: statusOf(err.code), unsaved: changed && fresh.version === t.version ? text : undefined, error: messageOf(res.locals.t, err) });
      }
      throw err;
    }
  });

  router.post('/translations/:id/reject', requirePage('editor'), async (req, res) => {
    const t = await load(req, res);
    if (!t) return;
    try {
      await rejectTranslation(deps, t.id, person(req), String(req.body.reason ?? ''), { version: intValue(req.body.version, 'version') });
      // sent back: free for its translator to take up again
      await deps.db.deleteFrom('translation_claims').where('translation_id', '=', t.id).execute();
      flash(req, 'ok', res.locals.t('editor.rejected'));
      res.redirect(303, `/ui/translations/${t.id}`);
    } catch (err) {
      if (err instanceof StaleVersionError) return show(req, res, err.current as TranslationRow, { status: statusOf(err.code), conflict: 'review' });
      if (err instanceof AppError) return show(req, res, t, { status: statusOf(err.code), error: messageOf(res.locals.t, err) });
      throw err;
    }
  });

  router.post('/translations/:id/comments', requirePage('translator'), async (req, res) => {
    const t = await load(req, res);
    if (!t) return;
    try {
      await addComment(deps.db, t.id, person(req).actor, String(req.body.body ?? ''), deps.clock());
      res.redirect(303, `/ui/translations/${t.id}#comments`);
    } catch (err) {
      if (err instanceof AppError) return show(req, res, t, { status: statusOf(err.code), error: messageOf(res.locals.t, err) });
      throw err;
    }
  });

  router.post('/translations/:id/restore', requirePage('translator'), async (req, res) => {
    const t = await load(req, res);
    if (!t) return;
    const revision = (await listRevisions(deps.db, t.id)).find((r) => r.version === Number(req.body.revision));
    if (!revision) return show(req, res, t, { status: 400, error: res.locals.t('editor.noSuchRevision') });
    try {
      const row = await editTranslation(deps, t.id, { title: revision.title, summary: revision.summary, bodyHtml: revision.body_html, version: intValue(req.body.version, 'version') }, person(req), 'restore');
      flash(req, 'ok', res.locals.t('editor.restored', { revision: revision.version, version: row.version }));
      res.redirect(303, `/ui/translations/${t.id}`);
    } catch (err) {
      if (err instanceof StaleVersionError) return show(req, res, err.current as TranslationRow, { status: statusOf(err.code), conflict: 'edit' });
      if (err instanceof AppError) return show(req, res, t, { status: statusOf(err.code), error: messageOf(res.locals.t, err) });
      throw err;
    }
  });

  router.post('/translations/:id/claim', requirePage('translator'), async (req, res) => {
    const t = await load(req, res);
    if (!t) return;
    await claim(deps.db, t.id, person(req).userId!, deps.clock(), deps.claimMinutes, true);
    res.redirect(303, `/ui/translations/${t.id}`);
  });

  router.post('/translations/:id/release', requirePage('translator'), async (req, res) => {
    const t = await load(req, res);
    if (!t) return;
    await release(deps.db, t.id, person(req).userId!);
    res.redirect(303, `/ui/queue?audience=${encodeURIComponent(t.audience_id)}`);
  });

  /** The QA panel: the checks on the text as it stands in the form, saved or not. */
  router.post('/translations/:id/qa', requirePage('translator'), express.json({ limit: '2mb' }), async (req, res) => {
    const t = await getTranslation(deps.db, intParam(req, 'id'));
    if (!mayWorkIn(person(req), t.language)) throw new AppError('forbidden', `not assigned to ${t.language}`);
    const story = await deps.db.selectFrom('stories').select(['title', 'summary', 'body_html']).where('id', '=', t.story_id).executeTakeFirstOrThrow();
    const text = formText(req.body ?? {});
    res.json({ issues: await findings(res.locals.t, story, text, t.language, await glossaryFor(deps.db, t.language)) });
  });

  return router;
}
