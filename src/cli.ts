/**
 * `npm run cli -- <command>`: administration from the shell, on the same database as the service
 * (with the embedded server, a running service's server is used, not a second one).
 */
import { parseArgs } from 'node:util';
import { checkLanguages, createUser, disableUser, enableUser, findUser, listUsers, minPasswordLength } from './store/users.ts';
import { createResetLink, resetLinkHours } from './store/password-links.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { systemClock } from './core/clock.ts';
import { isRole, roles, type Role } from './core/person.ts';
import { createI18n } from './i18n.ts';
import { POLL_SOURCE_JOB, pollSourceJob } from './ingest/scheduler.ts';
import { jobsSchemaOf, startJobQueue } from './jobs/queue.ts';
import { createLogger, type Logger } from './log.ts';
import { exportBackup, importBackup } from './ops/backup.ts';
import { rebuildRollups } from './ops/rollups.ts';
import { buildAllFeeds } from './publish/feeds.ts';
import { FeedFiles } from './publish/feed-files.ts';
import { openDatabase, type DatabaseHandle } from './store/db.ts';
import { MIGRATION_LOCK, migrate } from './store/migrate.ts';
import { getSource, syncSourcesFromConfig } from './store/sources.ts';
import { checkUnit, createUnit, deleteUnit, renameUnit, setUnitOf, unitSummaries } from './store/units.ts';
import { createToken, listTokens, revokeToken } from './store/tokens.ts';
import { checkAudiences, grantEarlierPartners, listPartners, setPartnerAudiences } from './store/partners.ts';
import { exportGlossary, importGlossaryFile, resumeTranslation } from './translate/commands.ts';
import { writeFile } from 'node:fs/promises';
import { rebuildPostEdits } from './review/quality.ts';

const usage = `Usage: npm run cli -- <command>

  migrate                                   apply pending database migrations
  user add --username U --name N --role R [--languages en,fr] [--unit ID]
                                            add a person (password read from PASSWORD or stdin)
  user list                                 everyone, with role, languages, last sign-in, disabled
  user disable <username>                   refuse their sign-in and end their sessions now
  user enable <username>                    let a disabled person sign in again
  user reset <username>                     print a one-time password-reset link
  user unit <username> <unit|->             put a person in a unit (- for none): their work counts there
  token create --name N --role admin|editor|translator [--qa-bypass] [--unit ID]
                                            create an API token (printed once); --qa-bypass:
                                            its approvals skip the QA gate (editor or admin)
  token list                                tokens with role, QA gate, creator, last use, revoked
  token revoke <id>                         refuse a token from now on
  partner list                              partners with the audiences they may read, tokens and status
  partner audiences <id> <audience,...|->   set the audiences a partner's tokens may read (- for none)
  source poll <id>                          have the service poll a source now
  source unit <id> <unit|->                 put a source in a unit (- for none): its new stories count there
  token unit <id> <unit|->                  put an API token in a unit (- for none): the stories it sends count there
  unit add <id> --name-vi N [--name-en N]   add a unit (a body that contributes stories or does the work)
  unit list                                 units with their sources, tokens, people and stories
  unit rename <id> --name-vi N [--name-en N]
                                            change a unit's names
  unit delete <id>                          delete a unit that nothing names
  feeds build                               rebuild every audience's feed files
  backup export <file>                      write the whole database and the feed files to <file>
  backup import <file>                      restore <file> into an empty database
  translate resume                          resume machine translation parked by quota or budget
  glossary import <file> [--pair vi-en]     add or update a pair's terms from a TSV file (pair from the file name)
  glossary export <pair> [file]             write a pair's live terms as TSV (stdout without file)
  quality rebuild                           derive every approval's post-editing record again from revisions and events
  rollups rebuild                           derive the dashboard's rollups (stages reached, backlog, people's hours) again from the raw tables`;

class UsageError extends Error {}

type Command = (ctx: { config: Config; log: Logger; database: DatabaseHandle; args: string[] }) => Promise<void>;

const commands: Record<string, Command> = {
  async migrate({ config, database }) {
    const applied = await migrate(database.db);
    await grantEarlierPartners(database.db, config.audiences.map((a) => a.id));
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
  },

  async 'user add'({ config, database, args }) {
    const { values } = parseArgs({ args, options: { username: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, languages: { type: 'string' }, unit: { type: 'string' } } });
    if (!values.username || !values.role) throw new UsageError('user add needs --username and --role');
    const role = checkRole(values.role);
    const password = process.env.PASSWORD ?? (await readStdin()).trim();
    if (password.length < minPasswordLength) throw new UsageError(`the password must have at least ${minPasswordLength} characters (PASSWORD or stdin)`);
    await createUser(database.db, {
      username: values.username, displayName: values.name ?? values.username, role, password,
      languages: values.languages ? checkLanguages(values.languages.split(','), config.audiences.map((a) => a.language)) : [],
      unit: await checkUnit(database.db, values.unit),
    });
    console.log(`added ${values.username} (${role})`);
  },

  async 'user list'({ database }) {
    const rows = await listUsers(database.db);
    if (!rows.length) return void console.log('nobody yet: user add --username U --name N --role admin');
    console.log(table(['username', 'name', 'role', 'languages', 'unit', 'last sign-in', 'status'], rows.map((u) => [
      u.username, u.display_name, u.role, u.role === 'translator' ? u.languages.join(',') || '-' : 'all', u.unit_id ?? '-', u.last_login_at?.toISOString() ?? 'never', u.disabled_at ? `disabled ${u.disabled_at.toISOString()}` : 'active',
    ])));
  },

  async 'partner list'({ database }) {
    const rows = await listPartners(database.db);
    if (!rows.length) return void console.log('no partners yet: add one on /ui/partners or POST /api/v1/partners');
    console.log(table(['id', 'name', 'audiences', 'live tokens', 'status'], rows.map((p) => [
      String(p.id), p.name, p.audiences.map((a) => a.audience).join(',') || '-', String(p.tokens.filter((t) => !t.revoked_at).length), p.disabled_at ? `disabled ${p.disabled_at.toISOString()}` : 'active',
    ])));
  },

  async 'partner audiences'({ config, database, args }) {
    const [rawId, list] = args;
    const id = Number(rawId);
    if (!Number.isInteger(id) || id < 1 || list === undefined) throw new UsageError('partner audiences needs a partner id and a comma-separated list of audiences (or - for none)');
    const wanted = list === '-' ? [] : list.split(',').map((a) => a.trim()).filter(Boolean);
    let audiences: string[];
    try {
      audiences = checkAudiences(wanted, config.audiences.map((a) => a.id));
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const granted = await setPartnerAudiences(database.db, id, audiences, 'cli');
    console.log(`partner ${id} may read: ${granted.join(', ') || 'no audience'}`);
  },

  async 'user disable'({ database, args }) {
    const user = await findUser(database.db, { username: requireArg(args, 'user disable needs a username') });
    await disableUser(database.db, user.id, new Date());
    console.log(`disabled ${user.username}: their sessions have ended and they cannot sign in`);
  },

  async 'user enable'({ database, args }) {
    const user = await findUser(database.db, { username: requireArg(args, 'user enable needs a username') });
    await enableUser(database.db, user.id);
    console.log(`enabled ${user.username}`);
  },

  async 'user reset'({ config, database, args }) {
    const user = await findUser(database.db, { username: requireArg(args, 'user reset needs a username') });
    const token = await createResetLink(database.db, user.id, 'cli', new Date());
    console.log(`${config.publishing.publicUrl}/ui/reset/${token}`);
    console.error(`Give this link to ${user.display_name}: it works once, within ${resetLinkHours} hours.`);
  },

  async 'token create'({ database, args }) {
    const { values } = parseArgs({ args, options: { name: { type: 'string' }, role: { type: 'string' }, 'qa-bypass': { type: 'boolean' }, unit: { type: 'string' } } });
    if (!values.name || !values.role) throw new UsageError('token create needs --name and --role');
    const qaBypass = values['qa-bypass'] ?? false;
    const token = await createToken(database.db, values.name, checkRole(values.role), 'cli', { qaBypass, unit: await checkUnit(database.db, values.unit) });
    console.log(token);
    console.error(`This token is shown once; store it now.${qaBypass ? ' Its approvals skip the QA gate.' : ''}`);
  },

  async 'token list'({ database }) {
    const rows = await listTokens(database.db);
    if (!rows.length) return void console.log('no API tokens');
    console.log(table(['id', 'name', 'role', 'QA gate', 'unit', 'created by', 'last used', 'status'], rows.map((k) => [
      String(k.id), k.name, k.role, k.qa_bypass ? 'bypasses' : 'applies', k.unit_id ?? '-', k.created_by ?? '-', k.last_used_at?.toISOString() ?? 'never', k.revoked_at ? `revoked ${k.revoked_at.toISOString()}` : 'active',
    ])));
  },

  async 'token revoke'({ database, args }) {
    const id = Number(requireArg(args, 'token revoke needs a token id (see token list)'));
    if (!Number.isInteger(id) || id <= 0) throw new UsageError('token revoke needs a token id (see token list)');
    await revokeToken(database.db, id, new Date());
    console.log(`revoked token ${id}`);
  },

  async 'source poll'({ config, log, database, args }) {
    const [id] = args;
    if (!id) throw new UsageError('source poll needs a source id');
    await syncSourcesFromConfig(database.db, config.sources, new Date());
    if (!(await database.db.selectFrom('sources').select('id').where('id', '=', id).executeTakeFirst())) throw new UsageError(`no source "${id}"`);
    // the service polls it: the stories it finds are then translated and their images collected
    // there (a poll in this process would store stories that nothing hands on)
    const jobs = await startJobQueue({ connectionString: database.connectionString, schema: jobsSchemaOf(database), log, work: false, schemaLock: MIGRATION_LOCK, jobs: [pollSourceJob({ poll: async () => {}, log })] });
    try {
      await jobs.send(POLL_SOURCE_JOB, { sourceId: id }, { singletonKey: id });
    } finally {
      await jobs.stop();
    }
    console.log(`poll of ${id} queued: the service polls it within a second (see GET /api/v1/sources/${id})`);
  },

  async 'feeds build'({ config, database }) {
    const files = await buildAllFeeds({
      db: database.db, i18n: await createI18n(config.localesDir), files: new FeedFiles(config.feedsDir), publicUrl: config.publishing.publicUrl, itemsPerFeed: config.publishing.itemsPerFeed,
      clock: systemClock, audiences: config.audiences, hubs: config.publishing.websubHubs, publicationName: config.publishing.publicationName,
    });
    console.log(files.join('\n'));
  },

  async 'backup export'({ config, database, args }) {
    const [file] = args;
    if (!file) throw new UsageError('backup export needs a file name');
    const c = await exportBackup(database, config.feedsDir, file);
    console.log(`wrote ${file}: ${c.rows} rows from ${c.tables} tables, ${c.files} feed files`);
  },

  async 'backup import'({ config, database, args }) {
    const [file] = args;
    if (!file) throw new UsageError('backup import needs a file name');
    const c = await importBackup(database.db, config.feedsDir, file);
    console.log(`restored ${file}: ${c.rows} rows into ${c.tables} tables, ${c.files} feed files`);
  },
};

const translationCommands: Record<string, Command> = {
  async 'translate resume'({ log, database }) {
    const { released } = await resumeTranslation(database, log);
    console.log(`resumed: ${released} parked translation(s) released; the service sends them to translation`);
  },

  async 'glossary import'({ database, args }) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { pair: { type: 'string' } } });
    if (!positionals[0]) throw new UsageError('glossary import needs a file');
    const r = await importGlossaryFile(database, positionals[0], values.pair);
    console.log(`${r.pair.sourceLanguage}-${r.pair.targetLanguage}: ${r.added} added, ${r.updated} updated`);
  },

  async 'glossary export'({ database, args }) {
    const [pair, file] = args;
    if (!pair) throw new UsageError('glossary export needs a pair such as vi-en');
    const tsv = await exportGlossary(database, pair);
    if (file) await writeFile(file, tsv);
    else process.stdout.write(tsv);
  },

  async 'quality rebuild'({ database }) {
    console.log(`post-editing records: ${await rebuildPostEdits(database.db)} approvals`);
  },

  async 'rollups rebuild'({ database }) {
    const r = await rebuildRollups(database.db);
    console.log(`stages reached: ${r.stageReached} rows; backlog counts: ${r.backlogCounts} rows; people's hours: ${r.personHours} rows; people's drafts: ${r.personDrafts} rows`);
  },
};
Object.assign(commands, translationCommands);

const unitNames = (args: string[], command: string) => {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'name-vi': { type: 'string' }, 'name-en': { type: 'string' } } });
  if (!positionals[0] || !values['name-vi']) throw new UsageError(`${command} needs an id and --name-vi`);
  return { id: positionals[0], nameVi: values['name-vi'], nameEn: values['name-en'] };
};
// "-" takes the holder out of any unit
const unitArg = async (database: DatabaseHandle, raw: string | undefined, command: string) => {
  if (!raw) throw new UsageError(`${command} needs a unit id, or - for none`);
  return raw === '-' ? null : checkUnit(database.db, raw);
};

const unitCommands: Record<string, Command> = {
  async 'unit add'({ database, args }) {
    const unit = await createUnit(database.db, unitNames(args, 'unit add'));
    console.log(`added unit ${unit.id} (${unit.name_vi}${unit.name_en ? ` / ${unit.name_en}` : ''})`);
  },

  async 'unit list'({ database }) {
    const rows = await unitSummaries(database.db);
    if (!rows.length) return void console.log('no units: unit add <id> --name-vi N');
    console.log(table(['id', 'name (vi)', 'name (en)', 'sources', 'tokens', 'people', 'stories'], rows.map((u) => [
      u.id, u.name_vi, u.name_en ?? '-', String(u.sources), String(u.tokens), String(u.people), String(u.stories),
    ])));
  },

  async 'unit rename'({ database, args }) {
    const { id, ...names } = unitNames(args, 'unit rename');
    const unit = await renameUnit(database.db, id, names);
    console.log(`unit ${unit.id} is now ${unit.name_vi}${unit.name_en ? ` / ${unit.name_en}` : ''}`);
  },

  async 'unit delete'({ database, args }) {
    const id = requireArg(args, 'unit delete needs a unit id');
    await deleteUnit(database.db, id);
    console.log(`deleted unit ${id}`);
  },

  async 'source unit'({ database, args }) {
    const id = requireArg(args, 'source unit needs a source id and a unit id');
    const unit = await unitArg(database, args[1], 'source unit');
    await getSource(database.db, id);
    await setUnitOf(database.db, 'sources', id, unit);
    console.log(unit ? `source ${id} is in unit ${unit}: its new stories count there` : `source ${id} is in no unit`);
  },

  async 'token unit'({ database, args }) {
    const id = Number(requireArg(args, 'token unit needs a token id (see token list) and a unit id'));
    if (!Number.isInteger(id) || id <= 0) throw new UsageError('token unit needs a token id (see token list) and a unit id');
    const unit = await unitArg(database, args[1], 'token unit');
    await setUnitOf(database.db, 'api_tokens', id, unit);
    console.log(unit ? `token ${id} is in unit ${unit}: the stories it sends count there` : `token ${id} is in no unit`);
  },

  async 'user unit'({ database, args }) {
    const user = await findUser(database.db, { username: requireArg(args, 'user unit needs a username and a unit id') });
    const unit = await unitArg(database, args[1], 'user unit');
    await setUnitOf(database.db, 'users', user.id, unit);
    console.log(unit ? `${user.username} is in unit ${unit}` : `${user.username} is in no unit`);
  },
};
Object.assign(commands, unitCommands);

function requireArg(args: string[], message: string): string {
  if (!args[0]) throw new UsageError(message);
  return args[0];
}

/** Columns padded to their widest cell: readable in a terminal, still one row per line for grep. */
function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [head, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

function checkRole(value: string): Role {
  if (!isRole(value)) throw new UsageError(`role must be one of ${roles.join(', ')}`);
  return value;
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  let data = '';
  for await (const chunk of process.stdin) data += chunk;
  return data;
}

async function main(argv: string[]) {
  const name = [`${argv[0]} ${argv[1]}`, argv[0]].find((n) => n && n in commands);
  if (!name) {
    console.error(usage);
    return 2;
  }
  const args = argv.slice(name.split(' ').length);
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuration error: ${err.message}`);
      return 2;
    }
    throw err;
  }
  const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    if (name !== 'migrate') {
      await migrate(database.db);
      await grantEarlierPartners(database.db, config.audiences.map((a) => a.id));
    }
    await commands[name]!({ config, log, database, args });
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`${err.message}\n\n${usage}`);
      return 2;
    }
    console.error(`${name} failed: ${(err as Error).message}`);
    return 1;
  } finally {
    await database.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
