/** /api/v1/translations: reading, editing (optimistic concurrency) and moving translations. */
import { Router } from 'express';
import { z } from 'zod';
import { approveTranslation, editTranslation, rejectTranslation, submitTranslation, type DeskDeps } from '../../review/desk.ts';
import type { PublicationActions } from '../../publish/publisher.ts';
import { assertMayWorkIn } from '../../core/person.ts';
import { translationStates } from '../../core/workflow.ts';
import { getTranslation, listEvents, listRevisions, listTranslations } from '../../store/translations.ts';
import { actorOf, personOf, requireRole } from '../auth.ts';
import { decodeCursor, intParam, pageOf, pageQuery, parse, storedId } from '../http.ts';
import { presentBody, presentTranslation } from '../present.ts';

const listQuery = pageQuery.extend({ audience: z.string().optional(), state: z.enum(translationStates).optional() });
const editBody = z.strictObject({
  title: z.string().optional(),
  summary: z.string().optional(),
  bodyHtml: z.string().optional(),
  version: storedId,
});
const withdrawBody = z.object({ reason: z.string().trim().min(1, 'a takedown needs a reason') });
const embargoBody = z.object({ until: z.iso.datetime({ offset: true }).nullable() });
// the version the person read (GET /api/v1/translations/:id): a text changed since answers 409
const readVersion = z.union([storedId, z.undefined()]).refine((v) => v !== undefined, 'the version of the text you read is required (the "version" of GET /api/v1/translations/:id); a text changed since is refused with 409').transform((v) => v!);
const rejectBody = z.object({ reason: z.string().min(1, 'a rejection needs a reason'), version: readVersion });
const approveBody = z.object({ qaOverride: z.string().max(2000).optional(), version: readVersion });

/** The desk's moves, and the takedown and embargo bound to the publishing deps (never the deps themselves). */
export type TranslationsApiDeps = DeskDeps & Pick<PublicationActions, 'withdraw' | 'embargo'>;

export function translationsRouter(deps: TranslationsApiDeps): Router {
  const router = Router();
  router.use(requireRole('translator'));

  router.get('/', async (req, res) => {
    const { limit, cursor, audience, state } = parse(listQuery, req.query);
    const { languages } = personOf(req.identity);
    const rows = await listTranslations(deps.db, { audience, state, languages: languages === 'all' ? undefined : languages }, { limit, before: decodeCursor(cursor) });
    const page = pageOf(rows, limit, (t) => ({ id: t.id, at: t.updated_at }), (t) => t);
    res.json({ ...page, data: await Promise.all(rows.map(presentTranslation)) });
  });

  router.get('/:id', async (req, res) => {
    const t = await getTranslation(deps.db, intParam(req, 'id'));
    assertMayWorkIn(personOf(req.identity), t.language);
    res.json({ data: await presentTranslation(t) });
  });

  router.get('/:id/history', async (req, res) => {
    const id = intParam(req, 'id');
    assertMayWorkIn(personOf(req.identity), (await getTranslation(deps.db, id)).language);
    const [revisions, events] = await Promise.all([listRevisions(deps.db, id), listEvents(deps.db, id)]);
    res.json({
      data: {
        revisions: await Promise.all(revisions.map(async (r) => ({ version: r.version, title: r.title, summary: r.summary, ...(await presentBody(r.body_html)), author: r.author, kind: r.kind, createdAt: r.created_at }))),
        events: events.map((e) => ({ from: e.from_state, to: e.to_state, actor: e.actor, reason: e.reason, reasonCode: e.reason_code, at: e.created_at })),
      },
    });
  });

  router.patch('/:id', async (req, res) => {
    const body = parse(editBody, req.body);
    const row = await editTranslation(deps, intParam(req, 'id'), body, personOf(req.identity));
    res.json({ data: await presentTranslation(row) });
  });

  router.post('/:id/submit', async (req, res) => {
    res.json({ data: await presentTranslation(await submitTranslation(deps, intParam(req, 'id'), personOf(req.identity))) });
  });

  router.post('/:id/approve', requireRole('editor'), async (req, res) => {
    res.json({ data: await presentTranslation(await approveTranslation(deps, intParam(req, 'id'), personOf(req.identity), parse(approveBody, req.body ?? {}))) });
  });

  router.post('/:id/reject', requireRole('editor'), async (req, res) => {
    const { reason, version } = parse(rejectBody, req.body ?? {});
    res.json({ data: await presentTranslation(await rejectTranslation(deps, intParam(req, 'id'), personOf(req.identity), reason, { version })) });
  });

  // takedown: the translation leaves every feed at once (src/publish/publisher.ts)
  router.post('/:id/withdraw', requireRole('editor'), async (req, res) => {
    const { reason } = parse(withdrawBody, req.body ?? {});
    res.json({ data: await presentTranslation(await deps.withdraw(intParam(req, 'id'), actorOf(req.identity), reason)) });
  });

  // embargo before approval: partners see the item at once, the public feeds from `until`
  router.put('/:id/embargo', requireRole('editor'), async (req, res) => {
    const { until } = parse(embargoBody, req.body ?? {});
    res.json({ data: await presentTranslation(await deps.embargo(intParam(req, 'id'), until ? new Date(until) : null)) });
  });

  return router;
}
