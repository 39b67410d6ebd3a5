// Small node:http helpers for the DeepL test server: body reading with a size cap, parameter
// parsing (form-urlencoded or JSON, merged with the query string) and JSON answers.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** An error that becomes an HTTP answer with DeepL's error body `{"message": ...}`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** All parameters of a request; repeated names (DeepL's `text`) keep every value, in order. */
export type Params = Map<string, string[]>;

export interface ReadBody {
  bytes: number;
  /** undefined when the body was larger than the cap (it is drained, not kept). */
  body?: Buffer;
}

/** Reads the whole body, counting every byte but keeping at most `maxBytes`. */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<ReadBody> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes <= maxBytes) chunks.push(chunk);
  }
  return bytes > maxBytes ? { bytes } : { bytes, body: Buffer.concat(chunks) };
}

function add(params: Params, name: string, value: string): void {
  const list = params.get(name);
  if (list) list.push(value);
  else params.set(name, [value]);
}

function jsonValueToString(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Query parameters first, then the body's (form-urlencoded, or JSON when the type says so). */
export function parseParams(query: URLSearchParams, body: Buffer, contentType: string | undefined): Params {
  const params: Params = new Map();
  for (const [name, value] of query) add(params, name, value);
  if (body.length === 0) return params;
  const text = body.toString('utf8');
  if ((contentType ?? '').toLowerCase().includes('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new HttpError(400, 'Invalid JSON body.');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new HttpError(400, 'JSON body must be an object.');
    }
    for (const [name, value] of Object.entries(parsed)) {
      if (value === null || value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) add(params, name, jsonValueToString(item));
    }
    return params;
  }
  for (const [name, value] of new URLSearchParams(text)) add(params, name, value);
  return params;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, contentType: string, text: string): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(text);
}
