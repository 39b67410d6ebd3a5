/**
 * The hooks of a spec that translates through the DeepL test server: one server for the file,
 * reset before each test with a fresh schema; after each test the service it started (if any) and
 * the schema are closed. Tests and their hooks read the parts from the rig this returns.
 */
import type { Service } from '../../src/service.ts';
import { freshDatabase, type TestDatabase } from './database.ts';
import { startDeepLTestServer, type DeepLTestServer } from './deepl-server.ts';

export class DeepLRig {
  deepl!: DeepLTestServer;
  database!: TestDatabase;
  /** Set by a test that starts the service; closed after it. */
  service: Service | undefined;
}

export function useDeepLService(): DeepLRig {
  const rig = new DeepLRig();
  before(async () => {
    rig.deepl = await startDeepLTestServer();
  });
  after(async () => {
    await rig.deepl?.close();
  });
  beforeEach(async () => {
    rig.deepl.reset();
    rig.database = await freshDatabase();
  });
  afterEach(async () => {
    await rig.service?.close();
    rig.service = undefined;
    await rig.database?.close();
  });
  return rig;
}
