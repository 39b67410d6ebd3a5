/**
 * /api/v1/false-claims: the register of false information said abroad that the desk answers
 * (not a translator's claim on a draft). Editors read, register, change and move them.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { FalseClaimsConfig } from '../../config.ts';
import type { Clock } from '../../core/clock.ts';
import { falseClaimStatuses } from '../../core/false-claim.ts';
import {
  addAppearance, appearanceSchema, changeFalseClaimStatus, createFalseClaim, falseClaimPatchSchema, getFalseClaim, listAppearances, listEvents, listFalseClaims, newFalseClaimSchema, updateFalseClaim,
} from '../../review/monitor/false-claims.ts';
import { answerTranslations, writeAnswer, answerSourcesOf, type AnswerDeps } from '../../review/monitor/false-claim-answers.ts';
import { followUp } from '../../review/monitor/false-claim-follow-up.ts';
import type { Db } from '../../store/db.ts';
import type { FalseClaimAppearanceRow, FalseClaimRow } from '../../store/schema-monitoring.ts';
import { actorOf, requireRole } from '../auth.ts';
import { intParam, parse } from '../http.ts';

export interface FalseClaimsApiDeps { db: Db; clock: Clock; falseClaims: FalseClaimsConfig; answers: AnswerDeps }

const presentAppearance = (a: FalseClaimAppearanceRow) => ({
  id: a.id, url: a.url, outlet: a.outlet, language: a.language, firstSeenAt: a.first_seen_at, foreignItemId: a.foreign_item_id, network: a.network, postRef: a.post_ref, addedBy: a.added_by,
});

export const presentFalseClaim = (c: FalseClaimRow) => ({
  id: c.id, text: c.text, rating: c.rating, status: c.status, priority: c.priority, ownerId: c.owner_id, deadlineAt: c.deadline_at,
  answerStoryId: c.answer_story_id, answerSources: answerSourcesOf(c), createdBy: c.created_by, createdAt: c.created_at, updatedAt: c.updated_at, statusChangedAt: c.status_changed_at,
});

const listQuery = z.object({ status: z.enum(falseClaimStatuses).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });
const statusBody = z.strictObject({ to: z.enum(falseClaimStatuses), note: z.string().max(2000).optional() });

export function falseClaimsRouter(deps: FalseClaimsApiDeps): Router {
  const router = Router();
  const register = { db: deps.db, clock: deps.clock, settings: deps.falseClaims };
  router.use(requireRole('editor'));

  router.get('/', async (req, res) => {
    const q = parse(listQuery, req.query);
    const rows = await listFalseClaims(deps.db, q);
    res.json({ data: rows.map((r) => ({ ...presentFalseClaim(r), ownerName: r.owner_name, appearances: r.appearances, languages: r.languages, firstSeenAt: r.first_seen_at })) });
  });

  router.post('/', async (req, res) => {
    const row = await createFalseClaim(register, parse(newFalseClaimSchema, req.body), actorOf(req.identity));
    res.status(201).location(`/api/v1/false-claims/${row.id}`).json({ data: { ...presentFalseClaim(row), appearances: (await listAppearances(deps.db, row.id)).map(presentAppearance) } });
  });

  router.get('/:id', async (req, res) => {
    const id = intParam(req, 'id');
    const [row, appearances, events] = await Promise.all([getFalseClaim(deps.db, id), listAppearances(deps.db, id), listEvents(deps.db, id)]);
    res.json({ data: {
      ...presentFalseClaim(row), appearances: appearances.map(presentAppearance),
      history: events.map((e) => ({ kind: e.kind, from: e.from_value, to: e.to_value, note: e.note, actor: e.actor, at: e.at })),
    } });
  });

  /** The official answer: written (or written again) in Vietnamese, with the sources it cites; translated in the fast lane. */
  router.post('/:id/answer', async (req, res) => {
    const written = await writeAnswer(deps.answers, intParam(req, 'id'), req.body, actorOf(req.identity));
    res.status(written.outcome === 'new' ? 201 : 200).json({ data: { ...presentFalseClaim(written.claim), audiences: written.audiences } });
  });

  router.get('/:id/answer', async (req, res) => {
    const row = await getFalseClaim(deps.db, intParam(req, 'id'));
    const translations = row.answer_story_id === null ? [] : await answerTranslations(deps.db, row.answer_story_id, deps.clock());
    res.json({ data: { storyId: row.answer_story_id, sources: answerSourcesOf(row), translations } });
  });

  /** Seconds from first seen to the answer in each audience, and where it was said again after the answer. */
  router.get('/:id/follow-up', async (req, res) => {
    res.json({ data: await followUp(deps.db, await getFalseClaim(deps.db, intParam(req, 'id')), deps.clock()) });
  });

  router.patch('/:id', async (req, res) => {
    res.json({ data: presentFalseClaim(await updateFalseClaim(register, intParam(req, 'id'), parse(falseClaimPatchSchema, req.body), actorOf(req.identity))) });
  });

  router.post('/:id/status', async (req, res) => {
    const body = parse(statusBody, req.body);
    res.json({ data: presentFalseClaim(await changeFalseClaimStatus(register, intParam(req, 'id'), body.to, actorOf(req.identity), body.note)) });
  });

  router.post('/:id/appearances', async (req, res) => {
    const added = await addAppearance(register, intParam(req, 'id'), parse(appearanceSchema, req.body), actorOf(req.identity));
    res.status(added ? 201 : 200).json({ data: { added } });
  });
  return router;
}
