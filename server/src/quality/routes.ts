import { l3CheckBody, l3CheckResult } from '@proofpane/api';
import { checkText } from '@proofpane/commands';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireRole } from '../auth/index.js';
import { bearer } from '../http/route-security.js';

/**
 * `/api/quality`: the L3 check as a dry run on any text, for members (a policy author testing what a
 * skill's answer would be held to). It reads the shipped catalogue only and records nothing.
 */
export const qualityRoutes: FastifyPluginAsync = async (app) => {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.post(
    '/api/quality/l3',
    {
      onRequest: requireRole('member'),
      schema: {
        tags: ['quality'],
        security: bearer,
        summary: 'Check the control identifiers a text cites against the control catalogue (dry run)',
        body: l3CheckBody,
        response: { 200: l3CheckResult },
      },
    },
    async (request) => checkText({ text: request.body.text, framework: request.body.framework }),
  );
};
