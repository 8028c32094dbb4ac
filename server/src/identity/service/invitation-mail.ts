import type { OutgoingMail } from '../mail/mailer.js';

export function invitationMail(options: {
  to: string;
  orgName: string;
  role: string;
  link: string;
  expiresAt: Date;
}): OutgoingMail {
  return {
    to: options.to,
    subject: `You are invited to ${options.orgName} on Proofpane`,
    text: [
      `You have been invited to join ${options.orgName} on Proofpane as ${options.role}.`,
      '',
      'Open this link to accept (it works once):',
      options.link,
      '',
      `It expires at ${options.expiresAt.toISOString()}. If you did not expect it, ignore this mail.`,
    ].join('\n'),
  };
}
