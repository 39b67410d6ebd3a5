/**
 * The person's own notification preferences (/ui/notifications): which events, on which channel
 * and at which address, quiet hours in their time zone, and a digest for non-urgent events; and
 * what was sent to them lately, with the reason of any that failed. Only the channels the office
 * set up are offered; the office webhook only to admins.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { isUrgent, notificationEvents, roleFor, type NotificationEvent } from '../../../core/notification-events.ts';
import { includesRole } from '../../../core/person.ts';
import type { Db } from '../../../store/db.ts';
import { getPreferences, recentNotifications, savePreferences, type Preferences } from '../../../store/notifications.ts';
import type { UserRow } from '../../../store/users.ts';
import { flash, requirePage } from '../context.ts';
import { renderPage } from '../render.ts';

export type NotifyChannelName = Preferences['channel'];

export interface NotificationPagesDeps {
  db: Db;
  clock: () => Date;
  /** The channels configured on this service (notifications: in the configuration). */
  channels: readonly NotifyChannelName[];
}

const time = z.union([z.literal(''), z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/)]);
const form = z.object({
  channel: z.enum(['email', 'telegram', 'webhook']),
  email: z.string().trim().max(254).default(''),
  telegramChatId: z.string().trim().max(64).default(''),
  events: z.union([z.string(), z.array(z.string())]).default([]).transform((v) => (Array.isArray(v) ? v : [v])),
  quietStart: time.default(''),
  quietEnd: time.default(''),
  digest: z.string().optional(),
  digestHour: z.coerce.number().int().min(0).max(23).default(8),
});

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const hhmmOf = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

export function notificationPagesRouter(deps: NotificationPagesDeps): Router {
  const router = Router();
  const offered = (user: UserRow) => deps.channels.filter((c) => c !== 'webhook' || user.role === 'admin');
  const eventsFor = (user: UserRow) => notificationEvents.filter((e) => includesRole(user.role, roleFor(e)));

  async function page(req: Request, res: Response, extra: { status?: number; error?: string; draft?: Preferences } = {}) {
    const user = req.user!;
    const prefs = extra.draft ?? await getPreferences(deps.db, user.id);
    renderPage(res, 'notifications', {
      title: res.locals.t('notify-desk:title'), prefs, channels: offered(user), events: eventsFor(user).map((e) => ({ id: e, urgent: isUrgent(e) })),
      quietStart: prefs.quiet ? hhmmOf(prefs.quiet.start) : '', quietEnd: prefs.quiet ? hhmmOf(prefs.quiet.end) : '',
      timeZone: user.time_zone, recent: await recentNotifications(deps.db, user.id), error: extra.error,
    }, extra.status ?? 200);
  }

  router.get('/notifications', requirePage('translator'), (req, res) => page(req, res));

  router.post('/notifications', requirePage('translator'), async (req, res) => {
    const t = res.locals.t;
    const user = req.user!;
    const parsed = form.safeParse(req.body ?? {});
    if (!parsed.success) return page(req, res, { status: 400, error: t('notify-desk:error.invalid') });
    const f = parsed.data;
    const allowed = new Set<string>(eventsFor(user));
    const draft: Preferences = {
      channel: f.channel, email: f.email || null, telegramChatId: f.telegramChatId || null,
      events: f.events.filter((e): e is NotificationEvent => allowed.has(e)),
      quiet: f.quietStart && f.quietEnd ? { start: minutesOf(f.quietStart), end: minutesOf(f.quietEnd) } : null,
      digest: f.digest === 'on', digestHour: f.digestHour,
    };
    const fail = (key: string) => page(req, res, { status: 400, error: t(key), draft });
    if (!offered(user).includes(f.channel)) return fail('notify-desk:error.channel');
    if (f.channel === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(f.email)) return fail('notify-desk:error.email');
    if (f.channel === 'telegram' && !/^(-?\d{1,20}|@[A-Za-z0-9_]{5,32})$/.test(f.telegramChatId)) return fail('notify-desk:error.telegram');
    if (Boolean(f.quietStart) !== Boolean(f.quietEnd)) return fail('notify-desk:error.quiet');
    await savePreferences(deps.db, user.id, draft, deps.clock());
    flash(req, 'ok', t('notify-desk:saved'));
    res.redirect(303, '/ui/notifications');
  });

  return router;
}
