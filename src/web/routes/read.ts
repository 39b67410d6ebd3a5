/**
 * Public pages of published translations: where feed items and posts link to. Each page names its
 * translations in other languages and the Vietnamese original (hreflang), shows the correction
 * note after a correction, and links the audience's feeds. A taken-down translation answers 410
 * Gone; one under embargo does not exist yet (404).
 */
import { Router } from 'express';
import type { i18n } from 'i18next';
import type { AudienceConfig } from '../../core/audience.ts';
import type { Clock } from '../../core/clock.ts';
import type { Db } from '../../store/db.ts';
import '../../store/schema-feeds.ts';
import { sourceLineHtml } from '../../publish/feed-document.ts';
import { translationUrl } from '../../core/urls.ts';
import { escapeXml as escapeHtml } from '../../core/escape.ts';

export interface ReadDeps {
  db: Db;
  publicUrl: string;
  clock: Clock;
  i18n?: i18n;
  audiences?: readonly AudienceConfig[];
}

const page = (lang: string, title: string, head: string, body: string) =>
  `<!DOCTYPE html><html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>${head}</head><body>${body}</body></html>`;

export function readRouter(deps: ReadDeps): Router {
  const router = Router();
  router.get('/read/:audience/:id', async (req, res) => {
    const id = Number(req.params.id);
    const audienceId = req.params.audience!;
    const row = Number.isInteger(id) && id > 0 ? await deps.db.selectFrom('publications as p')
      .innerJoin('translations as t', 't.id', 'p.translation_id')
      .innerJoin('stories as s', 's.id', 't.story_id')
      .select(['p.title', 'p.body_html', 'p.first_published_at', 'p.updated_at', 'p.correction_count', 'p.withdrawn_at', 't.language', 't.story_id', 's.url as original_url', 's.attribution'])
      .where('p.translation_id', '=', id).where('p.audience_id', '=', audienceId)
      .executeTakeFirst() : undefined;
    const now = deps.clock();
    if (!row || row.first_published_at > now) {
      res.status(404).type('html').send(page('en', 'Not found', '', '<p>Not found.</p>'));
      return;
    }
    if (row.withdrawn_at) {
      res.status(410).type('html').send(page('en', 'Gone', '', '<p>This article has been withdrawn.</p>'));
      return;
    }
    const audience = deps.audiences?.find((a) => a.id === audienceId);
    const t = deps.i18n?.getFixedT(row.language, 'feeds');
    const siblings = await deps.db.selectFrom('translations as t')
      .innerJoin('publications as p', 'p.translation_id', 't.id')
      .select(['t.id', 't.audience_id', 't.language'])
      .where('t.story_id', '=', row.story_id).where('t.id', '!=', id)
      .where('p.withdrawn_at', 'is', null).where('p.first_published_at', '<=', now)
      .execute()
      // an audience taken out of the configuration has no feeds or pages any more
      .then((rows) => (deps.audiences ? rows.filter((s) => deps.audiences!.some((a) => a.id === s.audience_id)) : rows));
    const alternates = [
      `<link rel="canonical" href="${escapeHtml(translationUrl(deps.publicUrl, audienceId, id))}">`,
      ...siblings.map((s) => `<link rel="alternate" hreflang="${escapeHtml(s.language)}" href="${escapeHtml(translationUrl(deps.publicUrl, s.audience_id, s.id))}">`),
      ...(row.original_url ? [`<link rel="alternate" hreflang="vi" href="${escapeHtml(row.original_url)}">`] : []),
      `<link rel="alternate" type="application/rss+xml" href="${escapeHtml(`${deps.publicUrl}/feeds/${audienceId}/rss.xml`)}">`,
      `<link rel="alternate" type="application/atom+xml" href="${escapeHtml(`${deps.publicUrl}/feeds/${audienceId}/atom.xml`)}">`,
      `<link rel="alternate" type="application/feed+json" href="${escapeHtml(`${deps.publicUrl}/feeds/${audienceId}/feed.json`)}">`,
    ].join('');
    let note = '';
    if (row.correction_count > 0 && t) {
      const date = new Intl.DateTimeFormat(row.language, { dateStyle: 'long', timeStyle: 'short', timeZone: audience?.timeZone ?? 'UTC' }).format(row.updated_at);
      note = `<p class="correction"><em>${escapeHtml(t('correctionNote', { date }))}</em></p>`;
    }
    // the same source line as the feeds carry (a pushed story's attribution without a link included)
    const source = sourceLineHtml({ originalUrl: row.original_url ?? undefined, attribution: row.attribution ?? undefined }, audience?.credit ?? t?.('credit') ?? '');
    // body_html was sanitized on the way in and rebuilt from escaped text; the title is escaped here
    res.type('html').send(page(row.language, row.title, alternates,
      `<article><h1>${escapeHtml(row.title)}</h1><time datetime="${row.first_published_at.toISOString()}">${row.first_published_at.toISOString().slice(0, 10)}</time>${note}${row.body_html}${source}</article>`));
  });
  return router;
}
