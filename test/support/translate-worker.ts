/**
 * A service process for the crash test: the whole service on a test schema (TEST_DB_URL,
 * TEST_DB_SCHEMA) with the configuration in CONFIG_FILE. Prints "ready" once started; the test
 * kills it with SIGKILL in the middle of a translation.
 */
import { loadConfig } from '../../src/config.ts';
import { startService } from '../../src/service.ts';
import { openDatabase } from '../../src/store/db.ts';
import { testLogger } from './logger.ts';

const config = loadConfig();
const database = await openDatabase({ databaseUrl: process.env.TEST_DB_URL!, dataDir: '', schema: process.env.TEST_DB_SCHEMA!, poolSize: 5 });
await startService(config, testLogger, { database, schedule: false });
process.stdout.write('ready\n');
