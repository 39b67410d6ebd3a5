/** Public pages of published translations: where feed items and posts link to. */
import { Router } from 'express';
import type { Db } from '../../store/db.ts';
import { escapeHtml } from '../../translate/segments.ts';

export function readRouter(deps: { db: Db }): Router {
  const router = Router();
  router.get('/read/:audience/:id', async (req, res) => {
    const id = Number(req.params.id);
    const row = Number.isInteger(id) ? await deps.db.selectFrom('publications as p')
      .innerJoin('translations as t', 't.id', 'p.translation_id')
      .select(['p.title', 'p.body_html', 'p.first_published_at', 'p.updated_at', 't.language'])
      .where('p.translation_id', '=', id).where('p.audience_id', '=', req.params.audience!).where('p.withdrawn_at', 'is', null)
      .executeTakeFirst() : undefined;
    if (!row) {
      res.status(404).type('html').send('<!DOCTYPE html><title>Not found</title><p>Not found.</p>');
      return;
    }
    // body_html was sanitized on the way in and rebuilt from escaped text; the title is escaped here
    res.type('html').send(`<!DOCTYPE html><html lang="${escapeHtml(row.language)}"><head><meta charset="utf-8"><title>${escapeHtml(row.title)}</title></head>`
      + `<body><article><h1>${escapeHtml(row.title)}</h1><time datetime="${row.first_published_at.toISOString()}">${row.first_published_at.toISOString().slice(0, 10)}</time>${row.body_html}</article></body></html>`);
  });
  return router;
}
