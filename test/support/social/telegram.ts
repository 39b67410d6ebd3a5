/**
 * A Telegram Bot API fake (core.telegram.org/bots/api: sendMessage, sendPhoto, deleteMessage):
 * the token in the path, HTML parse mode checked (well-formed tags, escaped text), limits on
 * the text after entity parsing: 4,096 for a message, 1,024 for a caption.
 */
import { formOf, jsonOf, startFake, type Answer, type FakeServer } from './fake.ts';

export interface TelegramFake extends FakeServer {
  messages: { messageId: number; chatId: string; html: string; visible: string; photoBytes: number; deleted: boolean }[];
}

/** The text a reader sees from Telegram HTML; throws on a stray < or & the way Telegram refuses it. */
export function visibleText(html: string): string {
  const withoutTags = html.replace(/<\/?(b|strong|i|em|u|s|a|code|pre|blockquote)(\s+href="[^"<>]*")?>/g, '');
  if (/[<>]/.test(withoutTags)) throw new Error("Bad Request: can't parse entities: unsupported start tag");
  if (/&(?!(lt|gt|amp|quot);)/.test(withoutTags)) throw new Error("Bad Request: can't parse entities: unescaped &");
  return withoutTags.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

export async function startTelegramFake(token = '123456:telegram-test-token', username = 'desk_en'): Promise<TelegramFake> {
  const messages: TelegramFake['messages'] = [];
  let next = 10;
  const fail = (code: number, description: string): Answer => ({ status: code, body: { ok: false, error_code: code, description } });
  const fake = await startFake(async (req): Promise<Answer | undefined> => {
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(req.path);
    if (!m) return undefined;
    if (m[1] !== token) return fail(401, 'Unauthorized');
    const method = m[2];
    const params: Record<string, unknown> = String(req.headers['content-type']).startsWith('multipart/')
      ? Object.fromEntries((await formOf(req)).entries()) : jsonOf(req);
    if (method === 'sendMessage' || method === 'sendPhoto') {
      const html = String(method === 'sendPhoto' ? params.caption ?? '' : params.text ?? '');
      if (params.parse_mode !== 'HTML') return fail(400, 'Bad Request: this fake expects HTML parse mode');
      let visible: string;
      try {
        visible = visibleText(html);
      } catch (err) {
        return fail(400, (err as Error).message);
      }
      const limit = method === 'sendPhoto' ? 1024 : 4096;
      if (visible.length > limit) return fail(400, method === 'sendPhoto' ? 'Bad Request: message caption is too long' : 'Bad Request: message is too long');
      const photo = params.photo as File | undefined;
      const message = { messageId: next++, chatId: String(params.chat_id), html, visible, photoBytes: photo?.size ?? 0, deleted: false };
      messages.push(message);
      return { status: 200, body: { ok: true, result: { message_id: message.messageId, date: 0, chat: { id: -100123, type: 'channel', username }, [method === 'sendPhoto' ? 'caption' : 'text']: visible } } };
    }
    if (method === 'deleteMessage') {
      const msg = messages.find((x) => x.messageId === Number(params.message_id) && !x.deleted);
      if (!msg) return fail(400, 'Bad Request: message to delete not found');
      msg.deleted = true;
      return { status: 200, body: { ok: true, result: true } };
    }
    return fail(404, 'Not Found');
  });
  return Object.assign(fake, { messages });
}
