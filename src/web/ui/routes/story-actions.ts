/**
 * A story's page and what editors do to a story or one of its translations from the desk: translate
 * again (drafts nobody has taken up go back to the machine), withdraw a translation with a reason
 * (it leaves every feed at once), and set or clear an embargo before publication (a time typed in
 * the person's own zone). Each answers with a redirect and a message in the person's language.
 */
import { Router, type Request, type Response } from 'express';
import type { Clock } from '../../../core/clock.ts';
import type { Db } from '../../../store/db.ts';
import { AppError, PersonError } from '../../../errors.ts';
import { isPublicNow, publicationsOf } from '../../../publish/load.ts';
import type { PublicationActions } from '../../../publish/publisher.ts';
import { translationUrl } from '../../../core/urls.ts';
import { sourceName } from '../../../store/sources.ts';
import { mayWorkIn } from '../../../core/person.ts';
import { machineStatus } from '../../../review/machine-status.ts';
import { getStory } from '../../../ingest/stories.ts';
import { getTranslation, listForStory } from '../../../store/translations.ts';
import { intParam } from '../../http.ts';
import { flash, requirePage } from '../context.ts';
import { fromLocalInput, type Formats } from '../format.ts';
import { messageOf } from '../messages.ts';
import { renderPage } from '../render.ts';

export interface StoryActionDeps extends Pick<PublicationActions, 'withdraw' | 'embargo'> {
  db: Db;
  clock: Clock;
  publicUrl: string;
  translateAgain?: ((storyId: number, actor: string, audienceId?: string) => Promise<number>) | undefined;
  /** translation.retry.maxAttempts: whether a failed machine draft is given up or retried. */
  machine: { maxAttempts: number };
}

/** Where a published translation is read by the public, when it is public now. */
export async function publicPageOf(deps: Pick<StoryActionDeps, 'db' | 'clock' | 'publicUrl'>, translationId: number): Promise<string | undefined> {
  const p = (await publicationsOf(deps.db, [translationId])).get(translationId);
  return isPublicNow(p, deps.clock()) ? translationUrl(deps.publicUrl, p.audienceId, translationId) : undefined;
}

export function storyActionsRouter(deps: StoryActionDeps): Router {
  const router = Router();
  const editor = requirePage('editor');
  const fail = (req: Request, res: Response, err: unknown, back: string) => {
    if (!(err instanceof AppError)) throw err;
    flash(req, 'error', messageOf(res.locals.t, err));
    res.redirect(303, back);
  };

  router.get('/stories/:id', requirePage('translator'), async (req, res) => {
    const id = intParam(req, 'id');
    const story = await getStory(deps.db, id);
    if (!story) throw new AppError('not_found', `story ${id} does not exist`);
    const person = req.identity!.person!;
    const [translations, source] = await Promise.all([listForStory(deps.db, id), story.source_id ? sourceName(deps.db, story.source_id) : undefined]);
    const publications = await publicationsOf(deps.db, translations.map((t) => t.id));
    const now = deps.clock();
    const rows = translations.filter((t) => mayWorkIn(person, t.language)).map((t) => {
      const p = publications.get(t.id);
      return { ...t, machine: machineStatus(t, deps.machine.maxAttempts, now), publicUrl: isPublicNow(p, now) ? translationUrl(deps.publicUrl, t.audience_id, t.id) : undefined };
    });
    renderPage(res, 'story', { title: story.title, story, source, rows, canTranslateAgain: Boolean(deps.translateAgain) });
  });

  router.post('/stories/:id/translate', editor, async (req, res) => {
    const id = intParam(req, 'id');
    const back = typeof req.body.back === 'string' && /^\/ui\/(stories|translations)\/\d+$/.test(req.body.back) ? req.body.back : `/ui/stories/${id}`;
    try {
      if (!deps.translateAgain) throw new PersonError('conflict', 'actions:translateAgain.unavailable', {}, 'machine translation is not available here');
      // from a translation's page: that audience alone; from the story's page: every audience
      const audience = typeof req.body.audience === 'string' && req.body.audience ? req.body.audience : undefined;
      const queued = await deps.translateAgain(id, req.identity!.person!.actor, audience);
      flash(req, 'ok', res.locals.t('actions:translateAgain.done', { count: queued }));
      res.redirect(303, back);
    } catch (err) {
      fail(req, res, err, back);
    }
  });

  router.post('/translations/:id/withdraw', editor, async (req, res) => {
    const id = intParam(req, 'id');
    const back = `/ui/translations/${id}`;
    try {
      const reason = String(req.body.reason ?? '').normalize('NFC').trim();
      if (!reason) throw new PersonError('invalid_input', 'actions:withdraw.needsReason', {}, 'a takedown needs a reason');
      const t = await getTranslation(deps.db, id);
      if (t.state === 'withdrawn') throw new PersonError('conflict', 'actions:withdraw.already', {}, 'this translation is already withdrawn');
      await deps.withdraw(id, req.identity!.person!.actor, reason);
      flash(req, 'ok', res.locals.t('actions:withdraw.done'));
      res.redirect(303, back);
    } catch (err) {
      fail(req, res, err, back);
    }
  });

  router.post('/translations/:id/embargo', editor, async (req, res) => {
    const id = intParam(req, 'id');
    const back = `/ui/translations/${id}`;
    const fmt = res.locals.fmt as Formats;
    try {
      const clear = req.body.clear !== undefined || !String(req.body.until ?? '').trim();
      const until = clear ? null : fromLocalInput(String(req.body.until), fmt.timeZone);
      if (until === undefined) throw new PersonError('invalid_input', 'actions:embargo.badTime', {}, 'the embargo time is not a date and time');
      if (until && until <= deps.clock()) throw new PersonError('invalid_input', 'actions:embargo.past', {}, 'an embargo must end in the future');
      const published = (await publicationsOf(deps.db, [id])).get(id);
      if (published && published.firstPublishedAt <= deps.clock()) throw new PersonError('conflict', 'actions:embargo.public', {}, 'this translation is already public; an embargo can only be set before publication');
      await deps.embargo(id, until);
      flash(req, 'ok', until ? res.locals.t('actions:embargo.set', { until: fmt.dateTime(until), zone: fmt.timeZone }) : res.locals.t('actions:embargo.cleared'));
      res.redirect(303, back);
    } catch (err) {
      fail(req, res, err, back);
    }
  });

  return router;
}
