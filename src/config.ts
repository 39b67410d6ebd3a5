/**
 * The one place where configuration is read: the YAML file and the environment, validated with zod
 * at start. The rest of the code receives the typed, frozen `Config` and never reads process.env.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { audienceSchema, chainOf, machineProviders, timeZoneName, type AudienceConfig } from './core/audience.ts';
import { RESERVED_PATHS } from './core/urls.ts';

const cronExpression = z.string().refine((s) => s.trim().split(/\s+/).length >= 5 && s.trim().split(/\s+/).length <= 6, 'must be a cron expression with 5 or 6 fields');
export const sourceKinds = ['rss', 'atom', 'jsonfeed', 'page', 'auto'] as const;

const sourceSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and dashes'),
  name: z.string().min(1),
  url: z.string().refine((u) => /^(https?|file):/.test(u), 'must be an http(s) or file: URL'),
  kind: z.enum(sourceKinds).default('auto'),
  schedule: cronExpression.default('*/5 * * * *'),
  fullText: z.boolean().default(false),
  enabled: z.boolean().default(true),
  /** The language the source writes in; any but the desk's (vi) makes it a foreign outlet, monitored and never published. */
  language: z.string().regex(/^[a-z]{2,3}(-[a-z0-9]+)*$/i, 'must be a language code such as "en" or "zh-Hans"').default('vi'),
  /** Readers or followers the editors reckon the outlet has: shown beside its items on the monitoring page. */
  reach: z.number().int().min(0).optional(),
});

export const socialNetworks = ['mastodon', 'bluesky', 'x', 'telegram', 'facebook_page', 'webhook', 'vk'] as const;

export const channelSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and dashes'),
  network: z.enum(socialNetworks),
  /** The audience whose approved translations this channel posts. */
  audience: z.string(),
  /** Base URL of the network's API (self-hosted Mastodon, a Bluesky PDS, a webhook receiver). */
  server: z.string().url().optional(),
  /** Where on the network: a Telegram chat id or @channel, a Facebook page id. */
  target: z.string().optional(),
  /** Mastodon: the instance's post limit, where it is not the default 500 (its /api/v2/instance says). */
  maxCharacters: z.number().int().min(100).max(100_000).optional(),
  /** Names of the environment variables holding the secrets, e.g. { accessToken: MASTODON_EN_TOKEN }. */
  credentials: z.record(z.string(), z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'must name an environment variable (upper case)')).default({}),
  /** Posting windows as cron expressions in the channel's time zone (the audience's by default). */
  windows: z.array(cronExpression).min(1).default(['0 8 * * *', '30 12 * * *', '0 19 * * *']),
  timeZone: timeZoneName.optional(),
  maxPostsPerWindow: z.number().int().min(1).max(100).default(3),
  /** Minutes between the posts of one window. */
  spacingMinutes: z.number().int().min(0).max(120).default(5),
  hashtags: z.array(z.string().regex(/^[\p{L}\p{N}_]+$/u, 'must be letters, digits or _ without "#"')).default([]),
  /** A post whose time passed while the service was down: post it late, move it to the next window, or skip it. */
  catchUp: z.enum(['post_late', 'next_window', 'skip']).default('post_late'),
  /** How late a post may be before catchUp applies, in minutes. */
  catchUpGraceMinutes: z.number().int().min(0).default(30),
  enabled: z.boolean().default(true),
});

const socialSchema = z.strictObject({
  /** How often the dispatcher looks for due posts (cron). */
  dispatchCron: cronExpression.default('* * * * *'),
  /** Per-request timeout towards a network, in milliseconds. */
  timeoutMs: z.number().int().min(100).default(15000),
  /** A post left "sending" longer than this (a crash mid-send) is checked against the channel. */
  sendingLeaseSeconds: z.number().int().min(1).default(300),
  /** Attempts before a post is failed (5xx, timeouts); the wait doubles from backoffSeconds. */
  maxAttempts: z.number().int().min(1).max(20).default(6),
  backoffSeconds: z.number().int().min(1).default(30),
});

const reviewSchema = z.strictObject({
  /** The approver must be someone other than the text's authors: whoever wrote or submitted it (review/four-eyes.ts). */
  fourEyes: z.boolean().default(true),
  /** Target, in minutes from ingest, for a priority story's translation to be approved. */
  slaMinutes: z.number().int().min(1).default(60),
  /** How long opening a draft holds it for one person (a soft lock). */
  claimMinutes: z.number().int().min(1).max(24 * 60).default(30),
  /** Whose approvals QA errors block: everyone but a token made with the QA bypass ("everyone"), or people signed in only ("people": every token skips the gate). */
  qaGate: z.enum(['people', 'everyone']).default('everyone'),
  /** A sign-in lasts this long without activity. */
  sessionHours: z.number().min(0.1).max(24 * 30).default(12),
  /** Failed sign-ins on one account within the window before it is locked for the window (from every address). */
  loginAttempts: z.number().int().min(1).default(10),
  /** Failed sign-ins from one address, on any accounts, within the window before it is refused for the window. */
  loginAddressAttempts: z.number().int().min(1).default(50),
  loginWindowMinutes: z.number().int().min(1).default(15),
});

/** Sign-in through the office's identity provider (OpenID Connect, authorization code with PKCE). */
const oidcSchema = z.strictObject({
  /** The provider's issuer URL; its discovery document is read from <issuer>/.well-known/openid-configuration. */
  issuer: z.string().url(),
  clientId: z.string().min(1),
  /** The sign-in button's words, e.g. the office's name for its accounts. */
  label: z.string().min(1).optional(),
  /** The claim that holds the desk username of the person (an admin adds them first). */
  usernameClaim: z.string().min(1).default('preferred_username'),
  scope: z.string().default('openid profile'),
  /** Where the provider sends people back; `<publicUrl>/ui/login/oidc/callback` when absent (register it at the provider). */
  redirectUrl: z.string().url().optional(),
});

const falseClaimRating = z.strictObject({
  id: z.string().regex(/^[a-z0-9_-]+$/, 'must be lower-case letters, digits, dashes and underscores'),
  /** Its place on the scale (schema.org ratingValue), between worstRating and bestRating. */
  value: z.number().int(),
  /** Its name in each language (the desk, and alternateName of ClaimReview); "vi" and "en" at least. */
  names: z.record(z.string(), z.string().min(1)).refine((n) => !!n.vi && !!n.en, 'needs at least a "vi" and an "en" name'),
});

const falseClaimsSchema = z.strictObject({
  ratings: z.array(falseClaimRating).min(1).default([
    { id: 'false', value: 1, names: { vi: 'Sai sự thật', en: 'False', fr: 'Faux', es: 'Falso', ru: 'Ложь', zh: '不实', ja: '誤り', ko: '거짓', lo: 'ບໍ່ຖືກຕ້ອງ' } },
    { id: 'misleading', value: 2, names: { vi: 'Gây hiểu lầm', en: 'Misleading', fr: 'Trompeur', es: 'Engañoso', ru: 'Вводит в заблуждение', zh: '误导', ja: '誤解を招く', ko: '오해의 소지', lo: 'ເຮັດໃຫ້ເຂົ້າໃຈຜິດ' } },
    { id: 'lacks_context', value: 3, names: { vi: 'Thiếu bối cảnh', en: 'Lacks context', fr: 'Manque de contexte', es: 'Falta contexto', ru: 'Без контекста', zh: '缺乏背景', ja: '文脈不足', ko: '맥락 부족', lo: 'ຂາດບໍລິບົດ' } },
  ]),
  worstRating: z.number().int().default(1),
  bestRating: z.number().int().default(5),
  /** Minutes from a false claim's first sighting to its answer: the desk's deadline, shorter than stories'. */
  deadlineMinutes: z.number().int().min(5).default(120),
  /** The deadline of a priority false claim. */
  priorityDeadlineMinutes: z.number().int().min(5).default(60),
}).superRefine((f, ctx) => {
  const ids = new Set<string>();
  f.ratings.forEach((r, i) => {
    if (ids.has(r.id)) ctx.addIssue({ code: 'custom', path: ['ratings', i, 'id'], message: `names the rating "${r.id}" twice` });
    ids.add(r.id);
    if (r.value < f.worstRating || r.value > f.bestRating) ctx.addIssue({ code: 'custom', path: ['ratings', i, 'value'], message: `must lie between worstRating (${f.worstRating}) and bestRating (${f.bestRating})` });
  });
});

/** Telling people what needs them: the channels the office offers, and when an event is due. */
const notificationsSchema = z.strictObject({
  /** SMTP relay (user and password from NOTIFY_SMTP_USER and NOTIFY_SMTP_PASSWORD when it asks for them). */
  email: z.strictObject({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(587),
    /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
    secure: z.boolean().default(false),
    from: z.string().min(3),
  }).optional(),
  /** Telegram Bot API (the bot's token from NOTIFY_TELEGRAM_BOT_TOKEN). */
  telegram: z.strictObject({ apiUrl: z.string().url().default('https://api.telegram.org') }).optional(),
  /** The office's own receiver for every event admins choose to send there (signed with NOTIFY_WEBHOOK_SECRET). */
  webhook: z.strictObject({ url: z.string().url() }).optional(),
  timeoutMs: z.number().int().min(100).default(15000),
  /** Retries of a failed send: the first wait (doubling, with jitter, at most maxDelayMs) and attempts before giving up. */
  retry: z.strictObject({
    baseDelayMs: z.number().int().min(1).default(30_000),
    maxDelayMs: z.number().int().min(1).default(30 * 60_000),
    maxAttempts: z.number().int().min(1).max(50).default(8),
  }).prefault({}),
  /** A priority story's deadline (review.slaMinutes) is announced this many minutes before it passes. */
  deadlineWarningMinutes: z.number().int().min(1).default(15),
  /** A source is announced as failing after this many polls failed in a row. */
  sourceFailingPolls: z.number().int().min(1).default(3),
  /** How often deadlines and unqueued notifications are looked for, in seconds. */
  sweepSeconds: z.number().int().min(1).max(3600).default(30),
}).prefault({});

const fileSchema = z.strictObject({
  sourceLanguage: z.literal('vi').default('vi'),
  audiences: z.array(audienceSchema).min(1, 'needs at least one audience'),
  sources: z.array(sourceSchema).default([]),
  oidc: oidcSchema.optional(),
  translation: z.strictObject({
    /** Requests in flight to the provider at once, across all audiences. */
    concurrency: z.number().int().min(1).max(64).default(8),
    /** Per-request timeout, in milliseconds. */
    timeoutMs: z.number().int().min(100).default(15000),
    /** Characters per calendar month (UTC); past it only priority stories are translated. None when absent. */
    monthlyCharacterBudget: z.number().int().min(0).optional(),
    /** Retries of 429, 5xx and timeouts: first wait (doubling, with jitter, never below Retry-After) and attempts before giving up. */
    retry: z.strictObject({
      baseDelayMs: z.number().int().min(1).default(1000),
      maxAttempts: z.number().int().min(1).max(50).default(8),
    }).prefault({}),
    /** How often a parked quota (456) is checked against the provider's usage. */
    quotaCheckSeconds: z.number().int().min(1).default(600),
    /** Google Cloud Translation (credentials from GOOGLE_TRANSLATE_API_KEY or GOOGLE_APPLICATION_CREDENTIALS). */
    google: z.strictObject({
      /** The Google Cloud project billed (GOOGLE_CLOUD_PROJECT overrides). */
      projectId: z.string().regex(/^[a-z][a-z0-9-]{4,61}[a-z0-9]$/, 'must be a Google Cloud project id').optional(),
      location: z.string().regex(/^[a-z0-9-]+$/).default('global'),
    }).prefault({}),
    /** A self-hosted model behind an OpenAI-compatible chat-completions API (MT_OPENAI_BASE_URL overrides baseUrl). */
    openai: z.strictObject({
      baseUrl: z.string().url().optional(),
      model: z.string().min(1).default('default'),
      /** Segments per request: a small model keeps a short list straighter. */
      maxSegments: z.number().int().min(1).max(200).default(20),
      temperature: z.number().min(0).max(2).default(0),
    }).prefault({}),
  }).prefault({}),
  publishing: z.strictObject({
    publicUrl: z.string().url().default('http://localhost:3000'),
    itemsPerFeed: z.number().int().min(1).max(1000).default(50),
    /** WebSub hubs told of every feed change (hub.mode=publish) and named in every feed (rel="hub"). */
    websubHubs: z.array(z.string().url()).default([]),
    /** DNS name in the items' tag: ids (minted once per translation, then stored); the publicUrl's host when absent. */
    idAuthority: z.string().regex(/^[a-z0-9.-]+$/i, 'must be a DNS name such as "news.example.org"').optional(),
    /** The publication's name in Google News sitemaps and the OPML index. */
    publicationName: z.string().min(1).default('doingoai'),
    /** The audience whose home page `/` shows to readers whose languages match no audience (the first audience when absent). */
    defaultAudience: z.string().optional(),
  }).prefault({}),
  ingest: z.strictObject({
    /** Hosts or CIDRs that fetches may reach although they are private or loopback. */
    allowPrivateHosts: z.array(z.string()).default([]),
    maxBodyBytes: z.number().int().min(1024).default(5 * 1024 * 1024),
    /** Bytes after gzip/br decompression; more is treated as a decompression bomb. */
    maxDecodedBytes: z.number().int().min(1024).default(20 * 1024 * 1024),
    timeoutMs: z.number().int().min(100).default(15000),
    maxRedirects: z.number().int().min(0).max(20).default(5),
    /** How often each instance looks for sources whose next poll is due. */
    pollTickSeconds: z.number().int().min(1).max(3600).default(15),
    /** Images: the largest accepted download, and the largest accepted width × height. */
    maxImageBytes: z.number().int().min(1024).default(10 * 1024 * 1024),
    maxImagePixels: z.number().int().min(1).default(40_000_000),
  }).prefault({}),
  channels: z.array(channelSchema).default([]),
  /** What is said abroad: how foreign outlets' items are translated into Vietnamese for the desk. */
  monitoring: z.strictObject({
    /** The providers tried in order for each item; one that cannot translate the pair (its own discovery says) is passed over. */
    providers: z.array(z.enum(machineProviders)).min(1).default(['deepl']),
    /** Each provider's code for Vietnamese, where it is not "vi". */
    targetCodes: z.partialRecord(z.enum(machineProviders), z.string().min(2)).default({}),
  }).prefault({}),
  /** The false claim register: its rating scale and deadlines. */
  falseClaims: falseClaimsSchema.prefault({}),
  social: socialSchema.prefault({}),
  review: reviewSchema.prefault({}),
  notifications: notificationsSchema,
}).superRefine((file, ctx) => {
  const seen = new Set<string>();
  file.audiences.forEach((audience, i) => {
    if (seen.has(audience.id)) ctx.addIssue({ code: 'custom', path: ['audiences', i, 'id'], message: `duplicate audience id "${audience.id}"` });
    // the public site lives at /<audience>/: an audience may not take a path the service answers
    if (RESERVED_PATHS.has(audience.id)) ctx.addIssue({ code: 'custom', path: ['audiences', i, 'id'], message: `"${audience.id}" is a path the service uses; choose another audience id` });
    seen.add(audience.id);
    if (audience.providers && audience.provider !== 'deepl') {
      ctx.addIssue({ code: 'custom', path: ['audiences', i, 'provider'], message: 'cannot be set together with providers (the chain): name the providers in order there' });
    }
    if (chainOf(audience).includes('deepl') && !audience.targetCode) {
      ctx.addIssue({ code: 'custom', path: ['audiences', i, 'targetCode'], message: 'is required when provider is "deepl" (e.g. "EN-GB")' });
    }
    const chain = chainOf(audience);
    if (new Set(chain).size !== chain.length) ctx.addIssue({ code: 'custom', path: ['audiences', i, 'providers'], message: 'names a provider twice' });
  });
  if (file.publishing.defaultAudience !== undefined && !seen.has(file.publishing.defaultAudience)) {
    ctx.addIssue({ code: 'custom', path: ['publishing', 'defaultAudience'], message: `names no configured audience ("${file.publishing.defaultAudience}")` });
  }
  const sourceIds = new Set<string>();
  file.sources.forEach((source, i) => {
    if (sourceIds.has(source.id)) ctx.addIssue({ code: 'custom', path: ['sources', i, 'id'], message: `duplicate source id "${source.id}"` });
    sourceIds.add(source.id);
  });
  const channelIds = new Set<string>();
  file.channels.forEach((channel, i) => {
    if (channelIds.has(channel.id)) ctx.addIssue({ code: 'custom', path: ['channels', i, 'id'], message: `duplicate channel id "${channel.id}"` });
    channelIds.add(channel.id);
    if (!seen.has(channel.audience)) ctx.addIssue({ code: 'custom', path: ['channels', i, 'audience'], message: `names no configured audience ("${channel.audience}")` });
    if (channel.maxCharacters !== undefined && channel.network !== 'mastodon') {
      ctx.addIssue({ code: 'custom', path: ['channels', i, 'maxCharacters'], message: `applies to Mastodon channels only (${channel.network} has a fixed limit)` });
    }
  });
});

export type SourceConfig = z.infer<typeof sourceSchema>;
export type ChannelConfig = z.infer<typeof channelSchema>;
export type SocialConfig = z.infer<typeof socialSchema>;
export type OidcConfig = z.infer<typeof oidcSchema>;
export type ReviewConfig = z.infer<typeof reviewSchema>;
export type FalseClaimsConfig = z.infer<typeof falseClaimsSchema>;
export type NotificationsConfig = z.infer<typeof notificationsSchema>;
type FileConfig = z.infer<typeof fileSchema>;

export interface Config extends FileConfig {
  configFile: string;
  /** Directory holding config/ samples and glossaries, resolved from the config file. */
  configDir: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  feedsDir: string;
  localesDir: string;
  logLevel: string;
  deepl: { authKey: string | undefined; serverUrl: string | undefined };
  google: { apiKey: string | undefined; keyFilename: string | undefined; projectId: string | undefined; serverUrl: string | undefined };
  openai: { baseUrl: string | undefined; apiKey: string | undefined };
  /** Signs the desk's session cookies (SESSION_SECRET); when absent a random one is made at each start. */
  sessionSecret: string | undefined;
  /** The desk's client secret at the identity provider (OIDC_CLIENT_SECRET), when `oidc` is configured. */
  oidcClientSecret: string | undefined;
  /** What starts but deserves a line in the log (an audience read partly in English), each naming its key path. */
  warnings: string[];
  /** Each channel's secrets by key, read from the environment variables its config names; unset ones are absent. */
  channelCredentials: Record<string, Record<string, string>>;
  /** Secrets of the notification channels, from the environment. */
  notifySecrets: { smtpUser: string | undefined; smtpPassword: string | undefined; telegramBotToken: string | undefined; webhookSecret: string | undefined };
}

/** A configuration problem a person can fix; its message names the key path. */
export class ConfigError extends Error {
  readonly code = 'config_invalid';
}

type Env = Record<string, string | undefined>;

/** Reads and validates the configuration; throws ConfigError with a one-line message. */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const configFile = path.resolve(cwd, env.CONFIG_FILE ?? 'config/default.yaml');
  let text: string;
  try {
    text = readFileSync(configFile, 'utf8');
  } catch (err) {
    throw new ConfigError(`${configFile}: cannot read the configuration file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    const where = err instanceof YAMLParseError && err.linePos ? ` at line ${err.linePos[0].line}` : '';
    throw new ConfigError(`${configFile}: not valid YAML${where}: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = fileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const keyPath = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    throw new ConfigError(`${configFile}: ${keyPath || '(top level)'} ${issue.message}`);
  }
  const file = parsed.data;
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT: must be a port number, got "${env.PORT}"`);
  if (env.PUBLIC_URL) {
    if (!z.string().url().safeParse(env.PUBLIC_URL).success) throw new ConfigError(`PUBLIC_URL: must be a URL, got "${env.PUBLIC_URL}"`);
    file.publishing.publicUrl = env.PUBLIC_URL;
  }
  file.publishing.publicUrl = file.publishing.publicUrl.replace(/\/+$/, '');
  if (env.INGEST_ALLOW_PRIVATE !== undefined) {
    file.ingest.allowPrivateHosts = env.INGEST_ALLOW_PRIVATE.split(',').map((s) => s.trim()).filter(Boolean);
  }
  // file: URLs may be relative to the config file, so the bundled samples work from any clone
  for (const source of file.sources) {
    if (source.url.startsWith('file:') && !source.url.startsWith('file:///')) {
      source.url = pathToFileURL(path.resolve(path.dirname(configFile), source.url.slice('file:'.length))).toString();
    }
  }
  // logos are files beside the configuration; a missing one is named now, not on the first page
  file.audiences.forEach((audience, i) => {
    if (!audience.logo) return;
    audience.logo = path.resolve(path.dirname(configFile), audience.logo);
    if (!existsSync(audience.logo)) throw new ConfigError(`${configFile}: audiences[${i}].logo names a file that does not exist (${audience.logo})`);
  });
  const localesDir = path.resolve(cwd, 'locales');
  const warnings = checkLocales(file.audiences, localesDir, configFile);
  if (file.oidc && !env.OIDC_CLIENT_SECRET) throw new ConfigError(`${configFile}: oidc is set but OIDC_CLIENT_SECRET is not (the desk's client secret at ${file.oidc.issuer})`);
  if (file.notifications.telegram && !env.NOTIFY_TELEGRAM_BOT_TOKEN) throw new ConfigError(`${configFile}: notifications.telegram is set but NOTIFY_TELEGRAM_BOT_TOKEN is not (the bot's token)`);
  if (file.notifications.webhook && !env.NOTIFY_WEBHOOK_SECRET) throw new ConfigError(`${configFile}: notifications.webhook is set but NOTIFY_WEBHOOK_SECRET is not (the key its signatures are made with)`);
  const dataDir = path.resolve(cwd, env.DATA_DIR ?? 'data');
  const config: Config = {
    ...file,
    configFile,
    configDir: path.dirname(configFile),
    port,
    dataDir,
    databaseUrl: env.DATABASE_URL || undefined,
    feedsDir: path.resolve(cwd, env.FEEDS_DIR ?? 'feeds'),
    localesDir,
    warnings,
    logLevel: env.LOG_LEVEL ?? 'info',
    deepl: { authKey: env.DEEPL_AUTH_KEY || undefined, serverUrl: env.DEEPL_SERVER_URL || undefined },
    google: {
      apiKey: env.GOOGLE_TRANSLATE_API_KEY || undefined, keyFilename: env.GOOGLE_APPLICATION_CREDENTIALS || undefined,
      projectId: env.GOOGLE_CLOUD_PROJECT || file.translation.google.projectId, serverUrl: env.GOOGLE_TRANSLATE_SERVER_URL || undefined,
    },
    openai: { baseUrl: env.MT_OPENAI_BASE_URL || file.translation.openai.baseUrl, apiKey: env.MT_OPENAI_API_KEY || undefined },
    sessionSecret: env.SESSION_SECRET || undefined,
    oidcClientSecret: env.OIDC_CLIENT_SECRET || undefined,
    notifySecrets: {
      smtpUser: env.NOTIFY_SMTP_USER || undefined, smtpPassword: env.NOTIFY_SMTP_PASSWORD || undefined,
      telegramBotToken: env.NOTIFY_TELEGRAM_BOT_TOKEN || undefined, webhookSecret: env.NOTIFY_WEBHOOK_SECRET || undefined,
    },
    channelCredentials: Object.fromEntries(file.channels.map((c) => [c.id, Object.fromEntries(
      Object.entries(c.credentials).flatMap(([key, name]) => (env[name] ? [[key, env[name]]] : [])),
    )])),
  };
  return deepFreeze(config);
}

/**
 * The audiences' languages and feed text keys against the locale files, as i18next resolves them
 * (zh-Hans, then zh, then English). A title or description key that no file holds would publish
 * the raw key as the feed's title: refused. A language with no locale folder, or a key only the
 * English file holds, works in English: said once at start, naming the key path.
 */
function checkLocales(audiences: readonly AudienceConfig[], localesDir: string, configFile: string): string[] {
  const warnings: string[] = [];
  const rel = (...parts: string[]) => path.relative(path.dirname(localesDir), path.join(localesDir, ...parts));
  audiences.forEach((audience, i) => {
    const tags = audience.language.split('-').map((_, n, all) => all.slice(0, all.length - n).join('-'));
    const own = tags.filter((tag) => existsSync(path.join(localesDir, tag)));
    if (!own.length) warnings.push(`audiences[${i}].language "${audience.language}" has no folder under ${rel()}/ (${rel(tags.at(-1)!)}): the ${audience.id} feeds, site and posts fall back to English`);
    for (const field of ['feedTitleKey', 'feedDescriptionKey'] as const) {
      const key = audience[field];
      const [ns, name] = key.includes(':') ? [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)] : ['feeds', key];
      const holds = (tag: string) => typeof lookUp(path.join(localesDir, tag, `${ns}.json`), name) === 'string';
      if (own.some(holds)) continue;
      const files = [...own, ...(own.includes('en') ? [] : ['en'])].map((tag) => rel(tag, `${ns}.json`));
      if (!holds('en')) throw new ConfigError(`${configFile}: audiences[${i}].${field} "${key}" names a text that no locale file holds (${files.join(', ')}): the feed would carry the key itself`);
      if (own.length) warnings.push(`audiences[${i}].${field} "${key}" has no text in ${rel(own[0]!, `${ns}.json`)}: the ${audience.id} feeds carry the English one`);
    }
  });
  return warnings;
}

/** The value at a dotted key of a JSON locale file; undefined when the file or the key is absent. */
function lookUp(file: string, dotted: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  for (const part of dotted.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  return value;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
