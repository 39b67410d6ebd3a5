/** The queue page: one audience's open translations, priority stories first with their time left. */
import { Router } from 'express';
import { z } from 'zod';
import type { AudienceConfig } from '../../../core/audience.ts';
import type { Clock } from '../../../core/clock.ts';
import { claimsOf } from '../../../review/claims.ts';
import { mayWorkIn } from '../../../core/person.ts';
import { countOpen, listQueue, openStates } from '../../../review/queue.ts';
import { machineStatus } from '../../../review/machine-status.ts';
import type { Db } from '../../../store/db.ts';
import { decodeCursor, encodeCursor } from '../../http.ts';
import { relativeTime, requirePage } from '../context.ts';
import { renderPage } from '../render.ts';

export interface QueueDeps {
  db: Db; clock: Clock; audiences: readonly AudienceConfig[]; slaMinutes: number;
  /** translation.retry.maxAttempts: a failure with this many attempts is given up on. */
  maxAttempts: number;
}

const query = z.object({ audience: z.string().optional(), state: z.enum(openStates).optional(), cursor: z.string().optional() });

export function queueRouter(deps: QueueDeps): Router {
  const router = Router();
  router.get('/queue', requirePage('translator'), async (req, res) => {
    const t = res.locals.t;
    const person = req.identity!.person!;
    const parsed = query.safeParse(req.query);
    const q = parsed.success ? parsed.data : {};
    const audiences = deps.audiences.filter((a) => mayWorkIn(person, a.language));
    if (!audiences.length) return renderPage(res, 'queue', { title: t('queue.title'), audiences, audience: undefined, rows: [], counts: {}, states: openStates });
    const audience = audiences.find((a) => a.id === q.audience) ?? audiences[0]!;
    const now = deps.clock();
    const [page, counts] = await Promise.all([
      listQueue(deps.db, { audience: audience.id, state: q.state, limit: 50, after: decodeCursor(q.cursor), now }),
      countOpen(deps.db, audience.id),
    ]);
    const all = [...page.priority, ...page.items];
    const claims = await claimsOf(deps.db, all.map((r) => r.id), now);
    const rows = all.map((r) => {
      const deadline = r.priority ? r.ingestedAt.getTime() + deps.slaMinutes * 60_000 : undefined;
      const left = deadline !== undefined ? deadline - now.getTime() : undefined;
      const claim = claims.get(r.id);
      return {
        ...r,
        age: relativeTime(now.getTime() - r.createdAt.getTime(), t),
        timeLeft: left === undefined ? undefined : left >= 0 ? t('queue.left', { time: relativeTime(left, t) }) : t('queue.overdue', { time: relativeTime(left, t) }),
        overdue: left !== undefined && left < 0,
        claimedBy: claim && claim.userId !== person.userId ? claim.displayName : claim ? t('queue.you') : undefined,
        machine: machineStatus(r.machine, deps.maxAttempts, now),
      };
    });
    const next = page.next ? encodeCursor({ id: page.next.id }, page.next.at) : undefined;
    renderPage(res, 'queue', { title: t('queue.title'), audiences, audience, state: q.state, rows, counts, states: openStates, next, slaMinutes: deps.slaMinutes });
  });
  return router;
}
