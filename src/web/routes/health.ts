/** Liveness (the process answers) and readiness (the database answers). */
import { Router } from 'express';
import { sql } from 'kysely';
import type { Db } from '../../store/db.ts';
import { sendError } from '../http.ts';

export function healthRouter(deps: { db: Db }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      await sql`SELECT 1`.execute(deps.db);
      res.json({ status: 'ready' });
    } catch (err) {
      sendError(res, 'database_unavailable', (err as Error).message);
    }
  });
  return router;
}
