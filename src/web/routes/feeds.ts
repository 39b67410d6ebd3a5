/**
 * Serving the feed files: /feeds/… (public) and /partner/feeds/… (a partner's token required).
 * Bytes come from the in-memory copy of the files (compressed at write time), with a strong ETag
 * per encoding, Last-Modified, Cache-Control, 304 on conditional requests, and WebSub Link headers.
 * Only known file names under valid audience/topic names are served: no path reaches the disk
 * unchecked, and the partners' copies under _partner/ are never public.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Db } from '../../store/db.ts';
import { countAccess, partnerForToken } from '../../store/partners.ts';
import type { FeedFiles, StoredFeed } from '../../publish/feed-files.ts';

export interface FeedServingDeps {
  db: Db;
  files: FeedFiles;
  publicUrl: string;
  hubs: readonly string[];
  clock: () => Date;
  log?: { warn(obj: object, msg: string): void };
}

const NAME = /^[a-z0-9-]+$/;
const AUDIENCE_FILES = new Set(['rss.xml', 'atom.xml', 'feed.json', 'ninjs.json', 'news-sitemap.xml', 'index.html']);
const TOPIC_FILES = new Set(['rss.xml', 'atom.xml', 'feed.json']);
const PARTNER_FILES = new Set(['rss.xml', 'atom.xml', 'feed.json', 'ninjs.json']);
const SUBSCRIBABLE = new Set(['rss.xml', 'atom.xml', 'feed.json']);

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

function send(req: IncomingMessage, res: ServerResponse, f: StoredFeed, headers: Record<string, string>): void {
  const enc = pickEncoding(req.headers['accept-encoding'] as string | undefined);
  const common = {
    ...headers,
    etag: etagFor(f, enc),
    'last-modified': f.lastModifiedHttp,
    vary: 'Accept-Encoding',
    'x-content-type-options': 'nosniff',
  };
  if (notModified(req, f)) {
    res.writeHead(304, common);
    res.end();
    return;
  }
  const body = enc === 'br' ? f.br : enc === 'gzip' ? f.gzip : f.body;
  res.writeHead(200, {
    ...common,
    'content-type': f.type,
    'content-length': String(body.length),
    ...(enc === 'identity' ? {} : { 'content-encoding': enc }),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function plain(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(text);
}

function bearer(req: IncomingMessage, query: string): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  // feed readers cannot send headers: the token may come in the query string instead
  return new URLSearchParams(query).get('token') ?? undefined;
}

/**
 * A plain node:http handler (it also works as Express middleware): returns false when the URL is
 * not a feed URL, so the caller passes the request on.
 */
export function createFeedHandler(deps: FeedServingDeps) {
  const hubLinks = deps.hubs.map((h) => `<${h}>; rel="hub"`);
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
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
    const query = q < 0 ? '' : url.slice(q + 1);

    if (isPublic) {
      const target = publicFile(path.slice('/feeds/'.length));
      if (target && 'redirect' in target) {
        res.writeHead(301, { location: target.redirect, 'cache-control': 'public, max-age=3600' });
        res.end();
        return true;
      }
      const f = target && await deps.files.read(target.file);
      if (!f) {
        plain(res, 404, 'Not Found');
        return true;
      }
      const name = target.file.slice(target.file.lastIndexOf('/') + 1);
      const headers: Record<string, string> = { 'cache-control': 'public, max-age=60, stale-while-revalidate=30', 'access-control-allow-origin': '*' };
      if (SUBSCRIBABLE.has(name)) headers.link = [...hubLinks, `<${deps.publicUrl}${path}>; rel="self"`].join(', ');
      send(req, res, f, headers);
      return true;
    }

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
    const f = await deps.files.read(`_partner/${audience}/${file}`);
    if (!f) {
      plain(res, 404, 'Not Found');
      return true;
    }
    await countAccess(deps.db, partner.id, `${audience}/${file}`, now).catch((err) => deps.log?.warn({ err, partner: partner.id }, 'could not count a partner feed access'));
    send(req, res, f, { 'cache-control': 'private, no-cache' });
    return true;
  };
}

/** The handler as Express middleware. */
export function feedsMiddleware(deps: FeedServingDeps) {
  const handle = createFeedHandler(deps);
  return (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => {
    handle(req, res).then((done) => { if (!done) next(); }, next);
  };
}
