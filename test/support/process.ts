/** The service as a separate process (`src/main.ts`), for tests of crashes, signals and instances. */
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './net.ts';

export interface ServiceProcess {
  child: ChildProcess;
  url: string;
  port: number;
  /** Everything it printed so far. */
  output(): string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts the service with this environment (on `port`, or a free one) and waits until /readyz answers. */
export async function startServiceProcess(env: Record<string, string>, opts: { port?: number; timeoutMs?: number } = {}): Promise<ServiceProcess> {
  const port = opts.port ?? await freePort();
  let printed = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { ...process.env, LOG_LEVEL: 'info', ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (c: Buffer) => (printed += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (printed += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 90_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the service exited with ${child.exitCode ?? child.signalCode}: ${printed.slice(-2000)}`);
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the service did not become ready: ${printed.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child, url, port,
    output: () => printed,
    stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
      return new Promise((resolve) => {
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      });
    },
  };
}

export interface ServiceRun {
  /** The exit code, or null when it had to be stopped. */
  code: number | null;
  /** It answered /readyz (and was then stopped): it started where it should have refused. */
  ready: boolean;
  output: string;
}

/**
 * Runs the service until it exits by itself, for starts that must be refused; one that becomes
 * ready instead is stopped (SIGTERM) and reported as `ready`. `uid` runs it as another OS user.
 */
export async function runServiceProcess(env: Record<string, string>, opts: { port: number; uid?: number; timeoutMs?: number; onOutput?: (printed: string) => void }): Promise<ServiceRun> {
  let printed = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env, PORT: String(opts.port) }, stdio: ['ignore', 'pipe', 'pipe'],
    ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}),
  });
  const printing = (c: Buffer) => {
    printed += c.toString();
    opts.onOutput?.(printed);
  };
  child.stdout!.on('data', printing);
  child.stderr!.on('data', printing);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  let ready = false;
  while (child.exitCode === null && child.signalCode === null) {
    if (await fetch(`http://127.0.0.1:${opts.port}/readyz`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false)) {
      ready = true;
      break;
    }
    if (Date.now() > deadline) break;
    await Promise.race([exited, new Promise((r) => setTimeout(r, 200))]);
  }
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  const code = await exited;
  return { code: ready ? null : code, ready, output: printed };
}

/** The messages of the log lines printed (JSON lines' msg; other lines as they are), with their level. */
export function printedLines(output: string): Array<{ level: number | undefined; msg: string }> {
  return output.split('\n').filter((l) => l.trim()).map((line) => {
    try {
      const parsed = JSON.parse(line) as { level?: number; msg?: string };
      return { level: parsed.level, msg: parsed.msg ?? line };
    } catch {
      return { level: undefined, msg: line };
    }
  });
}
