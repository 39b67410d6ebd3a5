/**
 * The notification channels against real local servers: e-mail through nodemailer to an SMTP
 * server started here, the signed webhook and Telegram's sendMessage to loopback HTTP servers. Each
 * failure is sorted into try-again or give-up the way the job that sends them expects.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { emailNotifier, type EmailNotifier } from '../src/ops/notify/channels/email.ts';
import { telegramNotifier } from '../src/ops/notify/channels/telegram.ts';
import { webhookNotifier } from '../src/ops/notify/channels/webhook.ts';
import { NotifyError, type OutgoingMessage } from '../src/ops/notify/notifier.ts';
import { startLocalSmtp, type LocalSmtp } from './support/smtp-server.ts';

const message: OutgoingMessage = {
  key: 'n-42', address: 'lan@example.org', subject: 'Tin ưu tiên: Lũ ở miền Trung',
  text: 'Một tin ưu tiên đã đến ngôn ngữ của bạn (en).', link: 'http://desk.example.org/ui/translations/7',
  event: { name: 'priority_story', values: { story: 'Lũ ở miền Trung', language: 'en' } },
};
const never = new AbortController().signal;

async function rejection(p: Promise<unknown>): Promise<NotifyError> {
  try { await p; } catch (err) { expect(err).to.be.instanceOf(NotifyError); return err as NotifyError; }
  throw new Error('expected the send to fail');
}

interface Hit { url: string; headers: IncomingMessage['headers']; body: string }
async function httpServer(answer: (hit: Hit, res: ServerResponse) => void) {
  const hits: Hit[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => { const hit = { url: req.url ?? '', headers: req.headers, body }; hits.push(hit); answer(hit, res); });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { hits, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

describe('notification channels', () => {
  describe('e-mail (nodemailer to a local SMTP server)', () => {
    let smtp: LocalSmtp;
    let email: EmailNotifier;
    before(async () => {
      smtp = await startLocalSmtp();
      email = emailNotifier({ host: smtp.host, port: smtp.port, secure: false, from: 'Desk <desk@example.org>', user: undefined, password: undefined, timeoutMs: 3000, domain: 'desk.example.org' });
    });
    after(async () => { email.close(); await smtp.stop(); });
    beforeEach(() => { smtp.mails.length = 0; smtp.reply = null; });

    it('delivers the subject, the text and the link in UTF-8, with a Message-ID from the key', async () => {
      await email.send(message, never);
      const [mail] = await smtp.waitFor(1);
      expect(mail!.to).to.deep.equal(['lan@example.org']);
      expect(mail!.subject).to.equal('Tin ưu tiên: Lũ ở miền Trung');
      expect(mail!.text).to.contain('Một tin ưu tiên đã đến ngôn ngữ của bạn (en).').and.contain('http://desk.example.org/ui/translations/7');
      expect(mail!.messageId).to.equal('<n-42@desk.example.org>');
    });

    it('a 4xx reply is worth another try, a 5xx reply is not', async () => {
      smtp.reply = 451;
      expect((await rejection(email.send(message, never)))).to.include({ kind: 'transient', reason: 'refused' });
      smtp.reply = 550;
      const refused = await rejection(email.send(message, never));
      expect(refused).to.include({ kind: 'permanent', reason: 'refused' });
      expect(refused.values).to.deep.equal({ status: 550 });
      expect(smtp.mails).to.have.length(0);
    });

    it('a server that is not there is worth another try', async () => {
      const gone = emailNotifier({ host: '127.0.0.1', port: 1, secure: false, from: 'desk@example.org', user: undefined, password: undefined, timeoutMs: 1000, domain: 'x' });
      try { expect((await rejection(gone.send(message, never)))).to.include({ kind: 'transient', reason: 'unreachable' }); } finally { gone.close(); }
    });
  });

  describe('webhook', () => {
    it('signs the exact body with HMAC-SHA256 and sends the key as Idempotency-Key', async () => {
      const receiver = await httpServer((_hit, res) => res.writeHead(204).end());
      try {
        await webhookNotifier({ url: `${receiver.url}/hook`, secret: 's3cret', timeoutMs: 2000 }).send(message, never);
        const [hit] = receiver.hits;
        const expected = `sha256=${createHmac('sha256', 's3cret').update(hit!.body).digest('hex')}`;
        expect(hit!.headers['x-doingoai-signature']).to.equal(expected);
        expect(hit!.headers['idempotency-key']).to.equal('n-42');
        expect(JSON.parse(hit!.body)).to.include({ event: 'priority_story', key: 'n-42', link: message.link });
        expect(JSON.parse(hit!.body).values).to.deep.equal(message.event.values);
      } finally { await receiver.close(); }
    });

    it('5xx and 429 are worth another try (Retry-After kept), 4xx is not', async () => {
      let status = 503;
      const receiver = await httpServer((_hit, res) => res.writeHead(status, status === 429 ? { 'retry-after': '7' } : {}).end());
      try {
        const hook = webhookNotifier({ url: receiver.url, secret: 'k', timeoutMs: 2000 });
        expect((await rejection(hook.send(message, never))).kind).to.equal('transient');
        status = 429;
        const limited = await rejection(hook.send(message, never));
        expect([limited.kind, limited.retryAfterMs]).to.deep.equal(['transient', 7000]);
        status = 404;
        const missing = await rejection(hook.send(message, never));
        expect([missing.kind, missing.reason, missing.values]).to.deep.equal(['permanent', 'refused', { status: 404 }]);
      } finally { await receiver.close(); }
    });
  });

  describe('Telegram', () => {
    it('calls sendMessage with the chat id and the whole message as plain text', async () => {
      const bot = await httpServer((_hit, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, result: { message_id: 1 } })));
      try {
        await telegramNotifier({ apiUrl: bot.url, botToken: '123:abc', timeoutMs: 2000 }).send({ ...message, address: '-100200' }, never);
        const [hit] = bot.hits;
        expect(hit!.url).to.equal('/bot123:abc/sendMessage');
        const body = JSON.parse(hit!.body);
        expect(body.chat_id).to.equal('-100200');
        expect(body.text).to.equal(`${message.subject}\n\n${message.text}\n\n${message.link}`);
        expect(body).to.not.have.property('parse_mode');
      } finally { await bot.close(); }
    });

    it('a chat the bot may not write to is given up, a flood wait is tried again after retry_after', async () => {
      let answer = { status: 403, body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' } as object };
      const bot = await httpServer((_hit, res) => res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body)));
      try {
        const tg = telegramNotifier({ apiUrl: bot.url, botToken: 't', timeoutMs: 2000 });
        const blocked = await rejection(tg.send(message, never));
        expect(blocked.kind).to.equal('permanent');
        expect([blocked.reason, blocked.values]).to.deep.equal(['refused', { status: 403 }]);
        expect(blocked.message).to.contain('bot was blocked');
        answer = { status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests', parameters: { retry_after: 3 } } };
        const flood = await rejection(tg.send(message, never));
        expect([flood.kind, flood.retryAfterMs]).to.deep.equal(['transient', 3000]);
      } finally { await bot.close(); }
    });
  });
});
