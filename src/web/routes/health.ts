/**
 * Liveness (the process answers) and readiness: the start is complete and the database answers.
 * The server listens before the start's last steps (the first dispatch, the notification and
 * schedule set-up), and a caller told "ready" then may rely on all of it.
 */
import { Router } from 'express';
import { sql } from 'kysely';
import type { Db } from '../../store/db.ts';
import { sendError } from '../http.ts';

export function healthRouter(deps: { db: Db; started(): boolean }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (!deps.started()) return sendError(res, 'starting', 'the service is still starting');
    try {
      await sql`SELECT 1`.execute(deps.db);
      res.json({ status: 'ready' });
    } catch (err) {
      sendError(res, 'database_unavailable', (err as Error).message);
    }
  });
  return router;
}
