/**
 * The search page: one box over stories and their translations (with or without diacritics), the
 * filters (source, audience, state, person, days, topic) and pages of 20, newest first; without
 * words it is the archive of a source or of a day (`?source=` or `?day=`).
 */
import { Router } from 'express';
import { z } from 'zod';
import type { AudienceConfig } from '../../../core/audience.ts';
import { maxOffset, searchStories, searchTopics } from '../../../review/search.ts';
import { translationStates } from '../../../core/workflow.ts';
import type { Db } from '../../../store/db.ts';
import { listSources } from '../../../store/sources.ts';
import { requirePage } from '../context.ts';
import { fromLocalInput, type Formats } from '../format.ts';
import { renderPage } from '../render.ts';

export interface SearchPageDeps { db: Db; audiences: readonly AudienceConfig[] }

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().catch(undefined);
const filters = z.object({
  q: z.string().max(300).optional().catch(undefined),
  source: z.string().max(100).optional().catch(undefined),
  audience: z.string().max(50).optional().catch(undefined),
  state: z.enum(translationStates).optional().catch(undefined),
  person: z.string().max(100).optional().catch(undefined),
  from: day, to: day, day,
  topic: z.string().max(200).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(maxOffset / 20 + 1).optional().catch(undefined),
});
const pageSize = 20;

export function searchPageRouter(deps: SearchPageDeps): Router {
  const router = Router();
  const audienceLanguages = new Map(deps.audiences.map((a) => [a.id, a.language]));
  router.get('/search', requirePage('translator'), async (req, res) => {
    const f = filters.parse(req.query);
    const fmt = res.locals.fmt as Formats;
    const from = f.day ?? f.from;
    const to = f.day ?? f.to;
    const since = from ? fromLocalInput(`${from}T00:00`, fmt.timeZone) : undefined;
    const toStart = to ? fromLocalInput(`${to}T00:00`, fmt.timeZone) : undefined;
    const page = f.page ?? 1;
    const clean = (v: string | undefined) => v?.trim() || undefined;
    const asked = Boolean(clean(f.q) || f.source || f.audience || f.state || clean(f.person) || from || to || clean(f.topic));
    const [result, sources, topics] = await Promise.all([
      asked ? searchStories(deps.db, {
        words: clean(f.q), source: clean(f.source), audience: clean(f.audience), state: f.state, person: clean(f.person),
        since, until: toStart ? new Date(toStart.getTime() + 86_400_000) : undefined, topic: clean(f.topic),
        languages: req.identity!.person!.languages, offset: (page - 1) * pageSize, limit: pageSize,
      }, audienceLanguages) : Promise.resolve({ hits: [], more: false }),
      listSources(deps.db),
      searchTopics(deps.db),
    ]);
    const params = new URLSearchParams(Object.entries({ ...f, page: undefined }).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
    const link = (p: number) => `/ui/search?${new URLSearchParams([...params, ['page', String(p)]])}`;
    renderPage(res, 'search', {
      title: f.q ? res.locals.t('search:titleFor', { q: f.q }) : res.locals.t('search:title'), f: { ...f, from, to }, asked,
      hits: result.hits, prev: page > 1 ? link(page - 1) : undefined, next: result.more && page * pageSize < maxOffset ? link(page + 1) : undefined, page,
      sources, topics: topics.map((t) => t.name), audiences: deps.audiences, states: translationStates,
      sourceNames: new Map(sources.map((s) => [s.id, s.name])),
    });
  });
  return router;
}
