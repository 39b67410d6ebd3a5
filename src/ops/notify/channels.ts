/**
 * The notification channels by name, built from the configuration: only the ones the office set
 * up exist. Adding a channel is one file in channels/ and one entry here.
 */
import type { NotificationsConfig } from '../../config.ts';
import type { Notifier } from './notifier.ts';
import { emailNotifier } from './channels/email.ts';
import { telegramNotifier } from './channels/telegram.ts';
import { webhookNotifier } from './channels/webhook.ts';

export const notifyChannels = ['email', 'telegram', 'webhook'] as const;
export type NotifyChannel = (typeof notifyChannels)[number];

/** Channels a person chooses with their own address; the webhook is the office's, chosen by admins. */
export const personalChannels: readonly NotifyChannel[] = ['email', 'telegram'];

export interface NotifySecrets { smtpUser: string | undefined; smtpPassword: string | undefined; telegramBotToken: string | undefined; webhookSecret: string | undefined }

export interface ChannelSet {
  get(name: NotifyChannel): Notifier | undefined;
  /** The names configured, in a stable order. */
  readonly names: readonly NotifyChannel[];
  close(): void;
}

export function createChannels(config: NotificationsConfig, secrets: NotifySecrets, publicUrl: string): ChannelSet {
  const built = new Map<NotifyChannel, Notifier>();
  const closers: (() => void)[] = [];
  if (config.email) {
    const email = emailNotifier({
      ...config.email, user: secrets.smtpUser, password: secrets.smtpPassword, timeoutMs: config.timeoutMs, domain: new URL(publicUrl).hostname,
    });
    built.set('email', email);
    closers.push(() => email.close());
  }
  if (config.telegram && secrets.telegramBotToken) built.set('telegram', telegramNotifier({ apiUrl: config.telegram.apiUrl, botToken: secrets.telegramBotToken, timeoutMs: config.timeoutMs }));
  if (config.webhook && secrets.webhookSecret) built.set('webhook', webhookNotifier({ url: config.webhook.url, secret: secrets.webhookSecret, timeoutMs: config.timeoutMs }));
  return {
    get: (name) => built.get(name),
    names: notifyChannels.filter((n) => built.has(n)),
    close: () => closers.forEach((c) => c()),
  };
}
