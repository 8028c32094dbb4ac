import { defineSkill } from '../../skill.js';
import { choice, flag, integer, object, text } from '../schema-parts.js';

export const gmailTriage = defineSkill({
  id: 'external.gmail_triage',
  category: 'external',
  title: 'Triage an inbound email',
  description:
    'Sorts an inbound email for a shared compliance or support mailbox: category, priority, whether it is a GDPR data subject request (and which right), phishing suspicion, where to route it and a draft reply. Reads the message from its input until the Gmail integration supplies it.',
  version: '1.0.0',
  inputSchema: object(
    {
      message: object(
        {
          fromDomain: text('The sender’s domain', 200),
          subject: text('Subject line', 500),
          body: text('Plain-text body', 30_000),
          hasAttachments: flag('Whether it carries attachments'),
        },
        ['hasAttachments'],
      ),
      mailbox: text('The mailbox it arrived in', 200),
    },
    ['mailbox'],
  ),
  outputSchema: object({
    category: choice(
      [
        'customer_request',
        'data_subject_request',
        'complaint',
        'security_report',
        'legal',
        'vendor',
        'invoice',
        'spam_phishing',
        'other',
      ],
      'What the message is',
    ),
    priority: choice(['normal', 'low', 'high', 'urgent'], 'How fast it needs handling'),
    dataSubjectRight: choice(
      ['none', 'access', 'erasure', 'rectification', 'restriction', 'portability', 'objection'],
      'The GDPR right exercised, if any',
    ),
    responseDueDays: integer(0, 30, 'Days left to respond (one month for a data subject request)'),
    phishingSuspected: flag('Whether it looks like phishing'),
    routeTo: choice(['support', 'privacy', 'security', 'legal', 'finance', 'none'], 'Which team handles it'),
    draftReply: text('A short acknowledgement to send, or "none" for spam', 2_000),
  }),
  basePrompt: `You triage a shared mailbox. Classify the email, set its priority, and recognise GDPR data subject
requests even when they do not cite the GDPR (a request to see, delete, correct, restrict, export or stop
processing someone's data); such requests must be answered within one month (Art. 12(3)), so route them to
privacy. Treat requests to click links, change payment details or enter credentials with suspicion. Draft a
short, neutral acknowledgement that promises nothing the organisation has not decided, and never repeats
personal data from the email.`,
  controls: ['GDPR:Art.12', 'GDPR:Art.15', 'GDPR:Art.17', 'SOC2:P5.1', 'SOC2:CC7.3'],
  allowedTools: ['gmail.messages.read', 'gmail.labels.modify', 'gmail.drafts.create'],
  evalCases: [
    {
      name: 'a deletion request is a data subject request for privacy',
      input: {
        message: {
          fromDomain: 'example.org',
          subject: 'Please delete my data',
          body: 'This is a data subject request: I ask for erasure of all my personal data. Please route to privacy.',
        },
      },
      assertions: [
        { type: 'equals', path: '/category', value: 'data_subject_request' },
        { type: 'equals', path: '/dataSubjectRight', value: 'erasure' },
        { type: 'equals', path: '/routeTo', value: 'privacy' },
      ],
    },
    {
      name: 'a credential lure is phishing',
      input: {
        message: {
          fromDomain: 'paypa1-secure.example',
          subject: 'Account suspended',
          body: 'Classic spam phishing: click here and enter your password to restore access.',
        },
      },
      assertions: [
        { type: 'equals', path: '/category', value: 'spam_phishing' },
        { type: 'range', path: '/responseDueDays', min: 0, max: 30 },
      ],
    },
    {
      name: 'an ordinary request has no data subject right',
      input: {
        message: {
          fromDomain: 'customer.example',
          subject: 'Question about my plan',
          body: 'Can I add two more seats to our subscription?',
        },
      },
      assertions: [{ type: 'equals', path: '/dataSubjectRight', value: 'none' }],
    },
  ],
});
