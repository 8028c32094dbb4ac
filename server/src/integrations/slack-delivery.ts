import {
  accessFact,
  type IntegrationAccessFact,
  type IntegrationCredentials,
  type SlackMessage,
} from '@proofpane/commands';
import type { IntegrationSettings } from './settings.js';
import { SlackFailure, slackPostMessage, slackWebhookPost } from './slack.js';

/**
 * Posts one message through a Slack connection: `chat.postMessage` to its channel for a bot token, the
 * incoming webhook otherwise. Answers the message's `ts` and the audit fact of the write (names only).
 */
export async function deliverSlackMessage(options: {
  settings: IntegrationSettings;
  connectionId: string;
  credentials: IntegrationCredentials;
  channel: string | undefined;
  message: SlackMessage;
}): Promise<{ ts: string | null; fact: IntegrationAccessFact }> {
  const { settings, connectionId, credentials, channel, message } = options;
  let ts: string | null = null;
  if (credentials.botToken && channel)
    ts = await slackPostMessage({
      apiUrl: settings.slack.apiUrl,
      token: credentials.botToken,
      channel,
      message,
    });
  else if (credentials.webhookUrl) await slackWebhookPost({ url: credentials.webhookUrl, message });
  else throw new SlackFailure('not_postable', false);
  const fact = accessFact({
    connectionId,
    kind: 'slack',
    direction: 'write',
    objectType: credentials.botToken ? 'chat.postMessage' : 'incoming-webhook',
    operation: 'post',
    fields: credentials.botToken ? ['blocks', 'channel', 'text'] : ['blocks', 'text'],
    count: 1,
  });
  return { ts, fact };
}
