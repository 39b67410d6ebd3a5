/** Mocha root hooks: stop the shared throwaway database server after the run. */
import { stopTestServer } from './database.ts';

export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(30_000);
    await stopTestServer();
  },
};
