/** A logger for tests: silent unless LOG_LEVEL is set, so failures are not buried in noise. */
import { pino } from 'pino';
import { createLogger } from '../../src/log.ts';

export const testLogger = createLogger(process.env.LOG_LEVEL ?? 'silent');

/** A logger that keeps every line (parsed) for the test to read. */
export function capturingLogger(level = 'debug'): { log: ReturnType<typeof createLogger>; lines: Array<Record<string, unknown> & { level: number; msg: string }> } {
  const lines: Array<Record<string, unknown> & { level: number; msg: string }> = [];
  const log = pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines };
}
