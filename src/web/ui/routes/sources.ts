/**
 * The sources pages: editors see every source with its health (last success, last error,
 * consecutive failures, next poll) and poll one now; admins add a source after a preview of what
 * its URL yields, change, disable and enable it. A source's page lists its recent stories and the
 * errors of its recent items.
 */
import { Router, type Request, type Response } from 'express';
import { sourceKinds } from '../../../config.ts';
import { AppError, PersonError, statusOf } from '../../../errors.ts';
import type { PollCounts } from '../../../ingest/poll.ts';
import type { SourcePreview } from '../../../ingest/preview.ts';
import { isValidSchedule, nextRun } from '../../../ingest/schedule.ts';
import { recentStoriesOf } from '../../../ingest/stories.ts';
import type { Db } from '../../../store/db.ts';
import { createSource, getSource, listSources, recentIngestErrors, updateSource } from '../../../store/sources.ts';
import { checkUnit, listUnits } from '../../../store/units.ts';
import { flash, requirePage } from '../context.ts';
import { messageOf } from '../messages.ts';
import { renderPage } from '../render.ts';

export interface SourcePagesDeps {
  db: Db;
  clock: () => Date;
  pollNow(sourceId: string): Promise<PollCounts>;
  preview?: ((url: string, kind: string) => Promise<SourcePreview>) | undefined;
}

interface SourceForm { id: string; name: string; url: string; kind: string; schedule: string; fullText: boolean; language: string; reach: string; unit: string }

const formOf = (body: Record<string, unknown>): SourceForm => ({
  id: String(body.id ?? '').trim().toLowerCase(), name: String(body.name ?? '').normalize('NFC').trim(), url: String(body.url ?? '').trim(),
  kind: sourceKinds.includes(String(body.kind) as (typeof sourceKinds)[number]) ? String(body.kind) : 'auto',
  schedule: String(body.schedule ?? '').trim() || '*/5 * * * *', fullText: body.fullText === 'on',
  language: String(body.language ?? '').trim() || 'vi', reach: String(body.reach ?? '').replace(/[\s.,]/g, ''),
  unit: String(body.unit ?? '').trim(),
});

const reachOf = (f: SourceForm) => (f.reach ? Number(f.reach) : null);

/** The API's checks (src/web/routes/sources.ts), as sentences a person reads. */
function checkForm(f: SourceForm, isNew: boolean): void {
  if (isNew && !/^[a-z0-9-]{1,100}$/.test(f.id)) throw new PersonError('invalid_input', 'sources:error.id', {}, 'the id must be lower-case letters, digits and dashes');
  if (!f.name || f.name.length > 300) throw new PersonError('invalid_input', 'sources:error.name', {}, 'the name must have 1 to 300 characters');
  if (!/^https?:\/\//i.test(f.url) || !URL.canParse(f.url) || f.url.length > 2048) throw new PersonError('invalid_input', 'sources:error.url', {}, 'the address must be an absolute http(s) URL');
  if (!isValidSchedule(f.schedule)) throw new PersonError('invalid_input', 'sources:error.schedule', {}, 'the schedule must be a cron expression such as */5 * * * *');
  if (!/^[a-z]{2,3}(-[a-z0-9]+)*$/i.test(f.language)) throw new PersonError('invalid_input', 'sources:error.language', {}, 'the language must be a code such as vi, en or zh-Hans');
  if (f.reach && !/^\d{1,10}$/.test(f.reach)) throw new PersonError('invalid_input', 'sources:error.reach', {}, 'the reach must be a whole number of readers');
}

export function sourcePagesRouter(deps: SourcePagesDeps): Router {
  const router = Router();
  const admin = requirePage('admin');

  router.get('/sources', requirePage('editor'), async (_req, res) => {
    renderPage(res, 'sources/list', { title: res.locals.t('sources:title'), sources: await listSources(deps.db), now: deps.clock() });
  });

  const newPage = async (res: Response, data: { form: SourceForm; preview?: SourcePreview; previewError?: string; error?: string }, status = 200) =>
    renderPage(res, 'sources/new', { title: res.locals.t('sources:new.title'), kinds: sourceKinds, canPreview: Boolean(deps.preview), units: await listUnits(deps.db), ...data }, status);

  router.get('/sources/new', admin, (_req, res) => newPage(res, { form: formOf({}) }));

  router.post('/sources', admin, async (req, res) => {
    const form = formOf(req.body);
    try {
      checkForm(form, true);
      const unit = await checkUnit(deps.db, form.unit);
      if (req.body.action === 'preview') {
        if (!deps.preview) throw new PersonError('conflict', 'sources:error.noPreview', {}, 'previews are not available here');
        try {
          return newPage(res, { form, preview: await deps.preview(form.url, form.kind) });
        } catch (err) {
          // what the fetch or the parser said, as a poll of this source would record it
          return newPage(res, { form, previewError: err instanceof PersonError ? messageOf(res.locals.t, err) : (err as Error).message }, 422);
        }
      }
      const created = await createSource(deps.db, { ...form, kind: form.kind as (typeof sourceKinds)[number], enabled: true, reach: reachOf(form) ?? undefined, unit }, deps.clock());
      if (!created) throw new PersonError('conflict', 'sources:error.taken', { id: form.id }, `source ${form.id} already exists`);
      flash(req, 'ok', res.locals.t('sources:added', { name: created.name }));
      res.redirect(303, `/ui/sources/${encodeURIComponent(created.id)}`);
    } catch (err) {
      if (err instanceof AppError) return newPage(res, { form, error: messageOf(res.locals.t, err) }, statusOf(err.code));
      throw err;
    }
  });

  async function detail(req: Request, res: Response, extra: { status?: number; error?: string; form?: SourceForm } = {}) {
    const source = await getSource(deps.db, String(req.params.id));
    const [stories, errors, units] = await Promise.all([
      recentStoriesOf(deps.db, source.id),
      recentIngestErrors(deps.db, { sourceId: source.id }),
      listUnits(deps.db),
    ]);
    const form = extra.form ?? { id: source.id, name: source.name, url: source.url, kind: source.kind, schedule: source.schedule, fullText: source.full_text, language: source.language, reach: source.reach === null ? '' : String(source.reach), unit: source.unit_id ?? '' };
    renderPage(res, 'sources/detail', { title: source.name, source, stories, errors, form, kinds: sourceKinds, units, error: extra.error }, extra.status ?? 200);
  }

  router.get('/sources/:id', requirePage('editor'), (req, res) => detail(req, res));

  router.post('/sources/:id', admin, async (req, res) => {
    const form = formOf(req.body);
    try {
      checkForm(form, false);
      const unit = await checkUnit(deps.db, form.unit);
      const current = await getSource(deps.db, String(req.params.id));
      const now = deps.clock();
      const next = form.schedule !== current.schedule ? nextRun(form.schedule, now) : undefined;
      await updateSource(deps.db, current.id, { name: form.name, url: form.url, kind: form.kind as (typeof sourceKinds)[number], schedule: form.schedule, fullText: form.fullText, language: form.language, reach: reachOf(form), unit }, now, next);
      flash(req, 'ok', res.locals.t('sources:saved'));
      res.redirect(303, `/ui/sources/${encodeURIComponent(current.id)}`);
    } catch (err) {
      if (err instanceof AppError) return detail(req, res, { status: statusOf(err.code), error: messageOf(res.locals.t, err), form: { ...form, id: String(req.params.id) } });
      throw err;
    }
  });

  router.post('/sources/:id/enabled', admin, async (req, res) => {
    const source = await getSource(deps.db, String(req.params.id));
    const enabled = req.body.enabled === 'true';
    const now = deps.clock();
    await updateSource(deps.db, source.id, { enabled }, now, enabled ? nextRun(source.schedule, now) : undefined);
    flash(req, 'ok', res.locals.t(enabled ? 'sources:enabledNow' : 'sources:disabledNow'));
    res.redirect(303, `/ui/sources/${encodeURIComponent(source.id)}`);
  });

  router.post('/sources/:id/poll', requirePage('editor'), async (req, res) => {
    const source = await getSource(deps.db, String(req.params.id));
    try {
      const c = await deps.pollNow(source.id);
      flash(req, 'ok', res.locals.t('sources:polled', { new: c.new, updated: c.updated, unchanged: c.unchanged, failed: c.failed }));
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      flash(req, 'error', err.code === 'conflict' ? res.locals.t('sources:pollBusy') : (err instanceof PersonError ? res.locals.t(err.key, err.values) : res.locals.t('sources:pollFailed', { reason: err.message })));
    }
    res.redirect(303, `/ui/sources/${encodeURIComponent(source.id)}`);
  });

  return router;
}
