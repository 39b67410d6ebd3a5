/** `npm start`: read the configuration, start the service, stop cleanly on SIGINT/SIGTERM. */
import { ConfigError, loadConfig } from './config.ts';
import { StartError } from './errors.ts';
import { createLogger } from './log.ts';
import { startService } from './service.ts';

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`Configuration error: ${err.message}`);
    process.exit(2);
  }
  throw err;
}
const log = createLogger(config.logLevel);
// Every background promise handles its own failure; one that does not (a bug, or a library's own
// un-awaited call while the database is away) is logged rather than allowed to end the service.
process.on('unhandledRejection', (err) => {
  log.error({ err, alert: 'unhandled_rejection' }, 'a promise failed with nobody waiting for it: logged, the service goes on');
});
// handlers first: the server answers /readyz before the last start steps are done, and a signal
// in that window must still drain and stop cleanly rather than kill the process
const starting = startService(config, log);
let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info(`${signal} received: finishing running work, then stopping`);
  const service = await starting.catch(() => undefined);
  await service?.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
try {
  await starting;
} catch (err) {
  // a cause a person can remove (a taken port, a data folder in use) is said in one line, no stack
  if (err instanceof StartError) log.fatal({ code: err.code }, `the service could not start: ${err.message}`);
  else log.fatal({ err }, `the service could not start: ${(err as Error).message}`);
  process.exit(1);
}
