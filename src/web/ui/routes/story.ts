/**
 * The new-story page: an editor writes a story by hand (title, lead, body, priority), e.g. a
 * spokesperson's statement that must go out in every language at once; it is stored and
 * translated exactly like an ingested one (acceptStory, src/ingest/push.ts).
 */
import { Router } from 'express';
import { AppError, statusOf } from '../../../errors.ts';
import type { AcceptedStory, PushedStory } from '../../../ingest/push.ts';
import { flash, requirePage } from '../context.ts';
import { renderPage } from '../render.ts';
import { messageOf } from '../messages.ts';
import { escapeHtml } from '../../../core/escape.ts';

export interface StoryPageDeps { acceptStory?: ((input: PushedStory, pushedBy: string) => Promise<AcceptedStory>) | undefined }


/** Paragraphs typed in a text box (blank lines between them) as HTML paragraphs. */
export const paragraphsToHtml = (text: string) => text.replace(/\r\n/g, '\n').split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean).map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`).join('\n');

export function storyRouter(deps: StoryPageDeps): Router {
  const router = Router();
  router.get('/stories/new', requirePage('editor'), (_req, res) => {
    renderPage(res, 'story-new', { title: res.locals.t('story.title'), draft: {}, available: Boolean(deps.acceptStory) });
  });
  router.post('/stories', requirePage('editor'), async (req, res) => {
    const draft = { title: String(req.body.title ?? ''), summary: String(req.body.summary ?? ''), body: String(req.body.body ?? ''), priority: req.body.priority === 'on' };
    if (!deps.acceptStory) return renderPage(res, 'story-new', { title: res.locals.t('story.title'), draft, available: false }, 503);
    try {
      const { story } = await deps.acceptStory({ title: draft.title.trim(), summary: draft.summary.trim(), bodyHtml: paragraphsToHtml(draft.body), priority: draft.priority }, req.identity!.person!.actor);
      flash(req, 'ok', res.locals.t('story.created', { id: story.id }));
      res.redirect(303, '/ui/queue');
    } catch (err) {
      if (err instanceof AppError) return renderPage(res, 'story-new', { title: res.locals.t('story.title'), draft, available: true, error: messageOf(res.locals.t, err) }, statusOf(err.code));
      throw err;
    }
  });
  return router;
}
