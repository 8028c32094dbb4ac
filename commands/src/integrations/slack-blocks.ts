/** A Slack message as chat.postMessage and incoming webhooks take it: fallback text plus Block Kit blocks. */
export interface SlackMessage {
  text: string;
  blocks: Record<string, unknown>[];
}

/** The alerts `external.slack_alert` posts. */
export type SlackAlert =
  | { kind: 'drift'; skill: string; signal: string; summary: string }
  | { kind: 'budget'; spentUsd: string; capUsd: string; summary: string }
  | { kind: 'hitl'; connectionId: string; requestId: string; summary: string; risk: string };

export const SLACK_APPROVE_ACTION = 'proofpane_hitl_approve';
export const SLACK_DENY_ACTION = 'proofpane_hitl_deny';

/** The button value: which connection's signing secret verifies the click, and which request it decides. */
export const hitlActionValue = (connectionId: string, requestId: string) => `${connectionId}|${requestId}`;

export function parseHitlActionValue(value: string): { connectionId: string; requestId: string } | undefined {
  const [connectionId, requestId, extra] = value.split('|');
  if (!connectionId || !requestId || extra !== undefined) return undefined;
  if (connectionId.length > 200 || requestId.length > 200) return undefined;
  return { connectionId, requestId };
}

/** Slack's mrkdwn treats these as control characters; escaping keeps a summary from forging a mention. */
const mrkdwn = (text: string) =>
  text.slice(0, 2_900).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

/** Block Kit for one alert; a HITL request carries Approve and Deny buttons. */
export function slackAlertMessage(alert: SlackAlert): SlackMessage {
  switch (alert.kind) {
    case 'drift': {
      const title = `Quality drift on ${mrkdwn(alert.skill)} (${mrkdwn(alert.signal)})`;
      return {
        text: title,
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: 'Quality drift' } },
          section(`*${title}*\n${mrkdwn(alert.summary)}`),
        ],
      };
    }
    case 'budget': {
      const title = `Budget: $${mrkdwn(alert.spentUsd)} of $${mrkdwn(alert.capUsd)} spent`;
      return {
        text: title,
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: 'Budget alert' } },
          section(`*${title}*\n${mrkdwn(alert.summary)}`),
        ],
      };
    }
    case 'hitl': {
      const value = hitlActionValue(alert.connectionId, alert.requestId);
      const title = `Approval needed (${mrkdwn(alert.risk)} risk)`;
      return {
        text: title,
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: 'Approval needed' } },
          section(`*${title}*\n${mrkdwn(alert.summary)}`),
          {
            type: 'actions',
            block_id: 'proofpane_hitl',
            elements: [
              {
                type: 'button',
                action_id: SLACK_APPROVE_ACTION,
                style: 'primary',
                text: { type: 'plain_text', text: 'Approve' },
                value,
              },
              {
                type: 'button',
                action_id: SLACK_DENY_ACTION,
                style: 'danger',
                text: { type: 'plain_text', text: 'Deny' },
                value,
              },
            ],
          },
        ],
      };
    }
    default:
      return alert satisfies never;
  }
}
