/**
 * The API's shapes, in one place: `{"data": …}` for a resource, `{"data": [...], "page":
 * {"next": cursor|null}}` for a list (keyset cursors, opaque to clients), and
 * `{"error": {"code", "message"}}` with the status that fits the code.
 */
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { isStoredId, MAX_ID } from '../core/ids.ts';
import type { i18n } from 'i18next';
import { AppError, InvalidInputError, NotFoundError, PersonError, StaleVersionError, statusOf, type ErrorCode } from '../errors.ts';
import { databaseAnswers, type Db } from '../store/db.ts';

/** Answers `{"error": {"code", "message", "details"?}}` with the code's status. */
export function sendError(res: Response, code: ErrorCode, message: string, details?: unknown): void {
  res.status(statusOf(code)).json({ error: { code, message, ...(details !== undefined ? { details } : {}) } });
}

/**
 * A request body the parsers refused (express.json, express.urlencoded: body-parser's errors carry
 * a 4xx `status` and a `type`), as the error code it is, with words for the desk's page. The one
 * mapping of them, for the API and the desk alike; undefined for anything else.
 */
export function bodyError(err: unknown): PersonError | undefined {
  const e = err as { status?: unknown; type?: unknown; limit?: unknown; charset?: unknown; encoding?: unknown } | null;
  if (!e || typeof e.type !== 'string' || typeof e.status !== 'number' || e.status < 400 || e.status > 499) return undefined;
  switch (e.type) {
    case 'entity.too.large': {
      const kb = typeof e.limit === 'number' ? Math.floor(e.limit / 1024) : undefined;
      return new PersonError('payload_too_large', 'errors:body.tooLarge', { kb }, `the request body is over the limit${kb ? ` of ${kb} KiB` : ''}`);
    }
    case 'parameters.too.many':
      return new PersonError('payload_too_large', 'errors:body.tooManyFields', {}, 'the form has more fields than are accepted');
    case 'encoding.unsupported':
      return new PersonError('unsupported_media_type', 'errors:body.encoding', { encoding: String(e.encoding ?? '') }, `Content-Encoding "${String(e.encoding ?? '')}" is not supported (send identity, gzip, deflate or br)`);
    case 'charset.unsupported':
      return new PersonError('unsupported_media_type', 'errors:body.charset', { charset: String(e.charset ?? '') }, `charset "${String(e.charset ?? '')}" is not supported (send UTF-8)`);
    case 'entity.parse.failed':
      return new PersonError('invalid_input', 'errors:body.malformed', {}, 'the request body is not valid JSON');
    default:
      return new PersonError('invalid_input', 'errors:body.malformed', {}, 'the request body could not be read');
  }
}

/** How long a client is asked to wait (Retry-After, seconds) while the database is away. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * Whether an unexpected error came from the database being away: asked of the database itself
 * (an error's text is no evidence). Logged once per kind at warn level, not as a bug.
 */
export async function databaseIsAway(db: Db, err: unknown, log: { warn(obj: object, msg: string): void } | undefined): Promise<boolean> {
  if (await databaseAnswers(db)) return false;
  log?.warn({ err: (err as Error)?.message }, 'the database is not answering: request answered 503');
  return true;
}

export function sendDatabaseUnavailable(res: Response, vi?: Say): void {
  res.setHeader('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
  sendError(res, 'database_unavailable', vi ? vi('errors:api.code.database_unavailable') : 'the database is not answering at the moment; nothing was changed by this request unless it said so; try again shortly');
}

/**
 * The language an error is answered in: the first language of Accept-Language when it is Vietnamese
 * or English; without one of those, the signed-in person's desk language or that of the person who
 * made the token; else English.
 */
export function answerLanguage(req: Request): 'vi' | 'en' {
  const first = /^\s*([a-z]{2,3})\b/i.exec(req.headers['accept-language'] ?? '')?.[1]?.toLowerCase();
  if (first === 'vi' || first === 'en') return first;
  return req.identity?.locale === 'vi' ? 'vi' : 'en';
}

type Say = (key: string, values?: Record<string, unknown>) => string;

/**
 * An error's message in Vietnamese: a PersonError's own key, a missing thing named in the reader's
 * words, a refused field by its name, else the sentence of its code. English keeps each error's own
 * message (the API's words since the start); the `code` is the same in both.
 */
export function vietnameseMessage(say: Say, err: unknown): string {
  if (err instanceof PersonError) return say(err.key, err.values);
  if (err instanceof StaleVersionError) return say(err.seen === 'reviewed' ? 'errors:changedSinceRead' : 'errors:api.edited', { seen: err.basedOn, current: err.currentVersion });
  if (err instanceof NotFoundError) return say('errors:api.notFound', { what: say(`errors:api.thing.${err.what.replaceAll(' ', '_')}`, { defaultValue: err.what }), id: String(err.id) });
  if (err instanceof z.ZodError) return say('errors:api.invalidField', { field: err.issues[0]?.path.join('.') || 'body' });
  return say(`errors:api.code.${err instanceof AppError ? err.code : 'internal'}`);
}

/** The API's answer to an error: its code's status, 503 while the database is away, else 500 (logged); in the asker's language (answerLanguage). */
export function errorHandler(deps: { db: Db; i18n: i18n }): ErrorRequestHandler {
  return async (err, req, res, _next) => {
    // a failure after the answer went out (express-session saving at the end): nothing left to answer
    if (res.headersSent) return void req.log?.warn({ err: (err as Error)?.message }, 'failed after the answer was sent');
    const vi = answerLanguage(req) === 'vi' ? deps.i18n.getFixedT('vi') as Say : undefined;
    const words = (known: unknown, english: string) => (vi ? vietnameseMessage(vi, known) : english);
    const refused = bodyError(err);
    if (refused) return sendError(res, refused.code, words(refused, refused.message));
    if (err instanceof AppError) return sendError(res, err.code, words(err, err.message), err.details);
    if (err instanceof z.ZodError) {
      const issue = err.issues[0]!;
      return sendError(res, 'invalid_input', words(err, `${issue.path.join('.') || 'body'}: ${issue.message}`));
    }
    if (await databaseIsAway(deps.db, err, req.log)) return sendDatabaseUnavailable(res, vi);
    req.log?.error({ err }, 'unhandled error');
    sendError(res, 'internal', words(undefined, 'an internal error occurred; it has been logged'));
  };
}

/** No route: handed to errorHandler, so it is answered in the asker's language. */
export const notFoundHandler: RequestHandler = (_req, _res, next) => next(new AppError('not_found', 'no such route'));

export function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  return schema.parse(value);
}

/**
 * An id or version from outside: a whole number from 1 to MAX_ID (PostgreSQL's integer), so a
 * value past it is refused here (400) instead of failing in a query (500). Every route's number
 * goes through this schema: path ids (intParam), body versions, query numbers.
 */
export const storedId = z.coerce.number().int().min(1).max(MAX_ID);

/** A path parameter that names a row (`:id`), bounded like storedId; 400 invalid_input otherwise. */
export function intParam(req: Request, name: string): number {
  return intValue(req.params[name], name);
}

/** A form or body value that names a row or a version, bounded like storedId; 400 invalid_input otherwise (in the person's words on a desk page). */
export function intValue(raw: unknown, name: string): number {
  const n = storedId.safeParse(typeof raw === 'string' && !/^\d{1,10}$/.test(raw) ? Number.NaN : raw);
  if (!n.success) throw new PersonError('invalid_input', 'errors:badNumber', { name, max: MAX_ID }, `${name} must be a whole number from 1 to ${MAX_ID}, got "${String(raw).slice(0, 40)}"`);
  return n.data;
}

/** Cursor of a keyset page: the sort key of the last row, base64url-encoded. */
export interface Cursor { at: Date; id: number }

export function encodeCursor(row: { id: number }, at: Date): string {
  return Buffer.from(JSON.stringify([at.toISOString(), row.id])).toString('base64url');
}

export function decodeCursor(raw: unknown): Cursor | undefined {
  if (raw === undefined || raw === '') return undefined;
  try {
    const [at, id] = JSON.parse(Buffer.from(String(raw), 'base64url').toString()) as [string, number];
    const date = new Date(at);
    if (!isStoredId(id) || Number.isNaN(date.getTime())) throw new Error();
    return { at: date, id };
  } catch {
    throw new InvalidInputError('cursor is not one this API gave out');
  }
}

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
});

export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => { id: number; at: Date }, present: (row: T) => unknown) {
  const last = rows.at(-1);
  const key = last && rows.length === limit ? keyOf(last) : undefined;
  return { data: rows.map(present), page: { next: key ? encodeCursor({ id: key.id }, key.at) : null } };
}
