/**
 * /api/v1/sources: where stories come from. Editors read them, see their status and poll one now;
 * admins add, change and delete them. An API change wins over the configuration file at the next
 * start (see src/store/sources.ts).
 */
import { Router, type Request } from 'express';
import { z } from 'zod';
import { sourceKinds } from '../../config.ts';
import type { Clock } from '../../core/clock.ts';
import type { PollCounts } from '../../ingest/poll.ts';
import { isValidSchedule, nextRun } from '../../ingest/schedule.ts';
import type { Db } from '../../store/db.ts';
import type { SourceRow } from '../../store/schema.ts';
import { createSource, deleteSource, getSource, listSources, recentIngestErrors, updateSource } from '../../store/sources.ts';
import { checkUnit } from '../../store/units.ts';
import { AppError } from '../../errors.ts';
import { requireRole } from '../auth.ts';
import { parse } from '../http.ts';

const schedule = z.string().refine(isValidSchedule, 'must be a cron expression such as "*/5 * * * *" (read in Asia/Ho_Chi_Minh time)');
const sourceUrl = z.string().max(2048).refine((u) => /^https?:\/\//i.test(u) && URL.canParse(u), 'must be an absolute http(s) URL');

const sourceLanguage = z.string().regex(/^[a-z]{2,3}(-[a-z0-9]+)*$/i, 'must be a language code such as "vi", "en" or "zh-Hans"');

/** A unit's id (units.id), or null for none; that the unit exists is checked against the database (400 when not). */
const unitId = z.string().regex(/^[a-z0-9-]{1,64}$/, 'must be a unit id: lower-case letters, digits and dashes');

const newSource = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and dashes').max(100),
  name: z.string().min(1).max(300),
  url: sourceUrl,
  kind: z.enum(sourceKinds).default('auto'),
  schedule: schedule.default('*/5 * * * *'),
  fullText: z.boolean().default(false),
  enabled: z.boolean().default(true),
  language: sourceLanguage.default('vi'),
  reach: z.number().int().min(0).optional(),
  unit: unitId.nullable().optional(),
});

const sourcePatch = z.strictObject({
  name: z.string().min(1).max(300).optional(),
  url: sourceUrl.optional(),
  kind: z.enum(sourceKinds).optional(),
  schedule: schedule.optional(),
  fullText: z.boolean().optional(),
  enabled: z.boolean().optional(),
  language: sourceLanguage.optional(),
  reach: z.number().int().min(0).nullable().optional(),
  unit: unitId.nullable().optional(),
});

export interface SourcesDeps {
  db: Db;
  /** Polls now; throws AppError('conflict') when another worker is polling the source. */
  pollNow(sourceId: string): Promise<PollCounts>;
  clock: Clock;
  /** A locale key's sentence in the language the request asks for (the desk's two). */
  say(acceptLanguage: string | undefined, key: string, values: Record<string, unknown>): string;
}

type Say = (key: string, values: Record<string, unknown>) => string;

/** Why the last poll failed, as a person reads it: the keyed sentence, or the English of a poll recorded before reasons had keys. */
const lastErrorMessage = (s: SourceRow, say: Say) => (s.last_error_key ? say(s.last_error_key, s.last_error_values ?? {}) : s.last_error);

export function presentSource(s: SourceRow, say: Say) {
  return {
    id: s.id, name: s.name, url: s.url, kind: s.kind, schedule: s.schedule, fullText: s.full_text, enabled: s.enabled,
    language: s.language, reach: s.reach, unit: s.unit_id, origin: s.origin, apiEditedAt: s.api_edited_at,
    lastPolledAt: s.last_polled_at, lastSuccessAt: s.last_success_at, lastError: s.last_error, lastErrorMessage: lastErrorMessage(s, say),
    consecutiveFailures: s.consecutive_failures, nextPollAt: s.next_poll_at,
    createdAt: s.created_at, updatedAt: s.updated_at,
  };
}

export function sourcesRouter(deps: SourcesDeps): Router {
  const router = Router();
  router.use(requireRole('editor'));
  const sayTo = (req: Request): Say => (key, values) => deps.say(req.headers['accept-language'], key, values);

  router.get('/', async (req, res) => {
    res.json({ data: (await listSources(deps.db)).map((s) => presentSource(s, sayTo(req))), page: { next: null } });
  });

  router.post('/', requireRole('admin'), async (req, res) => {
    const input = parse(newSource, req.body);
    const created = await createSource(deps.db, { ...input, unit: await checkUnit(deps.db, input.unit) }, deps.clock());
    if (!created) throw new AppError('conflict', `source ${input.id} already exists`);
    res.status(201).location(`/api/v1/sources/${created.id}`).json({ data: presentSource(created, sayTo(req)) });
  });

  router.get('/:id', async (req, res) => {
    res.json({ data: presentSource(await getSource(deps.db, String(req.params.id)), sayTo(req)) });
  });

  router.patch('/:id', requireRole('admin'), async (req, res) => {
    const parsed = parse(sourcePatch, req.body);
    const patch = parsed.unit === undefined ? parsed : { ...parsed, unit: await checkUnit(deps.db, parsed.unit) };
    // a new schedule takes effect from its next match, not after the old one's
    const now = deps.clock();
    const next = patch.schedule ? nextRun(patch.schedule, now) : undefined;
    res.json({ data: presentSource(await updateSource(deps.db, String(req.params.id), patch, now, next), sayTo(req)) });
  });

  router.delete('/:id', requireRole('admin'), async (req, res) => {
    await deleteSource(deps.db, String(req.params.id), deps.clock());
    res.status(204).end();
  });

  router.get('/:id/status', async (req, res) => {
    const s = await getSource(deps.db, String(req.params.id));
    const errors = await recentIngestErrors(deps.db, { sourceId: s.id });
    res.json({
      data: {
        id: s.id, enabled: s.enabled,
        lastPolledAt: s.last_polled_at, lastSuccessAt: s.last_success_at, lastError: s.last_error, lastErrorMessage: lastErrorMessage(s, sayTo(req)),
        consecutiveFailures: s.consecutive_failures, nextPollAt: s.next_poll_at,
        lastPoll: s.last_poll_counts,
        recentItemErrors: errors.map((e) => ({ at: e.created_at, code: e.code, message: e.message, guid: e.guid, url: e.url, storyId: e.story_id })),
      },
    });
  });

  router.post('/:id/poll', async (req, res) => {
    await getSource(deps.db, String(req.params.id));
    res.json({ data: await deps.pollNow(String(req.params.id)) });
  });

  return router;
}
