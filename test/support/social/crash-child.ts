/**
 * A child process for the crash test: places and sends one priority post, on the test database
 * schema given in the environment, to the fake network server named there. The parent's fake
 * server kills this process (SIGKILL) after making the post and before answering it.
 */
import { openDatabase } from '../../../src/store/db.ts';
import { seedPublished, socialConfig, startSocial, TestClock } from './harness.ts';

const env = process.env;
const database = await openDatabase({ databaseUrl: env.CRASH_DATABASE_URL!, dataDir: '', schema: env.CRASH_SCHEMA!, poolSize: 2 });
const clock = new TestClock(new Date(env.CRASH_NOW!));
const config = socialConfig(JSON.parse(env.CRASH_CHANNELS!), JSON.parse(env.CRASH_ENV!), { sendingLeaseSeconds: 60 });
const { social } = await startSocial(database.db, config, clock);
const id = await seedPublished(database.db, { audience: 'en', title: env.CRASH_TITLE!, priority: true, at: clock.now });
process.stdout.write(`translation ${id}\n`);
await social.onPublished(id);
await social.dispatchNow();
process.stdout.write('dispatched without being killed\n');
await social.stop();
await database.close();
