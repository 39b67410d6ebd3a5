import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ConfigError, loadConfig } from '../src/config.ts';
import { chainOf } from '../src/core/audience.ts';
import { scratchDir } from './support/scratch.ts';

const run = promisify(execFile);

function configFrom(yaml: string, env: Record<string, string> = {}) {
  const dir = scratchDir('cfg');
  writeFileSync(path.join(dir, 'c.yaml'), yaml);
  return () => loadConfig({ CONFIG_FILE: path.join(dir, 'c.yaml'), ...env });
}

describe('configuration', () => {
  it('loads the sample configuration with nine audiences, Lao and Khmer through Google, English with a fallback', () => {
    const config = loadConfig({});
    expect(config.audiences.map((a) => a.id)).to.deep.equal(['en', 'fr', 'es', 'ru', 'zh', 'ja', 'ko', 'lo', 'km']);
    expect(config.audiences.filter((a) => a.id === 'lo' || a.id === 'km').map((a) => chainOf(a))).to.deep.equal([['google'], ['google']]);
    expect(chainOf(config.audiences[0]!)).to.deep.equal(['deepl', 'google']);
    expect(config.sources[0]!.url).to.match(/^file:\/\/\/.*config\/samples\/tin-doi-ngoai\.xml$/);
    expect(Object.isFrozen(config.audiences[0])).to.equal(true);
  });

  it('takes secrets and places from the environment only', () => {
    const config = loadConfig({ PORT: '4100', DEEPL_AUTH_KEY: 'k', DATABASE_URL: 'postgresql://x@h/db', PUBLIC_URL: 'https://news.example.org/' });
    expect(config.port).to.equal(4100);
    expect(config.deepl.authKey).to.equal('k');
    expect(config.databaseUrl).to.equal('postgresql://x@h/db');
    expect(config.publishing.publicUrl).to.equal('https://news.example.org');
  });

  const bad: Array<[string, string, RegExp]> = [
    ['a deepl audience without a target code', 'audiences: [{ id: en, language: en, provider: deepl }]', /audiences\[0\]\.targetCode is required/],
    ['a chain with DeepL and no target code', 'audiences: [{ id: en, language: en, providers: [google, deepl] }]', /audiences\[0\]\.targetCode is required/],
    ['a chain naming a provider twice', 'audiences: [{ id: lo, language: lo, providers: [google, google] }]', /audiences\[0\]\.providers names a provider twice/],
    ['a chain and a provider', 'audiences: [{ id: lo, language: lo, provider: google, providers: [google] }]', /audiences\[0\]\.provider cannot be set together with providers/],
    ['an unknown provider', 'audiences: [{ id: lo, language: lo, provider: bing }]', /audiences\[0\]\.provider/],
    ['a wrong type', 'audiences: [{ id: en, language: en, provider: manual }]\npublishing: { itemsPerFeed: "many" }', /publishing\.itemsPerFeed/],
    ['an unknown key', 'audiences: [{ id: en, language: en, provider: manual, colour: red }]', /audiences\[0\].*colour/],
    ['a bad time zone', 'audiences: [{ id: en, language: en, provider: manual, timeZone: Mars/Olympus }]', /audiences\[0\]\.timeZone must be an IANA time zone/],
    ['duplicate audience ids', 'audiences: [{ id: en, language: en, provider: manual }, { id: en, language: en, provider: manual }]', /audiences\[1\]\.id duplicate audience id "en"/],
    ['no audiences', 'sources: []', /audiences/],
    ['broken YAML', 'audiences: [ { id: en', /not valid YAML/],
    ['a post limit on a network that fixes its own', 'audiences: [{ id: en, language: en, provider: manual }]\nchannels: [{ id: t, network: telegram, audience: en, maxCharacters: 2000 }]', /channels\[0\]\.maxCharacters applies to Mastodon channels only/],
    ['a bad source schedule', 'audiences: [{ id: en, language: en, provider: manual }]\nsources: [{ id: s, name: S, url: "https://x.vn/rss", schedule: "often" }]', /sources\[0\]\.schedule must be a cron expression/],
    ['an identity provider without its client secret', 'audiences: [{ id: en, language: en, provider: manual }]\noidc: { issuer: "https://id.example.gov.vn", clientId: desk }', /oidc is set but OIDC_CLIENT_SECRET is not/],
    ['a Telegram notification channel without its bot token', 'audiences: [{ id: en, language: en, provider: manual }]\nnotifications: { telegram: {} }', /notifications\.telegram is set but NOTIFY_TELEGRAM_BOT_TOKEN is not/],
    ['a notification webhook without its signing secret', 'audiences: [{ id: en, language: en, provider: manual }]\nnotifications: { webhook: { url: "https://hooks.example.org/desk" } }', /notifications\.webhook is set but NOTIFY_WEBHOOK_SECRET is not/],
    ['an SMTP relay without a sender', 'audiences: [{ id: en, language: en, provider: manual }]\nnotifications: { email: { host: smtp.example.org } }', /notifications\.email\.from/],
    ['an identity provider that is not a URL', 'audiences: [{ id: en, language: en, provider: manual }]\noidc: { issuer: office, clientId: desk }', /oidc\.issuer/],
  ];
  for (const [what, yaml, message] of bad) {
    it(`refuses ${what} with a message naming the key`, () => {
      expect(configFrom(yaml)).to.throw(ConfigError, message);
    });
  }

  it('checks the audiences against the locale files: refuses a key no file holds, warns of English stand-ins', () => {
    expect(loadConfig({}).warnings, 'the sample has every locale it needs').to.deep.equal([]);
    expect(configFrom('audiences: [{ id: zh, language: zh-Hans, provider: manual }]')().warnings, 'zh-Hans reads locales/zh').to.deep.equal([]);
    expect(configFrom('audiences: [{ id: fr, language: fr, provider: manual, feedTitleKey: "feeds:titel" }]'))
      .to.throw(ConfigError, /audiences\[0\]\.feedTitleKey "feeds:titel" names a text that no locale file holds \(locales\/fr\/feeds\.json, locales\/en\/feeds\.json\)/);
    const warned = configFrom('audiences: [{ id: de, language: de, provider: manual }, { id: fr, language: fr, provider: manual, feedDescriptionKey: "common:serviceName" }]')().warnings;
    expect(warned).to.deep.equal([
      'audiences[0].language "de" has no folder under locales/ (locales/de): the de feeds, site and posts fall back to English',
      'audiences[1].feedDescriptionKey "common:serviceName" has no text in locales/fr/common.json: the fr feeds carry the English one',
    ]);
  });

  it('stops npm start with one line naming the key, and no stack trace', async function () {
    this.timeout(60_000);
    const dir = scratchDir('cfg');
    writeFileSync(path.join(dir, 'bad.yaml'), 'audiences: [{ id: en, language: en, provider: deepl }]\n');
    const err = await run(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { ...process.env, CONFIG_FILE: path.join(dir, 'bad.yaml'), DATA_DIR: path.join(dir, 'data') } })
      .then(() => undefined, (e: { code: number; stderr: string }) => e);
    expect(err, 'the start must fail').to.not.equal(undefined);
    expect(err!.code).to.equal(2);
    const lines = err!.stderr.trim().split('\n');
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(/^Configuration error: .*bad\.yaml: audiences\[0\]\.targetCode is required/);
  });
});
