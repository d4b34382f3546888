import { createHash } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import { RobotError } from '../../robot-kit/robot-error.ts';
import { classifySmtpError } from './smtp-errors.ts';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** `<...@domain>`: the same for every attempt at the same e-mail (see messageIdFor). */
  messageId: string;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}

/** The port executors send through: SMTP in production and tests (fixtures/smtp). */
export interface Mailer {
  /** Who the customer reads as the sender (SMTP_FROM); undefined when not configured. */
  readonly from: string | undefined;
  /** Resolves once the server accepted the message; throws a classified RobotError otherwise. */
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): void;
}

export interface SmtpSettings {
  SMTP_URL?: string;
  SMTP_FROM?: string;
  SMTP_TIMEOUT_MS: number;
}

/**
 * nodemailer over SMTP_URL, one pooled transport per process, timeouts from SMTP_TIMEOUT_MS. The
 * transport (and nodemailer) is made on the first e-mail: most processes send none.
 */
export function createSmtpMailer(settings: SmtpSettings): Mailer {
  const { SMTP_URL: url, SMTP_FROM: from, SMTP_TIMEOUT_MS: timeoutMs } = settings;
  let transport: Promise<Transporter> | undefined;
  const transportOf = (smtpUrl: string) =>
    (transport ??= import('nodemailer').then(({ createTransport }) =>
      createTransport({ url: smtpUrl, pool: true, maxConnections: 2, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs }),
    ));
  return {
    from,
    async send(mail) {
      if (url === undefined || from === undefined) {
        const missing = [url === undefined && 'SMTP_URL', from === undefined && 'SMTP_FROM'].filter(Boolean).join(' and ');
        throw new RobotError('ROBOT_NOT_CONFIGURED', `${missing} not set: customer e-mails go out through your SMTP server (e.g. SMTP_URL=smtp://user:password@smtp.example.com:587)`);
      }
      try {
        await (await transportOf(url)).sendMail({ from, ...mail });
      } catch (error) {
        throw classifySmtpError(error);
      }
      return { messageId: mail.messageId };
    },
    close: () => void transport?.then((made) => made.close()),
  };
}

/**
 * A Message-ID derived from what the e-mail is for (a follow-up id and which of its e-mails):
 * every attempt at one e-mail carries the same id, so a copy a server or a client sees twice is
 * recognisably the same message. The domain is the sender's, as RFC 5322 advises.
 */
export function messageIdFor(purpose: string, from: string | undefined): string {
  const domain = /@([^\s@<>]+)>?\s*$/.exec(from ?? '')?.[1] ?? 'parcelbot.invalid';
  return `<${createHash('sha256').update(purpose).digest('hex').slice(0, 32)}.followup@${domain}>`;
}

/** The display name of "Service client <service-client@shop.example>", or undefined for a bare address. */
export function displayNameOf(from: string | undefined): string | undefined {
  const name = /^\s*"?([^"<]*?)"?\s*</.exec(from ?? '')?.[1]?.trim();
  return name === '' ? undefined : name;
}
