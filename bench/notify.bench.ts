/**
 * A priority story pushed through the API until its notification is on its way and delivered:
 * from the push (request start) to the `notify-send` job being in pg-boss's table (target under
 * 100 ms), and to the e-mail arriving at a real SMTP server on loopback (target under 2 s). Three
 * people work in the story's language, so each push writes three notifications; the figures are
 * per person's job and e-mail. Stories are pushed one after another. The push request's own time
 * and the load average are printed beside them: on a busy machine the request dominates.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { stringify } from 'yaml';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { startService } from '../src/service.ts';
import { savePreferences } from '../src/store/notifications.ts';
import { createToken } from '../src/store/tokens.ts';
import { createUser } from '../src/store/users.ts';
import { scratchDir } from '../test/support/scratch.ts';
import { startLocalSmtp } from '../test/support/smtp-server.ts';
import { benchDatabase, percentile, report } from './support.ts';

const BENCH = 'notify';
const PUSHES = 40;
const PEOPLE = 3;

const smtp = await startLocalSmtp();
const database = await benchDatabase();
const { db } = database;
const dir = scratchDir('notify-bench');
const configFile = path.join(dir, 'config.yaml');
writeFileSync(configFile, stringify({
  audiences: [{ id: 'en', language: 'en', provider: 'manual' }],
  notifications: { email: { host: smtp.host, port: smtp.port, from: 'desk@example.org' } },
}));
const config = loadConfig({ CONFIG_FILE: configFile, PORT: '0', FEEDS_DIR: path.join(dir, 'feeds'), DATA_DIR: path.join(dir, 'data'), SESSION_SECRET: 'bench-secret-bench-secret' }, path.resolve('.'));
const service = await startService(config, createLogger('silent'), { schedule: false, database });
for (let p = 0; p < PEOPLE; p++) {
  const u = await createUser(db, { username: `t${p}`, displayName: `T${p}`, role: 'translator', password: 'bench password long', languages: ['en'], locale: p % 2 ? 'vi' : 'en' });
  await savePreferences(db, u.id, { channel: 'email', email: `t${p}@example.org`, telegramChatId: null, events: ['priority_story'], quiet: null, digest: false, digestHour: 8 }, new Date());
}
const token = await createToken(db, 'bench', 'editor');

const toJob: number[] = [];
const rowToJob: number[] = [];
const toMail: number[] = [];
const requestMs: number[] = [];
for (let i = 0; i < PUSHES + 5; i++) {
  const mailsBefore = smtp.mails.length;
  const startedAt = Date.now();
  const t0 = performance.now();
  const res = await fetch(`${service.url}/api/v1/stories`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id: `bench-${i}`, title: `Tin ưu tiên số ${i}`, bodyHtml: '<p>Nội dung.</p>', url: `https://baoquocte.vn/b-${i}`, priority: true }),
  });
  const storyId = (await res.json() as { data: { id: number } }).data.id;
  const requestTook = performance.now() - t0;
  // the jobs, as pg-boss wrote them (its own clock is the same machine's)
  let jobs: { created_on: Date; row_at: Date }[] = [];
  while (jobs.length < PEOPLE) {
    ({ rows: jobs } = await sql<{ created_on: Date; row_at: Date }>`SELECT j.created_on, n.created_at AS row_at FROM pgboss.job j JOIN notifications n ON n.id::text = j.data->>'id'
      JOIN translations t ON n.link = '/ui/translations/' || t.id WHERE j.name = 'notify-send' AND t.story_id = ${storyId}`.execute(db));
    if (jobs.length < PEOPLE) await new Promise((r) => setTimeout(r, 2));
  }
  await smtp.waitFor(mailsBefore + PEOPLE, 10_000);
  const mailTook = Date.now() - startedAt;
  if (i < 5) continue; // warm-up
  requestMs.push(requestTook);
  for (const j of jobs) { toJob.push(j.created_on.getTime() - startedAt); rowToJob.push(j.created_on.getTime() - j.row_at.getTime()); }
  toMail.push(mailTook);
}
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const r1 = (x: number) => Math.round(x * 10) / 10;
report(BENCH, { figure: 'push_request_p50', value: r1(percentile(sorted(requestMs), 50)), unit: 'ms', pushes: PUSHES, loadavg: os.loadavg().map((l) => Math.round(l * 10) / 10) });
report(BENCH, { figure: 'push_to_job_p50', value: r1(percentile(sorted(toJob), 50)), unit: 'ms', jobs: toJob.length });
report(BENCH, { figure: 'push_to_job_p95', value: r1(percentile(sorted(toJob), 95)), unit: 'ms', target: '< 100 ms' });
// from the start of the push's transaction (the row's created_at) to the job: the part notifications add
report(BENCH, { figure: 'transaction_to_job_p50', value: r1(percentile(sorted(rowToJob), 50)), unit: 'ms' });
report(BENCH, { figure: 'transaction_to_job_p95', value: r1(percentile(sorted(rowToJob), 95)), unit: 'ms' });
report(BENCH, { figure: 'push_to_email_p50', value: r1(percentile(sorted(toMail), 50)), unit: 'ms', people: PEOPLE });
report(BENCH, { figure: 'push_to_email_p95', value: r1(percentile(sorted(toMail), 95)), unit: 'ms', target: '< 2000 ms' });
await service.close();
await database.close();
await smtp.stop();
