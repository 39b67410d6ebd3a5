/**
 * CPU-heavy pure functions run off the event loop, so a large text being sanitized or checked does
 * not hold up every other request (`/healthz` included). One worker thread, started on first use
 * and restarted if it dies; calls queue in it one at a time, and it holds the process open only
 * while a call is running. Only our own pure functions go there: plain data in and out (structured
 * clone), an error comes back as an Error with the worker's message. Small inputs are cheaper to
 * run in place: callers decide (OFF_THREAD_CHARS).
 */
import { Worker } from 'node:worker_threads';

/** Below this many characters a call costs less than sending it to the worker. */
export const OFF_THREAD_CHARS = 20_000;

interface Pending { resolve(value: unknown): void; reject(err: Error): void }

let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, Pending>();

function started(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./off-thread-worker.mjs', import.meta.url));
  w.on('message', (m: { id: number; ok: boolean; value?: unknown; message?: string }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (!pending.size) w.unref();
    if (m.ok) p.resolve(m.value);
    else p.reject(new Error(m.message));
  });
  const fail = (err: Error) => {
    if (worker === w) worker = undefined;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  w.on('error', fail);
  w.on('exit', (code) => fail(new Error(`the worker thread stopped (exit code ${code})`)));
  w.unref();
  return (worker = w);
}

/** Runs `module`'s export `name` with `args` in the worker thread. */
export function offThread<R>(module: URL, name: string, args: unknown[]): Promise<R> {
  const w = started();
  const id = nextId++;
  return new Promise<R>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    w.ref();
    w.postMessage({ id, module: module.href, name, args });
  });
}
