/**
 * A real SMTP server on loopback (the smtp-server package) that keeps every message it accepts,
 * parsed with mailparser. `reply` makes it refuse the next messages with an SMTP code (a full
 * mailbox, a relay that is down); `stop` and `start` again on the same port stand for an outage.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail { to: string[]; from: string; subject: string; text: string; messageId: string | undefined; headers: Map<string, unknown> }

export interface LocalSmtp {
  host: string;
  port: number;
  mails: ReceivedMail[];
  /** The answer to the next messages: null accepts them, a code (450, 550) refuses them. */
  reply: number | null;
  /** Resolves once `count` messages have arrived (or rejects after `ms`). */
  waitFor(count: number, ms?: number): Promise<ReceivedMail[]>;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startLocalSmtp(port = 0): Promise<LocalSmtp> {
  let server: SMTPServer;
  const waiters = new Set<() => void>();
  const smtp: LocalSmtp = {
    host: '127.0.0.1', port, mails: [], reply: null,
    waitFor(count, ms = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (smtp.mails.length < count) return;
          clearTimeout(timer); waiters.delete(check); resolve(smtp.mails);
        };
        const timer = setTimeout(() => { waiters.delete(check); reject(new Error(`${smtp.mails.length} of ${count} e-mail(s) arrived within ${ms} ms`)); }, ms);
        waiters.add(check);
        check();
      });
    },
    async start() {
      server = new SMTPServer({
        authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
        onData(stream, session, callback) {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            if (smtp.reply) {
              const err = Object.assign(new Error(smtp.reply >= 500 ? 'mailbox unavailable' : 'try again later'), { responseCode: smtp.reply });
              return callback(err);
            }
            simpleParser(Buffer.concat(chunks)).then((mail) => {
              smtp.mails.push({
                to: session.envelope.rcptTo.map((r) => r.address), from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                subject: mail.subject ?? '', text: mail.text ?? '', messageId: mail.messageId, headers: mail.headers,
              });
              callback();
              for (const w of [...waiters]) w();
            }, callback);
          });
        },
      });
      await new Promise<void>((resolve) => server.listen(smtp.port, '127.0.0.1', resolve));
      smtp.port = (server.server.address() as AddressInfo).port;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  await smtp.start();
  return smtp;
}
