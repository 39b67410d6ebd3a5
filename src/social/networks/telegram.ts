/**
 * Telegram Bot API over fetch (core.telegram.org/bots/api): sendPhoto with the card and an HTML
 * caption (≤ 1,024), or sendMessage (≤ 4,096) with a large link preview; deleteMessage for
 * takedowns. `target` is the chat: a numeric id or @channelusername. Telegram has no idempotency
 * key and a bot cannot read a channel's history, so an interrupted send waits for a person.
 */
import { formatTelegram } from '../format/telegram.ts';
import { errorForStatus, SocialError, type Connection, type Network } from '../network.ts';
import { call, type Answer } from './http.ts';

interface TelegramAnswer { ok: boolean; result?: { message_id: number; chat?: { username?: string } }; error_code?: number; description?: string; parameters?: { retry_after?: number } }

function check(answer: Answer): TelegramAnswer {
  const body = answer.body as TelegramAnswer | null;
  if (answer.status < 300 && body?.ok) return body;
  const code = body?.error_code ?? answer.status;
  const message = `Telegram answered ${code}: ${body?.description ?? answer.status}`;
  if (code === 429) throw new SocialError('rate_limited', message, (body?.parameters?.retry_after ?? 30) * 1000);
  throw errorForStatus(code, message);
}

export const telegram: Network = {
  name: 'telegram',
  credentialKeys: ['botToken'],
  needsTarget: true,
  needsServer: false,
  image: { width: 1280, height: 720, maxBytes: 10 * 1024 * 1024 },
  format: (content, opts) => formatTelegram(content, { caption: opts.hasImage }),

  connect(channel, credentials): Connection {
    const api = `${(channel.server ?? 'https://api.telegram.org').replace(/\/+$/, '')}/bot${credentials.botToken}`;
    const chatId = channel.target!;
    const link = (result: TelegramAnswer['result']) => {
      const username = result?.chat?.username ?? (chatId.startsWith('@') ? chatId.slice(1) : undefined);
      return username ? `https://t.me/${username}/${result!.message_id}` : null;
    };
    return {
      publisher: {
        async publish(post, signal) {
          const { formatted } = post;
          let answer: Answer;
          if (post.image) {
            const form = new FormData();
            form.set('chat_id', chatId);
            form.set('caption', formatted.text);
            form.set('parse_mode', 'HTML');
            form.set('photo', new Blob([new Uint8Array(post.image.bytes)], { type: post.image.mime }), 'card.jpg');
            answer = await call(`${api}/sendPhoto`, { method: 'POST', body: form }, signal);
          } else {
            answer = await call(`${api}/sendMessage`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ chat_id: chatId, text: formatted.text, parse_mode: 'HTML', link_preview_options: { url: post.content.url, prefer_large_media: true } }),
            }, signal);
          }
          const { result } = check(answer);
          return { id: String(result!.message_id), url: link(result) };
        },
      },
      remover: {
        async remove(ref, signal) {
          const answer = await call(`${api}/deleteMessage`, {
            method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chat_id: chatId, message_id: Number(ref.id) }),
          }, signal);
          check(answer);
        },
      },
    };
  },
};
