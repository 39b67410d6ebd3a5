/**
 * Serving the public site before Express, like the feeds: pages, the stylesheet and logos, robots.txt
 * and the sitemaps. A rendered page is kept in memory (with its gzip and brotli forms) and answered
 * from there until the site changes: every feed rebuild (a publication, correction, takedown, an
 * embargo lifting, here or on another instance) clears the pages (`PageCache.clear`), and no page is
 * kept longer than MAX_AGE_MS in any case. Pages carry a strict Content-Security-Policy: no script,
 * no inline style, one same-origin stylesheet, images from our own origin.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import zlib from 'node:zlib';
import type { StoredFeed } from '../../publish/feed-files.ts';
import type { Site, SiteAnswer } from '../../publish/site/site.ts';
import { send } from './feeds.ts';

export const PAGE_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const MAX_AGE_MS = 5 * 60_000;
const MAX_PAGES = 2000;
const HIT = 'cache;desc="hit"';

/** A fixed asset: bytes, type, and a URL that changes with its content (so it is cached for a year). */
export interface SiteAsset { path: string; type: string; body: Buffer }

interface CachedPage { stored: StoredFeed; status: number; audienceId: string; madeAt: number; renderMs: number }

/** Rendered pages by path; cleared whenever anything public changes. */
export class PageCache {
  private pages = new Map<string, CachedPage>();
  private generation = 0;

  get version(): number { return this.generation; }

  /** Forget every page: called after each feed rebuild. */
  clear(): void {
    this.generation++;
    this.pages = new Map();
  }

  get(path: string, now: number): CachedPage | undefined {
    const page = this.pages.get(path);
    if (page && now - page.madeAt > MAX_AGE_MS) {
      this.pages.delete(path);
      return undefined;
    }
    return page;
  }

  /** Keeps a page made while the site was at `generation` (a page made before a change is dropped). */
  put(path: string, page: CachedPage, generation: number): void {
    if (generation !== this.generation) return;
    if (this.pages.size >= MAX_PAGES) this.pages.delete(this.pages.keys().next().value!);
    this.pages.set(path, page);
  }
}

export function storedPage(content: string | Buffer, type = 'text/html; charset=utf-8', at = new Date()): StoredFeed {
  const body = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const lastModified = new Date(Math.floor(at.getTime() / 1000) * 1000);
  let gzip: Buffer | undefined;
  let br: Buffer | undefined;
  return {
    body,
    // compressed when first asked for in that encoding (most readers want one of the two), then kept with the page
    get gzip() { return gzip ??= zlib.gzipSync(body, { level: 6 }); },
    get br() { return br ??= zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5, [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT } }); },
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    lastModified,
    lastModifiedHttp: lastModified.toUTCString(),
    type,
    identity: '',
    checkedAt: 0,
  };
}

export interface SiteServingDeps {
  site: Site;
  cache: PageCache;
  assets: readonly SiteAsset[];
  clock: () => Date;
  log: { error(obj: object, msg: string): void };
}

const pageHeaders = (status: number, audienceId: string, language: string | undefined): Record<string, string> => ({
  'cache-control': status === 200 ? 'public, max-age=60, stale-while-revalidate=300' : status === 410 ? 'public, max-age=3600' : 'public, max-age=60',
  'content-security-policy': PAGE_CSP,
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
  ...(language ? { 'content-language': language } : {}),
  'x-audience': audienceId,
});

/**
 * A node:http handler: answers a site URL and returns true (or a promise of true), or false for any
 * other URL so the caller passes the request on (the desk, the API). A cached page is answered
 * synchronously, with no I/O.
 */
export function createSiteHandler(deps: SiteServingDeps, languageOf: (audienceId: string) => string | undefined) {
  const assets = new Map(deps.assets.map((a) => [a.path, storedPage(a.body, a.type)]));
  const assetHeaders = { 'cache-control': 'public, max-age=31536000, immutable', 'cross-origin-resource-policy': 'cross-origin' };

  // a kept page's headers are the same for every hit: made once per page version (WeakMap, so they go with it)
  const hitHeaders = new WeakMap<CachedPage, Record<string, string>>();
  function answerPage(req: IncomingMessage, res: ServerResponse, path: string, page: CachedPage, timing: string) {
    let headers = timing === HIT ? hitHeaders.get(page) : undefined;
    if (!headers) {
      headers = { ...pageHeaders(page.status, page.audienceId, languageOf(page.audienceId)), 'server-timing': timing };
      if (timing === HIT) hitHeaders.set(page, headers);
    }
    if (page.status !== 200) {
      const p = page.stored;
      const body = req.method === 'HEAD' ? undefined : p.body;
      res.writeHead(page.status, { ...headers, 'content-type': p.type, 'content-length': String(p.body.length), 'x-content-type-options': 'nosniff' });
      res.end(body);
      return;
    }
    // headers are prepared once per page version and key: a hit and the render that made it differ in Server-Timing
    send(req, res, page.stored, `${path}#${timing === HIT ? 'hit' : 'made'}`, headers);
  }

  async function render(req: IncomingMessage, res: ServerResponse, path: string, query: string): Promise<boolean> {
    const generation = deps.cache.version;
    const started = performance.now();
    // robots.txt and sitemaps: kept like pages
    const doc = deps.site.document(path);
    if (doc) {
      const made = await doc;
      if (!made) return false;
      const page: CachedPage = { stored: storedPage(made.body, made.type, deps.clock()), status: 200, audienceId: '', madeAt: Date.now(), renderMs: performance.now() - started };
      deps.cache.put(path, page, generation);
      send(req, res, page.stored, path, { 'cache-control': 'public, max-age=300' });
      return true;
    }
    const params = new URLSearchParams(query);
    const answer: SiteAnswer | undefined = await deps.site.answer(path, params, req.headers['accept-language'] as string | undefined);
    if (!answer) return false;
    if ('location' in answer) {
      res.writeHead(answer.status, {
        location: answer.location,
        'cache-control': answer.negotiated ? 'private, max-age=60' : 'public, max-age=3600',
        ...(answer.negotiated ? { vary: 'Accept-Language' } : {}),
      });
      res.end();
      return true;
    }
    const stored = storedPage(answer.html, 'text/html; charset=utf-8', deps.clock());
    // the server's time for the page: reading, rendering and compressing it
    const renderMs = performance.now() - started;
    const page: CachedPage = { stored, status: answer.status, audienceId: answer.audienceId, madeAt: Date.now(), renderMs };
    if (answer.cacheable && !query) deps.cache.put(path, page, generation);
    answerPage(req, res, path, page, `app;dur=${renderMs.toFixed(2)}`);
    return true;
  }

  return (req: IncomingMessage, res: ServerResponse): boolean | Promise<boolean> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const asset = assets.get(path);
    if (asset) {
      send(req, res, asset, path, assetHeaders);
      return true;
    }
    if (path.startsWith('/site/')) return false;
    if (q < 0) {
      const cached = deps.cache.get(path, Date.now());
      if (cached) {
        if (cached.audienceId) answerPage(req, res, path, cached, HIT);
        else send(req, res, cached.stored, path, { 'cache-control': 'public, max-age=300' });
        return true;
      }
    }
    return render(req, res, path, q < 0 ? '' : url.slice(q + 1)).catch((err) => {
      deps.log.error({ err, url }, 'rendering a public page failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end('Internal Server Error');
      return true;
    });
  };
}
