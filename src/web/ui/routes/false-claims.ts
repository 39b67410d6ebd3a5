/**
 * The false claim register in the desk, for editors: the list (open ones by deadline), a new one
 * (by hand, or from a monitored item), and each one's page — its text, rating, priority, person
 * responsible and deadline, where it appeared, its status moves and its history.
 */
import { Router, type Request, type Response } from 'express';
import type { FalseClaimsConfig } from '../../../config.ts';
import { falseClaimStatuses, isFalseClaimStatus, nextFalseClaimStatuses, openFalseClaimStatuses } from '../../../core/false-claim.ts';
import { AppError, PersonError, statusOf } from '../../../errors.ts';
import { getForeignItem } from '../../../ingest/foreign.ts';
import {
  addAppearance, appearanceSchema, changeFalseClaimStatus, createFalseClaim, getFalseClaim, listAppearances, listEvents, listFalseClaims, possibleOwners, updateFalseClaim,
} from '../../../review/monitor/false-claims.ts';
import { answerDraft, answerTranslations, writeAnswer, type AnswerDeps } from '../../../review/monitor/false-claim-answers.ts';
import type { Db } from '../../../store/db.ts';
import { paragraphsToHtml } from './story.ts';
import { followUp } from '../../../review/monitor/false-claim-follow-up.ts';
import { duration } from './dashboard.ts';
import { intParam } from '../../http.ts';
import { flash, requirePage } from '../context.ts';
import { messageOf } from '../messages.ts';
import { renderPage } from '../render.ts';

export interface FalseClaimPagesDeps { db: Db; clock: () => Date; falseClaims: FalseClaimsConfig; answers: AnswerDeps }

/** "Title | https://…" per line (the title may be left out: the address stands for it). */
function sourcesOf(text: string): { title: string; url: string }[] {
  return text.replace(/\r\n/g, '\n').split('\n').map((l) => l.trim()).filter(Boolean).map((line) => {
    const bar = line.lastIndexOf('|');
    const url = (bar >= 0 ? line.slice(bar + 1) : line).trim();
    const title = (bar >= 0 ? line.slice(0, bar) : '').normalize('NFC').trim();
    return { title: title || url, url };
  });
}

/** A datetime-local value read in the person's time zone is beyond this page: the form sends an ISO time it computed, or minutes from now. */
function deadlineOf(body: Record<string, unknown>, now: Date): Date | undefined {
  const hours = String(body.deadlineHours ?? '').trim().replace(',', '.');
  if (!hours) return undefined;
  const n = Number(hours);
  if (!Number.isFinite(n) || n <= 0 || n > 24 * 60) throw new PersonError('invalid_input', 'false-claims:error.deadline', {}, 'the deadline must be a number of hours from now, more than 0');
  return new Date(now.getTime() + n * 3_600_000);
}

const ownerOf = (body: Record<string, unknown>) => (body.ownerId ? Number(body.ownerId) : null);

function appearanceOf(body: Record<string, unknown>) {
  const url = String(body.url ?? '').trim();
  if (!url) return undefined;
  const parsed = appearanceSchema.safeParse({
    url, outlet: String(body.outlet ?? '').normalize('NFC').trim(), language: String(body.language ?? '').trim(),
    ...(body.network ? { network: String(body.network) } : {}), ...(body.postRef ? { postRef: String(body.postRef).trim() } : {}),
  });
  if (!parsed.success) throw new PersonError('invalid_input', 'false-claims:error.appearance', {}, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data;
}

export function falseClaimPagesRouter(deps: FalseClaimPagesDeps): Router {
  const router = Router();
  const editor = requirePage('editor');
  const register = { db: deps.db, clock: deps.clock, settings: deps.falseClaims };
  const ratingName = (lang: string) => (id: string) => {
    const r = deps.falseClaims.ratings.find((x) => x.id === id);
    return r ? r.names[lang] ?? r.names.en! : id;
  };

  router.get('/false-claims', editor, async (req, res) => {
    const status = typeof req.query.status === 'string' && isFalseClaimStatus(req.query.status) ? req.query.status : undefined;
    const claims = await listFalseClaims(deps.db, { status, limit: 200 });
    renderPage(res, 'false-claims/list', {
      title: res.locals.t('false-claims:title'), claims, status, statuses: falseClaimStatuses, now: deps.clock(), ratingName: ratingName(res.locals.lang as string),
      open: openFalseClaimStatuses,
    });
  });

  async function newPage(req: Request, res: Response, extra: { status?: number; error?: string } = {}) {
    const itemId = Number(req.query.item ?? req.body?.foreignItemId) || undefined;
    const item = itemId ? await getForeignItem(deps.db, itemId) : undefined;
    renderPage(res, 'false-claims/new', {
      title: res.locals.t('false-claims:new.title'), item, draft: req.method === 'POST' ? req.body : { text: item?.vi_title ?? '' },
      ratings: deps.falseClaims.ratings, ratingName: ratingName(res.locals.lang as string), owners: await possibleOwners(deps.db), error: extra.error,
      deadlineMinutes: deps.falseClaims.deadlineMinutes, priorityDeadlineMinutes: deps.falseClaims.priorityDeadlineMinutes,
    }, extra.status ?? 200);
  }

  router.get('/false-claims/new', editor, (req, res) => newPage(req, res));

  router.post('/false-claims', editor, async (req, res) => {
    try {
      const appearance = appearanceOf(req.body);
      const foreignItemId = Number(req.body.foreignItemId) || undefined;
      const row = await createFalseClaim(register, {
        text: String(req.body.text ?? '').trim(), rating: String(req.body.rating ?? ''), priority: req.body.priority === 'on',
        ownerId: ownerOf(req.body), deadlineAt: deadlineOf(req.body, deps.clock()), foreignItemId, appearances: appearance ? [appearance] : [],
      }, req.identity!.person!.actor);
      flash(req, 'ok', res.locals.t('false-claims:registered'));
      res.redirect(303, `/ui/false-claims/${row.id}`);
    } catch (err) {
      if (err instanceof AppError) return newPage(req, res, { status: statusOf(err.code), error: messageOf(res.locals.t, err) });
      throw err;
    }
  });

  async function detail(req: Request, res: Response, extra: { status?: number; error?: string } = {}) {
    const id = intParam(req, 'id');
    const [claim, appearances, events, owners] = await Promise.all([getFalseClaim(deps.db, id), listAppearances(deps.db, id), listEvents(deps.db, id), possibleOwners(deps.db)]);
    const [stored, answerOut, follow] = claim.answer_story_id === null ? [undefined, [], undefined]
      : await Promise.all([answerDraft(deps.db, claim), answerTranslations(deps.db, claim.answer_story_id, deps.clock()), followUp(deps.db, claim, deps.clock())]);
    const answer = req.method === 'POST' && req.path.endsWith('/answer') ? { title: String(req.body.title ?? ''), summary: String(req.body.summary ?? ''), body: String(req.body.body ?? ''), sourcesText: String(req.body.sources ?? '') }
      : stored ? { ...stored, sourcesText: stored.sources.map((x) => `${x.title} | ${x.url}`).join('\n') } : { title: '', summary: '', body: '', sourcesText: '' };
    renderPage(res, 'false-claims/detail', {
      answer, answerOut, follow, duration: (sec: number) => duration(sec, res.locals.t), languages: [...new Set(appearances.map((a) => a.language))],
      title: res.locals.t('false-claims:detail.title', { id }), claim, appearances, events, owners, moves: nextFalseClaimStatuses(claim.status),
      ratings: deps.falseClaims.ratings, ratingName: ratingName(res.locals.lang as string), now: deps.clock(), error: extra.error,
      ownerName: (ownerId: string | null) => owners.find((o) => String(o.id) === ownerId)?.display_name ?? ownerId ?? '—',
    }, extra.status ?? 200);
  }

  const refused = (req: Request, res: Response) => (err: unknown) => {
    if (err instanceof AppError) return detail(req, res, { status: statusOf(err.code), error: messageOf(res.locals.t, err) });
    throw err;
  };

  router.get('/false-claims/:id', editor, (req, res) => detail(req, res));

  router.post('/false-claims/:id', editor, async (req, res) => {
    const id = intParam(req, 'id');
    try {
      await updateFalseClaim(register, id, {
        text: String(req.body.text ?? '').trim(), rating: String(req.body.rating ?? ''), priority: req.body.priority === 'on',
        ownerId: ownerOf(req.body), ...(deadlineOf(req.body, deps.clock()) ? { deadlineAt: deadlineOf(req.body, deps.clock())! } : {}),
      }, req.identity!.person!.actor);
      flash(req, 'ok', res.locals.t('false-claims:saved'));
      res.redirect(303, `/ui/false-claims/${id}`);
    } catch (err) {
      await refused(req, res)(err);
    }
  });

  router.post('/false-claims/:id/status', editor, async (req, res) => {
    const id = intParam(req, 'id');
    const to = String(req.body.to ?? '');
    try {
      if (!isFalseClaimStatus(to)) throw new PersonError('invalid_input', 'false-claims:error.status', {}, `"${to}" is not a status of a false claim`);
      await changeFalseClaimStatus(register, id, to, req.identity!.person!.actor, String(req.body.note ?? '').trim() || undefined);
      flash(req, 'ok', res.locals.t('false-claims:moved', { status: res.locals.t(`false-claims:status.${to}`) }));
      res.redirect(303, `/ui/false-claims/${id}`);
    } catch (err) {
      await refused(req, res)(err);
    }
  });

  router.post('/false-claims/:id/answer', editor, async (req, res) => {
    const id = intParam(req, 'id');
    try {
      const written = await writeAnswer(deps.answers, id, {
        title: String(req.body.title ?? ''), summary: String(req.body.summary ?? ''), bodyHtml: paragraphsToHtml(String(req.body.body ?? '')), sources: sourcesOf(String(req.body.sources ?? '')),
      }, req.identity!.person!.actor);
      flash(req, 'ok', res.locals.t(written.outcome === 'new' ? 'false-claims:answer.written' : 'false-claims:answer.rewritten', { audiences: written.audiences.join(', ') || '—' }));
      res.redirect(303, `/ui/false-claims/${id}`);
    } catch (err) {
      await refused(req, res)(err);
    }
  });

  router.post('/false-claims/:id/appearances', editor, async (req, res) => {
    const id = intParam(req, 'id');
    try {
      const appearance = appearanceOf(req.body);
      if (!appearance) throw new PersonError('invalid_input', 'false-claims:error.appearance', {}, 'an appearance needs its address');
      const added = await addAppearance(register, id, appearance, req.identity!.person!.actor);
      flash(req, 'ok', res.locals.t(added ? 'false-claims:appearanceAdded' : 'false-claims:appearanceKnown'));
      res.redirect(303, `/ui/false-claims/${id}`);
    } catch (err) {
      await refused(req, res)(err);
    }
  });
  return router;
}
