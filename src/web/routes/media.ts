/** GET /media/<hash>-<variant>.<ext>: image variants by content hash; immutable, cached for a year. */
import { Router } from 'express';
import { parseMediaFile } from '../../core/urls.ts';
import { imageVariant } from '../../ingest/images.ts';
import type { Db } from '../../store/db.ts';

export function mediaRouter(deps: { db: Db }): Router {
  const router = Router();
  router.get('/media/:file', async (req, res, next) => {
    const file = parseMediaFile(String(req.params.file));
    if (!file) return next();
    const row = await imageVariant(deps.db, file.hash, file.variant);
    if (!row) return next();
    res.setHeader('content-type', row.mime);
    res.setHeader('cache-control', 'public, max-age=31536000, immutable');
    res.setHeader('x-content-type-options', 'nosniff');
    res.end(row.data);
  });
  return router;
}
