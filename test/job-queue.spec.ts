/**
 * The job queue is made before its jobs (the parts they are built from hold its sender) and
 * started once they all exist: a send before the start is refused, two jobs with one name are
 * refused at the start, and a job sent after it runs.
 */
import { expect } from 'chai';
import { z } from 'zod';
import { createJobQueue, defineJob, jobsSchemaOf } from '../src/jobs/queue.ts';
import { MIGRATION_LOCK } from '../src/store/migrate.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { testLogger } from './support/logger.ts';

describe('the job queue, made before its jobs and started after them', function () {
  this.timeout(30_000);
  let database: TestDatabase;
  before(async () => {
    database = await freshDatabase();
  });
  after(async () => database?.close());

  const queueOf = () => createJobQueue({ connectionString: database.connectionString, schema: jobsSchemaOf(database), schemaLock: MIGRATION_LOCK, log: testLogger });

  it('refuses a send before the start, and runs a job sent after it', async () => {
    const jobs = queueOf();
    let heard: (word: string) => void = () => {};
    const done = new Promise<string>((resolve) => { heard = resolve; });
    const echo = defineJob({ name: 'test.echo', payload: z.object({ word: z.string() }), async handle({ word }) { heard(word); } });
    const early = await jobs.send(echo, { word: 'early' }).catch((err: Error) => err);
    expect((early as Error).message).to.equal('the job queue has not started yet');
    try {
      await jobs.start([echo]);
      await jobs.send(echo, { word: 'xin chào' });
      expect(await done).to.equal('xin chào');
    } finally {
      await jobs.stop();
    }
  });

  it('refuses two jobs with one name when it starts', async () => {
    const jobs = queueOf();
    const twin = () => defineJob({ name: 'test.twin', payload: z.object({}), async handle() {} });
    const refused = await jobs.start([twin(), twin()]).catch((err: Error) => err);
    expect((refused as Error).message).to.equal('two jobs are named "test.twin"; job names must be unique');
  });
});
