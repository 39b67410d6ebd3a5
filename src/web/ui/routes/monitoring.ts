/**
 * The monitoring pages for editors: what foreign outlets say, newest first, the Vietnamese beside
 * the original (/ui/monitoring), and the watch list with each term's forms in every language
 * (/ui/monitoring/terms). Nothing here publishes.
 */
import { Router, type Request, type Response } from 'express';
import { ZodError } from 'zod';
import { AppError, PersonError, statusOf } from '../../../errors.ts';
import type { Db } from '../../../store/db.ts';
import { watchKinds, type WatchForm } from '../../../store/schema-monitoring.ts';
import { foreignSources, listMonitoredItems } from '../../../review/monitor/monitored-items.ts';
import { createWatchTerm, listWatchTerms, removeWatchTerm, updateWatchTerm, watchTermActivity, watchTermSchema } from '../../../review/monitor/watch-terms.ts';
import { intParam } from '../../http.ts';
import { flash, requirePage } from '../context.ts';
import { messageOf } from '../messages.ts';
import { renderPage } from '../render.ts';

export interface MonitoringPagesDeps { db: Db; clock: () => Date; domesticLanguage: string }

const PAGE = 30;
const FORM_LINE = /^([a-z]{2,3}(?:-[a-z0-9]+)*)\s*[:：]\s*(.+)$/i;

/** "en: Quang Nam" per line → forms; a line that is not one is the person's to fix. */
export function formsFromText(text: string): WatchForm[] {
  const forms: WatchForm[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.normalize('NFC').trim();
    if (!line) continue;
    const m = FORM_LINE.exec(line);
    if (!m) throw new PersonError('invalid_input', 'monitoring:error.formLine', { line: line.slice(0, 80) }, `"${line.slice(0, 80)}" is not "language: form" (for example "en: Quang Nam")`);
    forms.push({ language: m[1]!.toLowerCase(), text: m[2]!.trim() });
  }
  return forms;
}

export const formsToText = (forms: readonly WatchForm[]) => forms.map((f) => `${f.language}: ${f.text}`).join('\n');

function termInput(body: Record<string, unknown>) {
  const input = { label: String(body.label ?? '').normalize('NFC').trim(), kind: String(body.kind ?? ''), priority: body.priority === 'on', forms: formsFromText(String(body.forms ?? '')) };
  const parsed = watchTermSchema.safeParse(input);
  if (!parsed.success) throw new PersonError('invalid_input', 'monitoring:error.term', {}, parsed.error.issues.map((i) => i.message).join('; '), parsed.error instanceof ZodError ? parsed.error.issues : undefined);
  return parsed.data;
}

export function monitoringPagesRouter(deps: MonitoringPagesDeps): Router {
  const router = Router();
  const editor = requirePage('editor');

  router.get('/monitoring', editor, async (req, res) => {
    const all = req.query.all === '1';
    const termId = Number(req.query.term) || undefined;
    const sourceId = typeof req.query.source === 'string' && req.query.source ? req.query.source : undefined;
    const beforeId = Number(req.query.before) || undefined;
    const [items, terms, sources] = await Promise.all([
      listMonitoredItems(deps.db, { matching: !all, termId, sourceId, beforeId, limit: PAGE }),
      listWatchTerms(deps.db), foreignSources(deps.db, deps.domesticLanguage),
    ]);
    const names = new Intl.DisplayNames([res.locals.lang as string], { type: 'language' });
    const languageName = (code: string) => { try { return names.of(code) ?? code; } catch { return code; } };
    const query = new URLSearchParams({ ...(all ? { all: '1' } : {}), ...(termId ? { term: String(termId) } : {}), ...(sourceId ? { source: sourceId } : {}) });
    renderPage(res, 'monitoring/items', {
      title: res.locals.t('monitoring:title'), items, terms, sources, all, termId, sourceId, languageName,
      next: items.length === PAGE ? `/ui/monitoring?${query.toString() ? `${query}&` : ''}before=${items.at(-1)!.id}` : undefined,
    });
  });

  async function termsPage(_req: Request, res: Response, extra: { status?: number; error?: string; draft?: Record<string, unknown>; editing?: number } = {}) {
    const [terms, activity] = await Promise.all([listWatchTerms(deps.db), watchTermActivity(deps.db)]);
    renderPage(res, 'monitoring/terms', {
      title: res.locals.t('monitoring:terms.title'), kinds: watchKinds, error: extra.error, draft: extra.draft ?? {}, editing: extra.editing,
      terms: terms.map((t) => ({ ...t, formsText: formsToText(t.forms), activity: activity.get(t.id) ?? { items: 0, lastAt: null } })),
    }, extra.status ?? 200);
  }

  const refused = (req: Request, res: Response, err: unknown, extra: { draft?: Record<string, unknown>; editing?: number }) => {
    if (err instanceof AppError) return termsPage(req, res, { status: statusOf(err.code), error: messageOf(res.locals.t, err), ...extra });
    throw err;
  };

  router.get('/monitoring/terms', editor, (req, res) => termsPage(req, res));

  router.post('/monitoring/terms', editor, async (req, res) => {
    try {
      const row = await createWatchTerm(deps, termInput(req.body), req.identity!.person!.actor);
      flash(req, 'ok', res.locals.t('monitoring:terms.added', { label: row.label }));
      res.redirect(303, '/ui/monitoring/terms');
    } catch (err) {
      await refused(req, res, err, { draft: req.body });
    }
  });

  router.post('/monitoring/terms/:id', editor, async (req, res) => {
    const id = intParam(req, 'id');
    try {
      const row = await updateWatchTerm(deps, id, termInput(req.body));
      flash(req, 'ok', res.locals.t('monitoring:terms.saved', { label: row.label }));
      res.redirect(303, '/ui/monitoring/terms');
    } catch (err) {
      await refused(req, res, err, { editing: id });
    }
  });

  router.post('/monitoring/terms/:id/remove', editor, async (req, res) => {
    await removeWatchTerm(deps, intParam(req, 'id'));
    flash(req, 'ok', res.locals.t('monitoring:terms.removed'));
    res.redirect(303, '/ui/monitoring/terms');
  });
  return router;
}
