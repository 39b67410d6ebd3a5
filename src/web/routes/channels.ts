/**
 * /api/v1/channels: social channels and their schedules. Editors read and act on posts; an admin
 * puts a broken channel back to work after fixing its credentials.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { ChannelRow, SocialPostRow } from '../../social/store.ts';
import { cancel, channelOrThrow, listChannels, listPosts, postNow, reschedule, resume, type ControlDeps, type PostView, type PostWithPreview } from '../../social/control.ts';
import { requireRole } from '../auth.ts';
import { decodeCursor, encodeCursor, intParam, pageQuery, parse } from '../http.ts';

export interface ChannelsDeps {
  social: ControlDeps;
}

const postsQuery = pageQuery.extend({ status: z.enum(['upcoming', 'sent', 'failed', 'cancelled']).default('upcoming') });
const rescheduleBody = z.strictObject({ at: z.iso.datetime({ offset: true }) });

export function presentChannel(row: ChannelRow, counts: Record<string, number> = {}) {
  const s = row.settings;
  return {
    id: row.id, network: row.network, audience: row.audience_id, status: row.status, statusReason: row.status_reason,
    statusChangedAt: row.status_changed_at, pausedUntil: row.paused_until,
    windows: s.windows, timeZone: s.timeZone, maxPostsPerWindow: s.maxPostsPerWindow, spacingMinutes: s.spacingMinutes,
    hashtags: s.hashtags, catchUp: s.catchUp, catchUpGraceMinutes: s.catchUpGraceMinutes, target: s.target, server: s.server,
    posts: {
      upcoming: (counts.scheduled ?? 0) + (counts.sending ?? 0) + (counts.unknown ?? 0),
      sent: counts.sent ?? 0, failed: (counts.failed ?? 0) + (counts.skipped ?? 0), cancelled: counts.cancelled ?? 0,
    },
  };
}

export function presentPost(p: SocialPostRow, extra: Omit<PostWithPreview, 'post'> = { title: null, preview: null }) {
  return {
    id: p.id, channel: p.channel_id, translationId: p.translation_id, status: p.status, priority: p.priority,
    windowAt: p.window_at, scheduledAt: p.scheduled_at, nextAttemptAt: p.next_attempt_at, attempts: p.attempts,
    outcomeUnknown: p.outcome_unknown, sentAt: p.sent_at, networkPostId: p.network_post_id, networkUrl: p.network_url,
    sentText: p.sent_text, errorCode: p.error_code, error: p.error, removal: p.removal, removedAt: p.removed_at,
    title: extra.title, preview: extra.preview,
  };
}

export function channelsRouter(deps: ChannelsDeps): Router {
  const router = Router();
  const social = deps.social;
  router.use(requireRole('editor'));

  router.get('/', async (_req, res) => {
    res.json({ data: (await listChannels(social)).map((c) => presentChannel(c.row, c.counts)) });
  });

  router.get('/:id', async (req, res) => {
    const row = await channelOrThrow(social, req.params.id!);
    const counts = (await listChannels(social)).find((c) => c.row.id === row.id)?.counts;
    res.json({ data: presentChannel(row, counts) });
  });

  router.get('/:id/posts', async (req, res) => {
    const q = parse(postsQuery, req.query);
    const after = decodeCursor(q.cursor);
    const rows = await listPosts(social, req.params.id!, q.status as PostView, { limit: q.limit, after });
    const last = rows.at(-1);
    res.json({
      data: rows.map((r) => presentPost(r.post, r)),
      page: { next: last && rows.length === q.limit ? encodeCursor({ id: last.post.id }, last.post.scheduled_at) : null },
    });
  });

  router.post('/:id/posts/:postId/reschedule', async (req, res) => {
    const { at } = parse(rescheduleBody, req.body);
    res.json({ data: presentPost(await reschedule(social, req.params.id!, intParam(req, 'postId'), new Date(at))) });
  });

  router.post('/:id/posts/:postId/cancel', async (req, res) => {
    res.json({ data: presentPost(await cancel(social, req.params.id!, intParam(req, 'postId'))) });
  });

  router.post('/:id/posts/:postId/post-now', async (req, res) => {
    res.status(202).json({ data: presentPost(await postNow(social, req.params.id!, intParam(req, 'postId'))) });
  });

  router.post('/:id/resume', requireRole('admin'), async (req, res) => {
    res.json({ data: presentChannel(await resume(social, String(req.params.id))) });
  });

  return router;
}
