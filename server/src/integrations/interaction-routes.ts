import type { FastifyPluginAsync } from 'fastify';
import type { IntegrationService } from './service.js';

/** Slack's interactivity payloads are small; a larger body is not Slack's. */
const BODY_LIMIT = 64 * 1024;

/**
 * `POST /api/integrations/slack/interactions`: Slack's Request URL for Approve and Deny clicks. No bearer
 * token: the signature over the raw form body is the authentication (decisions/0038), so this plugin
 * keeps the body as the exact string Slack signed.
 */
export function slackInteractionRoutes(options: { service: IntegrationService }): FastifyPluginAsync {
  const { service } = options;
  return async (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );
    app.post(
      '/api/integrations/slack/interactions',
      {
        schema: {
          tags: ['integrations'],
          summary:
            "Slack's interactivity Request URL: a signed Approve or Deny click resolves the HITL request",
        },
      },
      async (request) => {
        const header = (name: string) => {
          const v = request.headers[name];
          return typeof v === 'string' ? v : undefined;
        };
        const { decision } = await service.slackInteraction({
          rawBody: typeof request.body === 'string' ? request.body : '',
          timestamp: header('x-slack-request-timestamp'),
          signature: header('x-slack-signature'),
        });
        // Slack shows this text in place of the buttons' message when it is a response to the click.
        return { text: decision === 'approve' ? 'Approved' : 'Denied', replace_original: false };
      },
    );
  };
}
