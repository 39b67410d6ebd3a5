/** /api/v1/audit: the audit trail, for editors and admins. */
import { Router } from 'express';
import { z } from 'zod';
import { listAudit } from '../../ops/audit.ts';
import type { Db } from '../../store/db.ts';
import { requireRole } from '../auth.ts';
import { decodeCursor, pageOf, pageQuery, parse } from '../http.ts';

const auditQuery = pageQuery.extend({ actor: z.string().optional(), action: z.string().optional(), since: z.coerce.date().optional() });

export function auditRouter(deps: { db: Db }): Router {
  const router = Router();
  router.use(requireRole('editor'));
  router.get('/', async (req, res) => {
    const { limit, cursor, actor, action, since } = parse(auditQuery, req.query);
    const rows = await listAudit(deps.db, { limit, actor, action, since, before: decodeCursor(cursor) });
    res.json(pageOf(rows, limit, (r) => ({ id: r.id, at: r.at }), (r) => ({
      id: r.id, at: r.at, actor: r.actor, action: r.action, target: r.target, status: r.status, ip: r.ip, requestId: r.request_id, details: r.details,
    })));
  });
  return router;
}
