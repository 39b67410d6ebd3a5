/**
 * GET /media/<hash>-<variant>.<ext>: image variants by content hash. The bytes behind a URL never
 * change, so they are cached for a year as immutable, and served cross-origin
 * (Cross-Origin-Resource-Policy: cross-origin, CORS open): outlets hot-link feed images, and link
 * cards are drawn from them. A variant added after an image was stored is made from its large
 * variant on first request.
 */
import { Router } from 'express';
import { parseMediaFile } from '../../core/urls.ts';
import { deriveVariant, imageVariant } from '../../ingest/images.ts';
import type { Db } from '../../store/db.ts';

export function mediaRouter(deps: { db: Db }): Router {
  const router = Router();
  router.get('/media/:file', async (req, res, next) => {
    const file = parseMediaFile(String(req.params.file));
    if (!file) return next();
    const row = await imageVariant(deps.db, file.hash, file.variant) ?? await deriveVariant(deps.db, file.hash, file.variant);
    if (!row) return next();
    res.setHeader('content-type', row.mime);
    res.setHeader('content-length', String(row.data.length));
    res.setHeader('cache-control', 'public, max-age=31536000, immutable');
    res.setHeader('x-content-type-options', 'nosniff');
    // helmet's same-origin default would blank every hot-linked image on an outlet's page
    res.setHeader('cross-origin-resource-policy', 'cross-origin');
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('timing-allow-origin', '*');
    res.end(row.data);
  });
  return router;
}
