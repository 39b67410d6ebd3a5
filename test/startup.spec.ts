/**
 * Starts that must be refused, and configuration that starts but deserves a word: the real entry
 * point (src/main.ts) as a child process, each time on a data folder of its own.
 */
import { expect } from 'chai';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { stringify } from 'yaml';
import { startDeepLTestServer, type DeepLTestServer } from './support/deepl-server.ts';
import { freePort } from './support/net.ts';
import { printedLines, runServiceProcess, startServiceProcess, type ServiceProcess } from './support/process.ts';
import { scratchDir } from './support/scratch.ts';
import { eventually } from './support/wait.ts';

const NOBODY = 65534;

describe('start-up refusals and warnings', function () {
  this.timeout(240_000);
  let dir: string;
  let deepl: DeepLTestServer;
  const running: ServiceProcess[] = [];
  const dataDirs: string[] = [];
  const config = (name: string, audiences: unknown[]) => {
    const file = path.join(dir, `${name}.yaml`);
    writeFileSync(file, stringify({ audiences }));
    return file;
  };
  const env = (name: string, configFile = config(name, [{ id: 'en', language: 'en', provider: 'manual' }])) => {
    dataDirs.push(path.join(dir, `data-${name}`));
    return { CONFIG_FILE: configFile, DATA_DIR: path.join(dir, `data-${name}`), FEEDS_DIR: path.join(dir, `feeds-${name}`), DEEPL_AUTH_KEY: 'test-key', DEEPL_SERVER_URL: deepl.url };
  };
  /** The one line that says why, and no stack trace anywhere. */
  const refusal = (output: string) => {
    expect(output, 'no stack trace').not.to.match(/^\s+at |\\n\s+at |"stack"/m);
    const fatal = printedLines(output).filter((l) => l.level === 60 || l.level === undefined);
    expect(fatal, output).to.have.length(1);
    return fatal[0]!.msg;
  };
  const postmasterRunning = (dataDir: string) => {
    const file = path.join(dataDir, 'pg', 'postmaster.pid');
    if (!existsSync(file)) return false;
    try {
      process.kill(Number(readFileSync(file, 'utf8').split('\n')[0]), 0);
      return true;
    } catch {
      return false;
    }
  };

  before(async () => {
    deepl = await startDeepLTestServer();
    dir = scratchDir('startup');
    chmodSync(dir, 0o755); // the embedded server's OS user, and another user below, pass through it
  });
  after(async () => {
    for (const service of running) await service.stop('SIGKILL');
    // a server that a failed start left behind would outlive the tests
    for (const dataDir of dataDirs.filter(postmasterRunning)) process.kill(Number(readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]), 'SIGTERM');
    await deepl?.close();
  });

  it('refuses a port in use in one line before starting PostgreSQL', async () => {
    const port = await freePort();
    const occupant = net.createServer().listen(port);
    await new Promise((r) => occupant.once('listening', r));
    try {
      const run = await runServiceProcess(env('port'), { port });
      expect(run.ready).to.equal(false);
      expect(run.code).to.equal(1);
      expect(refusal(run.output)).to.contain(`port ${port} is already in use`);
      expect(postmasterRunning(path.join(dir, 'data-port')), 'no PostgreSQL server left running').to.equal(false);
    } finally {
      occupant.close();
    }
  });

  it('closes everything it had started when the port is taken during the start, the embedded PostgreSQL and the lock included', async () => {
    const port = await freePort();
    const occupant = net.createServer();
    try {
      // the port is free when checked, and taken while the embedded server starts
      const run = await runServiceProcess(env('late-port'), {
        port,
        onOutput: (printed) => {
          if (!occupant.listening && printed.includes('starting the embedded PostgreSQL server')) occupant.listen(port);
        },
      });
      expect(occupant.listening, `the port was taken during the start: ${run.output}`).to.equal(true);
      expect(run.ready).to.equal(false);
      expect(run.code).to.equal(1);
      expect(refusal(run.output)).to.contain(`port ${port} is already in use`);
      expect(postmasterRunning(path.join(dir, 'data-late-port')), 'no PostgreSQL server left running').to.equal(false);
      expect(existsSync(path.join(dir, 'data-late-port', 'service.lock')), 'no lock left').to.equal(false);
    } finally {
      occupant.close();
    }
  });

  it('refuses a second instance on the same DATA_DIR, naming the first; a kill -9 leaves no lock that blocks', async () => {
    const settings = env('shared');
    const first = await startServiceProcess(settings);
    running.push(first);
    const second = await runServiceProcess(settings, { port: await freePort() });
    expect(second.ready, 'the second instance did not join').to.equal(false);
    expect(second.code).to.equal(1);
    expect(refusal(second.output)).to.contain(`is in use by another running instance of the service (pid ${first.child.pid}, port ${first.port})`);
    expect((await fetch(`${first.url}/readyz`)).status, 'the first goes on').to.equal(200);

    await first.stop('SIGKILL');
    expect(existsSync(path.join(settings.DATA_DIR, 'service.lock')), 'the killed instance left its lock').to.equal(true);
    const third = await startServiceProcess(settings);
    running.push(third);
    expect(third.output()).to.contain('adopting the PostgreSQL server');
    expect(await third.stop('SIGTERM')).to.equal(0);
    expect(existsSync(path.join(settings.DATA_DIR, 'service.lock')), 'a clean stop removes the lock').to.equal(false);
  });

  it('says that a DATA_DIR it cannot write is not writable, in one line', async () => {
    const locked = path.join(dir, 'read-only');
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    for (const dataDir of [locked, path.join(locked, 'data')]) {
      const run = await runServiceProcess({ ...env('read-only'), DATA_DIR: dataDir }, { port: await freePort(), uid: NOBODY });
      expect(run.ready).to.equal(false);
      expect(run.code).to.equal(1);
      expect(refusal(run.output)).to.contain(`DATA_DIR ${dataDir} is not writable (EACCES)`);
    }
  });

  it('refuses a feed title key that no locale file holds, naming the key path', async () => {
    const run = await runServiceProcess(env('title', config('title', [
      { id: 'en', language: 'en', provider: 'manual' },
      { id: 'fr', language: 'fr', provider: 'manual', feedTitleKey: 'feeds:tilte' },
    ])), { port: await freePort() });
    expect(run.ready, 'it did not start with a feed titled "tilte"').to.equal(false);
    expect(run.code).to.equal(2);
    expect(refusal(run.output)).to.contain('audiences[1].feedTitleKey "feeds:tilte" names a text that no locale file holds');
  });

  it('warns at start of a language without a locale folder and of a target code DeepL does not list', async () => {
    const service = await startServiceProcess(env('warnings', config('warnings', [
      { id: 'de', language: 'de', provider: 'deepl', targetCode: 'DE' },
      { id: 'fr', language: 'fr', provider: 'deepl', targetCode: 'FR-CA' },
      { id: 'en', language: 'en', provider: 'deepl', targetCode: 'EN-GB' },
    ])));
    running.push(service);
    const warnings = () => printedLines(service.output()).filter((l) => l.level === 40).map((l) => l.msg);
    await eventually('the target code warning', async () => warnings().some((m) => m.startsWith('audiences[1].targetCode "FR-CA" is not a language that deepl lists')));
    expect(warnings().filter((m) => m.startsWith('audiences[0].language "de" has no folder under locales/'))).to.have.length(1);
    expect(warnings().filter((m) => /^audiences\[(0|2)\]\.targetCode/.test(m)), 'DE and EN-GB are listed').to.deep.equal([]);
    expect(await service.stop('SIGTERM')).to.equal(0);
  });
});
