import type { FastifyError, FastifyPluginCallback } from 'fastify';
import fp from 'fastify-plugin';
import { statusOfError } from '../http/error-handler.js';
import { createSentryReporter } from './reporter.js';

/**
 * Reports errors that answer 5xx to Sentry when `SENTRY_DSN` is set (docs/operations.md, "Error
 * reporting"): with the route pattern, method, role and request id, never the request itself.
 */
export const errorReportingPlugin: FastifyPluginCallback = fp(
  (app, _options, done) => {
    const { sentryDsn, role } = app.runtime.config;
    if (!sentryDsn) return done();
    const reporter = createSentryReporter({ dsn: sentryDsn, environment: process.env.NODE_ENV });
    app.addHook('onError', async (request, _reply, error: FastifyError) => {
      if (statusOfError(error) < 500) return;
      reporter.capture(error, {
        route: request.routeOptions.url ?? 'unmatched',
        method: request.method,
        requestId: String(request.id),
        role,
      });
    });
    app.addHook('onClose', () => reporter.close());
    done();
  },
  { name: 'error-reporting' },
);
