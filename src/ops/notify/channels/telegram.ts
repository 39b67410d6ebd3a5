/**
 * Telegram Bot API sendMessage to a person's chat (the chat id they get by writing to the bot).
 * Plain text, no parse mode: nothing in a story's title can break the message. Telegram has no
 * idempotency key: a send cut off after it left may arrive twice.
 */
import { errorForFetch, errorForHttpStatus, type Notifier } from '../notifier.ts';

export interface TelegramSettings {
  /** https://api.telegram.org, or a local server (tests, a Bot API server of the office's own). */
  apiUrl: string;
  botToken: string;
  timeoutMs: number;
}

interface TelegramAnswer { ok?: boolean; error_code?: number; description?: string; parameters?: { retry_after?: number } }

export function telegramNotifier(settings: TelegramSettings): Notifier {
  const endpoint = `${settings.apiUrl.replace(/\/+$/, '')}/bot${settings.botToken}/sendMessage`;
  return {
    async send(message, signal) {
      let status: number;
      let answer: TelegramAnswer | null;
      try {
        const res = await fetch(endpoint, {
          method: 'POST', signal: AbortSignal.any([signal, AbortSignal.timeout(settings.timeoutMs)]),
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ chat_id: message.address, text: `${message.subject}\n\n${message.text}\n\n${message.link}`, link_preview_options: { is_disabled: true } }),
        });
        status = res.status;
        answer = await res.json().catch(() => null) as TelegramAnswer | null;
      } catch (err) {
        throw errorForFetch(err, 'Telegram could not be reached');
      }
      if (status < 300 && answer?.ok) return;
      const code = answer?.error_code ?? status;
      const retry = answer?.parameters?.retry_after;
      throw errorForHttpStatus(code, `Telegram answered ${code}: ${answer?.description ?? 'no description'}`, retry ? retry * 1000 : undefined);
    },
  };
}
