/** A logger for tests: silent unless LOG_LEVEL is set, so failures are not buried in noise. */
import { createLogger } from '../../src/log.ts';

export const testLogger = createLogger(process.env.LOG_LEVEL ?? 'silent');
