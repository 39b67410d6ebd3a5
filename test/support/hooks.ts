/** Mocha root hooks: stop the shared throwaway database server after the run. */
import { stopTestServer } from './database.ts';

export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    // pg_ctl waits up to 60 s for the shutdown checkpoint, which a loaded machine can need after a long run
    this.timeout(90_000);
    await stopTestServer();
  },
};
