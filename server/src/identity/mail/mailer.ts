import type { FastifyBaseLogger } from 'fastify';
import { createTransport } from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

/** How a message left: by SMTP, or (no SMTP_URL) only into the server log. */
export type Delivery =
  | { method: 'smtp'; sent: true }
  | { method: 'smtp'; sent: false; error: string }
  | { method: 'log' };

export interface Mailer {
  readonly configured: boolean;
  send(mail: OutgoingMail): Promise<Delivery>;
  close(): void;
}

/** nodemailer over SMTP_URL; without one, the message is written to the log (for local use). */
export function createMailer(options: {
  smtpUrl: string | undefined;
  from: string;
  log: FastifyBaseLogger;
}): Mailer {
  if (!options.smtpUrl) {
    return {
      configured: false,
      send: async (mail) => {
        options.log.warn(
          { mailTo: mail.to, mailSubject: mail.subject, mailText: mail.text },
          'SMTP_URL is not set: this mail was not sent, its text is logged instead',
        );
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
