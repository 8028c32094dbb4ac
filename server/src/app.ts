import { randomUUID } from 'node:crypto';
import helmet from '@fastify/helmet';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { coderPlugin } from './coder/plugin.js';
import { compliancePlugin } from './compliance/plugin.js';
import { consolePlugin } from './console/plugin.js';
import { crossVendorEvalsPlugin } from './cross-vendor-evals/plugin.js';
import { devicesPlugin } from './devices/plugin.js';
import { documentsPlugin } from './documents/plugin.js';
import { errorReportingPlugin } from './error-reporting/plugin.js';
import { evidencePlugin } from './evidence/plugin.js';
import { evolutionPlugin } from './evolution/plugin.js';
import { gatewayPlugin } from './gateway/plugin.js';
import { hitlPlugin } from './hitl/plugin.js';
import { refuseUncleanText } from './http/clean-text.js';
import { corsPlugin } from './http/cors.js';
import { installErrorHandling } from './http/error-handler.js';
import { openApiPlugin } from './http/openapi.js';
import { identityPlugin } from './identity/plugin.js';
import { integrationsPlugin } from './integrations/plugin.js';
import { mcpPlugin } from './mcp/plugin.js';
import { metricsPlugin } from './metrics/plugin.js';
import { multiAgentPlugin } from './multi-agent/plugin.js';
import { parallelUniversePlugin } from './parallel-universe/plugin.js';
import { qualityPlugin } from './quality/plugin.js';
import { qualityDriftPlugin } from './quality-drift/plugin.js';
import { qualityJudgePlugin } from './quality-judge/plugin.js';
import { readModelsPlugin } from './read-models/plugin.js';
import { healthRoutes } from './routes/health.js';
import type { Runtime } from './runtime/runtime.js';
import { scaleOutPlugin } from './scale-out/plugin.js';
import { skillsPlugin } from './skills/plugin.js';
import { toolsPlugin } from './tools/plugin.js';
import { tracingPlugin } from './tracing/plugin.js';
import { useCasesPlugin } from './use-cases/plugin.js';
import { workflowAiBuilderPlugin } from './workflow-ai-builder/plugin.js';
import { workflowRunsPlugin } from './workflow-runs/plugin.js';
import { workflowsPlugin } from './workflows/plugin.js';

export interface BuildAppOptions {
  runtime: Runtime;
  /** Pino options or `false`; tests pass `false` or a level. */
  logger?: boolean | { level: string };
  /** Where log lines go instead of stdout; tests read them to prove no secret is logged. */
  logStream?: { write(line: string): void };
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Header and body fields that must never reach a log line. */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-proofpane-device-token"]',
  'res.headers["set-cookie"]',
];

/**
 * The Fastify app, kept apart from `listen` so tests drive it with `app.inject()`.
 * Routes register in plugins, one per capability (docs/architecture.md, "Server"). Each names the
 * plugins whose decorations it uses as fastify-plugin `dependencies`, so registering them out of
 * order fails at start-up. The order below is also the order of the OpenAPI document's paths.
 */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { runtime } = options;
  const logger =
    options.logger === false
      ? false
      : {
          level: typeof options.logger === 'object' ? options.logger.level : runtime.config.logLevel,
          redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
          ...(options.logStream ? { stream: options.logStream } : {}),
        };
  const app = Fastify({
    logger,
    bodyLimit: runtime.config.bodyLimit,
    requestIdHeader: 'x-request-id',
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('runtime', runtime);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  await app.register(helmet, {
    contentSecurityPolicy: false,
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
  installErrorHandling(app);
  // Added before any route plugin so that every route, in every plugin, inherits it.
  app.addHook('preValidation', refuseUncleanText);
  // First: its role guard must cover every route, and `app.loops` must exist for the plugins below.
  await app.register(scaleOutPlugin);
  await app.register(tracingPlugin);
  await app.register(errorReportingPlugin);
  await app.register(metricsPlugin);
  await app.register(healthRoutes);
  await app.register(openApiPlugin);
  await app.register(corsPlugin);
  await app.register(identityPlugin);
  await app.register(readModelsPlugin);
  await app.register(hitlPlugin);
  await app.register(gatewayPlugin);
  await app.register(evidencePlugin);
  await app.register(devicesPlugin);
  await app.register(toolsPlugin);
  await app.register(mcpPlugin);
  await app.register(skillsPlugin);
  await app.register(multiAgentPlugin);
  await app.register(workflowsPlugin);
  await app.register(workflowAiBuilderPlugin);
  await app.register(workflowRunsPlugin);
  await app.register(crossVendorEvalsPlugin);
  await app.register(useCasesPlugin);
  await app.register(documentsPlugin);
  await app.register(compliancePlugin);
  await app.register(qualityPlugin);
  await app.register(qualityDriftPlugin);
  await app.register(evolutionPlugin);
  await app.register(qualityJudgePlugin);
  await app.register(integrationsPlugin);
  await app.register(coderPlugin);
  await app.register(parallelUniversePlugin);
  await app.register(consolePlugin);
  // Added last, so the loops start after every plugin's own onReady (the read models run by then).
  app.addHook('onReady', () => app.loops.start());
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    runtime: Runtime;
  }
}

export type { FastifyBaseLogger };
