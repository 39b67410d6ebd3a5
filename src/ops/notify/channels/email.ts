/**
 * E-mail over SMTP with nodemailer. One transport per service (pooled connections); the Message-ID
 * is derived from the message's key, so a message sent twice after a crash is recognisably the same
 * mail in the person's client. SMTP replies sort as the protocol says: 4xx try again, 5xx give up.
 */
import nodemailer from 'nodemailer';
import { NotifyError, type Notifier } from '../notifier.ts';

export interface EmailSettings {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  from: string;
  user: string | undefined;
  password: string | undefined;
  timeoutMs: number;
  /** The domain in Message-IDs. */
  domain: string;
}

export interface EmailNotifier extends Notifier { close(): void }

export function emailNotifier(settings: EmailSettings): EmailNotifier {
  const transport = nodemailer.createTransport({
    host: settings.host, port: settings.port, secure: settings.secure, pool: true, maxConnections: 2,
    connectionTimeout: settings.timeoutMs, greetingTimeout: settings.timeoutMs, socketTimeout: settings.timeoutMs,
    ...(settings.user ? { auth: { user: settings.user, pass: settings.password ?? '' } } : {}),
    // a loopback or office relay without a certificate a public CA signed still gets STARTTLS
    tls: { rejectUnauthorized: false },
  });
  return {
    async send(message, signal) {
      if (signal.aborted) throw new NotifyError('transient', 'stopping', 'the e-mail was not sent: the service is stopping');
      try {
        await transport.sendMail({
          from: settings.from, to: message.address, subject: message.subject,
          text: `${message.text}\n\n${message.link}\n`,
          messageId: `<${message.key}@${settings.domain}>`,
          headers: { 'X-Doingoai-Event': message.event.name },
        });
      } catch (err) {
        const code = (err as { responseCode?: number }).responseCode;
        const kind = code !== undefined && code >= 500 ? 'permanent' : 'transient';
        // nodemailer's error code for a connection or greeting that took too long
        const reason = code !== undefined ? 'refused' : (err as { code?: string }).code === 'ETIMEDOUT' ? 'timeout' : 'unreachable';
        throw new NotifyError(kind, reason, `the SMTP server ${settings.host}:${settings.port} ${code ? `answered ${code}` : 'could not be reached'}: ${(err as Error).message}`, code !== undefined ? { status: code } : {}, undefined, { cause: err });
      }
    },
    close: () => transport.close(),
  };
}
