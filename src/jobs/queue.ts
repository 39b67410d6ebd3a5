/**
 * Durable jobs on the same PostgreSQL, through pg-boss 10 (the newest line for Node 20): a crash
 * or restart resumes the work, and several instances share it (each job is fetched by one worker
 * with SKIP LOCKED).
 *
 * While the database is away, nothing here throws into the void: a job whose outcome (complete or
 * fail) cannot be recorded keeps its worker waiting and is recorded once the database answers, so
 * the worker takes no new job meanwhile; pg-boss's own fetch loop reports its failures as 'error'
 * events and polls again. A job left active by a stop during an outage runs again after its expiry.
 *
 * One file per job elsewhere in src/: it exports a `Job` (name, payload schema, handle) built from
 * its deps. The registry refuses, at start, two jobs with one name, and sending to a name nobody
 * handles. Payloads carry ids, and every handler is safe to run twice.
 */
import pg from 'pg';
import PgBoss from 'pg-boss';
import type { z } from 'zod';
import type { Logger } from '../log.ts';

/** pg-boss's schema beside the database's own: `pgboss`, or `<schema>_jobs` for a database in a schema of its own (tests). */
export const jobsSchemaOf = (database: { schema: string | undefined }): string => (database.schema ? `${database.schema}_jobs` : 'pgboss');

export interface JobMeta { id: string; retryCount: number }

export interface Job<P = unknown> {
  name: string;
  payload: z.ZodType<P>;
  /** Retry and expiry policy of the job's queue (pg-boss queue options). */
  queue?: Omit<PgBoss.Queue, 'name'>;
  /** Jobs fetched per poll; a handler with its own concurrency takes more than one. */
  batchSize?: number;
  handle(payload: P, meta: JobMeta): Promise<void>;
}

export function defineJob<P>(job: Job<P>): Job<P> {
  return job;
}

export interface JobQueue {
  send<P>(job: Job<P> | string, payload: P, options?: PgBoss.SendOptions): Promise<string | null>;
  /** The pg-boss instance, for schedules and inspection. */
  boss: PgBoss;
  stop(): Promise<void>;
}

/** A queue made before the jobs it carries: its sender can be handed to the parts that the jobs are built from. */
export interface UnstartedJobQueue extends JobQueue {
  /**
   * Registers the jobs (refusing two with one name), creates their queues under the schema lock and
   * starts their workers. Sending before it resolves is refused.
   */
  start(jobs: readonly Job[]): Promise<void>;
}

export interface JobQueueOptions {
  connectionString: string;
  /** pg-boss's own schema (tests give each run its own). */
  schema: string;
  jobs: readonly Job[];
  log: Logger;
  /**
   * The advisory lock held (for the session) while pg-boss creates its schema and our queues: the
   * migration lock, so that two instances starting on an empty database take turns instead of
   * deadlocking in pg-boss's create_queue (each attaches partitions to the same table).
   */
  schemaLock: number;
  /** Take work in this process (off for a process that only sends). */
  work?: boolean;
  pollingIntervalSeconds?: number;
}

export async function startJobQueue(opts: JobQueueOptions): Promise<JobQueue> {
  const queue = createJobQueue(opts);
  await queue.start(opts.jobs);
  return queue;
}

/** The queue without its jobs yet: nothing is opened until `start`. */
export function createJobQueue(opts: Omit<JobQueueOptions, 'jobs'>): UnstartedJobQueue {
  const byName = new Map<string, Job>();
  let started = false;
  const boss = new PgBoss({ connectionString: opts.connectionString, schema: opts.schema, max: 4, application_name: 'doingoai-jobs' });
  boss.on('error', (err) => opts.log.error({ err: err.message }, 'job queue error'));
  let stopping = false;
  const pause = new Set<() => void>();
  const wait = (ms: number) => new Promise<void>((resolve) => {
    const wake = () => { clearTimeout(timer); pause.delete(wake); resolve(); };
    const timer = setTimeout(wake, ms);
    pause.add(wake);
  });
  /** Records a job's outcome, again and again while the database is away (until the queue stops). */
  const record = async (what: () => Promise<unknown>, log: Logger) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await what();
        if (attempt) log.info(`the job's outcome is recorded after ${attempt} failed attempt(s)`);
        return;
      } catch (err) {
        if (stopping) return log.warn({ err: (err as Error).message }, 'the job\'s outcome could not be recorded before the stop; it runs again once it expires');
        if (!attempt) log.warn({ err: (err as Error).message }, 'the job\'s outcome cannot be recorded (the database is not answering?); trying again until it can');
        await wait(Math.min(500 * 2 ** attempt, 5000));
      }
    }
  };
  // a job sent from this process wakes its worker at once instead of at the next poll
  const workers = new Map<string, string>();
  const startWorker = async (job: Job) => {
    const workerId = await boss.work<unknown>(job.name, { batchSize: job.batchSize ?? 1, pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 0.5 }, async (batch) => {
      // a batch is settled job by job: one failing job does not fail its neighbours
      // never rejects: pg-boss would then fail the batch without waiting for the answer
      await Promise.all(batch.map(async (raw) => {
        const log = opts.log.child({ job: job.name, job_id: raw.id });
        let outcome: () => Promise<unknown>;
        try {
          const payload = job.payload.parse(raw.data); // a malformed payload fails its own job only
          await job.handle(payload, { id: raw.id, retryCount: (raw as { retryCount?: number }).retryCount ?? 0 });
          outcome = () => boss.complete(job.name, raw.id);
        } catch (err) {
          log.warn({ err: (err as Error).message }, 'job failed; pg-boss retries it per its queue policy');
          outcome = () => boss.fail(job.name, raw.id, { message: (err as Error).message });
        }
        await record(outcome, log);
      }));
    });
    workers.set(job.name, workerId);
  };
  return {
    boss,
    async start(jobs) {
      if (started) throw new Error('the job queue is started already');
      for (const job of jobs) {
        if (byName.has(job.name)) throw new Error(`two jobs are named "${job.name}"; job names must be unique`);
        byName.set(job.name, job);
      }
      await underLock(opts.connectionString, opts.schemaLock, async () => {
        await boss.start();
        for (const job of byName.values()) await boss.createQueue(job.name, { name: job.name, ...job.queue });
      });
      // a handler may send as soon as its worker runs
      started = true;
      if (opts.work !== false) for (const job of byName.values()) await startWorker(job);
    },
    async send(job, payload, options = {}) {
      if (!started) throw new Error('the job queue has not started yet');
      const name = typeof job === 'string' ? job : job.name;
      const definition = byName.get(name);
      if (!definition) throw new Error(`no job named "${name}" is registered`);
      const id = await boss.send(name, definition.payload.parse(payload) as object, options);
      const worker = workers.get(name);
      if (id && worker && !options.startAfter) boss.notifyWorker(worker);
      return id;
    },
    async stop() {
      stopping = true;
      for (const wake of [...pause]) wake();
      await boss.stop({ graceful: true, wait: true, timeout: 20_000 });
    },
  };
}

/** Runs fn holding the session-level advisory lock `key` on a connection of its own. */
async function underLock(connectionString: string, key: number, fn: () => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString, application_name: 'doingoai-start' });
  client.on('error', () => {}); // a lost connection fails the query below; it must not crash the process
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [key]);
    await fn();
  } finally {
    await client.end().catch(() => {}); // ending the session releases the lock
  }
}
