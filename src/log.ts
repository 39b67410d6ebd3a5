/** Structured JSON logs (pino) with the same keys everywhere: story_id, audience, source_id, job. */
import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'doingoai' }, timestamp: pino.stdTimeFunctions.isoTime });
}
