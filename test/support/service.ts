/**
 * Starting the whole service in-process for a test: a config file written to a temp folder, a
 * fresh database schema, the sample feed (or any body) served on loopback, a silent logger.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { stringify } from 'yaml';
import { loadConfig, type Config } from '../../src/config.ts';
import { startService, type Service } from '../../src/service.ts';
import type { DatabaseHandle } from '../../src/store/db.ts';
import { testLogger } from './logger.ts';
import { scratchDir } from './scratch.ts';

export const sampleFeed = () => readFileSync(new URL('../../config/samples/tin-doi-ngoai.xml', import.meta.url), 'utf8');

export interface Loopback { url: string; server: Server; close(): Promise<void> }

/** Serves fixed bodies by path on 127.0.0.1; `routes` may be changed between requests. */
export async function serveOnLoopback(routes: Record<string, { body: string | Buffer; type?: string; status?: number; headers?: Record<string, string> }>): Promise<Loopback> {
  return listenOnLoopback(createServer((req, res) => {
    const route = routes[req.url ?? ''];
    if (!route) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(route.status ?? 200, { 'content-type': route.type ?? 'application/rss+xml; charset=utf-8', ...route.headers });
    res.end(route.body);
  }));
}

export interface Recorder extends Loopback {
  /** Every request received, in order: its content type and body. */
  requests: { type: string | undefined; body: string }[];
  /** The status answered from now on (204 at first). */
  status: number;
}

/** A server that records what it is sent and answers with an empty body (a WebSub hub, say). */
export async function serveRecorder(): Promise<Recorder> {
  const requests: Recorder['requests'] = [];
  let recorder: Recorder;
  const loopback = await listenOnLoopback(createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      requests.push({ type: req.headers['content-type'], body });
      res.writeHead(recorder.status).end();
    });
  }));
  recorder = Object.assign(loopback, { requests, status: 204 });
  return recorder;
}

async function listenOnLoopback(server: Server): Promise<Loopback> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

export function writeTestConfig(file: Record<string, unknown>, env: Record<string, string | undefined> = {}): Config {
  const dir = scratchDir('config');
  const configFile = path.join(dir, 'config.yaml');
  writeFileSync(configFile, stringify(file));
  return loadConfig({ CONFIG_FILE: configFile, PORT: '0', FEEDS_DIR: path.join(dir, 'feeds'), DATA_DIR: path.join(dir, 'data'), INGEST_ALLOW_PRIVATE: '127.0.0.1', ...env }, path.resolve('.'));
}

export async function startTestService(config: Config, database: DatabaseHandle, clock?: () => Date): Promise<Service> {
  return startService(config, testLogger, { schedule: false, database, ...(clock ? { clock } : {}) });
}

/** fetch against the service with a bearer token and JSON. */
export function apiClient(baseUrl: string, token: string) {
  return async (method: string, urlPath: string, body?: unknown) => {
    const res = await fetch(`${baseUrl}${urlPath}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
}
