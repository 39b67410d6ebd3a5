/**
 * Serving the feed files: /feeds/… (public) and /partner/feeds/… (a partner's token required).
 * Bytes come from the in-memory copy of the files (compressed at write time), with a strong ETag
 * per encoding, Last-Modified, Cache-Control, 304 on conditional requests, and WebSub Link headers.
 * Only known file names under valid audience/topic names are served: no path reaches the disk
 * unchecked, and the partners' copies under _partner/ are never public.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../core/clock.ts';
import type { Db } from '../../store/db.ts';
import { countAccess, partnerForToken } from '../../store/partners.ts';
import type { FeedFiles, StoredFeed } from '../../publish/feed-files.ts';

export interface FeedServingDeps {
  db: Db;
  files: FeedFiles;
  publicUrl: string;
  hubs: readonly string[];
  clock: Clock;
  log?: { warn(obj: object, msg: string): void };
  /** A sentence in the language the request asks for (Accept-Language: Vietnamese or English). */
  say(acceptLanguage: string | undefined, key: string, values: Record<string, string>): string;
}

const NAME = /^[a-z0-9-]+$/;
const AUDIENCE_FILES = new Set(['rss.xml', 'atom.xml', 'feed.json', 'ninjs.json', 'news-sitemap.xml', 'index.html']);
const TOPIC_FILES = new Set(['rss.xml', 'atom.xml', 'feed.json']);
const PARTNER_FILES = new Set(['rss.xml', 'atom.xml', 'feed.json', 'ninjs.json']);
const SUBSCRIBABLE = new Set(['rss.xml', 'atom.xml', 'feed.json']);
const PARTNER_HEADERS = { 'cache-control': 'private, no-cache' };

/** The file under feedsDir for a public path below /feeds/, or a redirect, or undefined. */
export function publicFile(path: string): { file: string } | { redirect: string } | undefined {
  if (path === 'index.opml') return { file: 'index.opml' };
  const parts = path.split('/');
  const [audience, second, third] = parts;
  if (!audience || !NAME.test(audience)) return undefined;
  if (parts.length === 1) return { redirect: `/feeds/${audience}/` };
  if (parts.length === 2) {
    if (second === '') return { file: `${audience}/index.html` };
    return AUDIENCE_FILES.has(second!) ? { file: `${audience}/${second}` } : undefined;
  }
  if (parts.length === 3 && NAME.test(second!) && TOPIC_FILES.has(third!)) return { file: `${audience}/${second}/${third}` };
  return undefined;
}

type Encoding = 'br' | 'gzip' | 'identity';

/** The best encoding the client accepts (br, then gzip); q=0 refuses one. */
export function pickEncoding(header: string | undefined): Encoding {
  if (!header) return 'identity';
  let br = false;
  let gzip = false;
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const refused = params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p));
    if (name === 'br' && !refused) br = true;
    else if ((name === 'gzip' || name === 'x-gzip') && !refused) gzip = true;
    else if (name === '*' && !refused) { br = true; gzip = true; }
  }
  return br ? 'br' : gzip ? 'gzip' : 'identity';
}

// clients send a handful of distinct Accept-Encoding values: parse each once (bounded)
const encodings = new Map<string, Encoding>();
function encodingOf(header: string | undefined): Encoding {
  if (!header) return 'identity';
  let enc = encodings.get(header);
  if (enc === undefined) {
    enc = pickEncoding(header);
    if (encodings.size < 256) encodings.set(header, enc);
  }
  return enc;
}

const etagFor = (f: StoredFeed, enc: Encoding) => (enc === 'identity' ? f.etag : `${f.etag.slice(0, -1)}-${enc}"`);

/** RFC 9110 §13.1.2/13.1.3: If-None-Match wins over If-Modified-Since; any encoding's tag matches. */
export function notModified(req: IncomingMessage, f: StoredFeed): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) {
    const base = f.etag.slice(1, -1);
    return inm.split(',').some((raw) => {
      const tag = raw.trim().replace(/^W\//, '');
      if (tag === '*') return true;
      const opaque = tag.slice(1, -1).replace(/-(gzip|br)$/, '');
      return opaque === base;
    });
  }
  const ims = req.headers['if-modified-since'];
  if (ims) {
    const t = Date.parse(ims);
    return Number.isFinite(t) && f.lastModified.getTime() <= t;
  }
  return false;
}

interface Prepared { etag: string; body: Buffer; ok: string[]; notModified: string[] }

// The answer's headers depend only on the file version, the encoding and the URL: built once as raw
// header lists (per stored version, so they go with it when the file changes).
const prepared = new WeakMap<StoredFeed, Map<string, Prepared>>();

function prepare(f: StoredFeed, enc: Encoding, key: string, headers: Record<string, string>): Prepared {
  let byKey = prepared.get(f);
  if (!byKey) prepared.set(f, byKey = new Map());
  const k = `${enc} ${key}`;
  let p = byKey.get(k);
  if (!p) {
    const etag = etagFor(f, enc);
    const body = enc === 'br' ? f.br : enc === 'gzip' ? f.gzip : f.body;
    // no scripts or frames in any feed file; the discovery pages use the site's stylesheet (a caller may set its own policy)
    const policy = headers['content-security-policy'] ? [] : ['content-security-policy', "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"];
    const common = [...Object.entries(headers).flat(), 'etag', etag, 'last-modified', f.lastModifiedHttp, 'vary', 'Accept-Encoding', 'x-content-type-options', 'nosniff', ...policy];
    p = { etag, body, notModified: common, ok: [...common, 'content-type', f.type, 'content-length', String(body.length), ...(enc === 'identity' ? [] : ['content-encoding', enc])] };
    if (byKey.size < 64) byKey.set(k, p);
  }
  return p;
}

/**
 * Answers with a stored file's bytes in the encoding the client accepts, or a body-less 304; `key`
 * names the URL (headers are prepared once per version, encoding and key). Also serves the site's pages.
 */
export function send(req: IncomingMessage, res: ServerResponse, f: StoredFeed, key: string, headers: Record<string, string>): void {
  const p = prepare(f, encodingOf(req.headers['accept-encoding']), key, headers);
  const inm = req.headers['if-none-match'];
  if (inm === p.etag || ((inm !== undefined || req.headers['if-modified-since']) && notModified(req, f))) {
    res.writeHead(304, p.notModified);
    res.end();
    return;
  }
  res.writeHead(200, p.ok);
  res.end(req.method === 'HEAD' ? undefined : p.body);
}

function plain(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'content-security-policy': "default-src 'none'; frame-ancestors 'none'", ...headers });
  res.end(text);
}

function bearer(req: IncomingMessage, query: string): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  // feed readers cannot send headers: the token may come in the query string instead
  return new URLSearchParams(query).get('token') ?? undefined;
}

/**
 * A plain node:http handler: answers a feed URL and returns true (or a promise of true), or returns
 * false for any other URL so the caller passes the request on. A file in memory is answered
 * synchronously, with no I/O and no promise.
 */
export function createFeedHandler(deps: FeedServingDeps) {
  const hubLinks = deps.hubs.map((h) => `<${h}>; rel="hub"`);
  const byPath = new Map<string, Record<string, string>>();
  const publicHeaders = (path: string, name: string): Record<string, string> => {
    let headers = byPath.get(path);
    if (headers) return headers;
    headers = { 'cache-control': 'public, max-age=60, stale-while-revalidate=30', 'access-control-allow-origin': '*' };
    if (SUBSCRIBABLE.has(name)) headers.link = [...hubLinks, `<${deps.publicUrl}${path}>; rel="self"`].join(', ');
    // only paths of files that exist get here, so the map stays as small as the set of feeds
    byPath.set(path, headers);
    return headers;
  };

  async function servePublicFromDisk(req: IncomingMessage, res: ServerResponse, path: string, file: string): Promise<boolean> {
    const f = await deps.files.read(file);
    if (!f) plain(res, 404, 'Not Found');
    else send(req, res, f, path, publicHeaders(path, file.slice(file.lastIndexOf('/') + 1)));
    return true;
  }

  async function servePartner(req: IncomingMessage, res: ServerResponse, path: string, query: string): Promise<boolean> {
    const [audience, file, ...rest] = path.slice('/partner/feeds/'.length).split('/');
    if (!audience || !NAME.test(audience) || !file || !PARTNER_FILES.has(file) || rest.length) {
      plain(res, 404, 'Not Found');
      return true;
    }
    const token = bearer(req, query);
    const now = deps.clock();
    const partner = token ? await partnerForToken(deps.db, token, now) : undefined;
    if (!partner) {
      plain(res, 401, 'A partner token is required: Authorization: Bearer <token>, or ?token=<token>.', { 'www-authenticate': 'Bearer realm="partner feeds"' });
      return true;
    }
    // a token reads the audiences its partner was granted, and no other (store/partners.ts)
    if (!partner.audiences.includes(audience)) {
      plain(res, 403, deps.say(req.headers['accept-language'], 'partners:feedNotGranted', { audience }));
      return true;
    }
    const f = await deps.files.read(`_partner/${audience}/${file}`);
    if (!f) {
      plain(res, 404, 'Not Found');
      return true;
    }
    send(req, res, f, 'partner', PARTNER_HEADERS);
    // counted after the bytes are on their way: the partner does not wait for the bookkeeping
    void countAccess(deps.db, partner.id, `${audience}/${file}`, now).catch((err) => deps.log?.warn({ err, partner: partner.id }, 'could not count a partner feed access'));
    return true;
  }

  return (req: IncomingMessage, res: ServerResponse): boolean | Promise<boolean> => {
    const url = req.url ?? '';
    const isPublic = url.startsWith('/feeds/');
    const isPartner = !isPublic && url.startsWith('/partner/feeds/');
    if (!isPublic && !isPartner) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      plain(res, 405, 'Method Not Allowed', { allow: 'GET, HEAD' });
      return true;
    }
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (isPartner) return servePartner(req, res, path, q < 0 ? '' : url.slice(q + 1));

    const target = publicFile(path.slice('/feeds/'.length));
    if (!target) {
      plain(res, 404, 'Not Found');
      return true;
    }
    if ('redirect' in target) {
      res.writeHead(301, { location: target.redirect, 'cache-control': 'public, max-age=3600' });
      res.end();
      return true;
    }
    const cached = deps.files.peek(target.file);
    if (!cached) return servePublicFromDisk(req, res, path, target.file);
    send(req, res, cached, path, publicHeaders(path, target.file.slice(target.file.lastIndexOf('/') + 1)));
    return true;
  };
}
