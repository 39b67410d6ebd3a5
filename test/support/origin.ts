/**
 * A scriptable origin server on 127.0.0.1 for ingestion tests: each path answers through a handler,
 * so a test can send validators and 304s, redirect loops, gzip bombs, 429s and answers that hang.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface Origin {
  url: string;
  routes: Map<string, Handler>;
  /** Requests seen, in order: "GET /path" with the conditional headers. */
  log: { path: string; ifNoneMatch?: string | undefined; ifModifiedSince?: string | undefined }[];
  close(): Promise<void>;
}

export async function startOrigin(): Promise<Origin> {
  const routes = new Map<string, Handler>();
  const log: Origin['log'] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    log.push({ path: req.url ?? '', ifNoneMatch: req.headers['if-none-match'], ifModifiedSince: req.headers['if-modified-since'] });
    const handler = routes.get(req.url ?? '');
    if (!handler) {
      res.writeHead(404).end('not found');
      return;
    }
    handler(req, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    routes,
    log,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

export const body = (text: string | Buffer, type = 'application/rss+xml; charset=utf-8', headers: Record<string, string> = {}): Handler => (_req, res) => {
  res.writeHead(200, { 'content-type': type, ...headers });
  res.end(text);
};
