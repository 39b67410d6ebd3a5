/** /api/v1/partners (admin): partner outlets, their private-feed tokens, and their access counts. */
import { Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import type { Db } from '../../store/db.ts';
import { checkAudiences, createPartner, createPartnerToken, disablePartner, getPartner, listPartners, revokePartnerToken, setPartnerAudiences } from '../../store/partners.ts';
import { actorOf, requireRole } from '../auth.ts';
import { intParam, parse } from '../http.ts';

const audiencesField = z.array(z.string().max(100)).max(100);
const createBody = z.object({ name: z.string().trim().min(1, 'a partner needs a name').max(200), audiences: audiencesField.min(1, 'a partner needs the audiences it may read') });
const audiencesBody = z.object({ audiences: audiencesField });

type PartnerListRow = Awaited<ReturnType<typeof listPartners>>[number];

const present = (p: PartnerListRow) => ({
  id: p.id,
  name: p.name,
  createdAt: p.created_at,
  disabledAt: p.disabled_at,
  audiences: p.audiences.map((a) => a.audience),
  grants: p.audiences,
  tokens: p.tokens.map((t) => ({ id: t.id, createdAt: t.created_at, lastUsedAt: t.last_used_at, revokedAt: t.revoked_at })),
  access: p.access,
  accessCount: p.access.reduce((n, a) => n + a.count, 0),
});

export function partnersRouter(deps: { db: Db; clock: Clock; publicUrl: string; audiences: readonly { id: string }[] }): Router {
  const router = Router();
  router.use(requireRole('admin'));
  const configured = deps.audiences.map((a) => a.id);

  // partners are few (outlets under contract): one page holds them all
  router.get('/', async (_req, res) => {
    res.json({ data: (await listPartners(deps.db)).map(present), page: { next: null } });
  });

  router.post('/', async (req, res) => {
    const body = parse(createBody, req.body ?? {});
    const audiences = checkAudiences(body.audiences, configured);
    const partner = await createPartner(deps.db, body.name, audiences, actorOf(req.identity));
    res.status(201).json({ data: { id: partner.id, name: partner.name, createdAt: partner.created_at, audiences } });
  });

  // the whole set: an audience left out is no longer readable by the partner's tokens
  router.put('/:id/audiences', async (req, res) => {
    const audiences = checkAudiences(parse(audiencesBody, req.body ?? {}).audiences, configured);
    res.json({ data: { id: intParam(req, 'id'), audiences: await setPartnerAudiences(deps.db, intParam(req, 'id'), audiences, actorOf(req.identity)) } });
  });

  router.get('/:id', async (req, res) => {
    const id = intParam(req, 'id');
    await getPartner(deps.db, id);
    res.json({ data: present((await listPartners(deps.db)).find((p) => p.id === id)!) });
  });

  /** The token is in this answer only; feeds are at /partner/feeds/<audience>/rss.xml (atom.xml, feed.json, ninjs.json). */
  router.post('/:id/tokens', async (req, res) => {
    const { id, token } = await createPartnerToken(deps.db, intParam(req, 'id'));
    res.status(201).json({ data: { id, token, feedsUrl: `${deps.publicUrl}/partner/feeds/` } });
  });

  router.delete('/:id/tokens/:tokenId', async (req, res) => {
    await revokePartnerToken(deps.db, intParam(req, 'id'), intParam(req, 'tokenId'), deps.clock());
    res.status(204).end();
  });

  router.post('/:id/disable', async (req, res) => {
    const row = await disablePartner(deps.db, intParam(req, 'id'), deps.clock());
    res.json({ data: { id: row.id, name: row.name, disabledAt: row.disabled_at } });
  });

  return router;
}
