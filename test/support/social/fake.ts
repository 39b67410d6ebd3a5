/**
 * The base of the local fake network servers: node:http on 127.0.0.1, every request recorded,
 * answers injected ahead of the real handling (429, 503, 401, …), and hooks that run after a
 * request was handled but before it is answered (to hang, cut the connection, or kill the client
 * process: "the post exists, the client never heard").
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import https from 'node:https';

const tls = () => ({
  key: readFileSync(new URL('../../fixtures/tls/localhost.key', import.meta.url)),
  cert: readFileSync(new URL('../../fixtures/tls/localhost.crt', import.meta.url)),
});

/**
 * Makes this process's default HTTPS agent trust the fixture certificate (for a client library
 * that takes no agent of its own); returns the undo.
 */
export function trustTestCertificate(): () => void {
  const options = https.globalAgent.options as { ca?: unknown };
  const before = options.ca;
  options.ca = tls().cert;
  return () => { options.ca = before; };
}

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Route = (req: Recorded) => Answer | undefined | Promise<Answer | undefined>;

/** What to do after handling a matching request instead of answering it. */
export type AfterHandling = 'hang' | 'destroy' | ((req: Recorded) => void);

export interface FakeServer {
  url: string;
  requests: Recorded[];
  /** The next requests matching `match` get these answers, in order, without being handled. */
  fail(match: RegExp, ...answers: Answer[]): void;
  /** The next request matching `match` is handled (the post is made), then `what` happens instead of the answer. */
  afterHandling(match: RegExp, what: AfterHandling): void;
  close(): Promise<void>;
}

/** Parses a multipart or urlencoded body as the WHATWG FormData (undici's parser). */
export async function formOf(req: Recorded): Promise<FormData> {
  return new Request('http://x/', { method: 'POST', headers: { 'content-type': String(req.headers['content-type']) }, body: new Uint8Array(req.body) }).formData();
}

export function jsonOf<T = Record<string, unknown>>(req: Recorded): T {
  return JSON.parse(req.body.toString('utf8') || '{}') as T;
}

export async function startFake(route: Route, opts: { https?: boolean } = {}): Promise<FakeServer> {
  const faults: { match: RegExp; answer: Answer }[] = [];
  const hooks: { match: RegExp; what: AfterHandling }[] = [];
  const requests: Recorded[] = [];
  const held = new Set<ServerResponse>();
  const take = <T extends { match: RegExp }>(list: T[], line: string) => {
    const i = list.findIndex((f) => f.match.test(line));
    return i >= 0 ? list.splice(i, 1)[0] : undefined;
  };
  const listener: RequestListener = async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
    const url = new URL(req.url ?? '/', 'http://fake');
    const recorded: Recorded = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks) };
    requests.push(recorded);
    const line = `${recorded.method} ${recorded.path}`;
    const fault = take(faults, line);
    let answer: Answer | undefined = fault?.answer;
    if (!answer) {
      try {
        answer = (await route(recorded)) ?? { status: 404, body: { error: 'not found' } };
      } catch (err) {
        answer = { status: 500, body: { error: (err as Error).message } };
      }
      const hook = take(hooks, line);
      if (hook) {
        if (hook.what === 'hang') { held.add(res); return; }
        if (hook.what === 'destroy') { req.socket.destroy(); return; }
        hook.what(recorded);
        held.add(res);
        return;
      }
    }
    const body = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
    res.end(body);
  };
  const server: Server = opts.https ? https.createServer(tls(), listener) : createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `${opts.https ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    fail(match, ...answers) {
      for (const answer of answers) faults.push({ match, answer });
    },
    afterHandling(match, what) {
      hooks.push({ match, what });
    },
    close: () => new Promise<void>((resolve) => {
      for (const r of held) r.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
