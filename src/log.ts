/**
 * Structured logs (pino) with the same keys everywhere: story_id, audience, source_id, job. JSON
 * lines when stdout is not a terminal (files, journald, containers); readable one-liners through
 * pino-pretty when a person watches a terminal. A message repeated within a minute is written once,
 * then summarised ("… repeated 41 more times in 60 s") when the minute ends (warnings and errors:
 * request lines and other information are all written), so a source failing every tick does not
 * bury everything else.
 */
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import pretty from 'pino-pretty';

export type Logger = PinoLogger;

export interface LoggerOptions {
  /** Readable lines instead of JSON; by default when stdout is a terminal. */
  pretty?: boolean;
  destination?: DestinationStream;
  /** How long a repeated message stays quiet before its summary (ms). */
  repeatWindowMs?: number;
  now?: () => number;
}

export function createLogger(level: string, opts: LoggerOptions = {}): Logger {
  const readable = opts.pretty ?? Boolean(process.stdout.isTTY);
  const destination = opts.destination ?? (readable ? pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,service', singleLine: true, sync: true }) : undefined);
  const repeats = new RepeatFilter(opts.repeatWindowMs ?? 60_000, opts.now ?? Date.now);
  const options = {
    level, base: { service: 'doingoai' }, timestamp: pino.stdTimeFunctions.isoTime,
    hooks: {
      logMethod(this: PinoLogger, args: Parameters<PinoLogger['info']>, method: (...a: unknown[]) => void, levelValue: number) {
        const message = args.find((a): a is string => typeof a === 'string');
        // warnings and errors only: those are what a failing source or client repeats every tick
        if (message === undefined || levelValue < 40) return method.apply(this, args);
        const key = `${levelValue}\u0000${message}`;
        const summary = () => {
          const n = repeats.countOf(key);
          method.call(this, { repeated: n }, `${message} (repeated ${n} more time${n === 1 ? '' : 's'} in ${Math.round(repeats.windowMs / 1000)} s)`);
        };
        if (repeats.seen(key, summary) === 'write') method.apply(this, args);
      },
    },
  };
  const logger = destination ? pino(options, destination) : pino(options);
  repeats.start();
  return logger;
}

/**
 * Counts messages seen again within the window. The first is written; later ones are counted;
 * when the window of a repeated message ends, its summary is written once through `summarise`.
 */
export class RepeatFilter {
  private readonly open = new Map<string, { since: number; count: number; summarise: () => void }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly windowMs: number, private readonly now: () => number) {}

  seen(key: string, summarise: () => void): 'write' | 'quiet' {
    this.flush();
    const entry = this.open.get(key);
    if (!entry) {
      this.open.set(key, { since: this.now(), count: 0, summarise });
      return 'write';
    }
    entry.count++;
    entry.summarise = summarise;
    return 'quiet';
  }

  countOf(key: string): number {
    return this.open.get(key)?.count ?? 0;
  }

  /** Ends the windows that are over: their summaries are written, their keys forgotten. */
  flush(): void {
    const now = this.now();
    for (const [key, entry] of this.open) {
      if (now - entry.since < this.windowMs) continue;
      if (entry.count > 0) entry.summarise();
      this.open.delete(key);
    }
  }

  start(): void {
    this.timer ??= setInterval(() => this.flush(), Math.max(1000, Math.min(this.windowMs, 10_000)));
    this.timer.unref();
  }
}
