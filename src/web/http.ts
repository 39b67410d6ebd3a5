/**
 * The API's shapes, in one place: `{"data": …}` for a resource, `{"data": [...], "page":
 * {"next": cursor|null}}` for a list (keyset cursors, opaque to clients), and
 * `{"error": {"code", "message"}}` with the status that fits the code.
 */
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { z } from 'zod';
import { AppError, InvalidInputError } from '../errors.ts';

const statusByCode: Record<string, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  csrf_failed: 403,
  not_found: 404,
  stale_version: 409,
  illegal_transition: 409,
  conflict: 409,
  feed_unreadable: 422,
  fetch_failed: 502,
  rate_limited: 429,
};

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  if ((err as { type?: string }).type === 'entity.parse.failed') {
    res.status(400).json({ error: { code: 'invalid_input', message: 'the request body is not valid JSON' } });
    return;
  }
  if (err instanceof AppError) {
    const status = statusByCode[err.code] ?? 422;
    const body: Record<string, unknown> = { code: err.code, message: err.message };
    if (err.details !== undefined) body.details = err.details;
    res.status(status).json({ error: body });
    return;
  }
  if (err instanceof z.ZodError) {
    const issue = err.issues[0]!;
    res.status(400).json({ error: { code: 'invalid_input', message: `${issue.path.join('.') || 'body'}: ${issue.message}` } });
    return;
  }
  req.log?.error({ err }, 'unhandled error');
  res.status(500).json({ error: { code: 'internal', message: 'an internal error occurred; it has been logged' } });
};

export const notFoundHandler: RequestHandler = (_req, res) => {
  res.status(404).json({ error: { code: 'not_found', message: 'no such route' } });
};

export function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  return schema.parse(value);
}

export function intParam(req: Request, name: string): number {
  const raw = req.params[name];
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidInputError(`${name} must be a positive integer, got "${raw}"`);
  return n;
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
    if (!Number.isInteger(id) || Number.isNaN(date.getTime())) throw new Error();
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
