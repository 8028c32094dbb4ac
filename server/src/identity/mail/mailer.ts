import type { FastifyBaseLogger } from 'fastify';
import { createTransport } from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

/** How a message left: by SMTP, or (no SMTP_URL) not at all; the caller hands its content over another way. */
export type Delivery =
  | { method: 'smtp'; sent: true }
  | { method: 'smtp'; sent: false; error: string }
  | { method: 'log' };

export interface Mailer {
  readonly configured: boolean;
  send(mail: OutgoingMail): Promise<Delivery>;
  close(): void;
}

/**
 * nodemailer over SMTP_URL. Without one nothing is sent and only the fact is logged: mails carry
 * single-use links, and the log must never hold a token (docs/api.md, Logs).
 */
export function createMailer(options: {
  smtpUrl: string | undefined;
  from: string;
  log: FastifyBaseLogger;
}): Mailer {
  if (!options.smtpUrl) {
    return {
      configured: false,
      send: async () => {
        options.log.warn('SMTP_URL is not set: a mail was not sent');
        return { method: 'log' };
      },
      close: () => {},
    };
  }
  const transport = createTransport(options.smtpUrl);
  return {
    configured: true,
    send: async (mail) => {
      try {
        await transport.sendMail({ from: options.from, ...mail });
        return { method: 'smtp', sent: true };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        options.log.error({ mailError: message }, 'sending mail failed');
        return { method: 'smtp', sent: false, error: message };
      }
    },
    close: () => transport.close(),
  };
}
