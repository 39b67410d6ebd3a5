/**
 * Fetching a source or an image: file: URLs (the bundled samples, config only) and http(s) through
 * undici with conditional GET, an overall deadline, a limit on the bytes received and on the bytes
 * after decompression (gzip, br, deflate: a decompression bomb stops at the limit), at most a few
 * redirects (a loop is named as one), the SSRF guard on every hop, and 429/503 Retry-After kept
 * for the backoff. Text answers are decoded by their charset and returned in NFC.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { Agent, request, type Dispatcher } from 'undici';
import { PersonError } from '../errors.ts';
import { BlockedAddressError, type AddressGuard } from './address-guard.ts';

export interface FetchOptions {
  timeoutMs: number;
  /** Bytes on the wire. */
  maxBodyBytes: number;
  /** Bytes after decompression; defaults to maxBodyBytes × 4. */
  maxDecodedBytes?: number;
  maxRedirects?: number;
  etag?: string | null;
  lastModified?: string | null;
  accept?: string;
}

export type FetchResult =
  | { status: 'not_modified' }
  | { status: 'ok'; body: string; url: string; etag: string | null; lastModified: string | null; contentType: string | null };

export interface BytesResult { bytes: Buffer; url: string; contentType: string | null; etag: string | null; lastModified: string | null }

/** Why a fetch failed, as a person reads it: a key of sources:problem and its values. */
export type FetchProblem =
  | 'fileUnreadable' | 'fileTooLarge' | 'notUrl' | 'notHttp' | 'blocked' | 'noAnswer' | 'unreachable'
  | 'redirectWithoutLocation' | 'redirectLoop' | 'tooManyRedirects' | 'httpStatus' | 'rateLimited'
  | 'tooLarge' | 'encoding' | 'timeout' | 'bomb' | 'brokeOff' | 'badEncoding';

/** A source that could not be fetched; answers 502 when a person asked for the poll. */
export class FetchError extends PersonError {
  constructor(problem: FetchProblem, values: Record<string, unknown>, message: string, readonly httpStatus?: number, readonly retryAfterSeconds?: number) {
    super('fetch_failed', `sources:problem.${problem}`, values, message);
  }
}

const FEED_ACCEPT = 'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5';
const USER_AGENT = 'doingoai/0.1 (+feed reader)';

/** A fetcher bound to one SSRF guard (and one connection pool). */
export interface Fetcher {
  fetchText(url: string, opts: FetchOptions): Promise<FetchResult>;
  fetchBytes(url: string, opts: FetchOptions): Promise<BytesResult | { status: 'not_modified' }>;
  close(): Promise<void>;
}

export function createFetcher(guard: AddressGuard): Fetcher {
  const agent = new Agent({ connect: { lookup: guard.lookup }, keepAliveTimeout: 10_000 });
  const fetchBytes = (url: string, opts: FetchOptions) => get(agent, guard, url, opts);
  return {
    fetchBytes,
    async fetchText(url, opts) {
      if (url.startsWith('file:')) return readFileSource(url, opts);
      const r = await fetchBytes(url, { accept: FEED_ACCEPT, ...opts });
      if ('status' in r) return r;
      return { status: 'ok', body: decode(r.bytes, r.contentType ?? undefined), url: r.url, etag: r.etag, lastModified: r.lastModified, contentType: r.contentType };
    },
    close: () => agent.close(),
  };
}

async function readFileSource(url: string, opts: FetchOptions): Promise<FetchResult> {
  const bytes = await readFile(fileURLToPath(url)).catch((err: NodeJS.ErrnoException) => {
    throw new FetchError('fileUnreadable', { url, reason: err.code ?? err.message }, `cannot read ${url}: ${err.code ?? err.message}`);
  });
  if (bytes.length > opts.maxBodyBytes) throw new FetchError('fileTooLarge', { limit: opts.maxBodyBytes }, `the file is larger than the ${opts.maxBodyBytes}-byte limit`);
  return { status: 'ok', body: decode(bytes, undefined), url, etag: null, lastModified: null, contentType: null };
}

async function get(agent: Dispatcher, guard: AddressGuard, startUrl: string, opts: FetchOptions): Promise<BytesResult | { status: 'not_modified' }> {
  const maxRedirects = opts.maxRedirects ?? 5;
  const signal = AbortSignal.timeout(opts.timeoutMs);
  const seen = new Set<string>();
  let url = startUrl;
  for (let hop = 0; ; hop++) {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      throw new FetchError('notUrl', { url }, `"${url}" is not a URL`);
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new FetchError('notHttp', { url }, `${url}: only http and https are fetched`);
    seen.add(target.href);
    const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: opts.accept ?? '*/*', 'accept-encoding': 'gzip, br, deflate' };
    if (opts.etag) headers['if-none-match'] = opts.etag;
    if (opts.lastModified) headers['if-modified-since'] = opts.lastModified;
    let res: Dispatcher.ResponseData;
    try {
      guard.checkHost(target.hostname);
      res = await request(target, { dispatcher: agent, headers, signal, headersTimeout: opts.timeoutMs, bodyTimeout: opts.timeoutMs });
    } catch (err) {
      const why = reason(err, opts.timeoutMs);
      throw new FetchError(why.problem, { url: target.href, seconds: opts.timeoutMs / 1000, reason: why.text }, `cannot fetch ${target.href}: ${why.text}`);
    }
    const header = (name: string) => {
      const v = res.headers[name];
      return Array.isArray(v) ? v[0] ?? null : v ?? null;
    };
    if (res.statusCode >= 300 && res.statusCode < 400 && res.statusCode !== 304) {
      await res.body.dump().catch(() => {});
      const location = header('location');
      if (!location) throw new FetchError('redirectWithoutLocation', { url: target.href, status: res.statusCode }, `${target.href} answered HTTP ${res.statusCode} without a Location`);
      const next = new URL(location, target).href;
      if (seen.has(next)) throw new FetchError('redirectLoop', { url: target.href, next }, `redirect loop: ${target.href} redirects back to ${next}`);
      if (hop + 1 > maxRedirects) throw new FetchError('tooManyRedirects', { url: startUrl, max: maxRedirects }, `too many redirects (more than ${maxRedirects}) from ${startUrl}`);
      url = next;
      continue;
    }
    if (res.statusCode === 304) {
      await res.body.dump().catch(() => {});
      return { status: 'not_modified' };
    }
    if (res.statusCode < 200 || res.statusCode >= 300) {
      await res.body.dump().catch(() => {});
      const retryAfter = parseRetryAfter(header('retry-after'));
      const what = res.statusCode === 429 ? ' (too many requests)' : '';
      const problem = res.statusCode === 429 ? 'rateLimited' : 'httpStatus';
      throw new FetchError(problem, { url: target.href, status: res.statusCode }, `${target.href} answered HTTP ${res.statusCode}${what}${retryAfter ? `; retry after ${retryAfter} s` : ''}`, res.statusCode, retryAfter);
    }
    const bytes = await readBody(res, header('content-encoding'), opts, signal);
    return { bytes, url: target.href, contentType: header('content-type'), etag: header('etag'), lastModified: header('last-modified') };
  }
}

function reason(err: unknown, timeoutMs: number): { problem: FetchProblem; text: string } {
  const e = err as Error & { cause?: Error; code?: string };
  if (e instanceof BlockedAddressError || e.cause instanceof BlockedAddressError) return { problem: 'blocked', text: (e.cause instanceof BlockedAddressError ? e.cause : e).message };
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT') return { problem: 'noAnswer', text: `no answer within ${timeoutMs} ms` };
  return { problem: 'unreachable', text: e.cause?.message ?? e.message };
}

export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) || undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(1, Math.ceil((at - Date.now()) / 1000));
}

/** Reads the body, counting wire bytes and, through the decompressor, decoded bytes. */
async function readBody(res: Dispatcher.ResponseData, encoding: string | null, opts: FetchOptions, signal: AbortSignal): Promise<Buffer> {
  const wireLimit = opts.maxBodyBytes;
  const decodedLimit = opts.maxDecodedBytes ?? opts.maxBodyBytes * 4;
  const declared = Number(res.headers['content-length']);
  if (declared > wireLimit) {
    await res.body.dump().catch(() => {});
    throw new FetchError('tooLarge', { limit: wireLimit }, `the answer is ${declared} bytes, over the ${wireLimit}-byte limit`);
  }
  const enc = (encoding ?? '').trim().toLowerCase();
  const decoder = enc === 'gzip' || enc === 'x-gzip' ? zlib.createGunzip()
    : enc === 'br' ? zlib.createBrotliDecompress()
    : enc === 'deflate' ? zlib.createInflate()
    : undefined;
  if (enc && enc !== 'identity' && !decoder) {
    await res.body.dump().catch(() => {});
    throw new FetchError('encoding', { encoding: enc }, `the answer uses an unsupported content encoding "${enc}"`);
  }
  const chunks: Buffer[] = [];
  let wire = 0;
  let decoded = 0;
  return new Promise<Buffer>((resolve, reject) => {
    let done = false;
    const fail = (err: Error) => {
      if (done) return;
      done = true;
      res.body.destroy();
      decoder?.destroy();
      reject(err);
    };
    const onAbort = () => fail(new FetchError('timeout', { seconds: opts.timeoutMs / 1000 }, `no complete answer within ${opts.timeoutMs} ms`));
    signal.addEventListener('abort', onAbort, { once: true });
    const sink = (chunk: Buffer) => {
      decoded += chunk.length;
      if (decoded > decodedLimit) return fail(decoder
        ? new FetchError('bomb', { limit: decodedLimit }, `the answer decompresses to more than ${decodedLimit} bytes (a decompression bomb?); stopped`)
        : new FetchError('tooLarge', { limit: wireLimit }, `the answer is over the ${wireLimit}-byte limit`));
      chunks.push(chunk);
    };
    const finish = () => {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', onAbort);
      resolve(Buffer.concat(chunks));
    };
    res.body.on('data', (chunk: Buffer) => {
      wire += chunk.length;
      if (wire > wireLimit) return fail(new FetchError('tooLarge', { limit: wireLimit }, `the answer is over the ${wireLimit}-byte limit`));
      if (decoder) decoder.write(chunk);
      else sink(chunk);
    });
    res.body.on('error', (err) => fail(new FetchError('brokeOff', { reason: err.message }, `the answer broke off: ${err.message}`)));
    if (decoder) {
      decoder.on('data', sink);
      decoder.on('error', (err) => fail(new FetchError('badEncoding', { encoding: enc, reason: err.message }, `the answer is not valid ${enc}: ${err.message}`)));
      decoder.on('end', finish);
      res.body.on('end', () => decoder.end());
    } else {
      res.body.on('end', finish);
    }
  });
}

/** Charset from the HTTP header, else a BOM, the XML declaration or a meta tag, else UTF-8; NFC. */
export function decode(bytes: Buffer, contentType: string | undefined): string {
  const declared = /charset=["']?([\w-]+)/i.exec(contentType ?? '')?.[1];
  let charset = declared;
  if (!charset) {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) charset = 'utf-16le';
    else if (bytes[0] === 0xfe && bytes[1] === 0xff) charset = 'utf-16be';
    else if (bytes[0] === 0x3c && bytes[1] === 0x00) charset = 'utf-16le';
    else if (bytes[0] === 0x00 && bytes[1] === 0x3c) charset = 'utf-16be';
    else {
      const head = bytes.subarray(0, 2048).toString('latin1');
      charset = /<\?xml[^>]*encoding=["']([\w-]+)["']/i.exec(head)?.[1]
        ?? /<meta[^>]+charset=["']?([\w-]+)/i.exec(head)?.[1]
        ?? 'utf-8';
    }
  }
  let label = charset.toLowerCase();
  if (label === 'utf-16') label = bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : 'utf-16le';
  let text: string;
  try {
    // windows-1258 writes tones as combining marks; NFC below composes them
    text = new TextDecoder(label).decode(bytes);
  } catch {
    text = new TextDecoder('utf-8').decode(bytes);
  }
  return text.normalize('NFC');
}
