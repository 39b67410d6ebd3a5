/** GET /media/<hash>-<variant>.<ext>: image variants by content hash; immutable, cached for a year. */
import { Router } from 'express';
import { imageVariant, imageVariants, type ImageVariant } from '../../ingest/images.ts';
import type { Db } from '../../store/db.ts';

export function mediaRouter(deps: { db: Db }): Router {
  const router = Router();
  router.get('/media/:file', async (req, res, next) => {
    const m = /^([0-9a-f]{64})-([a-z-]+)\.(jpg|webp)$/.exec(String(req.params.file));
    const variant = m?.[2] as ImageVariant | undefined;
    if (!m || !variant || !(variant in imageVariants) || imageVariants[variant].ext !== m[3]) return next();
    const row = await imageVariant(deps.db, m[1]!, variant);
    if (!row) return next();
    res.setHeader('content-type', row.mime);
    res.setHeader('cache-control', 'public, max-age=31536000, immutable');
    res.setHeader('x-content-type-options', 'nosniff');
    res.end(row.data);
  });
  return router;
}
