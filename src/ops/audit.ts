/**
 * The audit trail: every state-changing request (POST, PUT, PATCH, DELETE) is recorded after its
 * answer — who, when, what, from where, and whether it was allowed — without each route having to
 * remember to. State changes made by the service itself (machine drafts, outdated stories) are in
 * translation_events. Secrets in request bodies are never recorded.
 */
import type { Request, RequestHandler } from 'express';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import type { AuditRow } from '../store/schema-operations.ts';

const SECRET_KEYS = /pass(word)?|token|secret|key|csrf|session/i;
const CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface AuditDeps { db: Db; log: Logger; actorOf(req: Request): string }

/** Keeps the shape of a body (keys and short values), never secrets or long texts. */
export function summarizeBody(body: unknown): Record<string, unknown> | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (SECRET_KEYS.test(key)) out[key] = '[redacted]';
    else if (typeof value === 'string') out[key] = value.length > 200 ? `${value.slice(0, 200)}… (${value.length} characters)` : value;
    else if (typeof value === 'number' || typeof value === 'boolean' || value === null) out[key] = value;
    else out[key] = Array.isArray(value) ? `[${value.length} items]` : '{…}';
  }
  return Object.keys(out).length ? out : null;
}

export function auditTrail(deps: AuditDeps): RequestHandler {
  return (req, res, next) => {
    if (!CHANGING.has(req.method)) return next();
    res.on('finish', () => {
      const path = req.route?.path ? `${req.baseUrl}${req.route.path}` : req.originalUrl.split('?')[0]!;
      const route = path.length > 1 ? path.replace(/\/$/, '') : path;
      deps.db.insertInto('audit_log').values({
        actor: deps.actorOf(req),
        action: `${req.method} ${route}`,
        target: req.originalUrl.split('?')[0]!.slice(0, 500),
        status: res.statusCode,
        ip: req.ip ?? null,
        request_id: String(req.id ?? '') || null,
        details: JSON.stringify(summarizeBody(req.body)),
      }).execute().catch((err: Error) => deps.log.error({ err: err.message }, 'could not record the audit entry'));
    });
    next();
  };
}

export interface AuditQuery {
  actor?: string | undefined;
  action?: string | undefined;
  since?: Date | undefined;
  /** Entries before this moment (the end of a day chosen in the desk). */
  until?: Date | undefined;
  /** Entries whose target is one of these paths or below one (a story and its translations). */
  targets?: readonly string[] | undefined;
  before?: { at: Date; id: number } | undefined;
  limit: number;
}

export function listAudit(db: Db, q: AuditQuery): Promise<AuditRow[]> {
  let query = db.selectFrom('audit_log').selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(q.limit);
  if (q.actor) query = query.where('actor', '=', q.actor);
  if (q.action) query = query.where('action', 'ilike', `%${q.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (q.since) query = query.where('at', '>=', q.since);
  if (q.until) query = query.where('at', '<', q.until);
  if (q.targets) {
    const targets = q.targets;
    query = query.where((eb) => eb.or(targets.flatMap((t) => [eb('target', '=', t), eb('target', 'like', `${t.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`)])));
  }
  if (q.before) {
    const { at, id } = q.before;
    query = query.where((eb) => eb.or([eb('at', '<', at), eb.and([eb('at', '=', at), eb('id', '<', id)])]));
  }
  return query.execute();
}

/** The audit trail's targets that name a story: the story itself and each of its translations, by API and by desk. */
export async function storyTargets(db: Db, storyId: number): Promise<string[]> {
  const ids = (await db.selectFrom('translations').select('id').where('story_id', '=', storyId).execute()).map((r) => r.id);
  return [`/api/v1/stories/${storyId}`, `/ui/stories/${storyId}`, ...ids.flatMap((id) => [`/api/v1/translations/${id}`, `/ui/translations/${id}`])];
}
