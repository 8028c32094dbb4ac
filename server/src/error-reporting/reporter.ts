import * as Sentry from '@sentry/node';
import { scrubEvent } from './scrub.js';

export interface ErrorReporter {
  capture(error: unknown, context: { route: string; method: string; requestId: string; role: string }): void;
  close(): Promise<void>;
}

/**
 * Sentry for unexpected errors only. Its OpenTelemetry set-up and default integrations stay off: the
 * tracing plugin owns OpenTelemetry, and the integrations would attach request bodies and headers.
 * Every event passes `scrubEvent` before it leaves.
 */
export function createSentryReporter(options: {
  dsn: string;
  release?: string;
  environment?: string;
}): ErrorReporter {
  const client = Sentry.init({
    dsn: options.dsn,
    release: options.release,
    environment: options.environment,
    defaultIntegrations: false,
    skipOpenTelemetrySetup: true,
    sendDefaultPii: false,
    tracesSampleRate: undefined,
    maxBreadcrumbs: 0,
    beforeSend: (event) => scrubEvent(event),
  });
  return {
    capture(error, context) {
      Sentry.withScope((scope) => {
        scope.setTag('route', context.route);
        scope.setTag('method', context.method);
        scope.setTag('role', context.role);
        scope.setTag('request_id', context.requestId);
        Sentry.captureException(error);
      });
    },
    async close() {
      await client?.close(2000);
    },
  };
}
