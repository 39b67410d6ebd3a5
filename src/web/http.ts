/**
 * The API's shapes, in one place: `{"data": …}` for a resource, `{"data": [...], "page":
 * {"next": cursor|null}}` for a list (keyset cursors, opaque to clients), and
 * `{"error": {"code", "message"}}` with the status that fits the code.
 */
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { AppError, InvalidInputError, statusOf, type ErrorCode } from '../errors.ts';

/** Answers `{"error": {"code", "message", "details"?}}` with the code's status. */
export function sendError(res: Response, code: ErrorCode, message: string, details?: unknown): void {
  res.status(statusOf(code)).json({ error: { code, message, ...(details !== undefined ? { details } : {}) } });
}

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  if ((err as { type?: string }).type === 'entity.parse.failed') return sendError(res, 'invalid_input', 'the request body is not valid JSON');
  if (err instanceof AppError) return sendError(res, err.code, err.message, err.details);
  if (err instanceof z.ZodError) {
    const issue = err.issues[0]!;
    return sendError(res, 'invalid_input', `${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  req.log?.error({ err }, 'unhandled error');
  sendError(res, 'internal', 'an internal error occurred; it has been logged');
};

export const notFoundHandler: RequestHandler = (_req, res) => sendError(res, 'not_found', 'no such route');

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
