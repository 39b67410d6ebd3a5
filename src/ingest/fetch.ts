/**
 * Fetching a source: file: URLs (the bundled samples) and http(s) with a timeout, a body-size limit
 * and conditional GET. Returns the decoded text; never follows more than a few redirects.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export interface FetchOptions {
  timeoutMs: number;
  maxBodyBytes: number;
  etag?: string | null;
  lastModified?: string | null;
}

export type FetchResult =
  | { status: 'not_modified' }
  | { status: 'ok'; body: string; url: string; etag: string | null; lastModified: string | null };

export class FetchError extends Error {
  readonly code = 'fetch_failed';
  constructor(message: string, readonly httpStatus?: number, readonly retryAfterSeconds?: number) {
    super(message);
  }
}

export async function fetchSource(url: string, opts: FetchOptions): Promise<FetchResult> {
  if (url.startsWith('file:')) {
    const bytes = await readFile(fileURLToPath(url)).catch((err: NodeJS.ErrnoException) => {
      throw new FetchError(`cannot read ${url}: ${err.code ?? err.message}`);
    });
    if (bytes.length > opts.maxBodyBytes) throw new FetchError(`the file is larger than ${opts.maxBodyBytes} bytes`);
    return { status: 'ok', body: decode(bytes, undefined), url, etag: null, lastModified: null };
  }
  const headers: Record<string, string> = { 'user-agent': 'doingoai/0.1 (+feed reader)', accept: 'application/rss+xml, application/atom+xml, application/feed+json, application/xml, text/xml, text/html;q=0.8, */*;q=0.5' };
  if (opts.etag) headers['if-none-match'] = opts.etag;
  if (opts.lastModified) headers['if-modified-since'] = opts.lastModified;
  let response: Response;
  try {
    response = await fetch(url, { headers, signal: AbortSignal.timeout(opts.timeoutMs), redirect: 'follow' });
  } catch (err) {
    const reason = (err as Error).name === 'TimeoutError' ? `no answer within ${opts.timeoutMs} ms` : (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
    throw new FetchError(`cannot fetch ${url}: ${reason}`);
  }
  if (response.status === 304) return { status: 'not_modified' };
  if (!response.ok) {
    const retryAfter = Number(response.headers.get('retry-after'));
    await response.body?.cancel();
    throw new FetchError(`${url} answered HTTP ${response.status}`, response.status, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
  }
  const bytes = await readLimited(response, opts.maxBodyBytes);
  return {
    status: 'ok',
    body: decode(bytes, response.headers.get('content-type') ?? undefined),
    url: response.url || url,
    etag: response.headers.get('etag'),
    lastModified: response.headers.get('last-modified'),
  };
}

async function readLimited(response: Response, limit: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > limit) {
    await response.body?.cancel();
    throw new FetchError(`the answer is ${declared} bytes, over the ${limit}-byte limit`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += chunk.length;
    if (size > limit) throw new FetchError(`the answer is over the ${limit}-byte limit`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/** Charset from the HTTP header, else the XML declaration or meta tag, else UTF-8. */
export function decode(bytes: Buffer, contentType: string | undefined): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  const head = bytes.subarray(0, 1024).toString('latin1');
  const charset = /charset=["']?([\w-]+)/i.exec(contentType ?? '')?.[1]
    ?? /<\?xml[^>]*encoding=["']([\w-]+)["']/i.exec(head)?.[1]
    ?? /<meta[^>]+charset=["']?([\w-]+)/i.exec(head)?.[1]
    ?? 'utf-8';
  try {
    return new TextDecoder(charset.toLowerCase()).decode(bytes).normalize('NFC');
  } catch {
    return new TextDecoder('utf-8').decode(bytes).normalize('NFC');
  }
}
