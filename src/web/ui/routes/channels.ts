/**
 * The social schedule pages: every channel with its state, and per channel its posts with a
 * preview of each exactly as the network will show it (the same formatter that sends it) and its
 * counted length; editors reschedule (in the channel's time zone), cancel and post now; an admin
 * puts a broken channel back to work. The work itself is src/social/control.ts, shared with the API.
 */
import { Router, type Request, type Response } from 'express';
import { AppError, statusOf } from '../../../errors.ts';
import { cancel, channelOrThrow, listChannels, listPosts, postNow, postViews, reschedule, resume, type ControlDeps, type PostView } from '../../../social/control.ts';
import { zonedInstant } from '../../../core/schedule.ts';
import { flash, requirePage } from '../context.ts';
import { renderPage } from '../render.ts';
import { messageOf } from '../messages.ts';
import { isStoredId } from '../../../core/ids.ts';

export interface ChannelPagesDeps { social: ControlDeps }

const views = Object.keys(postViews) as PostView[];

/** "2026-11-27T19:30" as typed in a datetime-local field, read in the channel's time zone. */
export function localInputToInstant(value: string, timeZone: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value.trim());
  if (!m) throw new AppError('invalid_input', `"${value}" is not a date and time`);
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  return new Date(zonedInstant(y, mo, d, h, mi, timeZone));
}

/** An instant as wall-clock text in a zone, for people and for datetime-local fields. */
const wallFormats = new Map<string, Intl.DateTimeFormat>(); // one per zone: a page shows up to 100 posts

export function wallClock(at: Date, timeZone: string): { display: string; input: string } {
  let format = wallFormats.get(timeZone);
  if (!format) wallFormats.set(timeZone, format = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short' }));
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  const input = `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
  return { display: `${parts.weekday} ${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`, input };
}

export function channelPagesRouter(deps: ChannelPagesDeps): Router {
  const router = Router();
  const social = deps.social;

  router.get('/channels', requirePage('editor'), async (_req, res) => {
    const channels = await listChannels(social);
    renderPage(res, 'social/channels', { title: res.locals.t('social-desk:channels.title'), channels });
  });

  async function schedule(req: Request, res: Response, status = 200, error?: string) {
    const row = await channelOrThrow(social, String(req.params.id));
    const view = views.includes(req.query.view as PostView) ? (req.query.view as PostView) : 'upcoming';
    const timeZone = row.settings.timeZone;
    const posts = (await listPosts(social, row.id, view, { limit: 100 })).map((p) => ({
      ...p,
      local: wallClock(p.post.scheduled_at, timeZone),
      shown: p.preview ? (p.preview.visibleText ?? p.preview.text) : p.post.sent_text,
    }));
    renderPage(res, 'social/schedule', { title: res.locals.t('social-desk:schedule.title', { channel: row.id }), channel: row, timeZone, view, views, posts, error }, status);
  }

  router.get('/channels/:id', requirePage('editor'), (req, res) => schedule(req, res));

  const act = (fn: (req: Request, res: Response) => Promise<string>) => async (req: Request, res: Response) => {
    const back = `/ui/channels/${encodeURIComponent(String(req.params.id))}${req.body?.view ? `?view=${encodeURIComponent(String(req.body.view))}` : ''}`;
    try {
      flash(req, 'ok', await fn(req, res));
      res.redirect(303, back);
    } catch (err) {
      if (err instanceof AppError && err.code !== 'not_found') return schedule(req, res, statusOf(err.code), messageOf(res.locals.t, err));
      throw err;
    }
  };
  const postId = (req: Request) => {
    const n = Number(req.params.postId);
    if (!/^\d{1,10}$/.test(String(req.params.postId)) || !isStoredId(n)) throw new AppError('not_found', 'no such post');
    return n;
  };

  router.post('/channels/:id/posts/:postId/reschedule', requirePage('editor'), act(async (req, res) => {
    const row = await channelOrThrow(social, String(req.params.id));
    const timeZone = row.settings.timeZone;
    const at = localInputToInstant(String(req.body.at ?? ''), timeZone);
    await reschedule(social, row.id, postId(req), at);
    return res.locals.t('social-desk:schedule.rescheduled', { at: wallClock(at, timeZone).display, timeZone });
  }));

  router.post('/channels/:id/posts/:postId/cancel', requirePage('editor'), act(async (req, res) => {
    await cancel(social, String(req.params.id), postId(req));
    return res.locals.t('social-desk:schedule.cancelled');
  }));

  router.post('/channels/:id/posts/:postId/post-now', requirePage('editor'), act(async (req, res) => {
    await postNow(social, String(req.params.id), postId(req));
    return res.locals.t('social-desk:schedule.postingNow');
  }));

  router.post('/channels/:id/resume', requirePage('admin'), act(async (req, res) => {
    await resume(social, String(req.params.id));
    return res.locals.t('social-desk:schedule.resumed');
  }));

  return router;
}
